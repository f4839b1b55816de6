"""A DLL's export table, read by hand, as a ``.def`` would list it.

Based on the PE/COFF specification, sections "MS-DOS Stub", "Signature",
"COFF File Header", "Optional Header Data Directories", "Section Table" and
"The .edata Section": ``e_lfanew`` leads to the PE header, data directory 0
to the export directory, whose address, name pointer and ordinal tables give
each export's ordinal, address (or forwarder string) and names. Every name
is read whole, as bytes up to its NUL, and must be UTF-8 (pefile cuts names
at 512 bytes and drops those with spaces, ``;``, ``=``, newlines or
non-ASCII bytes; nothing here does).

An import library must mark variables DATA, which the export table does not
say directly: an export is code if its address lies in an executable
section, data otherwise. A forwarded export (python3.dll forwards each of
its exports, e.g. to ``python313.PyLong_FromLong``) has no address of its
own, so its kind is the kind of its target in the DLL it forwards to.

Reads go through :class:`.source.Source`: a DLL of any size costs only its
headers and export table, and every table is checked against the file.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import struct
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Literal

from ..errors import DllError
from .deffile import Export, ModuleDefinition
from .source import Source, open_source
from .structs import (
    DATA_DIRECTORY,
    DOS_PE_OFFSET,
    EXPORT_DIRECTORY,
    EXPORT_DIRECTORY_INDEX,
    FILE_HEADER,
    MAX_NAME,
    OPTIONAL_DIRECTORY_COUNT,
    PE_SIGNATURE,
    SECTION_HEADER,
    SectionFlags,
)

__all__ = [
    "DllError",
    "DllExport",
    "DllExports",
    "definition_from_dll",
    "definition_from_exports",
    "forward_target",
    "read_exports",
    "resolve_forwarders",
]

#: More entries than any export table holds (its ordinals are 16 bits wide).
_MAX_EXPORTS = 1 << 17
_CODE = SectionFlags.CNT_CODE | SectionFlags.MEM_EXECUTE


@dataclasses.dataclass(frozen=True)
class DllExport:
    """One entry of an export table."""

    name: str | None  # None: exported by ordinal only
    ordinal: int
    kind: Literal["code", "data"]
    forwarder: str | None = None  # "python313.PyLong_FromLong": defined in another DLL


@dataclasses.dataclass(frozen=True)
class DllExports:
    """A DLL's name (as its export table gives it) and its exports."""

    dll_name: str
    exports: tuple[DllExport, ...]

    def by_name(self) -> dict[str, DllExport]:
        return dict(self._names)

    @functools.cached_property
    def _names(self) -> dict[str, DllExport]:
        return {export.name: export for export in self.exports if export.name is not None}

    @functools.cached_property
    def _ordinals(self) -> dict[int, DllExport]:
        return {export.ordinal: export for export in self.exports}

    def find(self, symbol: str) -> DllExport | None:
        """The export a forwarder's ``name`` or ``#ordinal`` part names."""
        if symbol.startswith("#") and symbol[1:].isdigit():
            return self._ordinals.get(int(symbol[1:]))
        return self._names.get(symbol)

    def forwarded_dlls(self) -> set[str]:
        """The DLLs the forwarders point to, lower case, e.g. ``{"python313.dll"}``."""
        return {
            _dll_key(export.forwarder.rpartition(".")[0])
            for export in self.exports
            if export.forwarder
        }


def _dll_key(name: str) -> str:
    name = name.lower()
    return name if name.endswith(".dll") else name + ".dll"


@dataclasses.dataclass(frozen=True)
class _Section:
    address: int  # VirtualAddress
    size: int  # max(VirtualSize, SizeOfRawData): what the loader maps
    raw_at: int  # PointerToRawData
    raw_size: int  # SizeOfRawData
    flags: int


