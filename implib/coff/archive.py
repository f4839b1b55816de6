"""Archive (``.lib``/``.a``) files: write the COFF or GNU form as LLVM does, read either.

Based on the PE/COFF specification, section "Archive (Library) File Format":
an ``!<arch>\\n`` signature, then members, each behind a 60-byte header
(name, date, uid, gid, mode, size, ``\\x60\\n``) and padded to an even offset.
A COFF archive starts with two linker members named ``/``: the first lists
every symbol with big-endian member offsets in member order, the second the
same symbols sorted, with little-endian offsets and 1-based member indexes.
Names longer than 15 bytes live in the ``//`` member (NUL-terminated, as LLVM
writes them; GNU tools end them with ``/\\n``) and are written ``/offset``.

The second linker member's indexes are 16 bits wide, so past 0xFFFE members
LLVM (``ArchiveWriter.cpp``, ``writeArchiveToStream``) writes the GNU form
instead: one ``/`` member (big-endian count and offsets, every symbol in
member order, duplicates kept) and ``name/\\n`` entries in ``//``; so does
implib.

Output is deterministic: dates, owners and groups are zero, as ``llvm-ar D``.
Reading checks every size against the input's real size and caps the number
of members, so a damaged archive gives an :class:`ArchiveError`, never a
loop or a huge allocation.
"""

from __future__ import annotations

import struct
from itertools import accumulate

from ..errors import ArchiveError
from ..records import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence

    from .source import Source

__all__ = [
    "MAX_MEMBERS",
    "ArchiveError",
    "ArchiveMember",
    "Member",
    "MemberRef",
    "coff_archive",
    "gnu_archive",
    "iter_members",
    "member_prefix",
    "read_members",
    "sorted_index",
    "write_archive",
    "write_coff_archive",
]

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
#: The most members a COFF archive holds: its second linker member numbers them in 16 bits.
MAX_COFF_MEMBERS = 0xFFFE
#: The most members implib reads or writes: an import library has one per name, and a DLL
#: exports at most 65,536 names and 65,536 ordinals; this leaves room for aliases.
MAX_MEMBERS = 1 << 19
#: The largest long-name (``//``) member read: far above what MAX_MEMBERS names need.
_MAX_LONG_NAMES = 64 << 20


class Member(Record):
    """A member to write: its name, its bytes and the symbols it defines."""

    name: str
    data: bytes
    symbols: tuple[bytes, ...]

    def __repr__(self) -> str:
        return (
            f"Member(name={self.name!r}, data=<{len(self.data)} bytes>, symbols={self.symbols!r})"
        )


class ArchiveMember(Record):
    """A member read back: its name and bytes (linker members left out)."""

    name: str
    data: bytes
    offset: int  # of the member header

    def __repr__(self) -> str:
        size = len(self.data)
        return f"ArchiveMember(name={self.name!r}, data=<{size} bytes>, offset={self.offset})"


class MemberRef(Record):
    """Where a member lies in an archive: its name, and its data's offset and size."""

    name: str
    offset: int  # of the member header
    data_offset: int
    size: int


def member_prefix(name_field: bytes, mode: bytes = b"644") -> bytes:
    """A header up to its size field: name, zero date and ids, mode (as LLVM's ``D``).

    A member's header is this and ``b"%-10d`\n" % size``.
    """
    return name_field.ljust(16) + b"0".ljust(12) + b"0".ljust(6) + b"0".ljust(6) + mode.ljust(8)


def _header(name: bytes, size: int, mode: bytes) -> bytes:
    return member_prefix(name, mode) + b"%-10d`\n" % size


def _padded(data: bytes, fill: bytes) -> bytes:
    return data + fill if len(data) % 2 else data


def write_archive(members: Sequence[Member]) -> bytes:
    """The bytes of an archive of ``members``, in the form LLVM picks for their number."""
    if len(members) > MAX_COFF_MEMBERS:
        return _write_gnu_archive(members)
    return write_coff_archive(members)


def name_field(name: str, long_names: bytearray, terminator: bytes) -> bytes:
    """A member name's header field: ``name/``, or ``/offset`` of it added to ``long_names``."""
    encoded = name.encode()
    if len(encoded) <= _MAX_SHORT_NAME and b"/" not in encoded:
        return encoded + b"/"
    field = b"/%d" % len(long_names)
    long_names += encoded + terminator
    return field


def _name_fields(members: Sequence[Member], terminator: bytes) -> tuple[dict[str, bytes], bytes]:
    """Each distinct member name's header field, and the ``//`` member's contents."""
    long_names = bytearray()
    fields: dict[str, bytes] = {}
    for member in members:
        if member.name not in fields:
            fields[member.name] = name_field(member.name, long_names, terminator)
    return fields, bytes(long_names)


