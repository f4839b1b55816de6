"""The built-in writer of import libraries, in the short-import format.

Based on the PE/COFF specification, "Import Library Format": an archive of
three small objects that make the linker emit the DLL's import directory
(the import descriptor, the null import descriptor and the null thunk), then
one 20-byte short-import header per exported name. The naming rules (the
leading underscore on i386, name types, ``==`` renames through weak
externals) and the layout follow LLVM's ``writeImportLibrary``
(llvm/lib/Object/COFFImportFile.cpp) and the drivers around it
(llvm/lib/ToolDrivers/llvm-dlltool/DlltoolDriver.cpp, which drops the
internal name of ``ext=int``; llvm-lib, which keeps it for the name type),
and the archive LLVM's ``ArchiveWriter.cpp`` (the GNU form past 0xFFFE
members), so that the bytes equal those of ``llvm-dlltool`` (GNU flavour,
``mingw=True``) and ``llvm-lib /def`` (MSVC flavour, ``mingw=False``) of LLVM 19.

Two exceptions, for GNU ld, in the GNU flavour on i386 and x64: the names a
short import cannot carry to GNU ld 2.40 (CONSTANT, EXPORTAS, ``==`` renames)
are written in GNU dlltool's long format (:mod:`.longformat`) in their
place; and for a DLL whose name does not end in ``.dll`` the members are
named ``<name>.dll``, the only names under which ld sorts short imports into
a working import table. ``gnu_ld=False`` writes llvm-dlltool's bytes.
"""

from __future__ import annotations

import struct
from itertools import compress

