"""A Windows ``pyconfig.h`` for one machine, Python build and compiler family.

CPython for Windows compiles with ``PC/pyconfig.h`` (``PC/pyconfig.h.in``
from 3.13 on), a hand-kept file that python.org ships in every Windows
installation's ``include/``; the Linux headers of a release have a
``pyconfig.h`` made by configure for Linux, which is wrong for Windows
(``long`` is 8 bytes there, ``wchar_t`` 4, no ``MS_WIN64``...). implib writes
its own from :data:`FACTS`: the values the official file defines, read from
CPython's ``PC/pyconfig.h(.in)`` of each release and written here once each,
with the releases, machines and compiler families they hold for.

Where implib's file differs from python.org's, on purpose:

* It is made for one build, so a free-threaded SDK defines ``Py_GIL_DISABLED``
  (python.org's include folder is shared by both builds and cannot), an abi3
  SDK ``Py_LIMITED_API`` and an abi3t SDK ``Py_TARGET_ABI3T`` (each unless
  the build defines it first), and the MSVC auto-link pragma names the one
  library of that build.
* It is made for one compiler family: MSVC and clang-cl (``_MSC_VER``), or
  MinGW gcc and clang (``__MINGW32__``), and stops with ``#error`` under the
  other family or another machine rather than describe the wrong one.
* ``MS_WIN64`` is defined under MinGW for every release (python.org's file
  does so only from 3.12: a 64-bit MinGW build of an older release's module
  otherwise gets 32-bit ``Py_ssize_t`` limits).
* Known limit, CPython's own: the free-threaded headers of 3.13 and 3.14 do
  not compile for aarch64 MinGW (``_Py_ThreadId`` calls MSVC's ``__getReg``,
  which MinGW-w64 does not declare); 3.15's do.
* Facts that only CPython's own build reads (``Py_WINVER``, ``COMPILER``,
  ``PY_SUPPORT_TIER``, the ``HAVE_`` list of functions its modules call) are
  left out: extension modules never see them.
"""

from __future__ import annotations

import dataclasses

from ..pythons import Kind, PythonBuild
from ..targets import Target

__all__ = ["FACTS", "Fact", "pragma_library", "pyconfig_h"]

_ALL_MACHINES = ("x86_64", "i686", "aarch64")


@dataclasses.dataclass(frozen=True)
class Fact:
    """One ``#define`` (or ``typedef``) of the official Windows ``pyconfig.h``."""

    name: str
    value: str | None = None  # None: defined empty
    _: dataclasses.KW_ONLY
    since: tuple[int, int] = (3, 7)  # the first release that defines it
    until: tuple[int, int] | None = None  # the last one, or None
    family: str | None = None  # "msvc", "mingw" or None (both)
    machines: tuple[str, ...] = _ALL_MACHINES
    default: bool = False  # written as #ifndef NAME ... #endif (a build may set it first)

    def holds(self, version: tuple[int, int], family: str, machine: str) -> bool:
        return (
            self.since <= version
            and (self.until is None or version <= self.until)
            and self.family in (None, family)
            and machine in self.machines
        )


_64 = ("x86_64", "aarch64")
_32 = ("i686",)

