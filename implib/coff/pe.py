"""A DLL's export table, read with pefile, as a ``.def`` would list it.

An import library must mark variables DATA, which the export table does not
say directly: an export is code if its address lies in an executable
section, data otherwise. A forwarded export (python3.dll forwards each of
its exports, e.g. to ``python313.PyLong_FromLong``) has no address of its
own, so its kind is the kind of its target in the DLL it forwards to.

pefile is imported when a DLL is read, not at start-up.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import struct
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Literal

from ..errors import DllError
from .deffile import Export, ModuleDefinition

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

_EXPORT_DIRECTORY = 0
_SCN_CNT_CODE = 0x00000020
_SCN_MEM_EXECUTE = 0x20000000
_PE_HEADER_SIZE = 24  # "PE\0\0" and the COFF file header
_SECTION_HEADER_SIZE = 40


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


def _headers_end(data: bytes) -> int:
    """How many bytes the file needs to hold its PE headers."""
    if len(data) < 0x40:
        return 0x40
    pe_offset: int = struct.unpack_from("<I", data, 0x3C)[0]
    if len(data) < pe_offset + _PE_HEADER_SIZE:
        return pe_offset + _PE_HEADER_SIZE
    sections: int
    optional_size: int
    sections, optional_size = struct.unpack_from("<2xH12xH", data, pe_offset + 4)
    return pe_offset + _PE_HEADER_SIZE + optional_size + sections * _SECTION_HEADER_SIZE


def _load(data: bytes, where: str) -> Any:
    """A pefile.PE with its export directory parsed, or a DllError."""
    try:
        import pefile
    except ImportError:
        raise DllError(f"{where}: reading a DLL needs pefile (pip install pefile)") from None
    if data[:2] != b"MZ":
        raise DllError(f"{where}: not a PE file (no MZ signature)")
    needed = _headers_end(data)
    if len(data) < needed:
        raise DllError(
            f"{where}: truncated: the PE headers need {needed} bytes, the file has {len(data)}"
        )
    try:
        pe = pefile.PE(data=data, fast_load=True)
    except pefile.PEFormatError as exc:
        raise DllError(f"{where}: not a valid PE file ({exc.value})") from None
    raw_end = max((s.PointerToRawData + s.SizeOfRawData for s in pe.sections), default=0)
    if raw_end > len(data):
        raise DllError(
            f"{where}: truncated: its sections need {raw_end} bytes, the file has {len(data)}"
        )
    directory = pe.OPTIONAL_HEADER.DATA_DIRECTORY
    if len(directory) <= _EXPORT_DIRECTORY or not directory[_EXPORT_DIRECTORY].VirtualAddress:
        raise DllError(f"{where}: no export table")
    try:
        pe.parse_data_directories(directories=[_EXPORT_DIRECTORY])
    except Exception as exc:  # pefile raises assorted errors on damaged tables
        raise DllError(f"{where}: unreadable export table ({exc})") from None
    if not hasattr(pe, "DIRECTORY_ENTRY_EXPORT"):
        raise DllError(f"{where}: unreadable export table")
    return pe


def _is_code(pe: Any, rva: int) -> bool:
    for section in pe.sections:
        size = max(section.Misc_VirtualSize, section.SizeOfRawData)
        if section.VirtualAddress <= rva < section.VirtualAddress + size:
            return bool(section.Characteristics & (_SCN_CNT_CODE | _SCN_MEM_EXECUTE))
    return False


def _text(raw: bytes | None) -> str | None:
    return None if raw is None else raw.decode("utf-8", "replace")


def read_exports(
    path: str | os.PathLike[str], *, targets: Mapping[str, DllExports] | None = None
) -> DllExports:
    """Read a DLL's export table.

    ``targets`` maps DLL names (``python313.dll``, any case) to their
    exports, for classifying forwarded exports; see :func:`resolve_forwarders`.
    """
    where = os.fspath(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise DllError(f"{where}: cannot read: {exc.strerror}") from None
    pe = _load(data, where)
    directory = pe.DIRECTORY_ENTRY_EXPORT
    exports = []
    for symbol in directory.symbols:
        forwarder = _text(symbol.forwarder)
        if not forwarder and not symbol.address:
            continue  # an unused slot of the address table
        kind: Literal["code", "data"] = (
            "code" if forwarder or _is_code(pe, symbol.address) else "data"
        )
        exports.append(DllExport(_text(symbol.name), symbol.ordinal, kind, forwarder))
    if not exports:
        raise DllError(f"{where}: the export table is empty")
    dll_name = _text(getattr(directory, "name", None)) or Path(where).name
    result = DllExports(dll_name, tuple(exports))
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