from ..errors import WriterError
from ..records import Record
from .archive import (
    HEADER_SIZE,
    MAX_COFF_MEMBERS,
    MAX_MEMBERS,
    Member,
    coff_archive,
    member_prefix,
    name_field,
    sorted_index,
    write_archive,
)
from .deffile import MAX_EXPORTS, Export, ModuleDefinition
from .structs import (
    ADDR32NB,
    FILE_HEADER,
    IMAGE_FILE_32BIT_MACHINE,
    IMAGE_WEAK_EXTERN_SEARCH_ALIAS,
    IMPORT_DIRECTORY_ENTRY_SIZE,
    IMPORT_HEADER,
    LONG_FORMAT_MACHINES,
    MAX_NAME,
    RELOCATION,
    SECTION_HEADER,
    SYMBOL,
    ImportNameType,
    ImportType,
    Machine,
    SectionFlags,
    StorageClass,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

    from .longformat import LongImport

__all__ = ["WriterError", "library_variant", "write_import_library"]

_pack_import = IMPORT_HEADER.pack
#: Added to a symbol's length in the fast path's member keys for a DATA import.
_DATA_KEY = 1 << 20
_DATA_RW = SectionFlags.CNT_INITIALIZED_DATA | SectionFlags.MEM_READ | SectionFlags.MEM_WRITE
_IMPORT_PREFIX = "__imp_"


def _stem(file_name: str) -> str:
    """LLVM's ``sys::path::stem``: ``.dll`` has the stem "", ``..`` stays."""
    dot = file_name.rfind(".")
    return file_name if dot < 0 or file_name in (".", "..") else file_name[:dot]


def _name(text: str) -> bytes:
    return text.encode("utf-8")


def _symbol(name: bytes | int, section: int, storage: StorageClass, aux: int = 0) -> bytes:
    """A symbol record; an int name is an offset into the string table."""
    raw = struct.pack("<II", 0, name) if isinstance(name, int) else name.ljust(8, b"\0")
    return SYMBOL.pack(raw, 0, section, 0, storage, aux)


def _string_table(*strings: bytes) -> bytes:
    body = b"".join(s + b"\0" for s in strings)
    return struct.pack("<I", 4 + len(body)) + body


def _section(name: bytes, size: int, raw: int, relocs: int, nrelocs: int, flags: int) -> bytes:
    return SECTION_HEADER.pack(name, 0, 0, size, raw, relocs, 0, nrelocs, 0, flags)


class _Objects:
    """The three fixed objects that describe one DLL for one machine, and its short imports."""

    __slots__ = (
        "_characteristics",
        "_dll_bytes",
        "_machine",
        "descriptor_symbol",
        "dll",
        "machine",
        "null_thunk_symbol",
    )
    null_descriptor_symbol = b"__NULL_IMPORT_DESCRIPTOR"

    def __init__(self, dll: str, machine: Machine) -> None:
        self.dll = dll
        self.machine = machine
        self._machine = int(machine)
        self._characteristics = 0 if machine.is_64bit else IMAGE_FILE_32BIT_MACHINE
        self._dll_bytes = _name(dll) + b"\0"
        self.descriptor_symbol = _name("__IMPORT_DESCRIPTOR_" + _stem(dll))
        self.null_thunk_symbol = _name("\x7f" + _stem(dll) + "_NULL_THUNK_DATA")

    def import_descriptor(self) -> Member:
        """``.idata$2`` (the directory entry, relocated) and ``.idata$6`` (the name)."""
        dll = _name(self.dll) + b"\0"
        headers = FILE_HEADER.size + 2 * SECTION_HEADER.size
        relocs_at = headers + IMPORT_DIRECTORY_ENTRY_SIZE
        name_at = relocs_at + 3 * RELOCATION.size
        reloc_type = ADDR32NB[self.machine]
        out = [
            FILE_HEADER.pack(self.machine, 2, 0, name_at + len(dll), 7, 0, self._characteristics),
            _section(
                b".idata$2",
                IMPORT_DIRECTORY_ENTRY_SIZE,
                headers,
                relocs_at,
                3,
                SectionFlags.ALIGN_4BYTES | _DATA_RW,
            ),
            _section(b".idata$6", len(dll), name_at, 0, 0, SectionFlags.ALIGN_2BYTES | _DATA_RW),
            bytes(IMPORT_DIRECTORY_ENTRY_SIZE),
            RELOCATION.pack(12, 2, reloc_type),  # NameRVA -> .idata$6
            RELOCATION.pack(0, 3, reloc_type),  # ImportLookupTableRVA -> .idata$4
            RELOCATION.pack(16, 4, reloc_type),  # ImportAddressTableRVA -> .idata$5
            dll,
            _symbol(4, 1, StorageClass.EXTERNAL),
            _symbol(b".idata$2", 1, StorageClass.SECTION),
            _symbol(b".idata$6", 2, StorageClass.STATIC),
            _symbol(b".idata$4", 0, StorageClass.SECTION),
            _symbol(b".idata$5", 0, StorageClass.SECTION),
            _symbol(4 + len(self.descriptor_symbol) + 1, 0, StorageClass.EXTERNAL),
            _symbol(
                4 + len(self.descriptor_symbol) + 1 + len(self.null_descriptor_symbol) + 1,
                0,
                StorageClass.EXTERNAL,
            ),
            _string_table(
                self.descriptor_symbol, self.null_descriptor_symbol, self.null_thunk_symbol
            ),
        ]
        return Member(self.dll, b"".join(out), (self.descriptor_symbol,))

    def null_import_descriptor(self) -> Member:
        """``.idata$3``: the all-zero entry that ends the import directory."""
        headers = FILE_HEADER.size + SECTION_HEADER.size
        out = [
            FILE_HEADER.pack(
                self.machine,
                1,
                0,
                headers + IMPORT_DIRECTORY_ENTRY_SIZE,
                1,
                0,
                self._characteristics,
            ),
            _section(
                b".idata$3",
                IMPORT_DIRECTORY_ENTRY_SIZE,
                headers,
                0,
                0,
                SectionFlags.ALIGN_4BYTES | _DATA_RW,
            ),
            bytes(IMPORT_DIRECTORY_ENTRY_SIZE),
            _symbol(4, 1, StorageClass.EXTERNAL),
            _string_table(self.null_descriptor_symbol),
        ]
        return Member(self.dll, b"".join(out), (self.null_descriptor_symbol,))

    def null_thunk(self) -> Member:
        """Zero ``.idata$5`` and ``.idata$4`` entries that end this DLL's IAT and ILT."""
        size = 8 if self.machine.is_64bit else 4
        align = SectionFlags.ALIGN_8BYTES if self.machine.is_64bit else SectionFlags.ALIGN_4BYTES
        headers = FILE_HEADER.size + 2 * SECTION_HEADER.size
        out = [
            FILE_HEADER.pack(self.machine, 2, 0, headers + 2 * size, 1, 0, self._characteristics),
            _section(b".idata$5", size, headers, 0, 0, align | _DATA_RW),
            _section(b".idata$4", size, headers + size, 0, 0, align | _DATA_RW),
            bytes(2 * size),
            _symbol(4, 1, StorageClass.EXTERNAL),
            _string_table(self.null_thunk_symbol),
        ]
        return Member(self.dll, b"".join(out), (self.null_thunk_symbol,))

    def short_import(
        self,
        symbol: str,
        ordinal: int,
        import_type: ImportType,
        name_type: ImportNameType,
        export_name: str = "",
    ) -> Member:
        """One imported name: a 20-byte header, the symbol, the DLL, [the export name]."""
        name = _name(symbol)
        tail = name + b"\0" + self._dll_bytes
        if export_name:
            tail += _name(export_name) + b"\0"
        type_info = import_type | name_type << 2
        header = _pack_import(0, 0xFFFF, 0, self._machine, 0, len(tail), ordinal, type_info)
        imp = b"__imp_" + name
        symbols = (imp,) if import_type is ImportType.DATA else (imp, name)
        return Member(self.dll, header + tail, symbols)

    def weak_external(self, target: str, alias: str, imp: bool) -> Member:
        """An object that makes ``alias`` (or ``__imp_alias``) stand for ``target``."""
        prefix = _IMPORT_PREFIX if imp else ""
        target_name, alias_name = _name(prefix + target), _name(prefix + alias)
        headers = FILE_HEADER.size + SECTION_HEADER.size
        out = [
            FILE_HEADER.pack(self.machine, 1, 0, headers, 5, 0, 0),
            _section(b".drectve", 0, 0, 0, 0, SectionFlags.LNK_INFO | SectionFlags.LNK_REMOVE),
            SYMBOL.pack(b"@comp.id", 0, -1, 0, StorageClass.STATIC, 0),
            SYMBOL.pack(b"@feat.00", 0, -1, 0, StorageClass.STATIC, 0),
            _symbol(4, 0, StorageClass.EXTERNAL),
            _symbol(4 + len(target_name) + 1, 0, StorageClass.WEAK_EXTERNAL, aux=1),
            # Auxiliary record: TagIndex (the target's symbol index), Characteristics.
            struct.pack("<II", 2, IMAGE_WEAK_EXTERN_SEARCH_ALIAS).ljust(SYMBOL.size, b"\0"),
            _string_table(target_name, alias_name),
        ]
        return Member(self.dll, b"".join(out), (alias_name,))


def _apply_name_type(name_type: ImportNameType, name: str) -> str:
    """The name the loader looks up, for a symbol name and a name type."""
    if name_type in (ImportNameType.NAME_NOPREFIX, ImportNameType.NAME_UNDECORATE):
        if name[:1] in ("?", "@", "_"):
            name = name[1:]
        if name_type is ImportNameType.NAME_UNDECORATE:
            name = name.split("@", 1)[0]
    return name


def _is_decorated(symbol: str, mingw: bool) -> bool:
    """Whether an i386 name already carries its decoration (no ``_`` to add)."""
    return symbol.startswith(("@", "?")) or "@@" in symbol or (not mingw and "@" in symbol)


def write_import_library(
    definition: ModuleDefinition,
    machine: Machine,
    *,
    mingw: bool = True,
    gnu_ld: bool | None = None,
    leading_underscore: bool = True,
) -> bytes:
    """The bytes of an import library for ``definition`` on ``machine``.

    ``mingw`` picks the GNU reading of names (``llvm-dlltool``); without it
    the MSVC reading (``lib.exe``, ``llvm-lib``). ``gnu_ld`` (default: the
    GNU flavour on i386 and x64) writes the names GNU ld cannot read from a
    short import in the long format; ``False`` gives llvm-dlltool's bytes.
    ``leading_underscore=False`` is dlltool's ``--no-leading-underscore``
    (GNU reading, i386): the names are the symbols as written (rustc
    decorates them itself). It is for the drop-in dlltool, which caches nothing.
    """
    if gnu_ld is None:
        gnu_ld = mingw and machine in LONG_FORMAT_MACHINES
    elif gnu_ld and (not mingw or machine not in LONG_FORMAT_MACHINES):
        raise WriterError(f"gnu_ld is for the GNU flavour on i386 and x64, not {machine.name}")
    dll = definition.library.rsplit("/", 1)[-1]  # as LLVM on a POSIX host: "\\" stays
    if not dll:
        raise WriterError("no DLL name: the .def has no LIBRARY line")
    if "\0" in dll:
        raise WriterError(f"the DLL name {dll!r} holds a NUL")
    exports = definition.exports
    if len(exports) > MAX_EXPORTS:
        raise WriterError(f"{len(exports)} exports: more than the {MAX_EXPORTS} implib writes")
    summary = definition._cached("writer", _Summary.of)
    if not summary.short_names or len(dll) * 4 > MAX_NAME:
        _check_name_lengths(dll, exports)
    objects = _Objects(dll, machine)
    fixed = [objects.import_descriptor(), objects.null_import_descriptor(), objects.null_thunk()]
    member_name = dll + ".dll" if gnu_ld and not dll.lower().endswith(".dll") else dll
    underscore = leading_underscore or not mingw or machine is not Machine.I386
    if summary.joined and underscore and (mingw or not summary.internal_names):
        fast = _write_plain(objects, fixed, summary.joined, summary.data_at, member_name)
        if fast is not None:
            return fast
    return _write_members(objects, fixed, exports, mingw, gnu_ld, member_name, underscore)


class _Summary(Record):
    """What the writer reads of a definition's exports, once per definition."""

    #: The names joined by "\n", if every export is plain (else ""): distinct names that
    #: are not empty and hold no NUL or line break, without ordinal, NONAME, CONSTANT,
    #: PRIVATE, ``==`` or EXPORTAS. The MSVC reading needs no internal names too.
    joined: str
    data_at: tuple[int, ...]  # the positions of DATA exports
    internal_names: bool  # whether an export has one
    long_forms: bool  # CONSTANT, ``==`` or EXPORTAS: what GNU ld reads in the long format
    short_names: bool  # every name's UTF-8 surely at most MAX_NAME bytes

    @classmethod
    def of(cls, definition: ModuleDefinition) -> _Summary:
        # List comprehensions, not any() of a generator: twice as fast.
        exports = definition.exports
        names = [export.name for export in exports]
        others = [e for e in exports if e.internal_name or e.import_name or e.export_as]
        long_forms = [e for e in others if e.import_name or e.export_as] or [
            e for e in exports if e.constant
        ]
        special = long_forms or [e for e in exports if e.ordinal or e.noname or e.private]
        more = [name for e in others for name in (e.internal_name, e.import_name, e.export_as)]
        joined = "\n".join(names)
        if (
            special
            or not names
            or "" in names
            or joined.count("\n") != len(names) - 1
            or "\0" in joined
            or len(set(names)) != len(names)
        ):
            joined = ""
        return cls(
            joined,
            tuple([position for position, export in enumerate(exports) if export.data]),
            bool([e for e in others if e.internal_name]),
            bool(long_forms),
            max(map(len, names + more), default=0) * 4 <= MAX_NAME,
        )


def library_variant(
    definition: ModuleDefinition,
    machine: Machine,
    *,
    mingw: bool = True,
    gnu_ld: bool | None = None,
) -> tuple[object, ...]:
    """What, besides ``definition``, decides the bytes :func:`write_import_library` writes.

    Two calls for the same definition whose variants are equal write the
    same bytes (tests/coff/test_writer.py checks it on every bundled list and
    on generated ones), so a caller that writes many targets makes each
    distinct library once. The machine always decides; the reading of names
    (``mingw``) only on i386, where it decides the decoration rules (on x64 and
    arm64 both readings make the same short imports); ``gnu_ld`` only where a
    short import cannot say what the definition says to GNU ld (CONSTANT,
    EXPORTAS, ``==``) or the DLL name does not end in ``.dll``.
    """
    if gnu_ld is None:
        gnu_ld = mingw and machine in LONG_FORMAT_MACHINES
    reading = mingw if machine is Machine.I386 else None
    dll = definition.library.rsplit("/", 1)[-1]
    renamed = not dll.lower().endswith(".dll")  # the members GNU ld reads are named *.dll
    long_forms = definition._cached("writer", _Summary.of).long_forms
    return (int(machine), reading, gnu_ld if renamed or long_forms else None)


def _check_name_lengths(dll: str, exports: Sequence[Export]) -> None:
    """Every name at most MAX_NAME bytes: what the readers (``implib inspect``) read."""
    names: list[str] = [dll]
    for export in exports:
        names += (export.name, export.internal_name, export.import_name, export.export_as)
    longest = max(names, key=len)
    if len(longest) * 4 <= MAX_NAME:  # UTF-8: at most 4 bytes a character
        return
    for name in names:
        size = len(name.encode("utf-8", "surrogatepass"))
        if size > MAX_NAME:
            raise WriterError(
                f"the name {_short(name)} is {size} bytes long: "
                f"longer than the {MAX_NAME} implib writes and reads"
            )


def _short(name: str) -> str:
    return repr(name if len(name) <= 40 else name[:40] + "...")


def _write_members(
    objects: _Objects,
    fixed: list[Member],
    exports: Sequence[Export],
    mingw: bool,
    gnu_ld: bool,
    member_name: str,
    underscore: bool = True,
) -> bytes:
    """The general path: a member per import, in LLVM's order, then the archive of them."""
    dll, machine = objects.dll, objects.machine
    try:
        shorts, longs = _export_members(objects, exports, machine, mingw, gnu_ld, underscore)
    except UnicodeEncodeError as exc:
        raise WriterError(f"a name is not valid Unicode text: {exc.object[:40]!r}") from None
    if longs:
        from .longformat import long_format_members  # only libraries that need it

        # Each long entry takes the place its short import or weak alias has in
        # LLVM's library (the first member defining a symbol wins); the head and
        # tail go last. Linkers order .idata by member name, not by position.
        head, *entries, tail = long_format_members(dll, machine, [imp for _, imp in longs])
        for (position, _), entry in zip(longs, entries):
            shorts[position] = entry
        shorts += (head, tail)
    members = fixed + shorts
    if member_name != dll:
        # GNU ld reads short imports right only from members named *.dll (ld's pe.em
        # renames those so that each DLL's .idata sorts head, entries, tail); LLVM
        # names them after the DLL, so a "prog.exe" library imports nothing there.
        members = [m._replace(name=member_name) if m.name == dll else m for m in members]
    if len(members) > MAX_MEMBERS:
        raise WriterError(f"{len(members)} archive members: more than implib writes")
    return write_archive(members)


def _write_plain(
    objects: _Objects, fixed: list[Member], joined: str, data_at: Sequence[int], member_name: str
) -> bytes | None:
    """The library of plain exports, built at C speed in one buffer; None where it cannot be.

    For plain exports with distinct names that need no decoration rules (i386:
    no ``@`` or ``?``) and symbols that do not collide with the fixed objects',
    the general path (_export_members) makes one short import per export, each
    symbol ``name`` (i386: ``_name``) with the name type NAME (i386: NOPREFIX)
    in both readings. Here the members are made in bulk instead: one header (the
    archive's and the short import's) per distinct symbol length and kind,
    joined with the symbols and the DLL name, and the linker members from whole
    arrays. Every bundled list takes this path; the tests compare it with the
    general path and both with LLVM's bytes.
    """
    count = joined.count("\n") + 1
    if count > MAX_COFF_MEMBERS - len(fixed):
        return None
    i386 = objects.machine is Machine.I386
    if i386:
        if "@" in joined or "?" in joined:
            return None
        joined = "_" + joined.replace("\n", "\n_")
    try:
        blob = joined.encode()
    except UnicodeEncodeError:
        return None  # the general path names the culprit
    fixed_symbols = [member.symbols[0] for member in fixed]
    delimited = b"\n" + blob + b"\n"
    if b"\n__imp_" in delimited or any(b"\n" + s + b"\n" in delimited for s in fixed_symbols):
        return None
    symbols = blob.split(b"\n")

    long_names = bytearray()
    prefix = member_prefix(name_field(member_name, long_names, b"\0"))
    name_type = ImportNameType.NAME_NOPREFIX if i386 else ImportNameType.NAME
    dll = objects._dll_bytes
    # Each member by its key: the symbol's length, plus _DATA_KEY for DATA.
    keys = list(map(len, symbols))
    for position in data_at:
        keys[position] += _DATA_KEY
    # Each key's member as a bytes format: its headers, %s for the symbol, the DLL name.
    formats, sizes = {}, {}
    for key in set(keys):
        kind = ImportType.DATA if key >= _DATA_KEY else ImportType.CODE
        data_size = key % _DATA_KEY + 1 + len(dll)  # the symbol, its NUL, the DLL and its NUL
        size = IMPORT_HEADER.size + data_size
        info = kind | name_type << 2
        header = _pack_import(0, 0xFFFF, 0, objects._machine, 0, data_size, 0, info)
        tail = b"\0" + dll + b"\n" if size & 1 else b"\0" + dll
        member = prefix + b"%-10d`\n" % size + header
        formats[key] = member.replace(b"%", b"%%") + b"%s" + tail.replace(b"%", b"%%")
        sizes[key] = HEADER_SIZE + size + (size & 1)
    fixed_body: list[bytes] = []
    member_sizes = []
    for fixed_member in fixed:
        data = fixed_member.data
        size = len(data)
        fixed_body += (prefix + b"%-10d`\n" % size, data + b"\n" if size & 1 else data)
        member_sizes.append(HEADER_SIZE + size + (size & 1))
    # One % formatting of all members: C fills in the symbols (twice the speed of a join).
    body = [*fixed_body, b"".join(map(formats.__getitem__, keys)) % tuple(symbols)]
    member_sizes += map(sizes.__getitem__, keys)

    # Symbols in member order: each fixed object's, then __imp_X and (code) X per export,
    # as one string, %-formatted; and the member numbers (1-based) that define them.
    first = len(fixed) + 1
    numbers = range(first, first + count)
    twice = [b""] * (2 * count)
    twice[::2] = twice[1::2] = symbols
    owners = [0] * (2 * count)
    owners[::2] = owners[1::2] = numbers
    # The plain symbols (code), and their members.
    defined: list[bytes] = symbols
    defined_owners: Sequence[int] = numbers
    if data_at:  # DATA: no symbol but __imp_X
        codes = [True] * count
        for position in data_at:
            codes[position] = False
        kept = [True] * (2 * count)
        kept[1::2] = codes
        by_code = [b"__imp_%s\0", b"__imp_%s\0%s\0"]
        names = b"".join(map(by_code.__getitem__, codes)) % tuple(compress(twice, kept))
        owners = list(compress(owners, kept))
        defined, defined_owners = list(compress(symbols, codes)), list(compress(numbers, codes))
    else:
        names = b"__imp_%s\0%s\0" * count % tuple(twice)
    every = [*fixed_symbols, *[b"__imp_" + symbol for symbol in symbols], *defined]
    return coff_archive(
        bytes(long_names),
        body,
        member_sizes,
        b"".join([symbol + b"\0" for symbol in fixed_symbols]) + names,
        [*range(1, first), *owners],
        sorted_index(every, [*range(1, first), *numbers, *defined_owners]),
    )


def _bad_export(export: Export) -> str | None:
    """What makes an export unwritable (the parser refuses the same), or None."""
    ordinal = export.ordinal
    if not isinstance(ordinal, int) or not 0 <= ordinal <= 0xFFFF:
        return f"ordinal {ordinal!r} is not in 0..65535"
    if export.noname and not ordinal:
        return "NONAME needs an ordinal 1..65535"
    if not export.name:
        return "empty name"
    for text in (export.name, export.internal_name, export.import_name, export.export_as):
        if "\0" in text:
            return "a name holds a NUL"
    return None


def _lookup(name_type: ImportNameType, symbol: str, export_name: str) -> str | None:
    """The name the loader looks up (None: by ordinal)."""
    if name_type is ImportNameType.ORDINAL:
        return None
    if name_type is ImportNameType.NAME_EXPORTAS:
        return export_name
    return _apply_name_type(name_type, symbol)


_PLACEHOLDER = Member("", b"", ())


def _export_members(
    objects: _Objects,
    exports: Sequence[Export],
    machine: Machine,
    mingw: bool,
    gnu_ld: bool,
    underscore: bool = True,
) -> tuple[list[Member], list[tuple[int, LongImport]]]:
    """The members in LLVM's order; long entries as (position in it, import)."""
    i386 = machine is Machine.I386
    short_import = objects.short_import
    members: list[Member] = []
    longs: list[tuple[int, LongImport]] = []
    # (name type, symbol, ordinal, export name) of each regular import, for == renames.
    written: list[tuple[ImportNameType, str, int, str]] = []
    renames: list[tuple[str, ImportType, Export]] = []
    code, const = ImportType.CODE, ImportType.CONST
    nopref, name_t = ImportNameType.NAME_NOPREFIX, ImportNameType.NAME
    for export in exports:
        if export.private:
            continue
        ordinal = export.ordinal
        if (
            not 0 <= ordinal <= 0xFFFF
            or (export.noname and not ordinal)
            or "\0" in export.name
            or not export.name
        ):
            raise WriterError(f"export {export.name!r}: {_bad_export(export)}")
        import_type = const if export.constant else ImportType.DATA if export.data else code
        name = export.name
        if mingw:
            # llvm-dlltool moves "ext" of "ext=int" into the name and forgets
            # "int": the symbol and its name type come from "ext" alone.
            symbol = "_" + name if i386 and underscore and not _is_decorated(name, True) else name
            name_type = nopref if i386 and symbol[0] == "_" else name_t
        else:
            # llvm-lib: the symbol is "ext", the name type follows "int".
            internal = export.internal_name or name
            if i386:
                if not _is_decorated(internal, False):
                    internal = "_" + internal
                if not _is_decorated(name, False):
                    name = "_" + name
            symbol = name if export.internal_name else internal
            if internal[0] == "_" and "@" in internal:
                name_type = name_t
            else:
                name_type = nopref if i386 and internal[0] == "_" else name_t
        export_name = ""
        if export.noname:
            name_type = ImportNameType.ORDINAL
        elif export.export_as:
            name_type = ImportNameType.NAME_EXPORTAS
            export_name = export.export_as
            if "\0" in export_name:
                raise WriterError(f"export {export.name!r}: {_bad_export(export)}")
        elif export.import_name:
            if "\0" in export.import_name:
                raise WriterError(f"export {export.name!r}: {_bad_export(export)}")
            if (
                i386
                and _apply_name_type(ImportNameType.NAME_UNDECORATE, symbol) == export.import_name
            ):
                name_type = ImportNameType.NAME_UNDECORATE
            elif i386 and _apply_name_type(nopref, symbol) == export.import_name:
                name_type = nopref
            elif symbol == export.import_name:
                name_type = name_t
            else:
                renames.append((symbol, import_type, export))
                continue
        written.append((name_type, symbol, ordinal, export_name))
        if gnu_ld and (import_type is const or name_type is ImportNameType.NAME_EXPORTAS):
            from .longformat import LongImport

            lookup = _lookup(name_type, symbol, export_name)
            plain = import_type is not ImportType.DATA
            longs.append((len(members), LongImport(symbol, import_type, lookup, ordinal, plain)))
            members.append(_PLACEHOLDER)
            continue
        members.append(short_import(symbol, ordinal, import_type, name_type, export_name))
    if renames:
        _rename_members(objects, written, renames, gnu_ld, members, longs)
    return members, longs


def _rename_members(
    objects: _Objects,
    written: list[tuple[ImportNameType, str, int, str]],
    renames: list[tuple[str, ImportType, Export]],
    gnu_ld: bool,
    members: list[Member],
    longs: list[tuple[int, LongImport]],
) -> None:
    """``alias == name``: a weak alias of the import of ``name``, else an EXPORTAS import.

    The target is the last regular import the loader finds as ``name``. For
    GNU ld, both become long-format entries that import what the alias would.
    """
    from .longformat import LongImport

    regular = {_apply_name_type(t, s): (t, s, o, e) for t, s, o, e in written}
    for symbol, import_type, export in renames:
        target = regular.get(export.import_name)
        if target is None:
            if gnu_ld:
                plain = import_type is not ImportType.DATA
                entry = LongImport(symbol, import_type, export.import_name, export.ordinal, plain)
                longs.append((len(members), entry))
                members.append(_PLACEHOLDER)
            else:
                members.append(
                    objects.short_import(
                        symbol,
                        export.ordinal,
                        import_type,
                        ImportNameType.NAME_EXPORTAS,
                        export.import_name,
                    )
                )
            continue
        target_type, target_symbol, target_ordinal, target_export = target
        if gnu_ld:
            lookup = _lookup(target_type, target_symbol, target_export)
            plain = import_type is ImportType.CODE
            longs.append(
                (len(members), LongImport(symbol, import_type, lookup, target_ordinal, plain))
            )
            members.append(_PLACEHOLDER)
            continue
        if import_type is ImportType.CODE:
            members.append(objects.weak_external(target_symbol, symbol, imp=False))
        members.append(objects.weak_external(target_symbol, symbol, imp=True))
