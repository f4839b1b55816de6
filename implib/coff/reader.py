"""Read import libraries back: which DLLs, which names, of which kind, for which machines.

Three kinds of members carry imports (PE/COFF specification, "Import Library
Format" and ".idata Section"):

* short imports (MSVC's ``lib.exe``, LLVM, zig): one 20-byte header per name,
  version 0;
* GNU ``dlltool``'s long format: per name a small object with ``.idata$4``/
  ``.idata$5`` slots and an ``.idata$6`` hint/name. Its DLL is found the way a
  linker finds it: the entry's ``.idata$7`` relocation names its *head*, the
  head's ``.idata$2`` relocation at offset 12 (NameRVA) names a symbol, and
  the *tail* defining that symbol holds the DLL name. One archive may import
  from many DLLs (mingw-w64's ``libucrt.a``: 15);
* LLVM's weak externals for ``alias == name`` renames: reported as imports of
  what the alias stands for, with ``name_type`` ``alias``.

Members are classified as LLVM's ``identify_magic`` does (objfile.classify):
a bigobj object or an MSVC ``/GL`` object is no short import. Everything is
read through :class:`.source.Source`, bounded by the input's real size.
"""

from __future__ import annotations

import dataclasses
import os
import struct
from collections.abc import Iterator

from ..errors import LibraryError
from .archive import MemberRef, iter_members
from .objfile import CoffObject, classify, parse_object, short_import_fields
from .source import Source, open_source
from .structs import MAX_NAME, ImportNameType, ImportType, StorageClass

__all__ = ["Import", "ImportLibrary", "LibraryError", "parse_import_library", "read_import_library"]

#: Objects larger than this are no import objects (those are a few hundred bytes,
#: a few names of at most MAX_NAME bytes each, as the writer writes them); skipped.
_MAX_IMPORT_OBJECT = 16 * MAX_NAME
_IMP = "__imp_"


@dataclasses.dataclass(frozen=True)
class Import:
    """One imported name."""

    dll: str
    name: str  # the name the loader looks up ("" when by ordinal)
    symbol: str  # the linker symbol (without __imp_)
    kind: str  # code, data or const
    ordinal: int | None  # the ordinal given (looked up by it when name is ""), or None
    hint: int  # the loader's hint (short form: the ordinal field)
    name_type: str  # ordinal, name, noprefix, undecorate, exportas (short); name (long); alias
    alias_of: str = ""  # alias: the symbol the linker uses instead (without __imp_)


@dataclasses.dataclass(frozen=True)
class ImportLibrary:
    """What an import library imports."""

    format: str  # "short" (MSVC/LLVM), "long" (GNU dlltool), or "short+long"
    machines: tuple[int, ...]  # every machine of its import members, in file order
    imports: tuple[Import, ...]

    @property
    def machine(self) -> int:
        """The first machine (0 if none): most libraries have exactly one."""
        return self.machines[0] if self.machines else 0

    @property
    def dlls(self) -> list[str]:
        return sorted({imp.dll for imp in self.imports})


_NAME_TYPES = {t.value: t.name.lower().replace("name_", "") for t in ImportNameType}
_KINDS = {t.value: t.name.lower() for t in ImportType}


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


def _short_import(data: bytes, where: str) -> tuple[int, Import]:
    machine, ordinal_hint, type_info, names = short_import_fields(data, where)
    parts = names.split(b"\0")
    name_type = (type_info >> 2) & 0x7
    needed = 3 if name_type == ImportNameType.NAME_EXPORTAS else 2
    if len(parts) <= needed - 1 or (len(parts) == needed and parts[-1]):
        raise LibraryError(f"{where}: unterminated name in short import")
    symbol, dll = (p.decode("utf-8", "replace") for p in parts[:2])
    export_as = parts[2].decode("utf-8", "replace") if needed == 3 else ""
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
class _Objects:
    """The COFF members of one archive, and the symbols they define."""

    objects: list[tuple[int, MemberRef, CoffObject]] = dataclasses.field(default_factory=list)
    definers: dict[str, CoffObject] = dataclasses.field(default_factory=dict)

    def add(self, position: int, ref: MemberRef, obj: CoffObject) -> None:
        self.objects.append((position, ref, obj))
        for symbol in obj.symbols.values():
            if symbol.storage == StorageClass.EXTERNAL and symbol.section > 0:
                self.definers.setdefault(symbol.name, obj)