class _Image:
    """A PE image's section table, and reads by RVA."""

    def __init__(self, source: Source) -> None:
        self.source = source
        if source.read_upto(0, 2) != b"MZ":
            raise source.fail("not a PE file (no MZ signature)")
        if source.size < 0x40:
            raise source.fail(
                f"truncated: the PE headers need 64 bytes, the file has {source.size}"
            )
        (pe_at,) = struct.unpack("<I", source.read(DOS_PE_OFFSET, 4))
        headers = pe_at + len(PE_SIGNATURE) + FILE_HEADER.size
        if headers > source.size:
            raise source.fail(
                f"truncated: the PE headers need {headers} bytes, the file has {source.size}"
            )
        if source.read(pe_at, 4) != PE_SIGNATURE:
            raise source.fail("not a valid PE file (no PE signature)")
        fields = FILE_HEADER.unpack(source.read(pe_at + 4, FILE_HEADER.size))
        nsections, optional_size = fields[1], fields[5]
        sections_at = headers + optional_size
        needed = sections_at + nsections * SECTION_HEADER.size
        if needed > source.size:
            raise source.fail(
                f"truncated: the PE headers need {needed} bytes, the file has {source.size}"
            )
        optional = source.read(headers, optional_size)
        magic = int.from_bytes(optional[:2], "little")
        count_at = OPTIONAL_DIRECTORY_COUNT.get(magic)
        if count_at is None or optional_size < count_at + 4:
            raise source.fail(f"not a valid PE file (optional header magic {magic:#x})")
        (count,) = struct.unpack_from("<I", optional, count_at)
        directories = optional[count_at + 4 :]
        self.export_directory = (0, 0)
        if count > EXPORT_DIRECTORY_INDEX and len(directories) >= DATA_DIRECTORY.size:
            self.export_directory = DATA_DIRECTORY.unpack_from(directories)
        self.header_size = sections_at
        self.sections = []
        raw_end = 0
        table = source.read(sections_at, nsections * SECTION_HEADER.size)
        for index in range(nsections):
            _, virtual_size, address, raw_size, raw_at, *_, flags = SECTION_HEADER.unpack_from(
                table, index * SECTION_HEADER.size
            )
            self.sections.append(
                _Section(address, max(virtual_size, raw_size), raw_at, raw_size, flags)
            )
            if raw_at and raw_size:
                raw_end = max(raw_end, raw_at + raw_size)
        if raw_end > source.size:
            raise source.fail(
                f"truncated: its sections need {raw_end} bytes, the file has {source.size}"
            )

    def section_at(self, rva: int) -> _Section | None:
        for section in self.sections:
            if section.address <= rva < section.address + section.size:
                return section
        return None

    def read(self, rva: int, size: int, what: str) -> bytes:
        """``size`` bytes at ``rva``, which must lie in one section's file data."""
        section = self.section_at(rva)
        if section is None:
            if rva + size <= self.header_size:  # in the headers
                return self.source.read(rva, size, what)
            raise self.source.fail(f"{what} at RVA {rva:#x} lies in no section")
        offset = rva - section.address
        if offset + size > section.raw_size:
            raise self.source.fail(f"{what} at RVA {rva:#x} runs past its section's data")
        return self.source.read(section.raw_at + offset, size, what)

    def c_string(self, rva: int, what: str) -> bytes:
        """The NUL-terminated bytes at ``rva``, read whole (up to MAX_NAME bytes)."""
        section = self.section_at(rva)
        if section is None or rva - section.address >= section.raw_size:
            raise self.source.fail(f"{what} at RVA {rva:#x} lies in no section's data")
        offset = rva - section.address
        limit = min(section.raw_size - offset, MAX_NAME)
        for size in (min(256, limit), limit):  # most names are short: read a little first
            chunk = self.source.read(section.raw_at + offset, size, what)
            end = chunk.find(b"\0")
            if end >= 0:
                return chunk[:end]
        raise self.source.fail(f"{what} at RVA {rva:#x} has no end within {limit} bytes")

    def text(self, rva: int, what: str) -> str:
        raw = self.c_string(rva, what)
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            raise self.source.fail(f"{what} at RVA {rva:#x} is not UTF-8: {raw[:60]!r}") from None

    def is_code(self, rva: int) -> bool:
        section = self.section_at(rva)
        return section is not None and bool(section.flags & _CODE)


def _table(image: _Image, rva: int, count: int, width: int, what: str) -> tuple[int, ...]:
    if not count:
        return ()
    data = image.read(rva, count * width, what)
    return struct.unpack(f"<{count}{'I' if width == 4 else 'H'}", data)


def _read_exports(source: Source) -> DllExports:
    image = _Image(source)
    directory_rva, directory_size = image.export_directory
    if not directory_rva:
        raise source.fail("no export table")
    fields = EXPORT_DIRECTORY.unpack(
        image.read(directory_rva, EXPORT_DIRECTORY.size, "export table")
    )
    name_rva, base, nfunctions, nnames, functions_rva, names_rva, ordinals_rva = fields[4:]
    if nfunctions > _MAX_EXPORTS or nnames > _MAX_EXPORTS:
        raise source.fail(f"export table of {nfunctions} addresses and {nnames} names: too large")
    addresses = _table(image, functions_rva, nfunctions, 4, "export address table")
    name_rvas = _table(image, names_rva, nnames, 4, "export name table")
    indexes = _table(image, ordinals_rva, nnames, 2, "export ordinal table")
    names: dict[int, list[str]] = {}
    for number, (rva, index) in enumerate(zip(name_rvas, indexes)):
        if index >= nfunctions:
            raise source.fail(f"export name {number} points past the address table ({index})")
        names.setdefault(index, []).append(image.text(rva, f"export name {number}"))
    exports = []
    for index, address in enumerate(addresses):
        forwarder = None
        if directory_rva <= address < directory_rva + directory_size:
            forwarder = image.text(address, f"forwarder of ordinal {base + index}")
        elif not address:
            continue  # an unused slot of the address table
        kind: Literal["code", "data"] = "code" if forwarder or image.is_code(address) else "data"
        for name in names.get(index) or [None]:  # type: ignore[list-item]
            exports.append(DllExport(name, base + index, kind, forwarder))
    if not exports:
        raise source.fail("the export table is empty")
    dll_name = image.text(name_rva, "DLL name") if name_rva else ""
    return DllExports(dll_name or Path(source.where).name, tuple(exports))


