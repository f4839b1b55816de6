"""Binary inputs read by range, every read checked against the input's real size.

The readers (archives, COFF members, PE images) never trust a size or an
offset they find in a file: each :meth:`Source.read` asks for a range that
must lie inside the input, so that a damaged or hostile file gives one clear
error instead of a huge allocation or a loop. Small files are read whole (the
fast path); large ones are read piecewise from the open file, so that a
3 GB input costs what the reader really looks at, not 3 GB of memory. A pipe
or a device (no size, no seeking) is read up to WHOLE_FILE_LIMIT, and refused
past it, while it is read.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from typing import BinaryIO

from ..fileio import read_bounded, too_large

__all__ = ["WHOLE_FILE_LIMIT", "Source", "open_source"]

#: Files up to this size are read into memory at once.
WHOLE_FILE_LIMIT = 64 << 20


class Source:
    """An input's bytes, by offset; ``error`` is raised (with ``where``) for bad ranges."""

    def __init__(
        self,
        data: bytes | None = None,
        *,
        stream: BinaryIO | None = None,
        size: int = 0,
        where: str = "",
        error: type[Exception] = ValueError,
    ) -> None:
        self._data = data
        self._stream = stream
        self.size = len(data) if data is not None else size
        self.where = where
        self.error = error

    def fail(self, message: str) -> Exception:
        """The error to raise for ``message``, naming the input when it has a name."""
        return self.error(f"{self.where}: {message}" if self.where else message)

    def read(self, offset: int, size: int, what: str = "data") -> bytes:
        """``size`` bytes at ``offset``; an error if they are not all in the input."""
        if offset < 0 or size < 0 or offset + size > self.size:
            raise self.fail(
                f"{what} at offset {offset} ({size} bytes) runs past the end of the input "
                f"({self.size} bytes)"
            )
        if self._data is not None:
            return self._data[offset : offset + size]
        assert self._stream is not None
        try:
            self._stream.seek(offset)
            chunk = self._stream.read(size)
        except OSError as exc:
            raise self.fail(f"cannot read: {exc.strerror or exc}") from exc
        if len(chunk) != size:  # the file shrank while being read
            raise self.fail(f"{what} at offset {offset}: the file ended early")
        return chunk

    def read_upto(self, offset: int, size: int) -> bytes:
        """Up to ``size`` bytes at ``offset``: fewer where the input ends first."""
        return self.read(offset, max(0, min(size, self.size - offset)))

    def c_string(self, offset: int, limit: int, what: str) -> bytes:
        """The NUL-terminated bytes at ``offset``, which must end within ``limit`` bytes."""
        end = min(self.size, offset + limit)
        chunk = self.read(offset, max(0, end - offset), what)
        nul = chunk.find(b"\0")
        if nul < 0:
            raise self.fail(f"{what} at offset {offset} has no terminating NUL")
        return chunk[:nul]


@contextmanager
def open_source(path: str | os.PathLike[str], error: type[Exception]) -> Iterator[Source]:
    """A :class:`Source` for the file at ``path``; read errors become ``error``."""
    where = os.fspath(path)
    try:
        stream = open(path, "rb")  # noqa: SIM115 - closed below, after the reads
    except OSError as exc:
        raise error(f"{where}: cannot read: {exc.strerror}") from exc
    with stream:
        try:
            info = os.fstat(stream.fileno())
            size = info.st_size
            data: bytes | None
            if not stat.S_ISREG(info.st_mode):
                # A pipe or a device: no size to trust, no seeking; read it up to the limit.
                read = read_bounded(stream, WHOLE_FILE_LIMIT)
                if read is None:
                    raise error(too_large(where, WHOLE_FILE_LIMIT, "pipe or device input"))
                data = bytes(read)
            else:
                data = stream.read() if size <= WHOLE_FILE_LIMIT else None
        except OSError as exc:
            raise error(f"{where}: cannot read: {exc.strerror}") from exc
        except MemoryError:  # a limit lower than WHOLE_FILE_LIMIT
            raise error(f"{where}: not enough memory to read {size} bytes") from None
        if data is not None:
            yield Source(data, where=where, error=error)
        else:
            yield Source(stream=stream, size=size, where=where, error=error)
