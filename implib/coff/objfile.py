"""COFF object files, regular and bigobj: their sections, relocations and symbols.

Based on the PE/COFF specification, sections "COFF File Header", "Section
Table", "COFF Relocations", "COFF Symbol Table" and "COFF String Table"; the
bigobj header (``-Wa,-mbig-obj``, MSVC ``/bigobj``) is LLVM's ``BigObjHeader``
(llvm/include/llvm/BinaryFormat/COFF.h): ``00 00 FF FF``, version 2, a fixed
ClassID, 32-bit section and symbol counts, 20-byte symbols.

Headers that start ``00 00 FF FF`` are sorted as LLVM's ``identify_magic``
does: version 0 is a short import (:func:`classify` says ``"import"``), the
bigobj ClassID an object, anything else (MSVC ``/GL`` objects) no object
implib reads. Every offset and count is checked against the member's size;
a damaged object raises :class:`LibraryError`, never ``struct.error``.
"""

from __future__ import annotations

import dataclasses
import struct

from ..errors import LibraryError
from .structs import (
    ANON_SIGNATURE,
    BIGOBJ_CLASS_ID,
    BIGOBJ_HEADER,
    BIGOBJ_SYMBOL,
    FILE_HEADER,
    IMPORT_HEADER,
    RELOCATION,
    SECTION_HEADER,
    SYMBOL,
)

__all__ = [
    "CoffObject",
    "Relocation",
    "Section",
    "Symbol",
    "classify",
    "parse_object",
    "short_import_fields",
]

#: IMAGE_FILE_MACHINE_* of COFF objects (i386, ARM, ARMNT, IA64, AMD64, ARM64EC, ARM64X,
#: ARM64); a member starting otherwise (an ELF object in a static library) is none.
OBJECT_MACHINES = frozenset({0x14C, 0x1C0, 0x1C4, 0x200, 0x8664, 0xA641, 0xA64E, 0xAA64})
#: The most sections and symbols read from one object; import objects have a handful.
_MAX_SECTIONS = 1 << 16
_MAX_SYMBOLS = 1 << 20


@dataclasses.dataclass(frozen=True)
class Relocation:
    offset: int  # within the section
    symbol: int  # symbol table index
    type: int


@dataclasses.dataclass(frozen=True)
class Section:
    name: str
    data: bytes  # empty for uninitialized or zero-sized sections
    relocations: tuple[Relocation, ...]


@dataclasses.dataclass(frozen=True)
class Symbol:
    name: str
    value: int
    section: int  # 1-based; 0 undefined; negative: absolute or debug
    storage: int  # StorageClass
    aux: bytes  # the auxiliary records, concatenated


@dataclasses.dataclass(frozen=True)
class CoffObject:
    """The parts of a COFF object the import library readers need."""

    machine: int
    sections: tuple[Section, ...]
    symbols: dict[int, Symbol]  # by symbol table index (aux records have none)

    def section_of(self, symbol: Symbol) -> Section | None:
        """The section ``symbol`` is defined in, if any."""
        if 0 < symbol.section <= len(self.sections):
            return self.sections[symbol.section - 1]
        return None

    def section(self, name: str) -> Section | None:
        return next((s for s in self.sections if s.name == name), None)


def classify(head: bytes) -> str:
    """``import`` (short import), ``bigobj``, ``object``, or ``other`` from a member's start."""
    if head[:4] == ANON_SIGNATURE:
        if len(head) >= 6 and head[4:6] == b"\0\0":
            return "import"
        if head[12:28] == BIGOBJ_CLASS_ID:
            return "bigobj"
        return "other"
    if len(head) >= FILE_HEADER.size and int.from_bytes(head[:2], "little") in OBJECT_MACHINES:
        return "object"
    return "other"


def parse_object(data: bytes, where: str) -> CoffObject:
    """Sections, relocations and symbols of a regular or bigobj COFF object."""
    try:
        return _parse(data, where)
    except struct.error as exc:  # every read below is bounded; this is a last guard
        raise LibraryError(f"{where}: damaged COFF object ({exc})") from None


