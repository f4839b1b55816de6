"""A content-addressed cache of produced libraries, safe under concurrent use.

Layout (under platformdirs' user cache folder, or ``IMPLIB_CACHE_DIR``)::

    v1/objects/ab/<sha256>      the library bytes, named by their digest
    v1/keys/cd/<key>.json       key -> {"sha256": ..., "size": ..., metadata}
    v1/probes/ef/<key>.txt      a tool's --version output (backends.external.capture)
    lib-dirs/<triple>/<build>/  ``implib env``'s library folders (cross.crossbuild), which
                                ``implib cache list/prune/clear`` count as entries too

A key is the digest of everything that decides the bytes (see
:func:`cache_key`), so two keys that make the same bytes share one object.
Entries appear whole or not at all: each file is written to a temporary name
in its own folder, flushed and renamed. Processes that race for the same
entry each write the same bytes and the last rename wins, so every reader
sees a whole, valid file. An object whose digest does not match its name
(corrupted, truncated) is removed and never handed out. Last use is the
key file's modification time, touched on every hit.
"""

from __future__ import annotations

import os
import sys

from .errors import OptionError
from .fileio import atomic_write, sha256_hex
from .records import Record

TYPE_CHECKING = False  # a cache hit imports neither typing, json, pathlib nor hashlib
if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path
    from typing import Any

__all__ = [
    "LIB_DIRS",
    "Cache",
    "CacheEntry",
    "LibDir",
    "cache_key",
    "default_cache_dir",
    "default_cache_root",
]

_WARNED: set[str] = set()

#: Bump when the writer's output for the same inputs changes.
FORMAT_VERSION = 2  # 2: GNU flavour long members for GNU ld, i686 GNU renames (issue 13)
_LAYOUT = "v1"
#: The folder of ``implib env``'s library folders (cross/crossbuild.py's default_lib_dir).
LIB_DIRS = "lib-dirs"
_HEX = frozenset("0123456789abcdef")


def _is_digest(text: object) -> bool:
    return isinstance(text, str) and len(text) == 64 and _HEX.issuperset(text)


def default_cache_root() -> str:
    """``IMPLIB_CACHE_DIR``, or the user cache folder, as platformdirs names it.

    On Linux that is ``$XDG_CACHE_HOME/implib`` or ``~/.cache/implib``,
    worked out here because importing platformdirs costs more than a whole
    cache hit; elsewhere (and on Android) platformdirs decides.
    """
    override = os.environ.get("IMPLIB_CACHE_DIR")
    if override:
        return override
    environ = os.environ
    android = environ.get("ANDROID_DATA") == "/data" and environ.get("ANDROID_ROOT") == "/system"
    if sys.platform.startswith("linux") and not android:
        base = os.environ.get("XDG_CACHE_HOME", "")
        if not base.strip():
            base = os.path.expanduser("~/.cache")
        return os.path.join(base, "implib")
    import platformdirs

    return str(platformdirs.user_cache_dir("implib", appauthor=False))


def default_cache_dir() -> Path:
    """:func:`default_cache_root`, as a Path."""
    from pathlib import Path

    return Path(default_cache_root())


def _plain(value: object) -> bool:
    """Whether json.dumps writes ``value`` as its text between quotes (or digits)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    return (
        isinstance(value, str)
        and value.isascii()
        and value.isprintable()
        and not ('"' in value or "\\" in value)
    )


def _dumps(record: dict[str, Any]) -> str:
    """``json.dumps(record, sort_keys=True)``, without importing json for plain values."""
    if all(_plain(key) and _plain(value) for key, value in record.items()):
        items = (
            f'"{key}": {value}' if isinstance(value, int) else f'"{key}": "{value}"'
            for key, value in sorted(record.items())
        )
        return "{" + ", ".join(items) + "}"
    import json

    return json.dumps(record, sort_keys=True)


def cache_key(**inputs: Any) -> str:
    """The digest of everything that decides a library's bytes.

    Callers pass the export list's content digest, the machine, the flavour,
    the backend and its version, and the DLL name; the format version is
    added here.
    """
    return sha256_hex(_dumps({"format": FORMAT_VERSION, **inputs}).encode())


def _record(key_path: str) -> dict[str, Any] | None:
    """A key file's record, or None if it is not one (unreadable, not JSON, wrong types).

    Key files are read as hostile: their ``sha256`` names the object to read,
    and to remove when damaged, so it must be a digest and nothing that could
    reach outside the cache.
    """
    import json

    try:
        with open(key_path, "rb") as stream:
            record = json.loads(stream.read().decode("utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(record, dict):
        return None
    size = record.get("size")
    if not _is_digest(record.get("sha256")):
        return None
    if not (isinstance(size, int) and not isinstance(size, bool) and size >= 0):
        return None
    return record


def _quick_record(key_path: str) -> tuple[str, int] | None:
    """(sha256, size) of a key file this module wrote, without importing json.

    The key files are written by :meth:`Cache.put` with ``sort_keys`` and
    plain values, so the two fields read back by position; anything else
    goes through :func:`_record` and its checks.
    """
    try:
        with open(key_path, "rb") as stream:
            text = stream.read()
    except OSError:
        return None
    digest_at = text.find(b'"sha256": "')
    size_at = text.find(b'"size": ')
    if digest_at < 0 or size_at < 0 or text.count(b'"sha256"') != 1:
        record = _record(key_path)
        return None if record is None else (record["sha256"], record["size"])
    digest = text[digest_at + 11 : digest_at + 75].decode("ascii", "replace")
    end = text.find(b"}", size_at)
    comma = text.find(b",", size_at)
    size_text = text[size_at + 8 : comma if 0 <= comma < end else end]
    if text[digest_at + 75 : digest_at + 76] != b'"' or not _is_digest(digest):
        return None
    if not (size_text.isdigit() and size_text.isascii()):
        record = _record(key_path)
        return None if record is None else (record["sha256"], record["size"])
    return digest, int(size_text)


class CacheEntry(Record):
    """One key of the cache, for ``implib cache list``."""

    key: str
    sha256: str
    size: int
    last_used: float
    meta: dict[str, Any]
    path: Path


class LibDir(Record):
    """One of ``implib env``'s library folders: ``lib-dirs/<triple>/<build>``."""

    path: Path
    size: int
    last_used: float

    @property
    def name(self) -> str:
        return f"{self.path.parent.name}/{self.path.name}"


