"""``implib export``: every library of the layout written as static files.

The export is the same URL space as ``implib serve`` (:mod:`.layout`), so a
stock web server, a bucket or a CDN in front of it serves ``implib fetch``
as well as the server does; that is how the service scales past one machine.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ..pythons import PythonBuild
from ..targets import Target, parse_target, valid_targets
from .layout import API_VERSION, INDEX_NAME, Library, build_index, index_bytes

__all__ = ["ExportResult", "all_builds", "all_targets", "export", "produce"]


def all_targets() -> list[Target]:
    return [parse_target(name) for name in valid_targets()]


def all_builds() -> list[PythonBuild]:
    from ..exportlists import available_builds

    return available_builds()


def produce(target: Target, build: PythonBuild, *, tool: str | None = None) -> Library:
    """A library's bytes, from the cache (filled if needed).

    A cache that cannot be written must not stop a server or an export: the
    bytes are made in memory then, and the digest is always that of the
    bytes returned.
    """
    from ..api import Producer

    producer = Producer.for_target(target, tool=tool)
    produced = producer.build(build)
    return Library(
        target=target,
        build=build,
        names=tuple(build.lib_names(target.flavour)),
        dll=build.dll_name,
        backend=producer.backend.name,
        data=produced.data,
        sha256=produced.sha256,
    )


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
    OutputError (errno kept) names what cannot be written.
    """
    from ..fileio import atomic_write, make_folder

    root = Path(out_dir)
    base = root / API_VERSION
    libraries = []
    for target in targets if targets is not None else all_targets():
        for build in builds if builds is not None else all_builds():
            library = produce(target, build, tool=tool)
            for path in library.file_paths():
                dest = base / path
                make_folder(dest.parent)
                atomic_write(dest, library.data)
            libraries.append(library)
            if progress is not None:
                progress(library)
    index = build_index(libraries)
    make_folder(base)
    atomic_write(base / INDEX_NAME, index_bytes(index))
    return ExportResult(root, tuple(libraries), index)