#: The facts, in the order they are written. A name may appear more than
#: once only with conditions that never hold together.
FACTS: tuple[Fact, ...] = (
    # What Windows is: the Win32 API on every machine, Win64 on 64-bit ones.
    Fact("MS_WIN32"),
    Fact("MS_WINDOWS"),
    Fact("MS_WIN64", machines=_64),  # every release, MinGW included (python.org: 3.12+)
    Fact("NT_THREADS"),
    Fact("WITH_THREAD"),
    Fact("USE_SOCKET"),
    Fact("PLATFORM", '"win32"'),  # sys.platform, 64-bit too
    Fact("PYD_PLATFORM_TAG", '"win_amd64"', machines=("x86_64",)),
    Fact("PYD_PLATFORM_TAG", '"win32"', machines=("i686",)),
    Fact("PYD_PLATFORM_TAG", '"win_arm64"', machines=("aarch64",)),
    Fact("_CRT_SECURE_NO_DEPRECATE", "1", default=True),
    Fact("_CRT_NONSTDC_NO_DEPRECATE", "1", default=True),
    # The sizes of C types (LLP64 on 64-bit Windows: long stays 4 bytes).
    Fact("SIZEOF_SHORT", "2"),
    Fact("SIZEOF_INT", "4"),
    Fact("SIZEOF_LONG", "4"),
    Fact("ALIGNOF_LONG", "4", since=(3, 13)),
    Fact("SIZEOF_LONG_LONG", "8"),
    Fact("SIZEOF_FLOAT", "4"),
    Fact("SIZEOF_DOUBLE", "8"),
    Fact("SIZEOF_WCHAR_T", "2"),
    Fact("SIZEOF__BOOL", "1"),
    Fact("SIZEOF_PID_T", "SIZEOF_INT"),
    Fact("SIZEOF_VOID_P", "8", machines=_64),
    Fact("SIZEOF_VOID_P", "4", machines=_32),
    Fact("SIZEOF_SIZE_T", "8", machines=_64),
    Fact("SIZEOF_SIZE_T", "4", machines=_32),
    Fact("ALIGNOF_SIZE_T", "8", since=(3, 12), machines=_64),
    Fact("ALIGNOF_SIZE_T", "4", since=(3, 12), machines=_32),
    Fact("ALIGNOF_MAX_ALIGN_T", "8", since=(3, 13)),  # CPython's allocator's guarantee
    Fact("SIZEOF_TIME_T", "8", machines=_64),
    Fact("SIZEOF_TIME_T", "8", family="msvc", machines=_32),  # MSVC 2005 and newer
    Fact("SIZEOF_TIME_T", "4", family="mingw", machines=_32),  # MinGW-w64's i686 time_t
    Fact("SIZEOF_OFF_T", "4"),
    Fact("SIZEOF_FPOS_T", "8"),
    Fact("SIZEOF_HKEY", "8", machines=_64),
    Fact("SIZEOF_HKEY", "4", machines=_32),
    Fact("LONG_BIT", "32"),
    Fact("WORD_BIT", "32"),
    Fact("HAVE_LARGEFILE_SUPPORT"),
    Fact("DOUBLE_IS_LITTLE_ENDIAN_IEEE754", "1"),
    Fact("PY_UINT32_T", "uint32_t"),
    Fact("PY_UINT64_T", "uint64_t"),
    Fact("PY_INT32_T", "int32_t"),
    Fact("PY_INT64_T", "int64_t"),
    # long long: C99's under GCC, __int64 under MSVC.
    Fact("PY_LONG_LONG", "long long", family="mingw"),
    Fact("PY_LLONG_MIN", "LLONG_MIN", family="mingw"),
    Fact("PY_LLONG_MAX", "LLONG_MAX", family="mingw"),
    Fact("PY_ULLONG_MAX", "ULLONG_MAX", family="mingw"),
    Fact("PY_LONG_LONG", "__int64", family="msvc"),
    Fact("PY_LLONG_MIN", "_I64_MIN", family="msvc"),
    Fact("PY_LLONG_MAX", "_I64_MAX", family="msvc"),
    Fact("PY_ULLONG_MAX", "_UI64_MAX", family="msvc"),
    Fact("HAVE_UINTPTR_T", "1", family="msvc"),
    Fact("HAVE_INTPTR_T", "1", family="msvc"),
    # Py_ssize_t under MSVC (no ssize_t there): pyconfig.h gives it; MinGW's
    # comes from pyport.h (Py_intptr_t). 3.9 and older name it ssize_t.
    Fact("HAVE_PY_SSIZE_T", "1", since=(3, 10), family="msvc"),
    Fact("PY_SSIZE_T_MAX", "LLONG_MAX", since=(3, 10), family="msvc", machines=_64),
    Fact("PY_SSIZE_T_MAX", "INT_MAX", since=(3, 10), family="msvc", machines=_32),
    Fact("HAVE_SSIZE_T", "1", until=(3, 9), family="msvc"),
    # How the core is linked: a DLL, imported with __declspec.
    Fact("HAVE_DECLSPEC_DLL"),
    # What the build holds.
    Fact("WITH_DOC_STRINGS", "1"),
    Fact("WITH_PYMALLOC", "1"),
    Fact("WITH_MIMALLOC", "1", since=(3, 13)),
    Fact("WITH_DECIMAL_CONTEXTVAR", "1"),
    Fact("HAVE_DYNAMIC_LOADING"),
    Fact("Py_SOCKET_FD_CAN_BE_GE_FD_SETSIZE"),
    Fact("_PYTHONFRAMEWORK", '""', since=(3, 11)),
    Fact("_PYTHREAD_NAME_MAXLEN", "32766", since=(3, 14)),
    # The C library's headers and functions public headers test for.
    Fact("STDC_HEADERS", "1"),
    Fact("HAVE_IO_H"),
    Fact("HAVE_SYS_UTIME_H"),
    Fact("HAVE_WCHAR_H", "1"),
    Fact("HAVE_STDDEF_H", "1"),
    Fact("HAVE_SYS_STAT_H", "1"),
    Fact("HAVE_SYS_TYPES_H", "1"),
    Fact("HAVE_FCNTL_H", "1"),
    Fact("HAVE_ERRNO_H", "1"),
    Fact("HAVE_PROCESS_H", "1"),
    Fact("HAVE_SIGNAL_H", "1"),
    Fact("HAVE_CONIO_H", "1"),
    Fact("HAVE_DIRECT_H", "1"),
    Fact("HAVE_DECL_TZNAME", "1"),
    Fact("HAVE_TZNAME"),
    Fact("HAVE_CLOCK"),
    Fact("HAVE_STRERROR"),
    Fact("HAVE_STRFTIME"),
    Fact("HAVE_PUTENV"),
    Fact("HAVE_GETPID"),
    Fact("HAVE_UMASK", "1"),
    Fact("HAVE_DUP", "1"),
    Fact("HAVE_SHUTDOWN", "1"),
    Fact("HAVE_WCSCOLL", "1"),
    Fact("HAVE_WCSXFRM", "1"),
    Fact("HAVE_ERF", "1"),
    Fact("HAVE_ERFC", "1"),
    Fact("RETSIGTYPE", "void"),
    Fact("DONT_HAVE_SIG_ALARM"),
    Fact("DONT_HAVE_SIG_PAUSE"),
)

