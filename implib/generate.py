"""Generate import libraries: the API that the CLI and build backends call.

One call turns (target, Python build or ``.def``, backend) into files in an
output folder, named as the consumers' builds look for them.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .backends import Backend, select_backend
from .cache import Cache, cache_key
from .exportlists import bundled_bytes, definition_for
from .fileio import atomic_write
from .pythons import PythonBuild, parse_python
from .targets import Target, parse_target

if TYPE_CHECKING:
    from .deffile import ModuleDefinition

__all__ = [
    "GeneratedLibrary",
    "OutputError",
    "cached_library",
    "generate",
    "generate_from_def",
    "library_bytes",
]


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


@dataclasses.dataclass(frozen=True)
class _Produced:
    """A library's bytes, and the cache object that holds them, if any."""

    sha256: str
    data: bytes
    cached: Path | None = None


def _produce(
    source: bytes,
    selection: str,
    load: Callable[[], ModuleDefinition],
    target: Target,
    backend: Backend,
    dll_name: str | None,
    cache: Cache | None,
) -> _Produced:
    """From the cache when there, else made by ``backend`` (and cached)."""
    key = ""
    if cache is not None:
        key = cache_key(
            source=hashlib.sha256(source).hexdigest(),
            selection=selection,
            machine=target.arch,
            flavour=target.flavour.value,
            backend=backend.identity(),
            dll_name=dll_name or "",
        )
        hit = cache.get(key)
        if hit is not None:
            return _Produced(sha256=hit[0].name, data=hit[1], cached=hit[0])
    data = library_bytes(load(), target, backend, dll_name=dll_name)
    sha256 = hashlib.sha256(data).hexdigest()
    if cache is not None:
        meta = {"target": target.triple, "python": selection, "backend": backend.name}
        stored = cache.put(key, data, meta)
        if stored is not None:
            return _Produced(sha256=sha256, data=data, cached=stored)
    return _Produced(sha256=sha256, data=data)


def _produce_build(
    build: PythonBuild, target: Target, backend: Backend, dll_name: str | None, cache: Cache | None
) -> _Produced:
    """:func:`_produce` for a bundled Python build's export list."""
    source = bundled_bytes(build)
    return _produce(
        source, build.spec, lambda: definition_for(build), target, backend, dll_name, cache
    )


def _write(produced: _Produced, out_dir: Path, names: Sequence[str]) -> tuple[Path, ...]:
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        paths = tuple(out_dir / name for name in names)
        for path in paths:  # ordinary files, copied: editing one never touches the cache
            atomic_write(path, produced.data)
    except OSError as exc:
        where = exc.filename or out_dir
        raise OutputError(f"cannot write to {where}: {exc.strerror or exc}") from None
    return paths


def _cache(use_cache: bool | Cache) -> Cache | None:
    if isinstance(use_cache, Cache):
        return use_cache
    return Cache() if use_cache else None


def generate(
    target: str | Target,
    python: str | PythonBuild = "abi3",
    out_dir: str | os.PathLike[str] = ".",
    *,
    tool: str | None = None,
    dll_name: str | None = None,
    use_cache: bool | Cache = True,
    names: Sequence[str] | None = None,
) -> GeneratedLibrary:
    """Write the import library of a Python build's DLL for ``target``.

    ``python`` is ``abi3`` (python3.dll), ``abi3-3.9`` (what 3.9's python3.dll
    exports), ``3.12``, ``3.13t`` or ``pypy3.10``. ``dll_name`` imports from a
    DLL of another name (MSYS2's ``libpython3.12.dll``, say). Libraries come
    from the cache when it holds them (``use_cache=False`` bypasses it).
    ``names`` replaces the file names (default: ``build.lib_names()``).
    """
    target = _as_target(target)
    build = _as_build(python)
    backend = select_backend(target, tool)
    produced = _produce_build(build, target, backend, dll_name, _cache(use_cache))
    paths = _write(produced, Path(out_dir), names or build.lib_names(target.flavour))
    return GeneratedLibrary(
        target=target,
        dll=dll_name or build.dll_name,
        paths=paths,
        sha256=produced.sha256,
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
    use_cache: bool | Cache = True,
) -> GeneratedLibrary:
    """Write the import library of any DLL from its ``.def`` file."""
    from .deffile import format_def, read_def

    target = _as_target(target)
    definition = read_def(def_path)
    backend = select_backend(target, tool)
    dll = dll_name or definition.library or Path(def_path).stem + ".dll"
    source = format_def(definition).encode()
    produced = _produce(source, "def", lambda: definition, target, backend, dll, _cache(use_cache))
    stem = dll.rsplit(".", 1)[0] if "." in dll else dll
    name = output_name or stem + (".dll.a" if target.flavour.mingw else ".lib")
    paths = _write(produced, Path(out_dir), [name])
    return GeneratedLibrary(target, dll, paths, produced.sha256, backend.name)


def cached_library(
    target: str | Target, python: str | PythonBuild = "abi3", *, tool: str | None = None
) -> Path:
    """The path of a valid library in the cache for (target, build, backend), made if needed.

    The file is the cache's own (read-only, named by its digest): copy or link it.
    """
    cache = Cache()
    target, build = _as_target(target), _as_build(python)
    backend = select_backend(target, tool)
    produced = _produce_build(build, target, backend, None, cache)
    if produced.cached is None:
        raise OutputError(f"the cache in {cache.root} cannot be written")
    return produced.cached
