"""GNU dlltool's long import format: a head, one small object per name, a tail.

Based on the PE/COFF specification, section ".idata Section", and on the
objects GNU binutils' ``dlltool`` writes (``make_head``, ``make_one_lib_file``,
``make_tail`` in binutils/dlltool.c). A short import (PE/COFF "Import Library
Format") can say things GNU ld 2.40 cannot read: it rejects the CONST type
and the EXPORTAS name type ("file format not recognized") and cannot resolve
LLVM's weak-external aliases for ``==`` renames. The long form says the same
with plain sections every linker knows:

* the *head* holds the import directory entry (``.idata$2``) with relocations
  to the start of this DLL's lookup and address tables (empty ``.idata$4`` and
  ``.idata$5``) and to the DLL's name;
* each *entry* holds its lookup and address table slots (``.idata$4``,
  ``.idata$5``), its hint and name (``.idata$6``), a ``jmp *__imp_X`` thunk
  for code, and a ``.idata$7`` relocation to the head symbol that pulls the
  head in;
* the *tail* ends both tables with a zero slot and holds the DLL name.

GNU ld and lld (``fixGnuImportChunks``) order ``.idata$N`` contributions by
member name, so the members are named ``<stem>_h.o``, ``<stem>_sNNNNN.o``,
``<stem>_t.o``. The stem is the DLL name with every other character than
ASCII letters and digits made ``_``, then a digest of the entries, so that two
different libraries for one DLL never share a head symbol. Everything is
deterministic: no dates, no file names, fixed order.
"""

from __future__ import annotations

import hashlib
import re
import struct
from collections.abc import Sequence

from ..records import Record
from .archive import Member
from .structs import (
    ADDR32NB,
    FILE_HEADER,
    IMAGE_FILE_32BIT_MACHINE,
    IMAGE_SYM_ABSOLUTE,
    LONG_FORMAT_MACHINES,
    RELOCATION,
    SECTION_HEADER,
    SYMBOL,
    THUNK_RELOCATION,
    ImportType,
    Machine,
    SectionFlags,
    StorageClass,
)

__all__ = ["LONG_FORMAT_MACHINES", "LongImport", "long_format_members"]

_DATA = SectionFlags.CNT_INITIALIZED_DATA | SectionFlags.MEM_READ | SectionFlags.MEM_WRITE
_TEXT = (
    SectionFlags.CNT_CODE
    | SectionFlags.MEM_EXECUTE
    | SectionFlags.MEM_READ
    | SectionFlags.ALIGN_4BYTES
)
#: ``jmp dword/qword ptr [__imp_X]`` and two NOPs, as dlltool writes it; the
#: operand at offset 2 is relocated (i386 absolute, x64 RIP-relative).
_THUNK = b"\xff\x25\0\0\0\0\x90\x90"
_THUNK_OPERAND = 2
#: i386 objects say they are safe for /SAFESEH (they hold no code that handles
#: exceptions), else lld-link refuses them by default.
_SAFESEH_FEATURE = 1


class LongImport(Record):
    """One imported name of the long form."""

    symbol: str  # the linker symbol, as written (i386: with its "_")
    kind: ImportType
    name: str | None  # the name the loader looks up; None: by ordinal
    ordinal: int  # the ordinal (by ordinal) or the hint (by name)
    plain: bool  # whether `symbol` itself is defined: code thunk, or const slot


class _Section(Record):
    name: bytes
    data: bytes
    flags: int
    relocations: tuple[tuple[int, int, int], ...]  # (offset, symbol index, type)


class _Symbol(Record):
    name: bytes
    section: int  # 1-based; 0 undefined; IMAGE_SYM_ABSOLUTE
    storage: StorageClass
    value: int = 0


def _object(machine: Machine, sections: Sequence[_Section], symbols: Sequence[_Symbol]) -> bytes:
    """A COFF object: header, section headers, each section's data and relocations, symbols."""
    strings = bytearray()
    headers_end = FILE_HEADER.size + SECTION_HEADER.size * len(sections)
    body = bytearray()
    section_headers = bytearray()
    for section in sections:
        raw = headers_end + len(body) if section.data else 0
        body += section.data
        relocations_at = headers_end + len(body) if section.relocations else 0
        for offset, index, kind in section.relocations:
            body += RELOCATION.pack(offset, index, kind)
        section_headers += SECTION_HEADER.pack(
            section.name, 0, 0, len(section.data), raw, relocations_at, 0,
            len(section.relocations), 0, section.flags,
        )  # fmt: skip
    table = bytearray()
    for symbol in symbols:
        if len(symbol.name) <= 8:
            raw_name = symbol.name.ljust(8, b"\0")
        else:
            raw_name = struct.pack("<II", 0, 4 + len(strings))
            strings += symbol.name + b"\0"
        table += SYMBOL.pack(raw_name, symbol.value, symbol.section, 0, symbol.storage, 0)
    characteristics = 0 if machine.is_64bit else IMAGE_FILE_32BIT_MACHINE
    header = FILE_HEADER.pack(
        machine, len(sections), 0, headers_end + len(body), len(symbols), 0, characteristics
    )
    return b"".join(
        (header, section_headers, body, table, struct.pack("<I", 4 + len(strings)), strings)
    )


def _stem(dll: str, machine: Machine, imports: Sequence[LongImport]) -> str:
    digest = hashlib.sha256(repr((dll, int(machine), list(imports))).encode()).hexdigest()[:8]
    return re.sub(r"[^A-Za-z0-9]", "_", dll) + "_" + digest