_FAMILY_TEST = {
    "msvc": ("defined(_MSC_VER)", "MSVC or clang-cl (_MSC_VER)", "mingw"),
    "mingw": ("defined(__MINGW32__)", "MinGW gcc or clang (__MINGW32__)", "msvc"),
}
_MACHINE_TEST = {
    "x86_64": ("defined(_M_X64) || defined(_M_AMD64) || defined(__x86_64__)", "x86_64"),
    "i686": ("defined(_M_IX86) || defined(__i386__)", "i686 (x86)"),
    "aarch64": ("defined(_M_ARM64) || defined(__aarch64__)", "aarch64 (ARM64)"),
}


def _hex(version: tuple[int, int]) -> str:
    return f"0x{version[0]:02x}{version[1]:02x}0000"


def pragma_library(build: PythonBuild, version: tuple[int, int]) -> str | None:
    """The ``.lib`` an MSVC build links by ``#pragma comment(lib)``, or None for none."""
    if build.kind is Kind.ABI3:
        return "python3t.lib" if build.freethreaded else "python3.lib"
    if build.kind is Kind.CPYTHON:
        return f"python{version[0]}{version[1]}{'t' if build.freethreaded else ''}.lib"
    return None


def _pragmas(build: PythonBuild, version: tuple[int, int]) -> list[str]:
    """The auto-link pragma, as the official file has it: debug, limited API, release."""
    library = pragma_library(build, version)
    assert library is not None
    stable = "python3t.lib" if build.freethreaded else "python3.lib"
    debug = library.replace(".lib", "_d.lib") if build.kind is Kind.CPYTHON else library
    debug_test = "defined(Py_DEBUG)" if version >= (3, 14) else "defined(_DEBUG)"
    opt_out = " && !defined(Py_NO_LINK_LIB)" if version >= (3, 13) else ""
    return [
        "/* MSVC links the build's import library without being told (python.org's file does",
        "   this too); Py_NO_LINK_LIB turns it off. */",
        "#if defined(MS_COREDLL) && !defined(Py_BUILD_CORE) && !defined(Py_BUILD_CORE_BUILTIN)"
        + opt_out,
        f"#  if {debug_test}",
        f'#    pragma comment(lib, "{debug}")',
        "#  elif defined(Py_LIMITED_API)",
        f'#    pragma comment(lib, "{stable}")',
        "#  else",
        f'#    pragma comment(lib, "{library}")',
        "#  endif",
        "#endif",
    ]


