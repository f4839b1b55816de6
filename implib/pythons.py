"""Python builds on Windows: which DLL, which export list, which file names.

A build is what ``--abi3``, ``--abi3t``, ``--python 3.12``, ``3.15t`` or
``pypy3.10`` names. It decides the bundled ``.def`` to read and the names to
give the libraries, so that the consumers' builds find them without
renaming. What they link (pyo3-build-config 0.28 and 0.29, maturin 1.14,
CPython's ``#pragma comment(lib)`` in PC/pyconfig.h, MSYS2):

============== ====================== =================================== ====================
build          MSVC (``NAME.lib``)    PyO3 cross builds for MinGW          MinGW/MSYS2 ``-l``
============== ====================== =================================== ====================
abi3           python3                python3                             python3
abi3t (3.15+)  python3t               python3t                            libpython3t (0.29)
3.12           python312              python312                           python3.12
3.15           python315              python315                           python3.15,
                                                                           libpython3.15 (0.29)
3.15t          python315t             python315t                          libpython3.15t (0.29)
pypy3.10       libpypy3.10-c (0.29),  libpypy3.10-c, python310            libpypy3.10-c
               python310 (0.28)
============== ====================== =================================== ====================

GNU linkers look ``-lNAME`` up as ``libNAME.dll.a`` and then ``NAME.dll.a``,
so ``libpython3.15.dll.a`` serves both ``-lpython3.15`` and PyO3 0.29's
``-llibpython3.15``. Builds older than 3.15 keep the names they always had.
"""

from __future__ import annotations

from .errors import PythonError
from .records import Choice, Record
from .targets import shown

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

    from .targets import Flavour

__all__ = [
    "ABI3T_FIRST",
    "STABLE_ABI_FIRST",
    "Kind",
    "PythonBuild",
    "PythonError",
    "lib_names_for",
    "parse_python",
]

#: The first CPython with the Stable ABI's python3.dll (PEP 384).
STABLE_ABI_FIRST = (3, 2)
#: The first CPython with python3t.dll, the Stable ABI of free-threaded builds (PEP 803).
ABI3T_FIRST = (3, 15)
#: From this release on, GNU targets also get PyO3 0.29's ``libpython3.X`` names.
_LIB_PREFIXED_FROM = (3, 15)


class Kind(Choice):
    """Which family of DLL a build imports from."""

    __slots__ = ()
    ABI3: Kind  # python3.dll, the Stable ABI (freethreaded: python3t.dll, abi3t)
    CPYTHON: Kind  # python3X.dll
    PYPY: Kind  # libpypy3.X-c.dll


Kind.ABI3 = Kind.member("ABI3", "abi3")
Kind.CPYTHON = Kind.member("CPYTHON", "cpython")
Kind.PYPY = Kind.member("PYPY", "pypy")


class PythonBuild(Record):
    """One Python DLL to import from."""

    kind: Kind
    version: tuple[int, int] | None = None  # abi3: the oldest Python to run on
    freethreaded: bool = False  # 3.13t; for abi3, abi3t (python3t.dll)

    @property
    def spec(self) -> str:
        """The canonical name: ``abi3``, ``abi3t-3.15``, ``3.12``, ``3.13t``, ``pypy3.10``."""
        if self.kind is Kind.ABI3:
            name = "abi3t" if self.freethreaded else "abi3"
            return name if self.version is None else f"{name}-{self.version[0]}.{self.version[1]}"
        assert self.version is not None
        text = f"{self.version[0]}.{self.version[1]}"
        if self.kind is Kind.PYPY:
            return "pypy" + text
        return text + ("t" if self.freethreaded else "")

    @property
    def _digits(self) -> str:
        assert self.version is not None
        return f"{self.version[0]}{self.version[1]}"

    @property
    def def_name(self) -> str:
        """The bundled export list, e.g. ``python312.def``."""
        return self.stem + ".def"

    @property
    def stem(self) -> str:
        """The DLL's name without ``.dll``, which is also its ``.def`` file's."""
        if self.kind is Kind.ABI3:
            return "python3t" if self.freethreaded else "python3"
        if self.kind is Kind.PYPY:
            assert self.version is not None
            if self.version < (3, 9):
                return "libpypy3-c"
            return f"libpypy{self.version[0]}.{self.version[1]}-c"
        return "python" + self._digits + ("t" if self.freethreaded else "")

    @property
    def dll_name(self) -> str:
        return self.stem + ".dll"

    def lib_names(self, flavour: Flavour) -> list[str]:
        """The library file names to write, the main one first (see the module's table)."""
        suffix = ".dll.a" if flavour.mingw else ".lib"
        if self.kind is Kind.ABI3:
            names = [self.stem + suffix]
            if flavour.mingw and self.freethreaded:
                names.append("lib" + self.stem + suffix)
            return names
        if self.kind is Kind.PYPY:
            # PyO3 0.28 and older link python3X for PyPy too.
            return [self.stem + suffix, "python" + self._digits + suffix]
        assert self.version is not None
        names = [self.stem + suffix]
        dotted = f"python{self.version[0]}.{self.version[1]}" + ("t" if self.freethreaded else "")
        if flavour.mingw and not self.freethreaded:
            names.append(dotted + suffix)
        if flavour.mingw and self.version >= _LIB_PREFIXED_FROM:
            names.append("lib" + dotted + suffix)
        return names

    def __str__(self) -> str:
        return self.spec