class Cache:
    """The cache in ``root``; a cache that cannot be written warns once and steps aside."""

    def __init__(self, root: str | os.PathLike[str] | None = None) -> None:
        self._root = os.fspath(root) if root is not None else default_cache_root()
        self._base = os.path.join(self._root, _LAYOUT)

    @property
    def root(self) -> Path:
        from pathlib import Path

        return Path(self._root)

    def _object_path(self, sha256: str) -> str:
        return os.path.join(self._base, "objects", sha256[:2], sha256)

    def _key_path(self, key: str) -> str:
        return os.path.join(self._base, "keys", key[:2], key + ".json")

    def _warn(self, action: str, exc: OSError) -> None:
        if self._root not in _WARNED:  # once per process, not once per library
            _WARNED.add(self._root)
            reason = exc.strerror or str(exc)
            print(f"implib: warning: cannot {action} the cache in {self._root}: {reason}; "
                  "going on without it", file=sys.stderr)  # fmt: skip

    def get(self, key: str) -> tuple[str, bytes] | None:
        """A valid object for ``key`` (its path and bytes), or None; a bad one is removed."""
        key_path = self._key_path(key)
        found = _quick_record(key_path)
        if found is None:
            return None
        sha256, size = found
        path = self._object_path(sha256)
        try:
            if os.stat(path).st_size == size:
                with open(path, "rb") as stream:
                    data = stream.read()
            else:
                data = b""
        except OSError:
            data = b""
        if len(data) != size or sha256_hex(data) != sha256:
            self._discard(key_path, path)
            return None
        try:
            os.utime(key_path)  # last use, for prune
        except OSError:
            pass
        return path, data

    def _discard(self, *paths: str | os.PathLike[str]) -> None:
        for path in paths:
            try:
                os.unlink(path)
            except OSError:
                pass

    def put(self, key: str, data: bytes, meta: dict[str, Any] | None = None) -> str | None:
        """Store ``data`` under ``key``; its object path, or None if the cache is unwritable."""
        import time

        sha256 = sha256_hex(data)
        path = self._object_path(sha256)
        record = {"sha256": sha256, "size": len(data), "created": time.time(), **(meta or {})}
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            try:
                present = os.stat(path).st_size == len(data)
            except OSError:
                present = False
            # No fsync (about 1 ms a file, most of a cold export --all): get()
            # checks each object's size and digest and reads key files as
            # hostile, so what a crash leaves half-written is a miss, never wrong bytes.
            if not present:
                atomic_write(path, data, mode=0o444, sync=False)
            key_path = self._key_path(key)
            os.makedirs(os.path.dirname(key_path), exist_ok=True)
            atomic_write(key_path, _dumps(record).encode(), sync=False)
        except OSError as exc:
            self._warn("write to", exc)
            return None
        return path

    def entries(self) -> Iterator[CacheEntry]:
        """Every key, whether or not its object is still valid.

        A key file that is not a record (damaged, or written by hand) is
        listed with an empty digest, so that ``verify`` and ``clear`` remove it.
        """
        base = self.root / _LAYOUT
        for key_path in sorted((base / "keys").glob("*/*.json")):
            try:
                last_used = key_path.stat().st_mtime
            except OSError:
                continue
            record = _record(str(key_path))
            if record is None:
                yield CacheEntry(key_path.stem, "", 0, last_used, {}, key_path)
                continue
            meta = {k: v for k, v in record.items() if k not in ("sha256", "size")}
            yield CacheEntry(
                key_path.stem, record["sha256"], record["size"], last_used, meta, key_path
            )

    def verify(self) -> tuple[int, list[str]]:
        """Check every entry; remove the bad ones. (Checked count, removed keys.)"""
        removed = []
        count = 0
        for entry in list(self.entries()):
            count += 1
            if str(entry.path) != self._key_path(entry.key) or self.get(entry.key) is None:
                self._discard(entry.path)  # a damaged key file too, not only its object
                removed.append(entry.key)
        self._remove_orphans()
        return count, removed

    def _remove_orphans(self, *, tmp_age: float = 60.0) -> None:
        """Objects no key names, and temporary files a killed writer left.

        Temporary files younger than ``tmp_age`` seconds may belong to a
        writer at work, and are left alone.
        """
        import time

        wanted = {entry.sha256 for entry in self.entries()}
        now = time.time()
        base = self.root / _LAYOUT
        for path in [*base.glob("objects/*/*"), *base.glob("keys/*/.*.tmp")]:
            try:
                if path.name.endswith(".tmp"):
                    if now - path.stat().st_mtime > tmp_age:
                        path.unlink()
                elif path.name not in wanted:
                    path.unlink()
            except OSError:
                pass

    def check(self) -> None:
        """OutputError if the cache folder is something else (a file, say); absent is fine."""
        import errno
        import stat

        from .errors import OutputError

        try:
            mode = os.stat(self._root).st_mode
        except FileNotFoundError:
            return
        except OSError as exc:
            reason = exc.strerror or str(exc)
            raise OutputError(
                f"cannot use the cache folder {self._root}: {reason}",
                errno=exc.errno,
                strerror=exc.strerror,
                filename=self._root,
            ) from exc
        if not stat.S_ISDIR(mode):
            raise OutputError(
                f"cannot use the cache folder {self._root}: it is a file, not a folder"
                " (IMPLIB_CACHE_DIR names the cache folder)",
                errno=errno.ENOTDIR,
                strerror=os.strerror(errno.ENOTDIR),
                filename=self._root,
            )

    def lib_dirs(self) -> list[LibDir]:
        """``implib env``'s library folders, each with its size and last use."""
        found = []
        for folder in sorted((self.root / LIB_DIRS).glob("*/*")):
            try:
                if folder.is_symlink() or not folder.is_dir():
                    continue
                size, last_used = 0, folder.stat().st_mtime
                for path in folder.rglob("*"):
                    info = path.lstat()
                    if path.is_file() and not path.is_symlink():
                        size += info.st_size
                    last_used = max(last_used, info.st_mtime)
            except OSError:  # removed meanwhile
                continue
            found.append(LibDir(folder, size, last_used))
        return found

    def _remove_lib_dir(self, lib_dir: LibDir) -> None:
        import shutil

        shutil.rmtree(lib_dir.path, ignore_errors=True)
        try:  # the target's folder, once empty
            lib_dir.path.parent.rmdir()
        except OSError:
            pass

    def clear(self) -> int:
        """Remove everything (remembered tool probes and ``implib env``'s library folders
        too); the number of entries (keys and library folders) removed."""
        entries = list(self.entries())
        for entry in entries:
            self._discard(entry.path)
        self._discard(*(self.root / _LAYOUT).glob("probes/*/*.txt"))
        self._remove_orphans()
        lib_dirs = self.lib_dirs()
        for lib_dir in lib_dirs:
            self._remove_lib_dir(lib_dir)
        return len(entries) + len(lib_dirs)

    def size(self) -> int:
        """Bytes used by objects and library folders (what another process removes
        meanwhile counts as none)."""
        total = sum(lib_dir.size for lib_dir in self.lib_dirs())
        for path in (self.root / _LAYOUT / "objects").glob("*/*"):
            try:
                if path.is_file():
                    total += path.stat().st_size
            except OSError:
                pass
        return total

    def prune(self, max_size: int) -> list[str]:
        """Remove the least recently used entries (keys, library folders) until the
        cache fits in ``max_size`` bytes; the keys and folders removed.

        OptionError for a size that is not a whole number of bytes >= 0.
        """
        if isinstance(max_size, bool) or not isinstance(max_size, int) or max_size < 0:
            raise OptionError(f"a cache size is a whole number of bytes >= 0, not {max_size!r}")
        removed = []
        entries: list[CacheEntry | LibDir] = [*self.entries(), *self.lib_dirs()]
        entries.sort(key=lambda e: e.last_used)
        while entries and self.size() > max_size:
            entry = entries.pop(0)
            if isinstance(entry, LibDir):
                self._remove_lib_dir(entry)
                removed.append(f"{LIB_DIRS}/{entry.name}")
            else:
                self._discard(entry.path)
                removed.append(entry.key)
                self._remove_orphans()
        return removed