def _define(fact: Fact) -> list[str]:
    line = f"#define {fact.name}" + (f" {fact.value}" if fact.value is not None else "")
    if fact.default:
        return [f"#ifndef {fact.name}", line, "#endif"]
    return [line]


def pyconfig_h(
    target: Target, build: PythonBuild, version: tuple[int, int], *, origin: str = ""
) -> str:
    """The ``pyconfig.h`` text for ``build`` (headers of release ``version``) on ``target``."""
    family = "mingw" if target.flavour.mingw else "msvc"
    test, family_name, other = _FAMILY_TEST[family]
    machine_test, machine_name = _MACHINE_TEST[target.arch]
    lines = [
        "/* pyconfig.h for CPython on Windows, written by implib sdk: not python.org's file,",
        f"   the same facts, for one build. Target {target.triple}, Python {build.spec},",
        f"   headers of CPython {version[0]}.{version[1]}{origin}. */",
        "#ifndef Py_CONFIG_H",
        "#define Py_CONFIG_H",
        "",
        f"#if !({test})",
        f'#  error "this pyconfig.h is for {family_name}: make an SDK for the '
        f'{other} target (implib sdk --target ...)"',
        "#endif",
        f"#if !({machine_test})",
        f'#  error "this pyconfig.h is for {machine_name}: make an SDK for this machine"',
        "#endif",
        "",
    ]
    if build.kind is Kind.ABI3 and build.freethreaded:
        minimum = build.version or version
        lines += [
            "/* An abi3t SDK: the Stable ABI of free-threaded builds (PEP 803). */",
            "#ifndef Py_TARGET_ABI3T",
            f"#define Py_TARGET_ABI3T {_hex(minimum)}",
            "#endif",
        ]
    elif build.kind is Kind.ABI3:
        minimum = build.version or version
        lines += [
            f"/* An abi3 SDK: the Stable ABI, for CPython {minimum[0]}.{minimum[1]} and newer. */",
            "#ifndef Py_LIMITED_API",
            f"#define Py_LIMITED_API {_hex(minimum)}",
            "#endif",
        ]
    if build.freethreaded:
        lines += [
            "/* A free-threaded build. */",
            "#ifndef Py_GIL_DISABLED",
            "#define Py_GIL_DISABLED 1",
            "#endif",
        ]
    lines += ["", "#ifdef _DEBUG", "#define Py_DEBUG", "#endif", ""]
    for fact in FACTS:
        if fact.holds(version, family, target.arch):
            lines += _define(fact)
    lines += ["", "#include <io.h>", "#include <stdio.h>"]
    if family == "msvc":
        lines += [
            "#include <basetsd.h>",
            "typedef int pid_t;",
        ]
        ssize = "__int64" if target.arch in _64 else "int"
        name = "Py_ssize_t" if version >= (3, 10) else "ssize_t"
        lines.append(f"typedef {ssize} {name};")
    lines += [
        "",
        "/* The core is a DLL (python3X.dll); Py_NO_ENABLE_SHARED says otherwise. */",
        "#if !defined(MS_NO_COREDLL) && !defined(Py_NO_ENABLE_SHARED)",
        "#define Py_ENABLE_SHARED 1",
        "#define MS_COREDLL",
        "#endif",
        "",
    ]
    if family == "msvc":
        lines += [*_pragmas(build, version), ""]
    lines += ["#endif /* Py_CONFIG_H */", ""]
    return "\n".join(lines)