def lib_names_for(builds: Sequence[PythonBuild], flavour: Flavour) -> list[list[str]]:
    """Each build's file names, for builds written into one folder.

    CPython 3.10's ``python310.lib`` and the alias PyPy 3.10 also writes under
    that name (for PyO3 0.28 and older) would overwrite each other: the
    CPython build keeps the name.
    """
    taken = {
        name for build in builds if build.kind is not Kind.PYPY for name in build.lib_names(flavour)
    }
    return [
        [n for n in build.lib_names(flavour) if build.kind is not Kind.PYPY or n not in taken]
        for build in builds
    ]


def _version(text: str) -> tuple[tuple[int, int], bool] | None:
    """``3.12``, ``312``, ``cp312``, ``py3.13t``: the version and whether ``t`` ends it."""
    if text.startswith(("cp", "py")):
        text = text[2:]
    freethreaded = text.endswith("t")
    digits = text[:-1] if freethreaded else text
    if digits.startswith("3."):
        minor = digits[2:]
    elif digits.startswith("3"):
        minor = digits[1:]
    else:
        return None
    if not (1 <= len(minor) <= 2 and minor.isascii() and minor.isdigit()):
        return None
    return (3, int(minor)), freethreaded


def _stable_abi(text: str, spec: str) -> PythonBuild:
    """``abi3``, ``abi3-3.9``, ``abi3t``, ``abi3t-3.15``."""
    name, _, minimum = text.partition("-")
    freethreaded = name == "abi3t"
    first = ABI3T_FIRST if freethreaded else STABLE_ABI_FIRST
    what = (
        "python3t.dll, the Stable ABI of free-threaded builds"
        if freethreaded
        else ("python3.dll, the Stable ABI")
    )
    if not minimum:
        return PythonBuild(Kind.ABI3, freethreaded=freethreaded)
    parsed = _version(minimum)
    if parsed is None or parsed[1]:
        raise PythonError(f"bad {name} minimum Python version {minimum!r} (expected e.g. 3.9)")
    version = parsed[0]
    if version < first:
        raise PythonError(
            f"{spec}: {what}, begins with CPython {first[0]}.{first[1]}; "
            f"{version[0]}.{version[1]} has none"
        )
    return PythonBuild(Kind.ABI3, version, freethreaded=freethreaded)


def parse_python(spec: str) -> PythonBuild:
    """Parse ``abi3``, ``abi3t``, ``3.12``, ``3.13t``, ``pypy3.10`` (``cp312``, ``abi3-3.9``)."""
    if not isinstance(spec, str):  # 3.12 as a float would lose 3.10's zero
        raise PythonError(
            f"a Python build is a string such as '3.12' or 'abi3', not {type(spec).__name__}"
            f" {spec!r}"[:200]
        )
    text = spec.strip().lower()
    if text in ("abi3", "abi3t") or text.startswith(("abi3-", "abi3t-")):
        return _stable_abi(text, spec)
    kind = Kind.CPYTHON
    if text.startswith("pypy"):
        kind, text = Kind.PYPY, text[4:]
    parsed = _version(text)
    if parsed is None or (kind is Kind.PYPY and parsed[1]):
        raise PythonError(
            f"unknown Python build {shown(spec)}; expected abi3, abi3t, a version such as 3.12, "
            "a free-threaded one such as 3.13t, or pypy3.10"
        )
    return PythonBuild(kind, parsed[0], freethreaded=parsed[1])