def long_format_members(dll: str, machine: Machine, imports: Sequence[LongImport]) -> list[Member]:
    """The head, one member per import, and the tail, in the order dlltool writes them."""
    if machine not in LONG_FORMAT_MACHINES:
        raise ValueError(f"the long import format is written for i386 and x64, not {machine.name}")
    stem = _stem(dll, machine, imports)
    prefix = "" if machine.is_64bit else "_"  # the C symbol prefix
    head = f"{prefix}_head_{stem}".encode()
    iname = f"__{stem}_iname".encode()
    members = [Member(f"{stem}_h.o", _head(machine, head, iname), (head,))]
    for index, imp in enumerate(imports):
        data, symbols = _entry(machine, head, imp)
        members.append(Member(f"{stem}_s{index:05d}.o", data, symbols))
    members.append(Member(f"{stem}_t.o", _tail(machine, dll, iname), (iname,)))
    return members


def _feature_symbols(machine: Machine) -> list[_Symbol]:
    if machine.is_64bit:
        return []
    return [_Symbol(b"@feat.00", IMAGE_SYM_ABSOLUTE, StorageClass.STATIC, _SAFESEH_FEATURE)]


def _slot_flags(machine: Machine) -> int:
    align = SectionFlags.ALIGN_8BYTES if machine.is_64bit else SectionFlags.ALIGN_4BYTES
    return _DATA | align


def _head(machine: Machine, head: bytes, iname: bytes) -> bytes:
    nb = ADDR32NB[machine]
    slot = _slot_flags(machine)
    sections = [
        # ImportLookupTableRVA @0, NameRVA @12, ImportAddressTableRVA @16.
        _Section(b".idata$2", bytes(20), _DATA | SectionFlags.ALIGN_4BYTES,
                 ((0, 0, nb), (12, 3, nb), (16, 1, nb))),
        _Section(b".idata$4", b"", slot, ()),
        _Section(b".idata$5", b"", slot, ()),
    ]  # fmt: skip
    symbols = [
        _Symbol(b".idata$4", 2, StorageClass.STATIC),
        _Symbol(b".idata$5", 3, StorageClass.STATIC),
        _Symbol(head, 1, StorageClass.EXTERNAL),
        _Symbol(iname, 0, StorageClass.EXTERNAL),
        *_feature_symbols(machine),
    ]
    return _object(machine, sections, symbols)


def _entry(machine: Machine, head: bytes, imp: LongImport) -> tuple[bytes, tuple[bytes, ...]]:
    nb = ADDR32NB[machine]
    width = 8 if machine.is_64bit else 4
    slot = _slot_flags(machine)
    symbol = imp.symbol.encode("utf-8")
    imp_symbol = b"__imp_" + symbol
    code = imp.kind is ImportType.CODE and imp.plain
    # Symbols: 0 __imp_X, 1 the head, [the .idata$6 section], [X], [@feat.00].
    sections: list[_Section] = []
    if code:
        thunk = (_THUNK_OPERAND, 0, THUNK_RELOCATION[machine])
        sections.append(_Section(b".text", _THUNK, _TEXT, (thunk,)))
    sections.append(_Section(b".idata$7", bytes(4), _DATA | SectionFlags.ALIGN_4BYTES,
                             ((0, 1, nb),)))  # fmt: skip
    slot_section = len(sections) + 1
    symbols = [
        _Symbol(imp_symbol, slot_section, StorageClass.EXTERNAL),
        _Symbol(head, 0, StorageClass.EXTERNAL),
    ]
    if imp.name is None:  # by ordinal: the flag bit and the ordinal, no relocation
        entry = (1 << (8 * width - 1) | imp.ordinal).to_bytes(width, "little")
        sections.append(_Section(b".idata$5", entry, slot, ()))
        sections.append(_Section(b".idata$4", entry, slot, ()))
    else:  # by name: both slots point at the hint/name entry
        hint_name = struct.pack("<H", imp.ordinal) + imp.name.encode("utf-8") + b"\0"
        hint_name += b"\0" * (len(hint_name) & 1)
        to_name = ((0, len(symbols), nb),)
        sections.append(_Section(b".idata$5", bytes(width), slot, to_name))
        sections.append(_Section(b".idata$4", bytes(width), slot, to_name))
        sections.append(_Section(b".idata$6", hint_name,
                                 _DATA | SectionFlags.ALIGN_2BYTES, ()))  # fmt: skip
        symbols.append(_Symbol(b".idata$6", len(sections), StorageClass.STATIC))
    defined: tuple[bytes, ...] = (imp_symbol,)
    if imp.plain:  # code: at its thunk; const: the slot itself, as lld reads CONST
        symbols.append(_Symbol(symbol, 1 if code else slot_section, StorageClass.EXTERNAL))
        defined = (imp_symbol, symbol)
    symbols += _feature_symbols(machine)
    return _object(machine, sections, symbols), defined


def _tail(machine: Machine, dll: str, iname: bytes) -> bytes:
    width = 8 if machine.is_64bit else 4
    slot = _slot_flags(machine)
    name = dll.encode("utf-8") + b"\0"
    name += b"\0" * (-len(name) % 4)
    sections = [
        _Section(b".idata$4", bytes(width), slot, ()),
        _Section(b".idata$5", bytes(width), slot, ()),
        _Section(b".idata$7", name, _DATA | SectionFlags.ALIGN_4BYTES, ()),
    ]
    symbols = [_Symbol(iname, 3, StorageClass.EXTERNAL), *_feature_symbols(machine)]
    return _object(machine, sections, symbols)
