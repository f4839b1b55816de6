"""Files that appear whole or not at all, in the folder they were meant for.

Every output and cache entry is written to a temporary file in the same
folder, flushed to disk, then renamed over the final name, so that a reader
never sees half a library, and an interrupted run leaves nothing behind.
Output names are plain base names (:func:`check_file_name`), so that nothing
a ``.def`` says can put a file outside the output folder. A set of files (a
library and its aliases, every library of a run) is written whole or not at
all (:func:`write_files`): on a full disk the folder is left as it was.
"""

from __future__ import annotations

import errno
import os

from .errors import OutputError, OutputNameError

TYPE_CHECKING = False  # no pathlib, tempfile or re: this module is on the cache-hit path
if TYPE_CHECKING:
    from collections.abc import Sequence
    from os import PathLike
    from typing import Any

    StrPath = str | PathLike[str]

__all__ = [
    "atomic_write",
    "check_file_name",
    "holds",
    "make_folder",
    "read_bounded",
    "read_text",
    "sha256_hex",
    "too_large",
    "write_error",
    "write_files",
    "write_unless_same",
]


def _sha256_function() -> Any:
    """CPython's own SHA-256 module when there is one, else hashlib's.

    hashlib loads OpenSSL, which costs more than a cache hit's whole lookup;
    CPython builds its own SHA-256 (``_sha2`` from 3.12, ``_sha256`` before)
    unless told not to.
    """
    try:
        from _sha2 import sha256  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        try:
            from _sha256 import sha256  # type: ignore[import-not-found, no-redef, unused-ignore]
        except ImportError:
            from hashlib import sha256  # type: ignore[assignment, unused-ignore]
    return sha256


_sha256: Any = None


def sha256_hex(data: bytes) -> str:
    """The SHA-256 digest of ``data``, in hex."""
    global _sha256
    if _sha256 is None:
        _sha256 = _sha256_function()
    digest: str = _sha256(data).hexdigest()
    return digest


#: The piece a bounded read asks for at a time: memory follows what is really there.
_CHUNK = 1 << 20


def read_bounded(stream: Any, limit: int) -> bytearray | None:
    """All of ``stream``, or None as soon as it holds more than ``limit`` bytes.

    The limit is checked while reading, not with ``stat``: a pipe, a device or
    ``/dev/stdin`` says size 0 and may never end (``/dev/zero``, ``<(yes)``).
    """
    data = bytearray()
    while True:
        chunk = stream.read(min(_CHUNK, limit + 1 - len(data)))
        if not chunk:
            return data
        data += chunk
        if len(data) > limit:
            return None


def too_large(path: StrPath, limit: int, what: str, size: int | None = None) -> str:
    """The message for an input past ``limit`` bytes (``size``, when it is known)."""
    told = f"{size} bytes" if size is not None else f"more than {limit} bytes"
    return f"{os.fspath(path)}: {told} is larger than any {what} implib reads ({limit >> 20} MiB)"


def read_text(
    path: StrPath, error: type[Exception], limit: int = 64 << 20, what: str = "file"
) -> str:
    """A UTF-8 text file's contents; ``error`` names the file (and line) when it is not.

    Reading stops past ``limit`` bytes (``error`` says so, naming ``what``).
    """
    try:
        with open(path, "rb") as stream:
            data = read_bounded(stream, limit)
    except OSError as exc:
        raise error(f"{os.fspath(path)}: cannot read: {exc.strerror or exc}") from exc
    except MemoryError:
        raise error(f"{os.fspath(path)}: too large to read into memory") from None
    if data is None:
        raise error(too_large(path, limit, what))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise error(f"{os.fspath(path)}:{line}: not UTF-8 text") from None


#: Characters no output name may hold: separators (both systems'), a drive's
#: colon, control characters; and Windows' other reserved ones.
_UNSAFE = frozenset('/\\:<>"|?*\x7f' + "".join(map(chr, range(32))))


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
    elif not _UNSAFE.isdisjoint(name):
        reason = "only a plain file name is allowed (no folders, no control characters)"
    elif name.startswith("."):
        reason = "it starts with a dot (it would be hidden, or a folder)"
    elif name != name.strip() or name.endswith("."):
        reason = "it starts or ends with a space, or ends with a dot"
    if reason:
        raise OutputNameError(f"{what} {name!r} cannot name an output file: {reason}")
    return name


def make_folder(path: StrPath) -> None:
    """Create ``path`` and its parents; OutputError says why not, naming the folder."""
    try:
        os.makedirs(path, exist_ok=True)
    except FileExistsError as exc:  # exists, but is not a folder (a file, /dev/null)
        raise OutputError(
            f"cannot write to {os.fspath(path)}: it exists and is not a folder",
            errno=errno.ENOTDIR,
            strerror="it exists and is not a folder",
            filename=os.fspath(path),
        ) from exc
    except OSError as exc:
        raise write_error(exc, path) from exc