def _member_parts(
    members: Sequence[Member], name_fields: dict[str, bytes]
) -> tuple[list[bytes], list[int]]:
    """The members behind their headers, padded, in pieces; and each one's size."""
    prefixes = {name: member_prefix(field) for name, field in name_fields.items()}
    parts = []
    sizes = []
    for member in members:
        data = member.data
        size = len(data)
        parts.append(prefixes[member.name] + b"%-10d`\n" % size)
        parts.append(data + b"\n" if size & 1 else data)
        sizes.append(HEADER_SIZE + size + (size & 1))
    return parts, sizes


def _check_offset(offset: int) -> None:
    if offset >= 1 << 32:  # LLVM would switch to /SYM64/; no import library is this large
        raise ArchiveError(f"an archive of {offset} bytes is past the 4 GiB a symbol table indexes")


def write_coff_archive(members: Sequence[Member]) -> bytes:
    """The bytes of a COFF archive of ``members``, as LLVM's writer lays them out."""
    if len(members) > MAX_COFF_MEMBERS:
        raise ArchiveError(f"a COFF archive holds at most {MAX_COFF_MEMBERS} members")
    name_fields, long_names = _name_fields(members, b"\0")
    # Each symbol once, in member order; the first member that defines it wins.
    symbols: dict[bytes, int] = {}
    for index, member in enumerate(members):
        for symbol in member.symbols:
            if symbol not in symbols:
                symbols[symbol] = index
    body, sizes = _member_parts(members, name_fields)
    names, owners = list(symbols), [index + 1 for index in symbols.values()]
    return coff_archive(long_names, body, sizes, _names(names), owners, sorted_index(names, owners))


def sorted_index(names: list[bytes], owners: Sequence[int]) -> tuple[bytes, list[int]]:
    """The second linker member's list: ``names`` sorted (bytes order), with their ``owners``."""
    order = sorted(range(len(names)), key=names.__getitem__)
    return _names(map(names.__getitem__, order)), list(map(owners.__getitem__, order))


def _names(symbols: Iterable[bytes]) -> bytes:
    """Symbols as a linker member lists them: each followed by a NUL."""
    return b"".join([symbol + b"\0" for symbol in symbols])


def coff_archive(
    long_names: bytes,
    body: Iterable[bytes],
    sizes: Sequence[int],
    names: bytes,
    owners: Sequence[int],
    index: tuple[bytes, Iterable[int]],
) -> bytes:
    """A COFF archive: the linker members and ``//`` (``long_names``), then ``body``.

    ``body`` is the members behind their headers, padded, in pieces, and
    ``sizes`` the size of each member in it. ``names`` holds every symbol once,
    each followed by a NUL, in member order, and ``owners`` the number (1-based,
    as the second linker member says) of the member that defines each;
    ``index`` is the same two sorted by symbol (bytes order), which is what the
    second linker member lists. The writer calls this (and gnu_archive) directly,
    with strings it made in one piece; everything is joined once, at the end.
    """
    member_count, symbol_count = len(sizes), len(owners)
    if member_count > MAX_COFF_MEMBERS:
        raise ArchiveError(f"a COFF archive holds at most {MAX_COFF_MEMBERS} members")
    # LLVM counts the linker members' NUL padding in their size.
    first_size = 4 + 4 * symbol_count + len(names)
    first_size += first_size & 1
    second_size = 4 + 4 * member_count + 4 + 2 * symbol_count + len(names)
    second_size += second_size & 1
    start = len(MAGIC) + 2 * HEADER_SIZE + first_size + second_size
    if long_names:
        start += HEADER_SIZE + len(long_names) + (len(long_names) & 1)
    # Each member's offset by its number (offsets[0] is none), then the end.
    offsets = [0, *accumulate(sizes, initial=start)]
    del offsets[-1]
    _check_offset(offsets[-1] if member_count else 0)
    pad = b"\0" if len(names) & 1 else b""  # both members' sizes are even or odd alike
    out = [
        MAGIC,
        # First linker member: symbols in member order, big-endian offsets.
        _header(b"/", first_size, b"0"),
        struct.pack(f">I{symbol_count}I", symbol_count, *map(offsets.__getitem__, owners)),
        names,
        pad,
        # Second linker member: member offsets, then symbols sorted by name (bytes order).
        _header(b"/", second_size, b"0"),
        struct.pack(f"<I{member_count}II", member_count, *offsets[1:], symbol_count),
        struct.pack(f"<{symbol_count}H", *index[1]),
        index[0],
        pad,
    ]
    if long_names:
        table = _padded(long_names, b"\n")  # padding counted in the size
        out += (_long_names_header(len(table)), table)
    out += body
    return b"".join(out)


