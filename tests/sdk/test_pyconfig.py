"""implib's Windows ``pyconfig.h``: :mod:`implib.sdk.pyconfig`.

Two oracles:

* the compilers: every bundled release's headers, with the SDK's
  ``pyconfig.h``, compile cleanly (``Python.h`` and the internal headers
  Cython includes) for each machine with MinGW-w64 gcc (x86_64, i686) and
  with clang for the MSVC targets (``-fsyntax-only``; x86_64, i686,
  aarch64), with zig cc for aarch64 MinGW, and each ``SIZEOF_``/``ALIGNOF_`` fact equals the compiler's
  ``sizeof``/``_Alignof`` (``_Static_assert``). No MSVC C runtime headers
  are at hand here: the clang checks read MinGW-w64's in their place
  (tests/msvc_headers.py), so they check CPython's headers and the
  pyconfig.h under ``_MSC_VER``;
* the official CPython for Windows (the embeddable x64 builds 3.8 to 3.13,
  under wine): every fact it can tell (ctypes' sizes, ``sys.maxsize``,
  ``sysconfig``, the extension suffix, the allocators it accepts, ...) is
  what the table says for that release.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from implib.pythons import parse_python
from implib.sdk import sdk
from implib.sdk.headers import bundled_releases
from implib.sdk.pyconfig import FACTS, pyconfig_h
from implib.targets import parse_target

from msvc_headers import MINGW_INCLUDE, msvc_shim
from support import EMBED_VERSIONS, missing, require_tool, windows_python

#: A fact's C type, for the compiler's sizeof/_Alignof. (HKEY needs windows.h;
#: pid_t is CPython's int, MinGW's own pid_t is wider on x64.)
C_TYPES = {
    "SIZEOF_SHORT": "short",
    "SIZEOF_INT": "int",
    "SIZEOF_LONG": "long",
    "ALIGNOF_LONG": "long",
    "SIZEOF_LONG_LONG": "long long",
    "SIZEOF_FLOAT": "float",
    "SIZEOF_DOUBLE": "double",
    "SIZEOF_WCHAR_T": "wchar_t",
    "SIZEOF__BOOL": "_Bool",
    "SIZEOF_VOID_P": "void *",
    "SIZEOF_SIZE_T": "size_t",
    "ALIGNOF_SIZE_T": "size_t",
    "SIZEOF_TIME_T": "time_t",
    "SIZEOF_OFF_T": "off_t",
    "SIZEOF_FPOS_T": "fpos_t",
}

RELEASES = sorted(bundled_releases(), key=lambda m: tuple(map(int, m.split("."))))


def _builds() -> list[str]:
    builds = []
    for minor in RELEASES:
        builds.append(minor)
        if tuple(map(int, minor.split("."))) >= (3, 13):
            builds.append(minor + "t")
    return [*builds, "abi3-3.9", "abi3t"]


def probe_source(facts: dict[str, str], *, time_h: bool) -> str:
    """A C file: Python.h, Cython's internal headers, and each size fact asserted."""
    lines = [
        "#define PY_SSIZE_T_CLEAN",
        "#include <Python.h>",
        "#include <stddef.h>",
        "#include <stdio.h>",
        "#include <sys/types.h>",
        "#include <time.h>" if time_h else "",
        "#if PY_VERSION_HEX >= 0x030B0000 && !defined(Py_LIMITED_API)",
        "#define Py_BUILD_CORE 1",
        '#include "internal/pycore_frame.h"',  # what Cython includes from 3.11 on
        "#if PY_VERSION_HEX >= 0x030D0000",
        '#include "internal/pycore_mimalloc.h"',  # internal/mimalloc/ from 3.13 on
        "#endif",
        "#undef Py_BUILD_CORE",
        "#endif",
        "#if defined(EXPECT_GIL_DISABLED) != defined(Py_GIL_DISABLED)",
        '#error "Py_GIL_DISABLED is not as the build says"',
        "#endif",
        "#if defined(EXPECT_LIMITED) && Py_LIMITED_API != EXPECT_LIMITED",
        '#error "Py_LIMITED_API is not as the build says"',
        "#endif",
        "#if defined(MS_WIN64) != (SIZEOF_VOID_P == 8)",
        '#error "MS_WIN64 and the pointer size disagree"',
        "#endif",
        "_Static_assert(PY_SSIZE_T_MAX == (SIZEOF_VOID_P == 8 ? 0x7fffffffffffffffLL"
        ' : 0x7fffffffL), "Py_ssize_t is as wide as a pointer");',
    ]
    for name, value in facts.items():
        c_type = C_TYPES.get(name)
        if c_type is None or (c_type == "time_t" and not time_h):
            continue
        op = "_Alignof" if name.startswith("ALIGNOF") else "sizeof"
        lines.append(f'_Static_assert({op}({c_type}) == {value}, "{name}");')
    return "\n".join(lines) + "\n"