def write_error(exc: OSError, path: StrPath) -> OutputError:
    """The OutputError for ``exc``, naming ``path`` (the file meant, not a temporary one)."""
    reason = exc.strerror or str(exc)
    where = os.fspath(path)
    return OutputError(
        f"cannot write to {where}: {reason}", errno=exc.errno, strerror=reason, filename=where
    )


_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)


def _temporary(path: str) -> tuple[int, str]:
    """A new file beside ``path``, for writing; (descriptor, its name)."""
    folder, name = os.path.split(path)
    for _ in range(100):
        tmp = os.path.join(folder, f".{name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
        try:
            return os.open(tmp, _NEW_FILE, 0o600), tmp
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary name", path)


def atomic_write(path: StrPath, data: bytes, *, mode: int = 0o644, sync: bool = True) -> None:
    """Write ``data`` to ``path`` atomically (temp file, fsync, rename).

    ``sync=False`` leaves out the fsync, for a reader that checks what it
    reads (the cache: a file a crash left short or empty is a miss).

    OutputError (an OSError with the cause's errno) names ``path``, never the
    temporary file.
    """
    target = os.fspath(path)
    try:
        fd, tmp = _temporary(target)
    except OSError as exc:
        raise write_error(exc, target) from exc
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
            if sync:
                stream.flush()
                os.fsync(stream.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise write_error(exc, target) from exc
        raise


def holds(path: StrPath, data: bytes) -> bool:
    """Whether the file at ``path`` already holds exactly ``data``."""
    try:
        if os.stat(path).st_size != len(data):
            return False
        with open(path, "rb") as stream:
            return stream.read() == data
    except OSError:
        return False


def write_unless_same(path: StrPath, data: bytes, *, mode: int = 0o644) -> bool:
    """:func:`atomic_write`, unless ``path`` already holds ``data``; whether it wrote.

    A file left alone keeps its modification time, so that make or ninja do
    not relink after every ``implib run``, and costs no write and no fsync.
    """
    if holds(path, data):
        return False
    atomic_write(path, data, mode=mode)
    return True


def _missing_folders(folder: str) -> list[str]:
    """``folder`` and those of its parents that do not exist yet, deepest first."""
    missing = []
    path = os.path.abspath(folder)
    while not os.path.lexists(path):
        missing.append(path)
        parent = os.path.dirname(path)
        if parent == path:
            break
        path = parent
    return missing


def _remove(temporaries: Sequence[str], folders: Sequence[str]) -> None:
    """Undo a run: its temporary files, then the folders it made (deepest first)."""
    for tmp in temporaries:
        try:
            os.unlink(tmp)
        except OSError:
            pass
    for folder in folders:
        try:
            os.rmdir(folder)
        except OSError:
            break  # not empty (another run's files), or gone: its parents stay too


def write_files(
    folder: StrPath, files: Sequence[tuple[str, bytes]], *, mode: int = 0o644
) -> list[str]:
    """Write each ``(name, data)`` into ``folder``, all of them or none; the names written.

    Every file is first written in full to a temporary file beside it and
    flushed to disk; only then are they renamed into place, one after the
    other. When a write fails (a full disk), the temporaries and the folders
    this call made are removed, and the folder is as it was; the OutputError
    names the file. A rename that fails (rare: a folder in the way) says which
    files were already put in place. A file that already holds its bytes is
    left alone (its modification time kept).
    """
    where = os.fspath(folder)
    made = _missing_folders(where)
    try:
        make_folder(where)
    except OutputError:
        _remove((), made)
        raise
    staged: list[tuple[str, str]] = []  # (temporary, final path)
    for name, data in dict(files).items():  # a name given twice: the last bytes, as before
        target = os.path.join(where, name)
        if holds(target, data):
            continue
        try:
            fd, tmp = _temporary(target)
        except OSError as exc:
            _remove([t for t, _ in staged], made)
            raise write_error(exc, target) from exc
        staged.append((tmp, target))
        try:
            with os.fdopen(fd, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
            os.chmod(tmp, mode)
        except BaseException as exc:
            _remove([t for t, _ in staged], made)
            if isinstance(exc, OSError):
                raise write_error(exc, target) from exc
            raise
    written: list[str] = []
    for index, (tmp, target) in enumerate(staged):
        try:
            os.replace(tmp, target)
        except OSError as exc:
            _remove([t for t, _ in staged[index:]], ())
            error = write_error(exc, target)
            if written:
                done = ", ".join(written)
                error = OutputError(
                    f"{error}; already replaced: {done}; the rest left as it was",
                    errno=error.errno,
                    strerror=error.strerror,
                    filename=error.filename,
                )
            raise error from exc
        written.append(os.path.basename(target))
    return written