def _parse(data: bytes, where: str) -> CoffObject:
    size = len(data)
    if classify(data[:56]) == "bigobj":
        if size < BIGOBJ_HEADER.size:
            raise LibraryError(f"{where}: truncated bigobj header")
        _, _, _, machine, _, _, nsections, symtab, nsymbols = BIGOBJ_HEADER.unpack_from(data)
        sections_at, optional, symbol_struct = BIGOBJ_HEADER.size, 0, BIGOBJ_SYMBOL
    else:
        if size < FILE_HEADER.size:
            raise LibraryError(f"{where}: truncated COFF header")
        machine, nsections, _, symtab, nsymbols, optional, _ = FILE_HEADER.unpack_from(data)
        sections_at, symbol_struct = FILE_HEADER.size, SYMBOL
    if nsections > _MAX_SECTIONS or nsymbols > _MAX_SYMBOLS:
        raise LibraryError(f"{where}: {nsections} sections, {nsymbols} symbols: too many")
    table_end = symtab + nsymbols * symbol_struct.size
    if nsymbols and (symtab < sections_at or table_end > size):
        raise LibraryError(f"{where}: symbol table runs past the end of the object")
    strings = data[table_end:] if nsymbols or symtab else b""
    if len(strings) >= 4:
        (strings_size,) = struct.unpack_from("<I", strings)
        strings = strings[: max(4, min(strings_size, len(strings)))]

    def name_of(raw: bytes) -> str:
        if raw[:4] == b"\0\0\0\0":
            (offset,) = struct.unpack_from("<I", raw, 4)
            return _string(strings, offset, where)
        return raw.rstrip(b"\0").decode("utf-8", "replace")

    symbols: dict[int, Symbol] = {}
    index = 0
    while index < nsymbols:  # advances by at least one record
        at = symtab + index * symbol_struct.size
        raw, value, section, _, storage, naux = symbol_struct.unpack_from(data, at)
        aux_end = min(table_end, at + (1 + naux) * symbol_struct.size)
        aux = data[at + symbol_struct.size : aux_end]
        symbols[index] = Symbol(name_of(raw), value, section, storage, aux)
        index += 1 + naux

    sections = []
    headers_at = sections_at + optional
    if headers_at + nsections * SECTION_HEADER.size > size:
        raise LibraryError(f"{where}: section table runs past the end of the object")
    for number in range(nsections):
        fields = SECTION_HEADER.unpack_from(data, headers_at + number * SECTION_HEADER.size)
        raw_name, _, _, raw_size, raw_at, relocs_at, _, nrelocs, _, _ = fields
        name = raw_name.rstrip(b"\0").decode("utf-8", "replace")
        if name.startswith("/") and name[1:].isdigit():  # a long section name
            name = _string(strings, int(name[1:]), where)
        if raw_at and raw_at + raw_size > size:
            raise LibraryError(f"{where}: section {name} runs past the end of the object")
        if nrelocs and relocs_at + nrelocs * RELOCATION.size > size:
            raise LibraryError(f"{where}: relocations of {name} run past the end of the object")
        relocations = tuple(
            Relocation(*RELOCATION.unpack_from(data, relocs_at + r * RELOCATION.size))
            for r in range(nrelocs)
        )
        sections.append(
            Section(name, data[raw_at : raw_at + raw_size] if raw_at else b"", relocations)
        )
    return CoffObject(machine, tuple(sections), symbols)


def _string(strings: bytes, offset: int, where: str) -> str:
    if not 4 <= offset < len(strings):
        raise LibraryError(f"{where}: symbol name offset {offset} outside the string table")
    end = strings.find(b"\0", offset)
    return strings[offset : end if end >= 0 else len(strings)].decode("utf-8", "replace")


def short_import_fields(data: bytes, where: str) -> tuple[int, int, int, bytes]:
    """Machine, ordinal/hint, type and the name data of a short import member."""
    if len(data) < IMPORT_HEADER.size:
        raise LibraryError(f"{where}: truncated short import")
    _, _, _, machine, _, size_of_data, ordinal, type_info = IMPORT_HEADER.unpack_from(data)
    if IMPORT_HEADER.size + size_of_data > len(data):
        raise LibraryError(f"{where}: short import runs past its member ({size_of_data} bytes)")
    return machine, ordinal, type_info, data[IMPORT_HEADER.size : IMPORT_HEADER.size + size_of_data]
