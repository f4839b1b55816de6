"""Read import libraries back: which DLL, which names, of which kind.

Two forms exist (PE/COFF specification, "Import Library Format" and ".idata
Section"): the short-import form that MSVC's ``lib.exe``, LLVM and zig write
(one 20-byte header per name), and the long form of GNU ``dlltool``, where
each name is a small COFF object holding its ``.idata$4``/``.idata$5``
entries, its ``.idata$6`` hint/name and, for code, a ``.text`` jump thunk.
Both are read into the same :class:`ImportLibrary`.
"""

from __future__ import annotations

import dataclasses
import os
import struct
from collections.abc import Iterator
from pathlib import Path

from ..errors import ArchiveError, LibraryError
from .archive import ArchiveMember, read_members
from .structs import FILE_HEADER, IMPORT_HEADER, SECTION_HEADER, SYMBOL, ImportNameType, ImportType

__all__ = ["Import", "ImportLibrary", "LibraryError", "read_import_library"]


@dataclasses.dataclass(frozen=True)
class Import:
    """One imported name."""

    dll: str
    name: str  # the name the loader looks up ("" when by ordinal)
    symbol: str  # the linker symbol (without __imp_)
    kind: str  # code, data or const
    ordinal: int | None  # the ordinal given (looked up by it when name is ""), or None
    hint: int  # the loader's hint (short form: the ordinal field)
    name_type: str  # ordinal, name, noprefix, undecorate, exportas (short form); name (long)


@dataclasses.dataclass(frozen=True)
class ImportLibrary:
    """What an import library imports."""

    format: str  # "short" (MSVC/LLVM) or "long" (GNU dlltool)
    machine: int
    imports: tuple[Import, ...]

    @property
    def dlls(self) -> list[str]:
        return sorted({imp.dll for imp in self.imports})


_NAME_TYPES = {t.value: t.name.lower().replace("name_", "") for t in ImportNameType}
_KINDS = {t.value: t.name.lower() for t in ImportType}


def _c_string(data: bytes, start: int) -> tuple[str, int]:
    end = data.find(b"\0", start)
    if end < 0:
        raise LibraryError("unterminated name in short import member")
    return data[start:end].decode("utf-8", "replace"), end + 1


def _looked_up_name(name_type: int, symbol: str, export_as: str) -> str:
    if name_type == ImportNameType.ORDINAL:
        return ""
    if name_type == ImportNameType.NAME_EXPORTAS:
        return export_as
    if name_type in (ImportNameType.NAME_NOPREFIX, ImportNameType.NAME_UNDECORATE):
        if symbol[:1] in ("?", "@", "_"):
            symbol = symbol[1:]
        if name_type == ImportNameType.NAME_UNDECORATE:
            symbol = symbol.split("@", 1)[0]
    return symbol


def _short_import(member: ArchiveMember) -> tuple[int, Import]:
    data = member.data
    if len(data) < IMPORT_HEADER.size:
        raise LibraryError(f"truncated short import member at offset {member.offset}")
    _, _, _, machine, _, _, ordinal_hint, type_info = IMPORT_HEADER.unpack_from(data)
    symbol, pos = _c_string(data, IMPORT_HEADER.size)
    dll, pos = _c_string(data, pos)
    name_type = (type_info >> 2) & 0x7
    export_as = _c_string(data, pos)[0] if name_type == ImportNameType.NAME_EXPORTAS else ""
    return machine, Import(
        dll=dll,
        name=_looked_up_name(name_type, symbol, export_as),
        symbol=symbol,
        kind=_KINDS.get(type_info & 0x3, "unknown"),
        ordinal=ordinal_hint or None,  # the .def's @ordinal, whether or not NONAME
        hint=ordinal_hint,
        name_type=_NAME_TYPES.get(name_type, str(name_type)),
    )


@dataclasses.dataclass
class _Object:
    """The parts of a COFF object the long form needs."""

    machine: int
    sections: dict[str, bytes]
    symbols: list[str]  # external symbol names


