"""COFF and PE structures used by import libraries and DLLs.

Based on the Microsoft PE/COFF specification, sections "COFF File Header",
"Optional Header Data Directories", "Section Table", "COFF Symbol Table",
"The .edata Section", "The .idata Section" and "Import Library Format"
(https://learn.microsoft.com/windows/win32/debug/pe-format). The bigobj
header is LLVM's ``llvm/BinaryFormat/COFF.h`` (``BigObjHeader``).

Only what import libraries and export tables hold is modelled: the file
header, section headers, relocations and symbols of small objects, the
short-import header, and the parts of a PE image that lead to its exports.
"""

from __future__ import annotations

import struct

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import ClassVar, TypeVar

    _C = TypeVar("_C", bound="Constant")


class _Members(type):
    """The metaclass of :class:`Constant`: a class iterates over its members, in order."""

    _members: dict[int, Constant]

    def __iter__(cls: type[_C]) -> Iterator[_C]:  # type: ignore[misc]
        return iter(cls._members.values())  # type: ignore[arg-type]

    def __len__(cls) -> int:
        return len(cls._members)


class Constant(int, metaclass=_Members):
    """A named ``int``, as an ``IntEnum`` member is, without importing :mod:`enum`.

    ``enum`` (with the ``functools`` and ``collections`` it imports) costs about
    3 ms of start-up, a fifth of what a whole ``implib gen`` may take; these are
    the few things the COFF constants need of it: ``.name`` and ``.value``,
    ``Cls(value)`` giving the member (ValueError for no member), ``list(Cls)``,
    a member being the only object of its value (``is`` works), and its repr.
    The members are declared as ``ClassVar`` annotations (what type checkers read)
    and given their values by :func:`_define` right after the class.
    """

    name: str
    _members: ClassVar[dict[int, Constant]] = {}

    def __new__(cls: type[_C], value: int) -> _C:
        member = cls._members.get(value)
        if type(member) is not cls:
            raise ValueError(f"{value!r} is not a valid {cls.__name__}")
        return member

    @property
    def value(self) -> int:
        return int(self)

    def __repr__(self) -> str:
        return f"<{type(self).__name__}.{self.name}: {int(self)}>"

    __str__ = int.__repr__  # "34404", as IntEnum's str() and format() (Python 3.11+)

    def __reduce__(self) -> tuple[type[Constant], tuple[int]]:
        return type(self), (int(self),)

    def __copy__(self) -> Constant:
        return self

    def __deepcopy__(self, memo: object) -> Constant:
        return self


def _define(cls: type[Constant], **values: int) -> None:
    """Make the members of ``cls``: exactly the names its annotations declare."""
    declared = [name for name in cls.__annotations__ if name[0] != "_"]
    if list(values) != declared:
        raise TypeError(f"{cls.__name__}: members {list(values)} != declared {declared}")
    cls._members = {}
    for name, value in values.items():
        member = int.__new__(cls, value)
        member.name = name
        setattr(cls, name, member)
        cls._members[value] = member


class Machine(Constant):
    """``IMAGE_FILE_MACHINE_*`` values of the machines implib writes for."""

    I386: ClassVar[Machine]
    AMD64: ClassVar[Machine]
    ARM64: ClassVar[Machine]

    @property
    def is_64bit(self) -> bool:
        return self is not Machine.I386


_define(Machine, I386=0x14C, AMD64=0x8664, ARM64=0xAA64)


class ImportType(Constant):
    """What an imported name is: the low two bits of a short import's type."""

    CODE: ClassVar[ImportType]
    DATA: ClassVar[ImportType]
    CONST: ClassVar[ImportType]


_define(ImportType, CODE=0, DATA=1, CONST=2)


class ImportNameType(Constant):
    """How the loader looks the name up: bits 2-4 of a short import's type."""

    ORDINAL: ClassVar[ImportNameType]  # by ordinal only
    NAME: ClassVar[ImportNameType]  # by the public symbol name as is
    NAME_NOPREFIX: ClassVar[ImportNameType]  # the symbol name without its leading ?, @ or _
    NAME_UNDECORATE: ClassVar[ImportNameType]  # as NOPREFIX, and cut at the first @
    NAME_EXPORTAS: ClassVar[ImportNameType]  # by a name stored after the DLL name


