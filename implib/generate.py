"""Generate import libraries: the API that the CLI and build backends call.

One call turns (target, Python build or ``.def``, backend) into files in an
output folder, named as the consumers' builds look for them.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from collections.abc import Sequence
from pathlib import Path

from .backends import Backend, select_backend
from .deffile import ModuleDefinition, read_def
from .exportlists import definition_for
from .fileio import atomic_write
from .pythons import PythonBuild, parse_python
from .targets import Target, parse_target

__all__ = ["GeneratedLibrary", "OutputError", "generate", "generate_from_def", "library_bytes"]


class OutputError(OSError):
    """An output folder or file that cannot be written."""


@dataclasses.dataclass(frozen=True)
class GeneratedLibrary:
    """A library written to disk, under one or more names."""

    target: Target
    dll: str  # the DLL it imports from
    paths: tuple[Path, ...]  # the main name first, then the aliases
    sha256: str
    backend: str
    build: PythonBuild | None = None  # None for a user's own .def

    @property
    def path(self) -> Path:
        return self.paths[0]


def _as_target(target: str | Target) -> Target:
    return target if isinstance(target, Target) else parse_target(target)


def _as_build(python: str | PythonBuild) -> PythonBuild:
    return python if isinstance(python, PythonBuild) else parse_python(python)


def library_bytes(
    definition: ModuleDefinition,
    target: Target,
    backend: Backend,
    *,
    dll_name: str | None = None,
) -> bytes:
    """The bytes of the import library of ``definition`` for ``target``."""
    if dll_name:
        definition = dataclasses.replace(definition, library=dll_name)
    return backend.build(definition, target)


def _write(data: bytes, out_dir: Path, names: Sequence[str]) -> tuple[Path, ...]:
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        paths = tuple(out_dir / name for name in names)
        for path in paths:
            atomic_write(path, data)
    except OSError as exc:
        where = exc.filename or out_dir
        raise OutputError(f"cannot write to {where}: {exc.strerror or exc}") from None
    return paths


def generate(
    target: str | Target,
    python: str | PythonBuild = "abi3",
    out_dir: str | os.PathLike[str] = ".",
    *,
    tool: str | None = None,
    dll_name: str | None = None,
) -> GeneratedLibrary:
    """Write the import library of a Python build's DLL for ``target``.

    ``python`` is ``abi3`` (python3.dll), ``abi3-3.9`` (what 3.9's python3.dll
    exports), ``3.12``, ``3.13t`` or ``pypy3.10``. ``dll_name`` imports from a
    DLL of another name (MSYS2's ``libpython3.12.dll``, say).
    """
    target = _as_target(target)
    build = _as_build(python)
    backend = select_backend(target, tool)
    definition = definition_for(build)
    data = library_bytes(definition, target, backend, dll_name=dll_name)
    paths = _write(data, Path(out_dir), build.lib_names(target.flavour))
    return GeneratedLibrary(
        target=target,
        dll=dll_name or definition.library,
        paths=paths,
        sha256=hashlib.sha256(data).hexdigest(),
        backend=backend.name,
        build=build,
    )


def generate_from_def(
    def_path: str | os.PathLike[str],
    target: str | Target,
    out_dir: str | os.PathLike[str] = ".",
    *,
    tool: str | None = None,
    dll_name: str | None = None,
    output_name: str | None = None,
) -> GeneratedLibrary:
    """Write the import library of any DLL from its ``.def`` file."""
    target = _as_target(target)
    definition = read_def(def_path)
    backend = select_backend(target, tool)
    dll = dll_name or definition.library or Path(def_path).stem + ".dll"
    data = library_bytes(definition, target, backend, dll_name=dll)
    stem = dll.rsplit(".", 1)[0] if "." in dll else dll
    name = output_name or stem + (".dll.a" if target.flavour.mingw else ".lib")
    paths = _write(data, Path(out_dir), [name])
    return GeneratedLibrary(target, dll, paths, hashlib.sha256(data).hexdigest(), backend.name)