def _coff_object(data: bytes) -> _Object | None:
    if len(data) < FILE_HEADER.size:
        return None
    machine, nsections, _, symtab, nsymbols, opt_size, _ = FILE_HEADER.unpack_from(data)
    table_end = symtab + nsymbols * SYMBOL.size
    if symtab == 0 or table_end > len(data):
        return None
    strtab = data[table_end:]
    sections: dict[str, bytes] = {}
    for index in range(nsections):
        offset = FILE_HEADER.size + opt_size + index * SECTION_HEADER.size
        if offset + SECTION_HEADER.size > len(data):
            return None
        name, _, _, size, raw, *_ = SECTION_HEADER.unpack_from(data, offset)
        section = name.rstrip(b"\0").decode("latin-1")
        sections.setdefault(section, data[raw : raw + size] if raw else b"")
    symbols = []
    index = 0
    while index < nsymbols:
        raw_name, _, section_number, _, storage, aux = SYMBOL.unpack_from(
            data, symtab + index * SYMBOL.size
        )
        if storage == 2 and section_number > 0:  # defined external
            if raw_name[:4] == b"\0\0\0\0":
                (offset,) = struct.unpack_from("<I", raw_name, 4)
                end = strtab.find(b"\0", offset)
                name = strtab[offset : end if end >= 0 else len(strtab)]
            else:
                name = raw_name.rstrip(b"\0")
            symbols.append(name.decode("utf-8", "replace"))
        index += 1 + aux
    return _Object(machine, sections, symbols)


def _long_imports(members: list[ArchiveMember]) -> tuple[int, list[Import]]:
    objects = [obj for obj in map(_coff_object, (m.data for m in members)) if obj is not None]
    dll = ""
    for obj in objects:  # the "tail" object holds the DLL name in .idata$7
        section = obj.sections.get(".idata$7", b"")
        raw_name = section.split(b"\0", 1)[0]
        if raw_name and len(section) > 4 and raw_name.isascii():
            dll = raw_name.decode()
    machine = objects[0].machine if objects else 0
    imports = []
    for obj in objects:
        entry = obj.sections.get(".idata$5")
        imp_symbols = [s for s in obj.symbols if s.startswith("__imp_")]
        if entry is None or not imp_symbols:  # the head and tail objects
            continue
        symbol = imp_symbols[0][len("__imp_") :]
        hint_name = obj.sections.get(".idata$6", b"")
        is64 = len(entry) == 8
        value = int.from_bytes(entry.ljust(8, b"\0")[: 8 if is64 else 4], "little")
        ordinal: int | None
        if value >> (63 if is64 else 31) or len(hint_name) < 2:  # by ordinal
            name, hint, ordinal = "", value & 0xFFFF, value & 0xFFFF
        else:  # by name; GNU dlltool numbers every export, so the hint is no .def ordinal
            (hint,) = struct.unpack_from("<H", hint_name)
            name = hint_name[2:].split(b"\0", 1)[0].decode("utf-8", "replace")
            ordinal = None
        kind = "code" if obj.sections.get(".text") else "data"  # data: no jump thunk
        imports.append(
            Import(dll, name, symbol, kind, ordinal, hint, "name" if name else "ordinal")
        )
    return machine, imports


def parse_import_library(data: bytes) -> ImportLibrary:
    """Read an import library's bytes (short or long form)."""
    try:
        members = list(read_members(data))
    except ArchiveError as exc:
        raise LibraryError(str(exc)) from None
    short = [m for m in members if m.data[:4] == b"\0\0\xff\xff"]
    if short:
        parsed = [_short_import(m) for m in short]
        return ImportLibrary("short", parsed[0][0], tuple(imp for _, imp in parsed))
    machine, imports = _long_imports(members)
    if not imports:
        for obj in filter(None, map(_coff_object, (m.data for m in members))):
            if any(s.startswith("__IMPORT_DESCRIPTOR_") for s in obj.symbols):
                return ImportLibrary("short", obj.machine, ())  # a DLL with no exports
        raise LibraryError("no imports found: not an import library")
    return ImportLibrary("long", machine, tuple(imports))


def read_import_library(path: str | os.PathLike[str]) -> ImportLibrary:
    """Read an import library file; errors name the file."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise LibraryError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        return parse_import_library(data)
    except LibraryError as exc:
        raise LibraryError(f"{path}: {exc}") from None


def iter_kinds(library: ImportLibrary) -> Iterator[tuple[str, int]]:
    """(kind, count) pairs, for summaries."""
    counts: dict[str, int] = {}
    for imp in library.imports:
        counts[imp.kind] = counts.get(imp.kind, 0) + 1
    yield from sorted(counts.items())