_define(ImportNameType, ORDINAL=0, NAME=1, NAME_NOPREFIX=2, NAME_UNDECORATE=3, NAME_EXPORTAS=4)


class SectionFlags(Constant):
    """``IMAGE_SCN_*`` characteristics of the sections implib writes or tests.

    Flags combine with ``|`` into plain ints, which is all a section header needs.
    """

    CNT_CODE: ClassVar[SectionFlags]
    CNT_INITIALIZED_DATA: ClassVar[SectionFlags]
    LNK_INFO: ClassVar[SectionFlags]
    LNK_REMOVE: ClassVar[SectionFlags]
    ALIGN_2BYTES: ClassVar[SectionFlags]
    ALIGN_4BYTES: ClassVar[SectionFlags]
    ALIGN_8BYTES: ClassVar[SectionFlags]
    MEM_EXECUTE: ClassVar[SectionFlags]
    MEM_READ: ClassVar[SectionFlags]
    MEM_WRITE: ClassVar[SectionFlags]


_define(
    SectionFlags,
    CNT_CODE=0x00000020,
    CNT_INITIALIZED_DATA=0x00000040,
    LNK_INFO=0x00000200,
    LNK_REMOVE=0x00000800,
    ALIGN_2BYTES=0x00200000,
    ALIGN_4BYTES=0x00300000,
    ALIGN_8BYTES=0x00400000,
    MEM_EXECUTE=0x20000000,
    MEM_READ=0x40000000,
    MEM_WRITE=0x80000000,
)


class StorageClass(Constant):
    """``IMAGE_SYM_CLASS_*`` values of the symbols implib writes."""

    NULL: ClassVar[StorageClass]
    EXTERNAL: ClassVar[StorageClass]
    STATIC: ClassVar[StorageClass]
    SECTION: ClassVar[StorageClass]
    WEAK_EXTERNAL: ClassVar[StorageClass]


_define(StorageClass, NULL=0, EXTERNAL=2, STATIC=3, SECTION=104, WEAK_EXTERNAL=105)


#: The machines GNU ld (binutils) links for: where the GNU flavour writes long-format members.
LONG_FORMAT_MACHINES = frozenset({Machine.I386, Machine.AMD64})

IMAGE_FILE_32BIT_MACHINE = 0x0100
IMAGE_WEAK_EXTERN_SEARCH_ALIAS = 3
IMAGE_SYM_ABSOLUTE = -1

#: Relocation type of an image-relative 32-bit address, per machine.
ADDR32NB = {Machine.I386: 0x0007, Machine.AMD64: 0x0003, Machine.ARM64: 0x0002}
#: Relocation type of a jump thunk's operand: i386 DIR32 (absolute), x64 REL32.
THUNK_RELOCATION = {Machine.I386: 0x0006, Machine.AMD64: 0x0004}

#: Sig1 and Sig2 of every header that is not a plain COFF object: short
#: imports (version 0), anonymous objects (version 1), bigobj (version 2).
ANON_SIGNATURE = b"\0\0\xff\xff"
#: The ClassID of a bigobj header (``BigObjMagic`` in LLVM).
BIGOBJ_CLASS_ID = bytes.fromhex("c7a1bad1eebaa94baf20faf66aa4dcb8")
#: The ClassID of an MSVC ``/GL`` (link-time code generation) object.
CL_GL_CLASS_ID = bytes.fromhex("38feb30ca5d9ab4dac9bd6b6222653c2")

FILE_HEADER = struct.Struct(
    "<"
    "H"  # Machine
    "H"  # NumberOfSections
    "I"  # TimeDateStamp
    "I"  # PointerToSymbolTable
    "I"  # NumberOfSymbols
    "H"  # SizeOfOptionalHeader
    "H"  # Characteristics
)

