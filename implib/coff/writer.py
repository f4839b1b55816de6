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
from itertools import accumulate

from ..errors import WriterError
from ..records import Record
from .archive import (
    HEADER_SIZE,
    MAX_COFF_MEMBERS,
    MAX_MEMBERS,
    Member,
    coff_archive,
    gnu_archive,
    member_prefix,
    name_field,
    sorted_index,
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
_DATA_RW = SectionFlags.CNT_INITIALIZED_DATA | SectionFlags.MEM_READ | SectionFlags.MEM_WRITE
_IMPORT_PREFIX = "__imp_"


def _stem(file_name: str) -> str:
    """LLVM's ``sys::path::stem``: ``.dll`` has the stem "", ``..`` stays."""
    dot = file_name.rfind(".")
    return file_name if dot < 0 or file_name in (".", "..") else file_name[:dot]


def _name(text: str) -> bytes:
    return text.encode("utf-8")


def _import_header(machine: int, data_size: int, ordinal: int, type_info: int) -> bytes:
    """A short import's 20-byte header, for ``data_size`` bytes of names behind it."""
    return _pack_import(0, 0xFFFF, 0, machine, 0, data_size, ordinal, type_info)


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
        header = _import_header(self._machine, len(tail), ordinal, import_type | name_type << 2)
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
    member_name = dll + ".dll" if gnu_ld and not dll.lower().endswith(".dll") else dll
    library = _Library(objects, member_name)
    library.add(objects.import_descriptor())
    library.add(objects.null_import_descriptor())
    library.add(objects.null_thunk())
    underscore = leading_underscore or not mingw or machine is not Machine.I386
    try:
        if not (underscore and summary.plain and _add_plain(library, summary)):
            _add_exports(library, exports, mingw, gnu_ld, underscore, summary.long_forms)
        return library.archive()
    except UnicodeEncodeError as exc:
        raise WriterError(f"a name is not valid Unicode text: {exc.object[:40]!r}") from None


class _Summary(Record):
    """What the writer reads of a definition's exports, once per definition."""

    #: The names joined by NUL if every export is a plain name (not empty, no NUL), perhaps
    #: DATA: no ordinal, NONAME, CONSTANT, PRIVATE, internal name, ``==`` or EXPORTAS; else "".
    plain: str
    #: Whether a plain name holds ``@`` or ``?``: on i386 the two readings decorate it apart.
    decorated: bool
    data_at: tuple[int, ...]  # the positions of DATA exports
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
        more = [name for e in others for name in (e.internal_name, e.import_name, e.export_as)]
        plain = "\0".join(names)
        if (
            others
            or long_forms
            or "" in names
            or plain.count("\0") != len(names) - 1
            or [e for e in exports if e.ordinal or e.noname or e.private]
        ):
            plain = ""
        return cls(
            plain,
            "@" in plain or "?" in plain,
            tuple([position for position, export in enumerate(exports) if export.data]),
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
    (``mingw``) only on i386, where it decides the decoration rules, and only
    for a list that is not plain names without ``@`` or ``?`` (both readings
    make ``_name``, NOPREFIX: :func:`_add_plain`; on x64 and arm64 both readings
    make the same short imports); ``gnu_ld`` only where a short import cannot
    say what the definition says to GNU ld (CONSTANT, EXPORTAS, ``==``) or the
    DLL name does not end in ``.dll``.
    """
    if gnu_ld is None:
        gnu_ld = mingw and machine in LONG_FORMAT_MACHINES
    summary = definition._cached("writer", _Summary.of)
    undecorated = summary.plain and not summary.decorated
    reading = mingw if machine is Machine.I386 and not undecorated else None
    dll = definition.library.rsplit("/", 1)[-1]
    renamed = not dll.lower().endswith(".dll")  # the members GNU ld reads are named *.dll
    return (int(machine), reading, gnu_ld if renamed or summary.long_forms else None)


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


#: Where a short import's key holds its type and name type (above the symbol's length,
#: at most MAX_NAME), and its ordinal.
_INFO_SHIFT = 17
_ORDINAL_SHIFT = _INFO_SHIFT + 5
_PLACEHOLDER = Member("", b"", ())


class _Library:
    """The members of one import library in order, written in one piece at the end.

    Nearly every member is a short import that differs from the next only in
    its symbol and a few numbers: each is kept as its symbol and an int key of
    the rest (the symbol's length, type and name type, ordinal); each distinct
    key becomes one bytes format of the member's headers and DLL name around
    ``%s``, so one ``%`` of the joined formats with all symbols makes every
    member at C speed, and another makes the symbol list. Every other member
    (the fixed objects, weak aliases, EXPORTAS imports, long-format entries)
    gets a negative key of its own whose format is its whole bytes.
    """

    __slots__ = ("_others", "keys", "longs", "member_name", "objects", "symbols")

    def __init__(self, objects: _Objects, member_name: str) -> None:
        self.objects = objects
        self.member_name = member_name
        self.keys: list[int] = []  # each member's
        self.symbols: list[bytes] = []  # each short import's, in member order
        self.longs: list[tuple[int, LongImport]] = []  # each long entry's key
        self._others: dict[int, Member] = {}

    def add(self, member: Member) -> int:
        """Add a member that is not a keyed short import; its key."""
        key = ~len(self._others)
        self._others[key] = member
        self.keys.append(key)
        return key

    def archive(self) -> bytes:
        """The archive of the members, in the form LLVM picks for their number."""
        objects, keys, others = self.objects, self.keys, self._others
        if self.longs:
            from .longformat import long_format_members  # only libraries that need it

            # Each long entry takes the place its short import or weak alias has in
            # LLVM's library (the first member defining a symbol wins); the head and
            # tail go last. Linkers order .idata by member name, not by position.
            imports = [imp for _, imp in self.longs]
            head, *entries, tail = long_format_members(objects.dll, objects.machine, imports)
            for (key, _), entry in zip(self.longs, entries):
                others[key] = entry
            self.add(head)
            self.add(tail)
        count = len(keys)
        if count > MAX_MEMBERS:
            raise WriterError(f"{count} archive members: more than implib writes")
        gnu = count > MAX_COFF_MEMBERS
        long_names = bytearray()
        formats, sizes, listed, firsts = self._formats(long_names, b"/\n" if gnu else b"\0")
        symbols = self.symbols
        body = b"".join(map(formats.__getitem__, keys)) % tuple(symbols)
        member_sizes = list(map(sizes.__getitem__, keys))

        # Every symbol in member order (__imp_X, and X for code), and its member's number.
        twice = [b""] * (2 * len(symbols))
        twice[::2] = twice[1::2] = symbols
        names = b"".join(map(listed.__getitem__, keys)) % tuple(twice)
        owners = list(accumulate(b"".join(map(firsts.__getitem__, keys))))
        if gnu:
            return gnu_archive(bytes(long_names), [body], member_sizes, names, owners)
        every = names.split(b"\0")
        del every[-1]
        if len(set(every)) < len(every):  # each symbol once: the first member defining it wins
            first: dict[bytes, int] = {}
            for symbol, owner in zip(every, owners):
                first.setdefault(symbol, owner)
            every, owners = list(first), list(first.values())
            names = b"".join([symbol + b"\0" for symbol in every])
        index = sorted_index(every, owners)
        return coff_archive(bytes(long_names), [body], member_sizes, names, owners, index)

    def _formats(
        self, long_names: bytearray, terminator: bytes
    ) -> tuple[dict[int, bytes], dict[int, int], dict[int, bytes], dict[int, bytes]]:
        """Each key's member format and size, symbol-list format, and a 1 for its first
        symbol and a 0 for each other (their running sum numbers each symbol's member)."""
        objects, others = self.objects, self._others
        # GNU ld reads short imports right only from members named *.dll (ld's pe.em
        # renames those so that each DLL's .idata sorts head, entries, tail); LLVM
        # names them after the DLL, so a "prog.exe" library imports nothing there.
        fields = {objects.dll: name_field(self.member_name, long_names, terminator)}
        formats: dict[int, bytes] = {}
        sizes: dict[int, int] = {}
        listed: dict[int, bytes] = {}
        firsts: dict[int, bytes] = {}
        for key, member in others.items():
            if member.name not in fields:
                fields[member.name] = name_field(member.name, long_names, terminator)
            data = member.data
            size = len(data)
            whole = member_prefix(fields[member.name]) + b"%-10d`\n" % size + data
            formats[key] = (whole + b"\n" if size & 1 else whole).replace(b"%", b"%%")
            sizes[key] = HEADER_SIZE + size + (size & 1)
            listed[key] = b"".join([s + b"\0" for s in member.symbols]).replace(b"%", b"%%")
            firsts[key] = b"\1".ljust(len(member.symbols), b"\0")
        prefix = member_prefix(fields[objects.dll]).replace(b"%", b"%%")
        dll = b"\0" + objects._dll_bytes  # after the symbol
        for key in set(self.keys).difference(others):
            info = key >> _INFO_SHIFT & 31
            data_size = (key & (1 << _INFO_SHIFT) - 1) + len(dll)
            size = IMPORT_HEADER.size + data_size
            header = _import_header(objects._machine, data_size, key >> _ORDINAL_SHIFT, info)
            headers = (b"%-10d`\n" % size + header).replace(b"%", b"%%")
            after = (dll + b"\n" if size & 1 else dll).replace(b"%", b"%%")
            formats[key] = prefix + headers + b"%s" + after
            sizes[key] = HEADER_SIZE + size + (size & 1)
            code = info & 3 != ImportType.DATA
            # Each symbol comes twice: DATA has no symbol but __imp_X ("%.0s" skips one).
            listed[key] = b"__imp_%s\0%s\0" if code else b"__imp_%s\0%.0s"
            firsts[key] = b"\1\0" if code else b"\1"
        return formats, sizes, listed, firsts


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


def _add_plain(library: _Library, summary: _Summary) -> bool:
    """Plain names (perhaps DATA) as _add_exports adds them, in bulk; False where it cannot.

    Without decorations (i386: no ``@`` or ``?``) both readings make each
    symbol ``name`` (i386: ``_name``) with the name type NAME (i386: NOPREFIX):
    the symbols are encoded in one piece and the keys made from their lengths.
    Every bundled list is written this way; the loop does the rest.
    """
    text = summary.plain
    i386 = library.objects.machine is Machine.I386
    if i386:
        if summary.decorated:
            return False
        text = "_" + text.replace("\0", "\0_")
    try:
        symbols = text.encode().split(b"\0")
    except UnicodeEncodeError:
        return False  # the loop names the culprit
    name_type = ImportNameType.NAME_NOPREFIX if i386 else ImportNameType.NAME
    code = (ImportType.CODE | name_type << 2) << _INFO_SHIFT
    keys = list(map(code.__add__, map(len, symbols)))
    data = (ImportType.DATA | name_type << 2) << _INFO_SHIFT
    for position in summary.data_at:
        keys[position] += data - code
    library.symbols += symbols
    library.keys += keys
    return True


def _add_exports(
    library: _Library,
    exports: Sequence[Export],
    mingw: bool,
    gnu_ld: bool,
    underscore: bool,
    renames_possible: bool,
) -> None:
    """Each export's member, in LLVM's order: nearly always a keyed short import.

    A plain export (a name, perhaps DATA) on x64 and arm64 passes no branch
    but the tests of what it lacks; i386's decorations and the rarer features
    are looked at only where an export has them.
    """
    objects = library.objects
    i386 = objects.machine is Machine.I386
    add_key, add_symbol, longs = library.keys.append, library.symbols.append, library.longs
    # (name type, symbol, ordinal, export name) of each regular import, for == renames.
    written: list[tuple[ImportNameType, str, int, str]] = []
    renames: list[tuple[str, ImportType, Export]] = []
    code, data, const = ImportType.CODE, ImportType.DATA, ImportType.CONST
    name_t = ImportNameType.NAME
    for export in exports:
        if export.private:
            continue
        name, ordinal = export.name, export.ordinal
        if not (name and 0 <= ordinal <= 0xFFFF) or "\0" in name or (export.noname and not ordinal):
            raise WriterError(f"export {name!r}: {_bad_export(export)}")
        import_type = const if export.constant else data if export.data else code
        symbol, name_type = name, name_t  # on x64 and arm64 in both readings
        if i386:
            symbol, name_type = _i386_symbol(export, mingw, underscore)
        export_name = ""
        if export.noname or export.export_as or export.import_name:
            found, export_name = _name_type(export, symbol, i386)
            if found is None:  # a rename of another import
                renames.append((symbol, import_type, export))
                continue
            name_type = found
        if renames_possible:
            written.append((name_type, symbol, ordinal, export_name))
        if export_name or import_type is const:
            if gnu_ld:  # what GNU ld cannot read from a short import
                from .longformat import LongImport

                lookup = _lookup(name_type, symbol, export_name)
                entry = LongImport(symbol, import_type, lookup, ordinal, import_type is not data)
                longs.append((library.add(_PLACEHOLDER), entry))
                continue
            if export_name:
                library.add(
                    objects.short_import(symbol, ordinal, import_type, name_type, export_name)
                )
                continue
        encoded = symbol.encode()
        add_symbol(encoded)
        add_key(
            len(encoded) | (import_type | name_type << 2) << _INFO_SHIFT | ordinal << _ORDINAL_SHIFT
        )
    if renames:
        _rename_members(library, written, renames, gnu_ld)


def _i386_symbol(export: Export, mingw: bool, underscore: bool) -> tuple[str, ImportNameType]:
    """An export's symbol and name type on i386, where the readings decorate differently."""
    name = export.name
    if mingw:
        # llvm-dlltool moves "ext" of "ext=int" into the name and forgets
        # "int": the symbol and its name type come from "ext" alone.
        symbol = "_" + name if underscore and not _is_decorated(name, True) else name
        nopref = symbol[0] == "_"
    else:
        # llvm-lib: the symbol is "ext", the name type follows "int".
        internal = export.internal_name or name
        if not _is_decorated(internal, False):
            internal = "_" + internal
        symbol = name if _is_decorated(name, False) else "_" + name
        if not export.internal_name:
            symbol = internal
        nopref = internal[0] == "_" and "@" not in internal
    return symbol, ImportNameType.NAME_NOPREFIX if nopref else ImportNameType.NAME


def _name_type(export: Export, symbol: str, i386: bool) -> tuple[ImportNameType | None, str]:
    """The name type and export name of NONAME, EXPORTAS and ``==``; None: a rename."""
    if export.noname:
        return ImportNameType.ORDINAL, ""
    if export.export_as:
        if "\0" in export.export_as:
            raise WriterError(f"export {export.name!r}: {_bad_export(export)}")
        return ImportNameType.NAME_EXPORTAS, export.export_as
    import_name = export.import_name
    if "\0" in import_name:
        raise WriterError(f"export {export.name!r}: {_bad_export(export)}")
    if i386 and _apply_name_type(ImportNameType.NAME_UNDECORATE, symbol) == import_name:
        return ImportNameType.NAME_UNDECORATE, ""
    if i386 and _apply_name_type(ImportNameType.NAME_NOPREFIX, symbol) == import_name:
        return ImportNameType.NAME_NOPREFIX, ""
    return (ImportNameType.NAME if symbol == import_name else None), ""


def _rename_members(
    library: _Library,
    written: list[tuple[ImportNameType, str, int, str]],
    renames: list[tuple[str, ImportType, Export]],
    gnu_ld: bool,
) -> None:
    """``alias == name``: a weak alias of the import of ``name``, else an EXPORTAS import.

    The target is the last regular import the loader finds as ``name``. For
    GNU ld, both become long-format entries that import what the alias would.
    """
    from .longformat import LongImport

    objects, longs = library.objects, library.longs
    regular = {_apply_name_type(t, s): (t, s, o, e) for t, s, o, e in written}
    for symbol, import_type, export in renames:
        target = regular.get(export.import_name)
        if target is None:
            if gnu_ld:
                plain = import_type is not ImportType.DATA
                entry = LongImport(symbol, import_type, export.import_name, export.ordinal, plain)
                longs.append((library.add(_PLACEHOLDER), entry))
            else:
                library.add(
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
            entry = LongImport(symbol, import_type, lookup, target_ordinal, plain)
            longs.append((library.add(_PLACEHOLDER), entry))
            continue
        if import_type is ImportType.CODE:
            library.add(objects.weak_external(target_symbol, symbol, imp=False))
        library.add(objects.weak_external(target_symbol, symbol, imp=True))
