"""A content-addressed cache of produced libraries, safe under concurrent use.

Layout (under platformdirs' user cache folder, or ``IMPLIB_CACHE_DIR``)::

    v1/objects/ab/<sha256>      the library bytes, named by their digest
    v1/keys/cd/<key>.json       key -> {"sha256": ..., "size": ..., metadata}

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

import contextlib
import dataclasses
import hashlib
import json
import os
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .errors import OptionError
from .fileio import atomic_write

__all__ = ["Cache", "CacheEntry", "cache_key", "default_cache_dir"]

_WARNED: set[Path] = set()
_DIGEST = re.compile(r"[0-9a-f]{64}")

#: Bump when the writer's output for the same inputs changes.
FORMAT_VERSION = 2  # 2: GNU flavour long members for GNU ld, i686 GNU renames (issue 13)
_LAYOUT = "v1"


def default_cache_dir() -> Path:
    """``IMPLIB_CACHE_DIR``, or the user cache folder platformdirs gives."""
    override = os.environ.get("IMPLIB_CACHE_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_cache_dir("implib", appauthor=False))


def cache_key(**inputs: Any) -> str:
    """The digest of everything that decides a library's bytes.

    Callers pass the export list's content digest, the machine, the flavour,
    the backend and its version, and the DLL name; the format version is
    added here.
    """
    payload = json.dumps({"format": FORMAT_VERSION, **inputs}, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()


@dataclasses.dataclass(frozen=True)
class CacheEntry:
    """One key of the cache, for ``implib cache list``."""

    key: str
    sha256: str
    size: int
    last_used: float
    meta: dict[str, Any]
    path: Path  # the key file


class Cache:
    """The cache in ``root``; a cache that cannot be written warns once and steps aside."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = root if root is not None else default_cache_dir()
        self._base = self.root / _LAYOUT

    def _object_path(self, sha256: str) -> Path:
        return self._base / "objects" / sha256[:2] / sha256

    def _key_path(self, key: str) -> Path:
        return self._base / "keys" / key[:2] / f"{key}.json"

    def _record(self, key_path: Path) -> dict[str, Any] | None:
        """A key file's record, or None if it is not one (unreadable, not JSON, wrong types).

        Key files are read as hostile: their ``sha256`` names the object to
        read, and to remove when damaged, so it must be a digest and nothing
        that could reach outside the cache.
        """
        try:
            record = json.loads(key_path.read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError):
            return None
        if not isinstance(record, dict):
            return None
        sha256, size = record.get("sha256"), record.get("size")
        if not (isinstance(sha256, str) and _DIGEST.fullmatch(sha256)):
            return None
        if not (isinstance(size, int) and not isinstance(size, bool) and size >= 0):
            return None
        return record

    def _warn(self, action: str, exc: OSError) -> None:
        if self.root not in _WARNED:  # once per process, not once per library
            _WARNED.add(self.root)
            reason = exc.strerror or str(exc)
            print(f"implib: warning: cannot {action} the cache in {self.root}: {reason}; "
                  "going on without it", file=sys.stderr)  # fmt: skip

    def get(self, key: str) -> tuple[Path, bytes] | None:
        """A valid object for ``key`` (path and bytes), or None; a bad one is removed."""
        key_path = self._key_path(key)
        record = self._record(key_path)
        if record is None:
            return None
        sha256 = record["sha256"]
        path = self._object_path(sha256)
        try:
            data = path.read_bytes() if path.stat().st_size == record["size"] else b""
        except OSError:
            data = b""
        if len(data) != record["size"] or hashlib.sha256(data).hexdigest() != sha256:
            self._discard(key_path, path)
            return None
        with contextlib.suppress(OSError):
            os.utime(key_path)  # last use, for prune
        return path, data

    def _discard(self, *paths: Path) -> None:
        for path in paths:
            with contextlib.suppress(OSError):
                path.unlink()

    def put(self, key: str, data: bytes, meta: dict[str, Any] | None = None) -> Path | None:
        """Store ``data`` under ``key``; its object path, or None if the cache is unwritable."""
        sha256 = hashlib.sha256(data).hexdigest()
        path = self._object_path(sha256)
        record = {"sha256": sha256, "size": len(data), "created": time.time(), **(meta or {})}
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if not (path.exists() and path.stat().st_size == len(data)):
                atomic_write(path, data, mode=0o444)
            key_path = self._key_path(key)
            key_path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(key_path, json.dumps(record, sort_keys=True).encode())
        except OSError as exc:
            self._warn("write to", exc)
            return None
        return path

    def entries(self) -> Iterator[CacheEntry]:
        """Every key, whether or not its object is still valid.

        A key file that is not a record (damaged, or written by hand) is
        listed with an empty digest, so that ``verify`` and ``clear`` remove it.
        """
        for key_path in sorted((self._base / "keys").glob("*/*.json")):
            try:
                last_used = key_path.stat().st_mtime
            except OSError:
                continue
            record = self._record(key_path)
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
            if entry.path != self._key_path(entry.key) or self.get(entry.key) is None:
                self._discard(entry.path)  # a damaged key file too, not only its object
                removed.append(entry.key)
        self._remove_orphans()
        return count, removed

    def _remove_orphans(self, *, tmp_age: float = 60.0) -> None:
        """Objects no key names, and temporary files a killed writer left.

        Temporary files younger than ``tmp_age`` seconds may belong to a
        writer at work, and are left alone.
        """
        wanted = {entry.sha256 for entry in self.entries()}
        now = time.time()
        for path in [*self._base.glob("objects/*/*"), *self._base.glob("keys/*/.*.tmp")]:
            with contextlib.suppress(OSError):
                if path.name.endswith(".tmp"):
                    if now - path.stat().st_mtime > tmp_age:
                        path.unlink()
                elif path.name not in wanted:
                    path.unlink()

    def clear(self) -> int:
        """Remove everything; the number of keys removed."""
        entries = list(self.entries())
        for entry in entries:
            self._discard(entry.path)
        self._remove_orphans()
        return len(entries)

    def size(self) -> int:
        """Bytes used by objects (one another process removes meanwhile counts as none)."""
        total = 0
        for path in (self._base / "objects").glob("*/*"):
            with contextlib.suppress(OSError):
                if path.is_file():
                    total += path.stat().st_size
        return total

    def prune(self, max_size: int) -> list[str]:
        """Remove the least recently used keys until objects fit in ``max_size`` bytes.

        OptionError for a size that is not a whole number of bytes >= 0.
        """
        if isinstance(max_size, bool) or not isinstance(max_size, int) or max_size < 0:
            raise OptionError(f"a cache size is a whole number of bytes >= 0, not {max_size!r}")
        removed = []
        entries = sorted(self.entries(), key=lambda e: e.last_used)
        while entries and self.size() > max_size:
            entry = entries.pop(0)
            self._discard(entry.path)
            removed.append(entry.key)
            self._remove_orphans()
        return removed
