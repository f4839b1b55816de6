"""``implib export``: every library of the layout written as static files.

The export is the same URL space as ``implib serve`` (:mod:`.layout`), so a
stock web server, a bucket or a CDN in front of it serves ``implib fetch``
as well as the server does; that is how the service scales past one machine.

The whole matrix (9 targets x every bundled build) is made in one pass:
each export list is parsed once, and each distinct library is written once
(several targets get the same bytes: see :func:`implib.coff.writer.library_variant`).
With the built-in writer an export neither reads nor fills the cache: making
a library costs less (about a millisecond) than looking it up and checking
its digest, and the export itself is the store. External tools go through
the cache as ``gen`` does. Files are written to a temporary name and renamed
(a reader never sees half a file), then synced to disk once, all together,
and the index is written last.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..fileio import holds, write_error
from ..pythons import PythonBuild
from ..targets import Target, parse_target, valid_targets
from .layout import API_VERSION, INDEX_NAME, Library, build_index, index_bytes

if TYPE_CHECKING:
    from ..backends import Backend
    from ..coff.deffile import ModuleDefinition

__all__ = ["ExportResult", "all_builds", "all_targets", "export", "produce", "produce_all"]


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
    from ..cache import Cache

    producer = Producer.for_target(target, tool=tool, cache=Cache())
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


def produce_all(
    targets: Sequence[Target],
    builds: Sequence[PythonBuild],
    *,
    tool: str | None = None,
    made: Callable[[int, int, Library], None] | None = None,
) -> list[Library]:
    """The library of every target x build (target by target), each distinct one made once.

    With the built-in writer, each build's list is parsed once, and targets
    whose libraries :func:`~implib.coff.writer.library_variant` says are the
    same bytes share them (x64 and arm64: all flavours; i686: MSVC, and GNU
    with GNU LLVM), so the matrix of 9 targets costs 4 libraries per build.
    Other tools make each library through the cache (:func:`produce`), which
    can take a while (GNU dlltool: 24 s for the whole matrix): ``made`` is
    told of each library, with the count done and the total, to say progress.
    """
    import hashlib

    from ..backends import select_backend
    from ..coff.writer import library_variant
    from ..exportlists import definition_for

    definitions: dict[PythonBuild, ModuleDefinition] = {}
    distinct: dict[tuple[PythonBuild, tuple[object, ...]], tuple[bytes, str]] = {}
    libraries: list[Library] = []
    total = len(targets) * len(builds)
    for target in targets:
        backend: Backend = select_backend(target, tool)
        for build in builds:
            if backend.name != "builtin":
                libraries.append(produce(target, build, tool=tool))
                if made is not None:
                    made(len(libraries), total, libraries[-1])
                continue
            definition = definitions.get(build)
            if definition is None:
                definition = definitions[build] = definition_for(build)
            key = (build, library_variant(definition, target.machine, mingw=target.flavour.mingw))
            found = distinct.get(key)
            if found is None:
                data = backend.build(definition, target)
                found = distinct[key] = (data, hashlib.sha256(data).hexdigest())
            libraries.append(
                Library(
                    target=target,
                    build=build,
                    names=tuple(build.lib_names(target.flavour)),
                    dll=build.dll_name,
                    backend=backend.name,
                    data=found[0],
                    sha256=found[1],
                )
            )
            if made is not None:
                made(len(libraries), total, libraries[-1])
    return libraries


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
    made: Callable[[int, int, Library], None] | None = None,
) -> ExportResult:
    """Write the libraries of ``targets`` x ``builds`` (default: all) and the index.

    The index is written last, so a reader who trusts it never finds a file
    missing; every file is written atomically, and all of them are on disk
    before the index is. A file that already holds the right bytes is left
    as it is (its modification time too). Files an earlier export left in
    ``out_dir`` stay, but the new index lists only this export's. OutputError
    (errno kept) names what cannot be written. ``made`` is told of each library
    made (see :func:`produce_all`), ``progress`` of each one written.
    """
    from ..fileio import atomic_write, make_folder

    root = Path(out_dir)
    base = root / API_VERSION
    libraries = produce_all(
        list(targets) if targets is not None else all_targets(),
        list(builds) if builds is not None else all_builds(),
        tool=tool,
        made=made,
    )
    folders: set[str] = set()
    written = 0
    for library in libraries:
        for path in library.file_paths():
            dest = base / path
            folder = os.path.dirname(dest)
            if folder not in folders:
                make_folder(dest.parent)
                folders.add(folder)
            written += _write_file(dest, library.data)
        if progress is not None:
            progress(library)
    if written:
        os.sync()  # every file on disk before the index that lists them (one sync, not one each)
    index = build_index(libraries)
    make_folder(base)
    atomic_write(base / INDEX_NAME, index_bytes(index))
    return ExportResult(root, tuple(libraries), index)


_MODE = 0o644  # world-readable, for the web server


def _write_file(path: Path, data: bytes) -> bool:
    """Put ``data`` at ``path`` by a rename (no fsync: the caller syncs); False if it was there.

    A reader sees the old file or the new one, never a part. OutputError names
    ``path``, never the temporary file, which is removed.
    """
    try:
        stat = os.stat(path)
    except OSError:
        pass
    else:  # the same bytes (and mode) already: leave the file, and its mtime, alone
        if stat.st_size == len(data) and stat.st_mode & 0o7777 == _MODE and holds(path, data):
            return False
    tmp = os.path.join(os.path.dirname(path), f".{path.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, _MODE)
    except OSError as exc:
        raise write_error(exc, path) from exc
    try:
        try:
            os.fchmod(fd, _MODE)  # whatever the umask
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise write_error(exc, path) from exc
        raise
    return True