def _facts(target: str, build: str, version: tuple[int, int]) -> dict[str, str]:
    parsed = parse_target(target)
    family = "mingw" if parsed.flavour.mingw else "msvc"
    return {
        f.name: f.value or ""
        for f in FACTS
        if f.holds(version, family, parsed.arch) and f.value is not None
    }


def _defines(build: str, version: tuple[int, int]) -> list[str]:
    parsed = parse_python(build)
    flags = []
    if parsed.freethreaded:
        flags.append("-DEXPECT_GIL_DISABLED")
    if parsed.kind.value == "abi3" and not parsed.freethreaded:
        minimum = parsed.version or version
        flags.append(f"-DEXPECT_LIMITED=0x{minimum[0]:02x}{minimum[1]:02x}0000")
    return flags


def _version_of(build: str) -> tuple[int, int]:
    parsed = parse_python(build)
    if parsed.kind.value == "cpython":
        assert parsed.version is not None
        return parsed.version
    return tuple(map(int, RELEASES[-1].split(".")))  # type: ignore[return-value]


def _check(argv: list[str], what: str) -> None:
    result = subprocess.run(argv, capture_output=True, text=True, timeout=300)
    output = result.stdout + result.stderr
    problems = [
        line
        for line in output.splitlines()
        if "error" in line or ("warning" in line and "pyconfig.h" in line)
    ]
    assert result.returncode == 0 and not problems, f"{what}:\n{output}"


