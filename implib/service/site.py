"""``implib export``: the server's URL space (:mod:`.layout`) written as static files.

A stock web server, a bucket or a CDN in front of the folder then serves
``implib fetch`` as well as ``implib serve`` does: that is how the service
scales past one machine. With the built-in writer the site neither reads nor
fills the cache (making a library costs less than looking it up); the site
itself is the store. The index is written last, after one sync, so a reader
who trusts it never finds a file missing or half written.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ..fileio import holds, write_error
from ..pythons import PythonBuild
from ..targets import Target
from .layout import API_VERSION, INDEX_NAME, Library, build_index, index_bytes
from .produce import all_builds, all_targets, produce_all

__all__ = ["SiteResult", "write_site"]


@dataclasses.dataclass(frozen=True)
class SiteResult:
    """What :func:`write_site` wrote."""

    root: Path  # the folder holding v1/
    libraries: tuple[Library, ...]
    index: dict[str, Any]

    @property
    def file_count(self) -> int:
        return len(self.index["files"])

    @property
    def total_bytes(self) -> int:
        return sum(entry["size"] for entry in self.index["files"].values())


def write_site(
    out_dir: str | os.PathLike[str],
    targets: Sequence[Target] | None = None,
    builds: Sequence[PythonBuild] | None = None,
    *,
    tool: str | None = None,
    progress: Callable[[Library], None] | None = None,
    made: Callable[[int, int, Library], None] | None = None,
    jobs: int | None = None,
) -> SiteResult:
    """Write the libraries of ``targets`` x ``builds`` (default: all) and the index.

    The index is written last, so a reader who trusts it never finds a file
    missing; every file is written atomically, and all of them are on disk
    before the index is. A file that already holds the right bytes is left
    as it is (its modification time too). Files an earlier export left in
    ``out_dir`` stay, but the new index lists only this export's. OutputError
    (errno kept) names what cannot be written. ``made`` is told of each library
    made (see :func:`.produce.produce_all`, which also says what ``jobs`` is),
    ``progress`` of each one written.
    """
    from ..fileio import atomic_write, make_folder

    root = Path(out_dir)
    base = root / API_VERSION
    libraries = produce_all(
        list(targets) if targets is not None else all_targets(),
        list(builds) if builds is not None else all_builds(),
        tool=tool,
        made=made,
        jobs=jobs,
    )
    folders: set[str] = set()
    first: dict[str, Path] = {}  # sha256 -> the first file holding those bytes
    written = 0
    for library in libraries:
        for path in library.file_paths():
            dest = base / path
            folder = os.path.dirname(dest)
            if folder not in folders:
                make_folder(dest.parent)
                folders.add(folder)
            written += _write_file(dest, library.data, first.get(library.sha256))
            first.setdefault(library.sha256, dest)
        if progress is not None:
            progress(library)
    if written:
        os.sync()  # every file on disk before the index that lists them (one sync, not one each)
    index = build_index(libraries)
    make_folder(base)
    atomic_write(base / INDEX_NAME, index_bytes(index))
    return SiteResult(root, tuple(libraries), index)


_MODE = 0o644  # world-readable, for the web server


def _write_file(path: Path, data: bytes, same: Path | None = None) -> bool:
    """Put ``data`` at ``path`` by a rename (no fsync: the caller syncs); False if it was there.

    ``same`` is a file of this export that holds ``data``: ``path`` becomes a
    hard link to it where the file system allows (the matrix's 288 files hold
    about 80 distinct libraries: a quarter of the bytes to write, sync and
    store). A reader sees the old file or the new one, never a part.
    OutputError names ``path``, never the temporary file, which is removed.
    """
    absent = False
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        absent = True
    except OSError:
        pass
    else:  # the same bytes (and mode) already: leave the file, and its mtime, alone
        if stat.st_size == len(data) and stat.st_mode & 0o7777 == _MODE and holds(path, data):
            return False
    tmp = os.path.join(os.path.dirname(path), f".{path.name}.{os.getpid()}.tmp")
    if same is not None:
        # A new name is linked in one step (nothing to see half made); an old one is
        # replaced by a linked temporary.
        link = str(path) if absent else tmp
        try:
            os.link(same, link)
        except OSError:  # no hard links here (or a race, a stale temporary): write the bytes
            pass
        else:
            try:
                if link == tmp:
                    os.replace(tmp, path)
            except OSError as exc:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                raise write_error(exc, path) from exc
            return True
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
