"""Files that appear whole or not at all, in the folder they were meant for.

Every output and cache entry is written to a temporary file in the same
folder, flushed to disk, then renamed over the final name, so that a reader
never sees half a library, and an interrupted run leaves nothing behind.
Output names are plain base names (:func:`check_file_name`), so that nothing
a ``.def`` says can put a file outside the output folder.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import tempfile
from pathlib import Path

from .errors import OutputError, OutputNameError

__all__ = ["atomic_write", "check_file_name", "make_folder", "read_text"]


def read_text(path: str | os.PathLike[str], error: type[Exception]) -> str:
    """A UTF-8 text file's contents; ``error`` names the file (and line) when it is not."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise error(f"{os.fspath(path)}: cannot read: {exc.strerror or exc}") from exc
    except MemoryError:
        raise error(f"{os.fspath(path)}: too large to read into memory") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise error(f"{os.fspath(path)}:{line}: not UTF-8 text") from None


#: Characters no output name may hold: separators (both systems'), a drive's
#: colon, control characters; and Windows' other reserved ones.
_UNSAFE = re.compile(r'[/\\:\x00-\x1f\x7f<>"|?*]')


def check_file_name(name: str, what: str = "file name") -> str:
    """``name`` if it is a plain base name a file may have in an output folder.

    Refused: anything with a folder in it (``../x``, ``/abs/x``, ``sub/x``,
    ``C:x``), control characters, and names starting with a dot (``.``,
    ``..``, and ``.lib``, which would be hidden). ``what`` says where the name
    came from, for the message.
    """
    reason = ""
    if not name:
        reason = "it is empty"
    elif _UNSAFE.search(name):
        reason = "only a plain file name is allowed (no folders, no control characters)"
    elif name.startswith("."):
        reason = "it starts with a dot (it would be hidden, or a folder)"
    elif name != name.strip() or name.endswith("."):
        reason = "it starts or ends with a space, or ends with a dot"
    if reason:
        raise OutputNameError(f"{what} {name!r} cannot name an output file: {reason}")
    return name


def make_folder(path: Path) -> None:
    """Create ``path`` and its parents; OutputError says why not, naming the folder."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except FileExistsError as exc:  # exists, but is not a folder (a file, /dev/null)
        raise OutputError(
            f"cannot write to {path}: it exists and is not a folder",
            errno=errno.ENOTDIR,
            strerror="it exists and is not a folder",
            filename=str(path),
        ) from exc
    except OSError as exc:
        raise _output_error(exc, path) from exc


def _output_error(exc: OSError, path: Path) -> OutputError:
    reason = exc.strerror or str(exc)
    return OutputError(
        f"cannot write to {path}: {reason}", errno=exc.errno, strerror=reason, filename=str(path)
    )


def atomic_write(path: Path, data: bytes, *, mode: int = 0o644) -> None:
    """Write ``data`` to ``path`` atomically (temp file, fsync, rename).

    OutputError (an OSError with the cause's errno) names ``path``, never the
    temporary file.
    """
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise _output_error(exc, path) from exc
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise _output_error(exc, path) from exc
        raise
