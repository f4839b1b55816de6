"""Archive (``.lib``/``.a``) files: write the COFF form, read either form.

Based on the PE/COFF specification, section "Archive (Library) File Format":
an ``!<arch>\\n`` signature, then members, each behind a 60-byte header
(name, date, uid, gid, mode, size, ``\\x60\\n``) and padded to an even offset.
A COFF archive starts with two linker members named ``/``: the first lists
every symbol with big-endian member offsets in member order, the second the
same symbols sorted, with little-endian offsets and 1-based member indexes.
Names longer than 15 bytes live in the ``//`` member (NUL-terminated, as LLVM
writes them; GNU tools end them with ``/\\n``) and are written ``/offset``.

Output is deterministic: dates, owners and groups are zero, as ``llvm-ar D``.
"""

from __future__ import annotations

import dataclasses
import struct
from collections.abc import Iterator, Sequence
from typing import NamedTuple

from ..errors import ArchiveError

__all__ = ["ArchiveError", "ArchiveMember", "Member", "read_members", "write_coff_archive"]

MAGIC = b"!<arch>\n"
HEADER_SIZE = 60
_HEADER = struct.Struct(
    "16s"  # name: "name/" or "/offset" into the long-name member
    "12s"  # date, decimal
    "6s"  # owner id, decimal
    "6s"  # group id, decimal
    "8s"  # mode, octal
    "10s"  # size of the data, decimal
    "2s"  # end of header: "`\n"
)
_HEADER_END = b"`\n"
_MAX_SHORT_NAME = 15


class Member(NamedTuple):
    """A member to write: its name, its bytes and the symbols it defines."""

    name: str
    data: bytes
    symbols: tuple[bytes, ...]


@dataclasses.dataclass(frozen=True)
class ArchiveMember:
    """A member read back: its name and bytes (linker members left out)."""

    name: str
    data: bytes
    offset: int


def _header_prefix(name: bytes, mode: bytes) -> bytes:
    """A header up to its size field: name, zero date and ids, mode (as LLVM's ``D``)."""
    return name.ljust(16) + b"0".ljust(12) + b"0".ljust(6) + b"0".ljust(6) + mode.ljust(8)


def _header(name: bytes, size: int, mode: bytes) -> bytes:
    return _header_prefix(name, mode) + b"%-10d`\n" % size


def _padded(data: bytes, fill: bytes) -> bytes:
    return data + fill if len(data) % 2 else data


def write_coff_archive(members: Sequence[Member]) -> bytes:
    """The bytes of a COFF archive of ``members``, as LLVM's writer lays them out."""
    # Long names: one NUL-terminated entry per distinct name.
    long_names = bytearray()
    name_fields: dict[str, bytes] = {}
    for member in members:
        if member.name in name_fields:
            continue
        encoded = member.name.encode()
        if len(encoded) <= _MAX_SHORT_NAME and b"/" not in encoded:
            name_fields[member.name] = encoded + b"/"
        else:
            name_fields[member.name] = b"/%d" % len(long_names)
            long_names += encoded + b"\0"

    # Each symbol once, in member order; the first member that defines it wins.
    symbols: dict[bytes, int] = {}
    for index, member in enumerate(members):
        for symbol in member.symbols:
            if symbol not in symbols:
                symbols[symbol] = index
    symbol_count = len(symbols)
    symbol_names_size = sum(map(len, symbols)) + symbol_count
    first_size = 4 + 4 * symbol_count + symbol_names_size
    second_size = 4 + 4 * len(members) + 4 + 2 * symbol_count + symbol_names_size
    first_size_padded = first_size + first_size % 2
    second_size_padded = second_size + second_size % 2

    offset = len(MAGIC) + 2 * HEADER_SIZE + first_size_padded + second_size_padded
    if long_names:
        offset += HEADER_SIZE + len(long_names) + len(long_names) % 2
    offsets = []
    for member in members:
        offsets.append(offset)
        size = len(member.data)
        offset += HEADER_SIZE + size + (size & 1)
    names = b"\0".join(symbols) + b"\0" if symbols else b""

    # First linker member: symbols in member order, big-endian offsets.
    first = bytearray(struct.pack(">I", symbol_count))
    first += struct.pack(f">{symbol_count}I", *(offsets[index] for index in symbols.values()))
    first += names

    # Second linker member: member offsets, then symbols sorted by name.
    indexed = sorted(symbols.items())
    second = bytearray(struct.pack("<I", len(members)))
    second += struct.pack(f"<{len(offsets)}I", *offsets)
    second += struct.pack("<I", symbol_count)
    second += struct.pack(f"<{symbol_count}H", *(index + 1 for _, index in indexed))
    second += b"\0".join([symbol for symbol, _ in indexed]) + b"\0" if indexed else b""

    out = bytearray(MAGIC)
    for table in (bytes(first), bytes(second)):
        # LLVM counts the linker members' NUL padding in their size.
        table = _padded(table, b"\0")
        out += _header(b"/", len(table), b"0") + table
    if long_names:
        table = _padded(bytes(long_names), b"\n")  # padding counted in the size
        out += _long_names_header(len(table)) + table
    prefixes = {name: _header_prefix(field, b"644") for name, field in name_fields.items()}
    parts = [bytes(out)]
    for name, data, _ in members:
        size = len(data)
        parts.append(prefixes[name] + b"%-10d`\n" % size)
        parts.append(data + b"\n" if size & 1 else data)
    return b"".join(parts)


def _long_names_header(size: int) -> bytes:
    """The ``//`` header: only its name and size are filled in."""
    return b"//".ljust(48) + str(size).encode().ljust(10) + _HEADER_END


def read_members(data: bytes) -> Iterator[ArchiveMember]:
    """Yield the object members of a COFF or GNU archive, in file order."""
    if not data.startswith(MAGIC):
        raise ArchiveError("not an archive (no !<arch> signature)")
    offset = len(MAGIC)
    long_names = b""
    while offset < len(data):
        if offset + HEADER_SIZE > len(data):
            raise ArchiveError(f"truncated member header at offset {offset}")
        raw_name, _, _, _, _, raw_size, end = _HEADER.unpack_from(data, offset)
        if end != _HEADER_END:
            raise ArchiveError(f"bad member header at offset {offset}")
        try:
            size = int(raw_size.strip() or b"0")
        except ValueError:
            raise ArchiveError(f"bad member size at offset {offset}") from None
        start = offset + HEADER_SIZE
        if start + size > len(data):
            raise ArchiveError(f"member at offset {offset} runs past the end of the file")
        body = data[start : start + size]
        name = raw_name.rstrip(b" ")
        if name == b"//":
            long_names = body
        elif name in (b"/", b"/SYM64/", b"/<ECSYMBOLS>/"):
            pass
        else:
            yield ArchiveMember(_member_name(name, long_names, offset), body, offset)
        offset = start + size + size % 2
    return


def _member_name(name: bytes, long_names: bytes, offset: int) -> str:
    if name.startswith(b"/") and name[1:].isdigit():
        start = int(name[1:])
        if start >= len(long_names):
            raise ArchiveError(f"bad long-name offset in member header at offset {offset}")
        end = len(long_names)
        for terminator in (b"\0", b"/\n", b"\n"):
            found = long_names.find(terminator, start)
            if found >= 0:
                end = min(end, found)
        return long_names[start:end].decode("utf-8", "replace")
    return name.removesuffix(b"/").decode("utf-8", "replace")