def _relocation_target(obj: CoffObject, section_name: str, offset: int) -> str | None:
    section = obj.section(section_name)
    if section is None:
        return None
    for relocation in section.relocations:
        if relocation.offset == offset and relocation.symbol in obj.symbols:
            return obj.symbols[relocation.symbol].name
    return None


def _head_dll(head: CoffObject, objects: _Objects, where: str) -> str:
    """The DLL a head object names: its NameRVA relocation -> the tail's bytes."""
    name_symbol = _relocation_target(head, ".idata$2", 12)
    tail = objects.definers.get(name_symbol or "")
    if tail is None:
        raise LibraryError(f"{where}: the DLL name {name_symbol!r} is defined by no member")
    for symbol in tail.symbols.values():
        if symbol.name == name_symbol and symbol.storage == StorageClass.EXTERNAL:
            section = tail.section_of(symbol)
            if section is not None and symbol.value < len(section.data):
                raw = section.data[symbol.value :].split(b"\0", 1)[0]
                return raw.decode("utf-8", "replace")
    raise LibraryError(f"{where}: the DLL name {name_symbol!r} holds no name")


def _long_import(
    obj: CoffObject, objects: _Objects, dlls: dict[int, str], where: str
) -> Import | None:
    """The import of a long-format entry, or None for any other object."""
    imp_symbols = [
        s for s in obj.symbols.values()
        if s.storage == StorageClass.EXTERNAL and s.section > 0 and s.name.startswith(_IMP)
    ]  # fmt: skip
    head_symbol = _relocation_target(obj, ".idata$7", 0)
    if not imp_symbols or head_symbol is None:
        return None  # a head, a tail, or an object that is no import
    head = objects.definers.get(head_symbol)
    if head is None or head.section(".idata$2") is None:
        raise LibraryError(f"{where}: its head {head_symbol!r} is not in the archive")
    if id(head) not in dlls:
        dlls[id(head)] = _head_dll(head, objects, where)
    imp = imp_symbols[0]
    slot = obj.section_of(imp)
    if slot is None or len(slot.data) not in (4, 8):
        raise LibraryError(f"{where}: {imp.name} is no import address table slot")
    width = len(slot.data)
    value = int.from_bytes(slot.data, "little")
    symbol = imp.name[len(_IMP) :]
    plain = next(
        (s for s in obj.symbols.values()
         if s.name == symbol and s.storage == StorageClass.EXTERNAL and s.section > 0),
        None,
    )  # fmt: skip
    plain_section = obj.section_of(plain) if plain is not None else None
    kind = "data" if plain_section is None else "const" if plain_section is slot else "code"
    if value >> (8 * width - 1):  # by ordinal
        ordinal = value & 0xFFFF
        return Import(dlls[id(head)], "", symbol, kind, ordinal, ordinal, "ordinal")
    name_section, start = None, 0
    for relocation in slot.relocations:
        target = obj.symbols.get(relocation.symbol)
        if relocation.offset == 0 and target is not None:
            name_section = obj.section_of(target)
            start = target.value + value
    if name_section is None or start + 2 > len(name_section.data):
        raise LibraryError(f"{where}: {imp.name} points at no hint/name entry")
    (hint,) = struct.unpack_from("<H", name_section.data, start)
    name = name_section.data[start + 2 :].split(b"\0", 1)[0].decode("utf-8", "replace")
    # GNU dlltool numbers every export, so the hint is no .def ordinal.
    return Import(dlls[id(head)], name, symbol, kind, None, hint, "name")


def _weak_aliases(obj: CoffObject) -> Iterator[tuple[str, str]]:
    """(alias, target) of each weak external (LLVM's members for ``==`` renames)."""
    for symbol in obj.symbols.values():
        if symbol.storage == StorageClass.WEAK_EXTERNAL and len(symbol.aux) >= 4:
            (tag,) = struct.unpack_from("<I", symbol.aux)
            target = obj.symbols.get(tag)
            if target is not None:
                yield symbol.name, target.name