def _write_gnu_archive(members: Sequence[Member]) -> bytes:
    """The GNU form LLVM falls back to past MAX_COFF_MEMBERS members."""
    name_fields, long_names = _name_fields(members, b"/\n")
    symbols = [(symbol, i + 1) for i, member in enumerate(members) for symbol in member.symbols]
    body, sizes = _member_parts(members, name_fields)
    names = b"".join([symbol + b"\0" for symbol, _ in symbols])
    return gnu_archive(long_names, body, sizes, names, [number for _, number in symbols])


def gnu_archive(
    long_names: bytes,
    body: Iterable[bytes],
    sizes: Sequence[int],
    names: bytes,
    owners: Sequence[int],
) -> bytes:
    """A GNU archive: one ``/`` member of every symbol in member order, ``//``, ``body``.

    The arguments are :func:`coff_archive`'s (``long_names`` with GNU's ``/\n``
    ends), except that ``names`` and ``owners`` keep a symbol every time a
    member defines it, as LLVM's GNU form does.
    """
    symbol_count = len(owners)
    table_size = 4 + 4 * symbol_count + len(names)
    table_size += table_size % 2
    start = len(MAGIC) + HEADER_SIZE + table_size
    if long_names:
        start += HEADER_SIZE + len(long_names) + len(long_names) % 2
    offsets = [0, *accumulate(sizes, initial=start)]  # by member number, then the end
    del offsets[-1]
    _check_offset(offsets[-1] if sizes else 0)
    table = struct.pack(f">I{symbol_count}I", symbol_count, *map(offsets.__getitem__, owners))
    table = _padded(table + names, b"\0")
    out = [MAGIC, _header(b"/", len(table), b"0"), table]
    if long_names:
        padded = _padded(long_names, b"\n")
        out += (_long_names_header(len(padded)), padded)
    out += body
    return b"".join(out)


def _long_names_header(size: int) -> bytes:
    """The ``//`` header: only its name and size are filled in."""
    return b"//".ljust(48) + str(size).encode().ljust(10) + _HEADER_END


def iter_members(source: Source) -> Iterator[MemberRef]:
    """Yield the object members of a COFF or GNU archive, in file order, without their data."""
    if source.read_upto(0, len(MAGIC)) != MAGIC:
        raise source.fail("not an archive (no !<arch> signature)")
    offset = len(MAGIC)
    long_names = b""
    count = 0
    while offset < source.size:
        if offset + HEADER_SIZE > source.size:
            raise source.fail(f"truncated member header at offset {offset}")
        raw_name, _, _, _, _, raw_size, end = _HEADER.unpack(
            source.read(offset, HEADER_SIZE, "member header")
        )
        if end != _HEADER_END:
            raise source.fail(f"bad member header at offset {offset}")
        digits = raw_size.rstrip(b" ")
        if not digits.isdigit():  # ASCII digits only: no sign, no spaces inside
            raise source.fail(f"bad member size {raw_size!r} at offset {offset}")
        size = int(digits)
        start = offset + HEADER_SIZE
        if start + size > source.size:
            raise source.fail(f"member at offset {offset} runs past the end of the file")
        name = raw_name.rstrip(b" ")
        if name == b"//":
            if size > _MAX_LONG_NAMES:
                raise source.fail(
                    f"long-name member at offset {offset} is too large ({size} bytes)"
                )
            long_names = source.read(start, size, "long-name member")
        elif name not in (b"/", b"/SYM64/", b"/<ECSYMBOLS>/"):
            count += 1
            if count > MAX_MEMBERS:
                raise source.fail(f"more than {MAX_MEMBERS} members: not an import library")
            yield MemberRef(_member_name(name, long_names, offset, source), offset, start, size)
        offset = start + size + size % 2  # always moves forward: size >= 0


def read_members(data: bytes) -> Iterator[ArchiveMember]:
    """Yield the object members of an archive held in memory, with their bytes."""
    from .source import Source  # reading only: the writer does without

    source = Source(data, error=ArchiveError)
    for ref in iter_members(source):
        yield ArchiveMember(
            ref.name, data[ref.data_offset : ref.data_offset + ref.size], ref.offset
        )


def _member_name(name: bytes, long_names: bytes, offset: int, source: Source) -> str:
    if name.startswith(b"/") and name[1:].isdigit():
        start = int(name[1:])
        if start >= len(long_names):
            raise source.fail(f"bad long-name offset in member header at offset {offset}")
        end = len(long_names)
        for terminator in (b"\0", b"/\n", b"\n"):
            found = long_names.find(terminator, start, end)
            if found >= 0:
                end = found
        return long_names[start:end].decode("utf-8", "replace")
    return name.removesuffix(b"/").decode("utf-8", "replace")