SECTION_HEADER = struct.Struct(
    "<"
    "8s"  # Name
    "I"  # VirtualSize
    "I"  # VirtualAddress
    "I"  # SizeOfRawData
    "I"  # PointerToRawData
    "I"  # PointerToRelocations
    "I"  # PointerToLinenumbers
    "H"  # NumberOfRelocations
    "H"  # NumberOfLinenumbers
    "I"  # Characteristics
)

RELOCATION = struct.Struct(
    "<"
    "I"  # VirtualAddress
    "I"  # SymbolTableIndex
    "H"  # Type
)

SYMBOL = struct.Struct(
    "<"
    "8s"  # Name (inline, or four zero bytes and a string-table offset)
    "I"  # Value
    "h"  # SectionNumber (0: undefined, -1: absolute)
    "H"  # Type
    "B"  # StorageClass
    "B"  # NumberOfAuxSymbols
)

BIGOBJ_HEADER = struct.Struct(
    "<"
    "H"  # Sig1: 0
    "H"  # Sig2: 0xFFFF
    "H"  # Version: 2
    "H"  # Machine
    "I"  # TimeDateStamp
    "16s"  # ClassID: BIGOBJ_CLASS_ID
    "16x"  # SizeOfData, Flags, MetaDataSize, MetaDataOffset: unused
    "I"  # NumberOfSections
    "I"  # PointerToSymbolTable
    "I"  # NumberOfSymbols
)

BIGOBJ_SYMBOL = struct.Struct(
    "<"
    "8s"  # Name
    "I"  # Value
    "i"  # SectionNumber, 32 bits wide
    "H"  # Type
    "B"  # StorageClass
    "B"  # NumberOfAuxSymbols
)

#: The longest name (export, symbol, DLL) the writer writes and the readers read:
#: C++ names run to a few kB. One limit for both, so that implib never writes
#: a library that ``implib inspect`` then refuses.
MAX_NAME = 1 << 16

IMPORT_HEADER = struct.Struct(
    "<"
    "H"  # Sig1: IMAGE_FILE_MACHINE_UNKNOWN (0)
    "H"  # Sig2: 0xFFFF
    "H"  # Version
    "H"  # Machine
    "I"  # TimeDateStamp
    "I"  # SizeOfData: the bytes that follow the header
    "H"  # Ordinal or hint
    "H"  # Type: ImportType | ImportNameType << 2
)

#: Size of one import directory table entry (``.idata$2``/``.idata$3``).
IMPORT_DIRECTORY_ENTRY_SIZE = 20

# -- PE images (DLLs) ----------------------------------------------------------

#: Offset of ``e_lfanew`` (the PE header's offset) in the MS-DOS header.
DOS_PE_OFFSET = 0x3C
PE_SIGNATURE = b"PE\0\0"
OPTIONAL_MAGIC_PE32 = 0x10B
OPTIONAL_MAGIC_PE32_PLUS = 0x20B
#: Offset of NumberOfRvaAndSizes in the optional header, by magic.
OPTIONAL_DIRECTORY_COUNT = {OPTIONAL_MAGIC_PE32: 92, OPTIONAL_MAGIC_PE32_PLUS: 108}
EXPORT_DIRECTORY_INDEX = 0

DATA_DIRECTORY = struct.Struct(
    "<"
    "I"  # VirtualAddress
    "I"  # Size
)

EXPORT_DIRECTORY = struct.Struct(
    "<"
    "I"  # Characteristics
    "I"  # TimeDateStamp
    "H"  # MajorVersion
    "H"  # MinorVersion
    "I"  # Name: RVA of the DLL's name
    "I"  # Base: the ordinal of the first address table entry
    "I"  # NumberOfFunctions: entries in the address table
    "I"  # NumberOfNames: entries in the name pointer and ordinal tables
    "I"  # AddressOfFunctions: RVA of the export address table
    "I"  # AddressOfNames: RVA of the name pointer table
    "I"  # AddressOfNameOrdinals: RVA of the ordinal table
)
