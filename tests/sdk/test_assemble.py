"""``implib sdk`` and ``implib.sdk()``: :mod:`implib.sdk.assemble`.

Modules are built from tests/data/ext/spam.c against the SDK with the real
compilers and linkers, and their import tables read back (pefile): 3.15,
3.15t and abi3t (no CPython 3.15 runs here), i686, and MSVC's auto-link
pragma with lld-link. A limited-API module built against an abi3 SDK
imports python3.dll only, and the official CPython 3.8 and 3.13 (under
wine) import it and call it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import implib
from implib.api import generate
from implib.sdk.assemble import STAMP

from linking import dll_imports
from msvc_headers import msvc_shim
from support import DATA, SPAM_IMPORTS, require_tool, windows_python, wine_path

SPAM = DATA / "ext" / "spam.c"


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "implib", "sdk", *args], cwd=cwd, capture_output=True, text=True
    )


def test_the_parts(tmp_path: Path) -> None:
    made = implib.sdk("x86_64-pc-windows-msvc", "3.13", tmp_path / "sdk")
    assert isinstance(made, implib.SDK)
    assert made.include_dir == tmp_path / "sdk" / "include"
    assert (made.include_dir / "pyconfig.h").read_text().count("Target x86_64-pc-windows-msvc") == 1
    assert (made.include_dir / "internal" / "mimalloc" / "mimalloc.h").is_file()
    assert made.headers == "3.13.18"
    # The libraries: implib gen's, byte for byte and name for name, python3's beside them.
    gen = tmp_path / "gen"
    expected = [generate("x86_64-pc-windows-msvc", b, gen) for b in ("3.13", "abi3")]
    names = [p.name for lib in expected for p in lib.paths]
    assert [p.name for p in made.libraries] == names == ["python313.lib", "python3.lib"]
    for name in names:
        assert (made.lib_dir / name).read_bytes() == (gen / name).read_bytes()
    assert made.library == made.lib_dir / "python313.lib"
    assert made.link_flags == (str(made.library),)


def test_build_details_paths_resolve_from_the_file(tmp_path: Path) -> None:
    made = implib.sdk("x86_64-pc-windows-gnu", "3.13", tmp_path / "sdk")
    moved = tmp_path / "elsewhere"
    shutil.move(str(made.root), moved)
    details = json.loads((moved / "build-details.json").read_text())
    base = moved / details["base_prefix"]
    assert (base / details["c_api"]["headers"] / "Python.h").is_file()
    assert (base / details["libpython"]["dynamic"]).name == "python313.dll.a"
    assert (base / details["libpython"]["dynamic_stableabi"]).name == "python3.dll.a"
    assert details["libpython"]["link_extensions"] is True
    assert details["implementation"]["version"]["micro"] == 18
    assert details["abi"] == {
        "flags": [],
        "extension_suffix": ".cp313-win_amd64.pyd",
        "stable_abi_suffix": ".pyd",
    }
    # A linker takes libpython.dynamic as it is: a module links in the moved folder.
    gcc = require_tool("x86_64-w64-mingw32-gcc")
    include = base / details["c_api"]["headers"]
    library = base / details["libpython"]["dynamic"]
    argv = [gcc, "-shared", f"-I{include}", str(SPAM), str(library), "-o", str(tmp_path / "m.pyd")]
    subprocess.run(argv, check=True, capture_output=True)


def test_an_abi3_sdk_describes_its_oldest_python(tmp_path: Path) -> None:
    made = implib.sdk("x86_64-pc-windows-msvc", "abi3-3.9", tmp_path / "sdk")
    details = json.loads(made.build_details.read_text())
    assert details["language"]["version"] == "3.9"
    assert details["libpython"]["dynamic"] == "libs/python3.lib"
    assert details["libpython"]["dynamic_stableabi"] == "libs/python3.lib"
    assert made.headers == "3.15.2"  # the newest bundled headers
    assert "#define Py_LIMITED_API 0x03090000" in (made.include_dir / "pyconfig.h").read_text()


def test_a_second_call_is_the_stamp(tmp_path: Path) -> None:
    first = implib.sdk("x86_64-pc-windows-gnu", "3.14", tmp_path / "sdk")
    pyconfig = first.include_dir / "pyconfig.h"
    before = pyconfig.stat().st_mtime_ns
    assert implib.sdk("x86_64-pc-windows-gnu", "3.14", tmp_path / "sdk") == first
    assert pyconfig.stat().st_mtime_ns == before
    # A file gone: the SDK is written again.
    (first.lib_dir / "python314.dll.a").unlink()
    assert implib.sdk("x86_64-pc-windows-gnu", "3.14", tmp_path / "sdk") == first
    assert (first.lib_dir / "python314.dll.a").is_file()
    stamp = (first.root / STAMP).read_text().splitlines()
    assert stamp[0].split("\t")[1:4] == [implib.__version__, "x86_64-pc-windows-gnu", "3.14"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["-p", "pypy3.10"],
            "pypy3.10: implib sdk is for CPython; PyPy's headers are not CPython's",
        ),
        (["-p", "3.16"], "no export list for Python 3.16"),
        (["--abi3", "-p", "3.13"], "give --abi3/--abi3t or --python, not both"),
    ],
)
def test_bad_input_is_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    result = cli("-t", "x86_64-pc-windows-gnu", *args, "-o", "out", cwd=tmp_path)
    assert result.returncode != 0
    assert message in result.stderr and "Traceback" not in result.stderr, result.stderr
    assert not (tmp_path / "out").exists()


def test_an_out_dir_that_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "out").write_text("mine")
    result = cli("-t", "x86_64-pc-windows-gnu", "-p", "3.13", "-o", "out", cwd=tmp_path)
    assert result.returncode == 1
    assert (
        result.stderr.strip() == "Error: out: is a file, not a folder (-o names the SDK's folder)"
    )
    assert (tmp_path / "out").read_text() == "mine"


def test_no_headers_for_a_release_is_one_line(tmp_path: Path) -> None:
    if Path("/usr/include/python3.12").exists():
        pytest.skip("this machine has Debian's /usr/include/python3.12")
    env = {**os.environ, "HOME": str(tmp_path), "PATH": str(tmp_path)}
    env.pop("PYENV_ROOT", None)
    env.pop("UV_PYTHON_INSTALL_DIR", None)
    result = subprocess.run(
        [sys.executable, "-m", "implib", "sdk", "-t", "win-amd64", "-p", "3.12", "-o", "out"],
        cwd=tmp_path, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: no headers for CPython 3.12"), lines


def test_cli_json(tmp_path: Path) -> None:
    result = cli("-t", "i686-pc-windows-gnu", "-p", "3.11", "-o", "s", "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["library"] == str(tmp_path / "s" / "libs" / "python311.dll.a")
    assert summary["link_flags"] == [f"-L{tmp_path / 's' / 'libs'}", "-lpython311"]


# -- modules built against SDKs, read back --------------------------------------------------


def _mingw_module(
    made: implib.SDK, out: Path, *extra: str, arch: str = "x86_64", source: Path = SPAM
) -> Path:
    gcc = require_tool(f"{arch}-w64-mingw32-gcc")
    argv = [gcc, "-shared", "-O2", *made.cflags, *extra, "-o", str(out), str(source)]
    argv += made.link_flags
    result = subprocess.run(argv, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return out


PROBE_315 = r"""
#include <Python.h>
__declspec(dllexport) PyObject *probe(long value)
{
    if (value < 0) {
        PyErr_SetString(PyExc_TypeError, "negative");
        return NULL;
    }
    return PyLong_FromLong(value);
}
"""


@pytest.mark.parametrize(
    ("build", "dll"),
    [("3.15", "python315.dll"), ("3.15t", "python315t.dll"), ("abi3t", "python3t.dll")],
)
def test_315_builds_link_their_dll(
    pefile_module: object, tmp_path: Path, build: str, dll: str
) -> None:
    made = implib.sdk("x86_64-pc-windows-gnu", build, tmp_path / "sdk")
    # A free-threaded module sees Py_GIL_DISABLED from pyconfig.h, nowhere else; the
    # source is abi3t-clean (PyModuleDef is opaque there).
    source = tmp_path / "probe.c"
    source.write_text(
        PROBE_315
        + ("#ifndef Py_GIL_DISABLED\n#error no GIL_DISABLED\n#endif\n" if "t" in build else "")
    )
    module = _mingw_module(made, tmp_path / "probe.pyd", source=source)
    imports = dll_imports(module)
    pythons = {name for name in imports if name.startswith("python")}
    assert pythons == {dll}
    assert imports[dll] == {"PyLong_FromLong", "PyErr_SetString", "PyExc_TypeError"}


def test_i686_compiles_and_links(pefile_module: object, tmp_path: Path) -> None:
    import pefile

    made = implib.sdk("i686-pc-windows-gnu", "3.13", tmp_path / "sdk")
    module = _mingw_module(made, tmp_path / "spam.pyd", arch="i686")
    assert dll_imports(module)["python313.dll"] == SPAM_IMPORTS
    pe = pefile.PE(str(module), fast_load=True)
    assert pe.FILE_HEADER.Machine == pefile.MACHINE_TYPE["IMAGE_FILE_MACHINE_I386"]
    pe.close()


def test_msvc_pragma_links_the_builds_library(pefile_module: object, tmp_path: Path) -> None:
    """clang for MSVC compiles against the SDK; lld-link is given no Python library at all."""
    clang, lld_link = require_tool("clang"), require_tool("lld-link")
    made = implib.sdk("x86_64-pc-windows-msvc", "3.13", tmp_path / "sdk")
    obj, pyd = tmp_path / "spam.obj", tmp_path / "spam.pyd"
    compile_ = [clang, "--target=x86_64-pc-windows-msvc", "-O2", *made.cflags, *msvc_shim("x86_64")]
    compile_ += ["-c", str(SPAM), "-o", str(obj)]
    subprocess.run(compile_, check=True, capture_output=True)
    link = [lld_link, "/dll", "/noentry", "/nodefaultlib:libcmt", "/nodefaultlib:oldnames"]
    link += [f"/libpath:{made.lib_dir}", f"/out:{pyd}", str(obj)]
    result = subprocess.run(link, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert dll_imports(pyd)["python313.dll"] == SPAM_IMPORTS


IMPORTER = r"""
import importlib.util, json, sys
spec = importlib.util.spec_from_file_location("spam", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
print(json.dumps({"version": sys.version, "answer": module.answer(), "twice": module.twice(21),
                  "none": module.nothing() is None}))
"""


@pytest.mark.slow
def test_a_limited_api_module_loads_in_38_and_313(
    pefile_module: object, wine: tuple[str, dict[str, str]], tmp_path: Path
) -> None:
    made = implib.sdk("x86_64-pc-windows-gnu", "abi3-3.8", tmp_path / "sdk")
    module = _mingw_module(made, tmp_path / "spam.pyd")
    assert set(dll_imports(module)) - {"kernel32.dll", "msvcrt.dll"} == {"python3.dll"}
    for version in ("3.8.0", "3.13.0"):
        report = windows_python(wine, version, IMPORTER, [wine_path(module)], tmp_path)
        assert report["version"].startswith(version[:4])
        assert (report["answer"], report["twice"], report["none"]) == (42, 42, True)


FAST = """
import sys
from implib.cli import entry
try:
    entry(sys.argv[1:])
except SystemExit as exc:
    status = exc.code
sys.stderr.write(f"click imported: {'click' in sys.modules}, status {status}\\n")
"""


def test_a_repeated_call_answers_without_click(tmp_path: Path) -> None:
    args = ["sdk", "-t", "x86_64-pc-windows-gnu", "--abi3", "--min-python", "3.9", "-o", "s"]
    first = subprocess.run(
        [sys.executable, "-c", FAST, *args], cwd=tmp_path, capture_output=True, text=True
    )
    second = subprocess.run(
        [sys.executable, "-c", FAST, *args], cwd=tmp_path, capture_output=True, text=True
    )
    assert first.stderr.endswith("click imported: True, status 0\n"), first.stderr
    assert second.stderr.endswith("click imported: False, status 0\n"), second.stderr
    # The same words either way.
    assert second.stdout == first.stdout == f"{tmp_path / 's'}\n"
    assert second.stderr.splitlines()[0] == first.stderr.splitlines()[0]
    assert first.stderr.startswith(
        "implib: x86_64-pc-windows-gnu, Python abi3-3.9: headers of CPython 3.15.2 (bundled), "
    )
