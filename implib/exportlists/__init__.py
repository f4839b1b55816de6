"""The export lists bundled with implib, one ``.def`` per Python DLL.

The ``.def`` files are package data in this folder; ``scripts/make_defs.py``
regenerates them. :func:`definition_for` gives the list of a Python build's
DLL, cut down to an older python3.dll for ``abi3-3.X`` (:mod:`.abi3`).
"""

from __future__ import annotations

import os

from ..errors import PythonError
from ..pythons import Kind, PythonBuild, parse_python

TYPE_CHECKING = False  # no typing (nor functools, re) on the cache-hit path
if TYPE_CHECKING:
    from ..coff.deffile import ModuleDefinition

__all__ = [
    "FOLDER",
    "available_builds",
    "bundled_bytes",
    "bundled_definition",
    "bundled_names",
    "definition_for",
    "newest_cpython",
]

#: This folder. The lists are read as files next to this module, which is what
#: importlib.resources does for an installed package, without importing it
#: (and tempfile) on the cache-hit path.
FOLDER = os.path.dirname(os.path.abspath(__file__))


def _read(name: str) -> bytes:
    path = os.path.join(FOLDER, name)
    try:
        with open(path, "rb") as stream:
            return stream.read()
    except FileNotFoundError:
        if os.path.isdir(FOLDER):
            raise
    # Not a folder on disk (a zip import): ask the loader.
    import importlib.resources

    return importlib.resources.files(__name__).joinpath(name).read_bytes()


def bundled_names() -> list[str]:
    if os.path.isdir(FOLDER):
        return sorted(name for name in os.listdir(FOLDER) if name.endswith(".def"))
    import importlib.resources

    folder = importlib.resources.files(__name__)
    return sorted(entry.name for entry in folder.iterdir() if entry.name.endswith(".def"))


#: The oldest PyPy with a bundled list (libpypy3-c.def: PyPy 3.7 and 3.8).
OLDEST_PYPY = (3, 7)


def _no_list(build: PythonBuild) -> PythonError:
    known = ", ".join(b.spec for b in available_builds())
    return PythonError(f"no export list for Python {build.spec}; known builds: {known}")


def newest_cpython() -> tuple[int, int]:
    """The newest CPython with a bundled list, from the file names alone."""
    minors = [
        name[7:-4].removesuffix("t") for name in bundled_names() if name.startswith("python3")
    ]
    return max(((3, int(m)) for m in minors if m.isascii() and m.isdigit()), default=(3, 0))


def bundled_bytes(build: PythonBuild) -> bytes:
    """The raw bundled list of ``build`` (what a cache key digests).

    Also the check that implib knows the build: a PyPy older than any
    list (libpypy3-c.def would otherwise stand in for PyPy 3.6), or an abi3
    minimum newer than every python3.dll known, is an error.
    """
    if build.kind is Kind.PYPY and build.version is not None and build.version < OLDEST_PYPY:
        raise _no_list(build)
    if build.kind is Kind.ABI3 and build.version is not None:
        newest = newest_cpython()
        if build.version > newest:
            raise PythonError(
                f"no export list for Python {build.spec}: {build.version[0]}.{build.version[1]}"
                f" is newer than every CPython implib knows (newest {newest[0]}.{newest[1]})"
            )
    try:
        return _read(build.def_name)
    except FileNotFoundError:
        raise _no_list(build) from None


_PARSED: dict[str, ModuleDefinition] = {}


def bundled_definition(name: str) -> ModuleDefinition:
    """A bundled export list by file name, e.g. ``python312.def`` (parsed once a process)."""
    parsed = _PARSED.get(name)
    if parsed is None:
        from ..coff.deffile import parse_def  # only when a library is made, not on a cache hit

        parsed = _PARSED[name] = parse_def(_read(name).decode("utf-8"), os.path.join(FOLDER, name))
    return parsed


def available_builds() -> list[PythonBuild]:
    """Every Python build with a bundled export list, abi3 first."""
    builds = []
    for name in bundled_names():
        stem = name[: -len(".def")]
        if stem == "python3":
            builds.append(PythonBuild(Kind.ABI3))
        elif stem == "python3t":
            builds.append(PythonBuild(Kind.ABI3, freethreaded=True))
        elif stem.startswith("python3"):
            builds.append(parse_python(stem[6] + "." + stem[7:]))
        elif stem == "libpypy3-c":
            builds += [PythonBuild(Kind.PYPY, (3, 7)), PythonBuild(Kind.PYPY, (3, 8))]
        elif stem.startswith("libpypy3."):
            builds.append(parse_python("pypy" + stem[7:].removesuffix("-c")))
    return sorted(builds, key=_order)


def _order(build: PythonBuild) -> tuple[int, tuple[int, int], bool]:
    return (Kind.members.index(build.kind), build.version or (0, 0), build.freethreaded)


def definition_for(build: PythonBuild) -> ModuleDefinition:
    """The export list of ``build``'s DLL (for abi3-3.X, what 3.X's python3.dll exports).

    For ``abi3-3.X`` (and ``abi3t-3.X``) that is the names every python3.dll
    from 3.X on exports (:mod:`.abi3`).
    """
    bundled_bytes(build)  # a clear error if there is no such list
    definition = bundled_definition(build.def_name)
    if build.kind is Kind.ABI3 and build.version is not None:
        from .abi3 import abi3_for_version

        definition = abi3_for_version(definition, build.version)
    return definition