def read_exports(
    path: str | os.PathLike[str], *, targets: Mapping[str, DllExports] | None = None
) -> DllExports:
    """Read a DLL's export table.

    ``targets`` maps DLL names (``python313.dll``, any case) to their
    exports, for classifying forwarded exports; see :func:`resolve_forwarders`.
    """
    with open_source(path, DllError) as source:
        try:
            result = _read_exports(source)
        except struct.error as exc:  # every read is bounded; this is a last guard
            raise source.fail(f"damaged PE headers ({exc})") from None
    return resolve_forwarders(result, targets) if targets else result


def forward_target(export: DllExport, targets: Mapping[str, DllExports]) -> DllExport | None:
    """Where a forwarded export leads, if ``targets`` (DLL name -> exports) holds it.

    None for an export that is not forwarded, a forwarder into a DLL not in
    ``targets``, and one into a DLL that does not export the name: python3.dll
    of CPython 3.11+ forwards PyOS_CheckStack, _Py_NegativeRefcount and
    _Py_RefTotal to a python3X.dll that (in release x64 builds) lacks them.
    """
    if not export.forwarder:
        return None
    module, _, symbol = export.forwarder.rpartition(".")
    key = _dll_key(module)
    target = next((t for name, t in targets.items() if _dll_key(name) == key), None)
    return target.find(symbol) if target is not None else None


def resolve_forwarders(exports: DllExports, targets: Mapping[str, DllExports]) -> DllExports:
    """Give each forwarded export the kind of its target.

    A forwarder that :func:`forward_target` cannot follow stays ``code``.
    """
    resolved = []
    for export in exports.exports:
        found = forward_target(export, targets)
        resolved.append(export if found is None else dataclasses.replace(export, kind=found.kind))
    return dataclasses.replace(exports, exports=tuple(resolved))


def _find_file(folder: Path, file_name: str) -> Path | None:
    candidate = folder / file_name
    if candidate.is_file():
        return candidate
    if folder.is_dir():  # DLL names are case-insensitive, file systems may not be
        for entry in folder.iterdir():
            if entry.name.lower() == file_name and entry.is_file():
                return entry
    return None


def definition_from_exports(exports: DllExports) -> ModuleDefinition:
    """The ``.def`` of an export table: named exports sorted, then ordinal-only ones.

    An export that has only an ordinal gets the name ``ordinal<N>`` and
    ``@N NONAME``, so that an import library imports it by ordinal.
    """
    named = sorted((e for e in exports.exports if e.name is not None), key=lambda e: e.name or "")
    unnamed = sorted((e for e in exports.exports if e.name is None), key=lambda e: e.ordinal)
    lines = [Export(name=e.name or "", data=e.kind == "data") for e in named]
    lines += [
        Export(name=f"ordinal{e.ordinal}", ordinal=e.ordinal, noname=True, data=e.kind == "data")
        for e in unnamed
    ]
    return ModuleDefinition(library=exports.dll_name, exports=tuple(lines))


def definition_from_dll(
    path: str | os.PathLike[str], *, search: Iterable[str | os.PathLike[str]] | None = None
) -> ModuleDefinition:
    """A ``.def`` for a DLL, as MinGW's gendef writes one, with DATA from the sections.

    The DLLs its exports forward to are looked for in the folders of
    ``search`` (default: the DLL's own folder); forwarders into a DLL not
    found there are listed as code.
    """
    exports = read_exports(path)
    folders = [Path(folder) for folder in search] if search is not None else [Path(path).parent]
    targets = {}
    for dll in sorted(exports.forwarded_dlls()):
        for folder in folders:
            found = _find_file(folder, dll)
            if found is not None:
                targets[dll] = read_exports(found)
                break
    if targets:
        exports = resolve_forwarders(exports, targets)
    return definition_from_exports(exports)