def _read(source: Source) -> ImportLibrary:
    shorts: list[tuple[int, Import]] = []
    objects = _Objects()
    machines: dict[int, None] = {}
    prefix = f"{source.where}: " if source.where else ""
    for position, ref in enumerate(iter_members(source)):
        where = f"{prefix}member {ref.name!r} at offset {ref.offset}"
        head = source.read(ref.data_offset, min(ref.size, 56), "member")
        kind = classify(head)
        if kind == "import" and ref.size > _MAX_IMPORT_OBJECT:
            raise LibraryError(f"{where}: a short import of {ref.size} bytes")
        if kind == "import":
            machine, imp = _short_import(source.read(ref.data_offset, ref.size), where)
            machines.setdefault(machine)
            shorts.append((position, imp))
        elif kind in ("object", "bigobj") and ref.size <= _MAX_IMPORT_OBJECT:
            objects.add(position, ref, parse_object(source.read(ref.data_offset, ref.size), where))
    found: list[tuple[int, Import]] = list(shorts)
    dlls: dict[int, str] = {}
    long_count = 0
    by_symbol = {imp.symbol: imp for _, imp in shorts}
    aliases: list[tuple[int, CoffObject, str, str]] = []
    descriptor = False
    for position, ref, obj in objects.objects:
        where = f"{prefix}member {ref.name!r} at offset {ref.offset}"
        entry = _long_import(obj, objects, dlls, where)
        if entry is not None:
            found.append((position, entry))
            by_symbol.setdefault(entry.symbol, entry)
            machines.setdefault(obj.machine)
            long_count += 1
            continue
        for alias, target in _weak_aliases(obj):
            aliases.append((position, obj, alias, target))
        if any(s.name.startswith("__IMPORT_DESCRIPTOR_") for s in obj.symbols.values()):
            descriptor = True
            machines.setdefault(obj.machine)
    found += _alias_imports(aliases, by_symbol, machines)
    if not found and not descriptor:
        raise source.fail("no imports found: not an import library")
    found.sort(key=lambda pair: pair[0])  # file order; sort is stable within a member
    form = "short+long" if shorts and long_count else "long" if long_count else "short"
    return ImportLibrary(form, tuple(machines), tuple(imp for _, imp in found))


def _alias_imports(
    aliases: list[tuple[int, CoffObject, str, str]],
    by_symbol: dict[str, Import],
    machines: dict[int, None],
) -> list[tuple[int, Import]]:
    """One import per aliased name: ``__imp_alias`` (and ``alias`` for code) -> the target."""
    plain = {alias for _, _, alias, _ in aliases if not alias.startswith(_IMP)}
    result = []
    for position, obj, alias, target in aliases:
        if not alias.startswith(_IMP):
            continue
        symbol, target_symbol = alias[len(_IMP) :], target[len(_IMP) :]
        found = by_symbol.get(target_symbol)
        machines.setdefault(obj.machine)
        kind = "code" if symbol in plain else "const" if found and found.kind == "const" else "data"
        if found is None:
            imp = Import("", "", symbol, kind, None, 0, "alias", target_symbol)
        else:
            imp = Import(found.dll, found.name, symbol, kind, found.ordinal, found.hint, "alias",
                         target_symbol)  # fmt: skip
        result.append((position, imp))
    return result


def parse_import_library(data: bytes) -> ImportLibrary:
    """Read an import library's bytes (short, long or both)."""
    return _read(Source(data, error=LibraryError))


def read_import_library(path: str | os.PathLike[str]) -> ImportLibrary:
    """Read an import library file; errors name the file."""
    with open_source(path, LibraryError) as source:
        return _read(source)


def iter_kinds(library: ImportLibrary) -> Iterator[tuple[str, int]]:
    """(kind, count) pairs, for summaries."""
    counts: dict[str, int] = {}
    for imp in library.imports:
        counts[imp.kind] = counts.get(imp.kind, 0) + 1
    yield from sorted(counts.items())
