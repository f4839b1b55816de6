"""The export lists bundled in ``defs/``, one per Python DLL.

They install as the package ``implib.defs``; in a source checkout that is not
installed they are read from the top-level ``defs/`` folder.
"""

from __future__ import annotations

import functools
import importlib
from pathlib import Path
from typing import TYPE_CHECKING

from .pythons import Kind, PythonBuild, PythonError, parse_python

if TYPE_CHECKING:
    from .deffile import ModuleDefinition

__all__ = ["available_builds", "bundled_definition", "definition_for", "defs_folder"]


@functools.cache
def defs_folder() -> Path:
    """The folder of the bundled ``.def`` files."""
    try:
        defs = importlib.import_module(".defs", __package__)
    except ImportError:  # a source checkout that is not installed
        return Path(__file__).resolve().parent.parent / "defs"
    return Path(defs.__file__ or ".").parent


def bundled_bytes(build: PythonBuild) -> bytes:
    """The raw bundled list of ``build`` (what a cache key digests)."""
    try:
        return (defs_folder() / build.def_name).read_bytes()
    except FileNotFoundError:
        known = ", ".join(b.spec for b in available_builds())
        raise PythonError(
            f"no export list for Python {build.spec}; known builds: {known}"
        ) from None


@functools.cache
def bundled_definition(name: str) -> ModuleDefinition:
    """A bundled export list by file name, e.g. ``python312.def``."""
    from .deffile import parse_def  # only when a library is made, not on a cache hit

    path = defs_folder() / name
    return parse_def(path.read_text(encoding="utf-8"), str(path))


def available_builds() -> list[PythonBuild]:
    """Every Python build with a bundled export list, abi3 first."""
    builds = []
    for path in sorted(defs_folder().glob("*.def")):
        stem = path.stem
        if stem == "python3":
            builds.append(PythonBuild(Kind.ABI3))
        elif stem.startswith("python3"):
            builds.append(parse_python(stem[6] + "." + stem[7:]))
        elif stem == "libpypy3-c":
            builds += [PythonBuild(Kind.PYPY, (3, 7)), PythonBuild(Kind.PYPY, (3, 8))]
        elif stem.startswith("libpypy3."):
            builds.append(parse_python("pypy" + stem[7:].removesuffix("-c")))
    return sorted(builds, key=_order)


def _order(build: PythonBuild) -> tuple[int, tuple[int, int], bool]:
    return (list(Kind).index(build.kind), build.version or (0, 0), build.freethreaded)


def definition_for(build: PythonBuild) -> ModuleDefinition:
    """The export list of ``build``'s DLL (for abi3-3.X, what 3.X's python3.dll exports)."""
    bundled_bytes(build)  # a clear error if there is no such list
    definition = bundled_definition(build.def_name)
    if build.kind is Kind.ABI3 and build.version is not None:
        from .stable_abi import abi3_for_version

        definition = abi3_for_version(definition, build.version)
    return definition