@pytest.fixture(scope="module")
def sdks(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("sdks")


def _sdk(root: Path, target: str, build: str) -> Path:
    return sdk(target, build, root / target / build).include_dir


@pytest.mark.parametrize("arch", ["x86_64", "i686"])
@pytest.mark.parametrize("build", _builds())
def test_mingw_gcc_compiles_the_headers(sdks: Path, tmp_path: Path, arch: str, build: str) -> None:
    gcc = require_tool(f"{arch}-w64-mingw32-gcc")
    target = f"{arch}-pc-windows-gnu"
    version = _version_of(build)
    source = tmp_path / "probe.c"
    source.write_text(probe_source(_facts(target, build, version), time_h=True))
    include = _sdk(sdks, target, build)
    argv = [gcc, "-std=gnu11", "-Wall", "-fsyntax-only", f"-I{include}", *_defines(build, version)]
    _check([*argv, str(source)], f"{target} {build}")


@pytest.mark.parametrize("arch", ["x86_64", "i686", "aarch64"])
@pytest.mark.parametrize("build", _builds())
def test_clang_msvc_target_compiles_the_headers(
    sdks: Path, tmp_path: Path, arch: str, build: str
) -> None:
    clang = require_tool("clang")
    crt = Path(MINGW_INCLUDE[arch])  # the C runtime's headers: see tests/msvc_headers.py
    if not crt.is_dir():
        pytest.skip(f"no {crt} (apt-get install mingw-w64-{arch.replace('_', '-')}-dev)")
    target = f"{arch}-pc-windows-msvc"
    version = _version_of(build)
    source = tmp_path / "probe.c"
    # time_t is the C runtime's: MinGW's here (32-bit on i686), not MSVC's (64-bit)
    source.write_text(probe_source(_facts(target, build, version), time_h=False))
    include = _sdk(sdks, target, build)
    argv = [
        clang,
        f"--target={target}",
        "-fsyntax-only",
        "-Wall",
        "-Wno-implicit-function-declaration",  # CPython's ARM64 _Py_ThreadId: __getReg unseen
        f"-I{include}",
        *msvc_shim(arch),
        *_defines(build, version),
        str(source),
    ]
    _check(argv, f"{target} {build}")


#: CPython's own headers: 3.13t's and 3.14t's _Py_ThreadId calls MSVC's __getReg under
#: MinGW on ARM64, which MinGW-w64's intrin.h does not declare (3.15's headers do without).
GETREG = pytest.mark.xfail(strict=True, reason="CPython 3.13t/3.14t headers: __getReg")


@pytest.mark.slow  # zig's first run for a target prepares its C runtime headers: minutes
@pytest.mark.parametrize(
    "build",
    [pytest.param(b, marks=GETREG) if b in ("3.13t", "3.14t") else b for b in _builds()],
)
def test_zig_cc_compiles_the_headers_for_aarch64_mingw(
    sdks: Path, tmp_path: Path, build: str
) -> None:
    """MinGW on aarch64, which no gcc here targets: zig cc (clang with MinGW-w64's headers)."""
    try:
        import ziglang  # noqa: F401
    except ImportError:
        missing("ziglang is not installed (pip install ziglang)")
    target = "aarch64-pc-windows-gnullvm"
    version = _version_of(build)
    source = tmp_path / "probe.c"
    source.write_text(probe_source(_facts(target, build, version), time_h=True))
    include = _sdk(sdks, target, build)
    zig = [sys.executable, "-m", "ziglang", "cc", "-target", "aarch64-windows-gnu"]
    argv = [*zig, "-c", "-Wall", f"-I{include}", *_defines(build, version)]
    _check([*argv, str(source), "-o", str(tmp_path / "probe.o")], f"{target} {build}")


def test_the_wrong_compiler_family_or_machine_stops_with_a_reason(
    sdks: Path, tmp_path: Path
) -> None:
    gcc = require_tool("x86_64-w64-mingw32-gcc")
    source = tmp_path / "probe.c"
    source.write_text("#include <Python.h>\n")
    for target, needle in (
        ("x86_64-pc-windows-msvc", "this pyconfig.h is for MSVC or clang-cl"),
        ("i686-pc-windows-gnu", "this pyconfig.h is for i686"),
    ):
        include = _sdk(sdks, target, "3.13")
        result = subprocess.run(
            [gcc, "-fsyntax-only", f"-I{include}", str(source)], capture_output=True, text=True
        )
        assert result.returncode != 0 and needle in result.stderr, result.stderr


def test_each_fact_is_written_once() -> None:
    for version in [(3, minor) for minor in range(7, 16)]:
        for family in ("msvc", "mingw"):
            for arch in ("x86_64", "i686", "aarch64"):
                names = [f.name for f in FACTS if f.holds(version, family, arch)]
                assert len(names) == len(set(names)), (version, family, arch)


def test_pragma_names_the_builds_library() -> None:
    msvc = parse_target("x86_64-pc-windows-msvc")
    text = pyconfig_h(msvc, parse_python("3.13t"), (3, 13))
    assert '#    pragma comment(lib, "python313t.lib")' in text
    assert '#    pragma comment(lib, "python3t.lib")' in text
    assert "Py_NO_LINK_LIB" in text
    old = pyconfig_h(msvc, parse_python("3.11"), (3, 11))
    assert '#    pragma comment(lib, "python311.lib")' in old
    assert "&& !defined(Py_NO_LINK_LIB)" not in old  # 3.13's
    mingw = pyconfig_h(parse_target("x86_64-pc-windows-gnu"), parse_python("3.11"), (3, 11))
    assert "pragma" not in mingw and "#define MS_WIN64" in mingw


# -- the official CPython under wine ---------------------------------------------------

#: Run by python.exe: what the build tells of its pyconfig.h.
OBSERVE = r"""
import ctypes, decimal, importlib.machinery, json, locale, os, socket, struct, subprocess, sys
import sysconfig, time
def accepts(allocator):
    env = dict(os.environ, PYTHONMALLOC=allocator)
    return subprocess.run([sys.executable, "-c", "pass"], env=env,
                          capture_output=True).returncode == 0
facts = {
    "SIZEOF_SHORT": ctypes.sizeof(ctypes.c_short),
    "SIZEOF_INT": ctypes.sizeof(ctypes.c_int),
    "SIZEOF_LONG": ctypes.sizeof(ctypes.c_long),
    "ALIGNOF_LONG": ctypes.alignment(ctypes.c_long),
    "SIZEOF_LONG_LONG": ctypes.sizeof(ctypes.c_longlong),
    "SIZEOF_FLOAT": ctypes.sizeof(ctypes.c_float),
    "SIZEOF_DOUBLE": ctypes.sizeof(ctypes.c_double),
    "SIZEOF_WCHAR_T": ctypes.sizeof(ctypes.c_wchar),
    "SIZEOF__BOOL": ctypes.sizeof(ctypes.c_bool),
    "SIZEOF_VOID_P": ctypes.sizeof(ctypes.c_void_p),
    "SIZEOF_SIZE_T": ctypes.sizeof(ctypes.c_size_t),
    "ALIGNOF_SIZE_T": ctypes.alignment(ctypes.c_size_t),
    "SIZEOF_HKEY": ctypes.sizeof(ctypes.c_void_p),
    "LONG_BIT": struct.calcsize("l") * 8,
    "PY_SSIZE_T_MAX": sys.maxsize,
    "PLATFORM": sys.platform,
    "PYD_PLATFORM_TAG": importlib.machinery.EXTENSION_SUFFIXES[0].split("-", 1)[1][:-4],
    "NT_THREADS": sys.thread_info.name == "nt",
    "MS_WINDOWS": os.name == "nt",
    "WITH_DOC_STRINGS": len.__doc__ is not None,
    "WITH_DECIMAL_CONTEXTVAR": decimal.HAVE_CONTEXTVAR,
    "DOUBLE_IS_LITTLE_ENDIAN_IEEE754": float.__getformat__("double") == "IEEE, little-endian",
    "HAVE_DYNAMIC_LOADING": bool(importlib.machinery.EXTENSION_SUFFIXES),
    "Py_ENABLE_SHARED": hasattr(sys, "dllhandle"),
    "HAVE_GETPID": hasattr(os, "getpid"),
    "HAVE_UMASK": hasattr(os, "umask"),
    "HAVE_DUP": hasattr(os, "dup"),
    "HAVE_PUTENV": hasattr(os, "putenv"),
    "HAVE_SHUTDOWN": hasattr(socket.socket, "shutdown"),
    "HAVE_TZNAME": hasattr(time, "tzname"),
    "HAVE_WCSCOLL": hasattr(locale, "strcoll"),
    "HAVE_WCSXFRM": hasattr(locale, "strxfrm"),
    "WITH_PYMALLOC": accepts("pymalloc"),
    "WITH_MIMALLOC": accepts("mimalloc"),
    "Py_GIL_DISABLED": bool(sysconfig.get_config_var("Py_GIL_DISABLED")),
}
if hasattr(ctypes, "c_time_t"):
    facts["SIZEOF_TIME_T"] = ctypes.sizeof(ctypes.c_time_t)
print(json.dumps({"version": list(sys.version_info[:2]), "facts": facts}))
"""

#: How a fact's value in the table reads as what CPython reports.
PRESENT = object()


def _expected(name: str, value: str | None) -> object:
    if name in ("PLATFORM", "PYD_PLATFORM_TAG"):
        assert value is not None
        return value.strip('"')
    if name == "PY_SSIZE_T_MAX":
        return {"LLONG_MAX": 2**63 - 1, "INT_MAX": 2**31 - 1}[str(value)]
    if value is None or not value.isdigit() or name.startswith(("WITH_", "HAVE_", "DOUBLE_")):
        return True  # defined: the feature is there
    return int(value)


@pytest.mark.slow
@pytest.mark.parametrize("version", EMBED_VERSIONS)
def test_facts_match_the_official_cpython(
    wine: tuple[str, dict[str, str]], tmp_path: Path, version: str
) -> None:
    report = windows_python(wine, version, OBSERVE, [], tmp_path)
    release = tuple(report["version"])
    observed: dict[str, object] = report["facts"]
    table = {f.name: f.value for f in FACTS if f.holds(release, "msvc", "x86_64")}  # type: ignore[arg-type]
    # The GIL build's pyconfig.h (the embeddable builds are GIL builds).
    table["Py_ENABLE_SHARED"] = "1"
    checked, wrong = [], []
    for name, seen in observed.items():
        if name == "Py_GIL_DISABLED":
            assert seen is False
            continue
        if name in table:
            if _expected(name, table[name]) != seen:
                wrong.append((name, table[name], seen))
        elif isinstance(seen, bool):  # a feature the table leaves out: the build lacks it
            if seen:
                wrong.append((name, "(not defined)", seen))
        else:  # a size the release's file does not state yet (ALIGNOF_LONG before 3.13)
            continue
        checked.append(name)
    assert not wrong, wrong
    # Most of what the table says about sizes and features was checked here.
    assert len(checked) >= 30, checked
