"""Python builds on Windows: which DLL, which export list, which file names.

A build is what ``--abi3``, ``--python 3.12``, ``3.13t`` or ``pypy3.10``
names. It decides the bundled ``.def`` to read and the names to give the
libraries, so that the consumers' builds find them without renaming:
PyO3's build links ``python3`` (abi3), ``python312`` (MSVC, and cross builds
for MinGW), ``python3.12`` (native MinGW/MSYS2), ``python313t``, and for PyPy
``python39`` (PyO3 0.28 and older) or ``libpypy3.9-c`` (newer).
"""

from __future__ import annotations

import dataclasses
import enum
import re
from collections.abc import Sequence

from .errors import PythonError
from .targets import Flavour

__all__ = ["Kind", "PythonBuild", "PythonError", "lib_names_for", "parse_python"]


class Kind(str, enum.Enum):
    ABI3 = "abi3"  # python3.dll, the stable ABI
    CPYTHON = "cpython"  # python3X.dll
    PYPY = "pypy"  # libpypy3.X-c.dll


@dataclasses.dataclass(frozen=True)
class PythonBuild:
    """One Python DLL to import from."""

    kind: Kind
    version: tuple[int, int] | None = None  # abi3: the oldest Python to run on
    freethreaded: bool = False

    @property
    def spec(self) -> str:
        """The canonical name: ``abi3``, ``abi3-3.9``, ``3.12``, ``3.13t``, ``pypy3.10``."""
        if self.kind is Kind.ABI3:
            return "abi3" if self.version is None else f"abi3-{self.version[0]}.{self.version[1]}"
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
            return "python3"
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
        """The library file names to write, the main one first."""
        suffix = ".dll.a" if flavour.mingw else ".lib"
        if self.kind is Kind.ABI3:
            return ["python3" + suffix]
        if self.kind is Kind.PYPY:
            # PyO3 0.28 and older link python3X for PyPy too.
            return [self.stem + suffix, "python" + self._digits + suffix]
        names = [self.stem + suffix]
        if flavour.mingw and not self.freethreaded:
            assert self.version is not None
            names.append(f"python{self.version[0]}.{self.version[1]}{suffix}")
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


_VERSION = re.compile(r"(?:cp|py)?(3)\.?(\d{1,2})(t?)")


def parse_python(spec: str) -> PythonBuild:
    """Parse ``abi3``, ``3.12``, ``3.13t``, ``pypy3.10`` (and ``cp312``, ``abi3-3.9``)."""
    text = spec.strip().lower()
    if text == "abi3" or text.startswith("abi3-"):
        minimum = text[5:] if text.startswith("abi3-") else None
        if minimum is None:
            return PythonBuild(Kind.ABI3)
        match = _VERSION.fullmatch(minimum)
        if not match or match.group(3):
            raise PythonError(f"bad abi3 minimum Python version {minimum!r} (expected e.g. 3.9)")
        return PythonBuild(Kind.ABI3, (3, int(match.group(2))))
    kind = Kind.CPYTHON
    if text.startswith("pypy"):
        kind, text = Kind.PYPY, text[4:]
    match = _VERSION.fullmatch(text)
    if not match or (kind is Kind.PYPY and match.group(3)):
        raise PythonError(
            f"unknown Python build {spec!r}; expected abi3, a version such as 3.12, "
            "a free-threaded one such as 3.13t, or pypy3.10"
        )
    return PythonBuild(kind, (3, int(match.group(2))), freethreaded=bool(match.group(3)))
