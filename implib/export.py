"""The layout that ``implib serve`` serves and ``implib export`` writes, and its index.

Both speak the same URL space, so that a client cannot tell an ``implib
serve`` from a stock web server in front of an export::

    v1/index.json                       what there is, with digests
    v1/<triple>/<python>/<file name>    e.g. v1/x86_64-pc-windows-msvc/3.12/python312.lib

Only canonical names appear (Rust triples, :attr:`PythonBuild.spec`), so
every library has exactly one URL per file name. The index is built here and
nowhere else; it is deterministic (no dates), so every server worker and
every export of the same selection gives the same bytes and the same digest.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from . import __version__
from .pythons import PythonBuild
from .targets import Target, parse_target, valid_targets

__all__ = [
    "API_VERSION",
    "INDEX_FORMAT",
    "INDEX_NAME",
    "ExportResult",
    "Library",
    "all_builds",
    "all_targets",
    "build_index",
    "export",
    "file_path",
    "index_bytes",
    "produce",
]

#: The first segment of every URL and of the export's layout.
API_VERSION = "v1"
#: Bump when the index's shape changes in a way old clients would misread.
INDEX_FORMAT = 1
INDEX_NAME = "index.json"


@dataclasses.dataclass(frozen=True)
class Library:
    """One produced library and every file name it goes by."""

    target: Target
    build: PythonBuild
    names: tuple[str, ...]
    dll: str
    backend: str
    data: bytes = dataclasses.field(repr=False)
    sha256: str = ""

    def __post_init__(self) -> None:
        if not self.sha256:
            object.__setattr__(self, "sha256", hashlib.sha256(self.data).hexdigest())

    @property
    def size(self) -> int:
        return len(self.data)

    def file_paths(self) -> list[str]:
        """Each name's path under ``v1/``."""
        return [file_path(self.target, self.build, name) for name in self.names]


def file_path(target: Target, build: PythonBuild, name: str) -> str:
    """Where a library file lives under ``v1/``: ``<triple>/<python>/<name>``."""
    return f"{target.triple}/{build.spec}/{name}"


def all_targets() -> list[Target]:
    return [parse_target(name) for name in valid_targets()]


def all_builds() -> list[PythonBuild]:
    from .exportlists import available_builds

    return available_builds()


def produce(target: Target, build: PythonBuild, *, tool: str | None = None) -> Library:
    """A library's bytes: from the cache (made there if needed), else made in memory.

    A cache that cannot be written, or an object pruned between the lookup
    and the read, must not stop a server, so the fallback builds the bytes
    directly. Either way the digest is that of the bytes returned.
    """
    from .backends import select_backend
    from .generate import OutputError, cached_library

    backend = select_backend(target, tool)
    data: bytes | None = None
    try:
        path = cached_library(target, build, tool=tool)
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() != path.name:
            data = None  # damaged under our feet; the cache repairs it on its next lookup
    except (OutputError, OSError):
        data = None
    if data is None:
        from .exportlists import definition_for
        from .generate import library_bytes

        data = library_bytes(definition_for(build), target, backend)
    return Library(
        target=target,
        build=build,
        names=tuple(build.lib_names(target.flavour)),
        dll=build.dll_name,
        backend=backend.name,
        data=data,
    )


def build_index(libraries: Iterable[Library]) -> dict[str, Any]:
    """The index of ``libraries``: every file path with its digest, size and origin."""
    files: dict[str, dict[str, Any]] = {}
    for library in libraries:
        for path in library.file_paths():
            files[path] = {
                "sha256": library.sha256,
                "size": library.size,
                "target": library.target.triple,
                "python": library.build.spec,
                "dll": library.dll,
                "backend": library.backend,
            }
    return {
        "format": INDEX_FORMAT,
        "generator": f"implib {__version__}",
        "files": dict(sorted(files.items())),
    }


def index_bytes(index: dict[str, Any]) -> bytes:
    """The index as served and written: sorted, stable JSON."""
    return json.dumps(index, indent=1, sort_keys=True).encode() + b"\n"


@dataclasses.dataclass(frozen=True)
class ExportResult:
    """What an export wrote."""

    root: Path  # the folder holding v1/
    libraries: tuple[Library, ...]
    index: dict[str, Any]

    @property
    def file_count(self) -> int:
        return len(self.index["files"])

    @property
    def total_bytes(self) -> int:
        return sum(entry["size"] for entry in self.index["files"].values())


def export(
    out_dir: str | os.PathLike[str],
    targets: Sequence[Target] | None = None,
    builds: Sequence[PythonBuild] | None = None,
    *,
    tool: str | None = None,
    progress: Callable[[Library], None] | None = None,
) -> ExportResult:
    """Write the libraries of ``targets`` x ``builds`` (default: all) and the index.

    The index is written last, so a reader who trusts it never finds a file
    missing; every file is written atomically. Files an earlier export left
    in ``out_dir`` stay, but the new index lists only this export's.
    """
    from .fileio import atomic_write
    from .generate import OutputError

    root = Path(out_dir)
    base = root / API_VERSION
    libraries = []
    try:
        for target in targets if targets is not None else all_targets():
            for build in builds if builds is not None else all_builds():
                library = produce(target, build, tool=tool)
                for path in library.file_paths():
                    dest = base / path
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    atomic_write(dest, library.data)
                libraries.append(library)
                if progress is not None:
                    progress(library)
        index = build_index(libraries)
        base.mkdir(parents=True, exist_ok=True)
        atomic_write(base / INDEX_NAME, index_bytes(index))
    except OSError as exc:
        if isinstance(exc, OutputError):
            raise
        where = exc.filename or root
        raise OutputError(f"cannot write to {where}: {exc.strerror or exc}") from None
    return ExportResult(root, tuple(libraries), index)
