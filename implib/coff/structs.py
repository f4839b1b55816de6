"""COFF structures used by import libraries.

Based on the Microsoft PE/COFF specification, sections "COFF File Header",
"Section Table", "COFF Symbol Table", "The .idata Section" and "Import Library
Format" (https://learn.microsoft.com/windows/win32/debug/pe-format).

Only what an import library holds is modelled: the file header, section
headers, relocations and symbols of the three small objects that describe the
DLL, and the short-import header of each imported name.
"""

from __future__ import annotations

import enum
import struct


class Machine(enum.IntEnum):
    """``IMAGE_FILE_MACHINE_*`` values of the machines implib writes for."""

    I386 = 0x14C
    AMD64 = 0x8664
    ARM64 = 0xAA64

    @property
    def is_64bit(self) -> bool:
        return self is not Machine.I386


class ImportType(enum.IntEnum):
    """What an imported name is: the low two bits of a short import's type."""

    CODE = 0
    DATA = 1
    CONST = 2


class ImportNameType(enum.IntEnum):
    """How the loader looks the name up: bits 2-4 of a short import's type."""

    ORDINAL = 0  # by ordinal only
    NAME = 1  # by the public symbol name as is
    NAME_NOPREFIX = 2  # the symbol name without its leading ?, @ or _
    NAME_UNDECORATE = 3  # as NOPREFIX, and cut at the first @
    NAME_EXPORTAS = 4  # by a name stored after the DLL name


class SectionFlags(enum.IntFlag):
    """``IMAGE_SCN_*`` characteristics of the sections implib writes."""

    CNT_INITIALIZED_DATA = 0x00000040
    LNK_INFO = 0x00000200
    LNK_REMOVE = 0x00000800
    ALIGN_2BYTES = 0x00200000
    ALIGN_4BYTES = 0x00300000
    ALIGN_8BYTES = 0x00400000
    MEM_READ = 0x40000000
    MEM_WRITE = 0x80000000


class StorageClass(enum.IntEnum):
    """``IMAGE_SYM_CLASS_*`` values of the symbols implib writes."""

    NULL = 0
    EXTERNAL = 2
    STATIC = 3
    SECTION = 104
    WEAK_EXTERNAL = 105


IMAGE_FILE_32BIT_MACHINE = 0x0100
IMAGE_WEAK_EXTERN_SEARCH_ALIAS = 3

#: Relocation type of an image-relative 32-bit address, per machine.
ADDR32NB = {Machine.I386: 0x0007, Machine.AMD64: 0x0003, Machine.ARM64: 0x0002}

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
