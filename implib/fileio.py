"""Files that appear whole or not at all.

Every output and cache entry is written to a temporary file in the same
folder, flushed to disk, then renamed over the final name, so that a reader
never sees half a library, and an interrupted run leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

__all__ = ["atomic_write", "read_text"]


def read_text(path: str | os.PathLike[str], error: type[Exception]) -> str:
    """A UTF-8 text file's contents; ``error`` names the file (and line) when it is not."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise error(f"{os.fspath(path)}: cannot read: {exc.strerror}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise error(f"{os.fspath(path)}:{line}: not UTF-8 text") from None


def atomic_write(path: Path, data: bytes, *, mode: int = 0o644) -> None:
    """Write ``data`` to ``path`` atomically (temp file, fsync, rename)."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
