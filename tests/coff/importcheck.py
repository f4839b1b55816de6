"""What each symbol of an import library imports, once a real linker has used it.

A probe DLL holds, in its data, the address of every symbol asked for (asm
labels, so any name works); a real linker links it against the library. In
the image, an ``__imp_X`` (or a CONST symbol) is an import address table
slot, and a code symbol is a ``jmp *[slot]`` thunk: pefile's import table
says which DLL and name (or ordinal) each slot is filled with. Comparing
these maps between linkers, or against LLVM's own library linked by lld 19,
checks what matters: the loader fills every symbol with the intended import.
"""

from __future__ import annotations

import functools
import struct
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from support import missing, require_tool

LLD19 = Path("/usr/lib/llvm-19/bin")
#: The linkers a GNU-flavour library must work with, by name; "reference" is lld-link 19
#: with /force:unresolved, for what LLVM's own library means.
LINKERS = ("gnu-ld", "lld", "lld-19", "lld-link", "lld-link-19")
#: Symbols every import library defines that are no imported name.
_DESCRIPTOR_PREFIXES = ("__IMPORT_DESCRIPTOR_", "__NULL_IMPORT_DESCRIPTOR", "\x7f")


def _c_string(text: str) -> str:
    return '"' + "".join(f"\\x{b:02x}" for b in text.encode()) + '"'


def probe_source(symbols: Sequence[str], arch: str) -> str:
    """C whose ``probe_slots`` array holds each symbol's address, in order."""
    lines = [f"extern char probe_{i}[] __asm__({_c_string(s)});" for i, s in enumerate(symbols)]
    table = ", ".join(f"probe_{i}" for i in range(len(symbols))) or "0"
    entry = "_probe_slots" if arch == "i686" else "probe_slots"  # the C name, decorated
    lines.append(f'void *probe_slots[] __asm__("{entry}") = {{ {table} }};')
    return "\n".join(lines) + "\n"


def _lld19(tool: str) -> str:
    path = LLD19 / tool
    if not path.exists():
        missing(f"{path} not found (apt-get install lld-19)")
    return str(path)


def _run(argv: list[str], cwd: Path) -> None:
    result = subprocess.run(argv, cwd=cwd, capture_output=True, text=True)
    if result.returncode != 0:
        raise AssertionError(f"{' '.join(argv)} failed:\n{result.stdout}\n{result.stderr}")


def link_probe(linker: str, arch: str, library: Path, symbols: Sequence[str], work: Path) -> Path:
    """A DLL linked by ``linker`` against ``library``, referencing ``symbols``."""
    clang = require_tool("clang")
    work.mkdir(parents=True, exist_ok=True)
    (work / "probe.c").write_text(probe_source(symbols, arch))
    mingw = linker in ("gnu-ld", "lld", "lld-19")
    triple = f"{arch}-w64-windows-gnu" if mingw else f"{arch}-pc-windows-msvc"
    _run([clang, f"--target={triple}", "-c", "probe.c", "-o", "probe.o"], work)
    dll = work / f"probe-{linker}.dll"
    if linker == "gnu-ld":
        gcc = require_tool(f"{arch}-w64-mingw32-gcc")
        entry = "_probe_slots" if arch == "i686" else "probe_slots"  # GNU ld takes it as is
        argv = [gcc, "-shared", "-nostdlib", f"-Wl,-e,{entry}", "-o", str(dll), "probe.o"]
        _run([*argv, str(library)], work)
    elif linker in ("lld", "lld-19"):
        ld = _lld19("ld.lld") if linker == "lld-19" else require_tool("ld.lld")
        argv = [clang, f"--target={triple}", f"--ld-path={ld}", "-shared", "-nostdlib"]
        _run([*argv, "-Wl,-e,probe_slots", "-o", str(dll), "probe.o", str(library)], work)
    else:
        lld_link = _lld19("lld-link") if linker != "lld-link" else require_tool("lld-link")
        machine = {"x86_64": "x64", "i686": "x86", "aarch64": "arm64"}[arch]
        argv = [lld_link, "/dll", "/entry:probe_slots", "/nodefaultlib", f"/machine:{machine}"]
        if linker == "reference":  # a symbol LLVM's library cannot resolve stays 0
            argv += ["/force:unresolved", "/safeseh:no"]
        argv += [f"/out:{dll}", "probe.o", str(library)]
        _run(argv, work)
    return dll


def _thunk_target(image: bytes, va: int, base: int, arch: str, rva_to_offset: object) -> int | None:
    """The IAT slot a jump thunk at ``va`` goes through, or None if it is none."""
    offset = rva_to_offset(va - base)  # type: ignore[operator]
    code = image[offset : offset + 12]
    if arch in ("x86_64", "i686") and code[:2] == b"\xff\x25":
        (operand,) = struct.unpack_from("<i" if arch == "x86_64" else "<I", code, 2)
        return va + 6 + operand if arch == "x86_64" else operand
    if arch == "aarch64" and len(code) == 12:
        adrp, ldr, br = struct.unpack("<III", code)
        if adrp & 0x9F00001F == 0x90000010 and br == 0xD61F0200:  # adrp x16; ...; br x16
            page = ((adrp >> 29) & 3 | ((adrp >> 5) & 0x7FFFF) << 2) << 12
            if page & 1 << 32:
                page -= 1 << 33
            return (va & ~0xFFF) + page + ((ldr >> 10) & 0xFFF) * 8
    return None


def _import_slots(pe: Any, width: int) -> dict[int, str]:
    """IAT slot VA -> ``dll!name`` / ``dll!#ordinal``, walking the import directory by hand.

    pefile drops names it finds odd (spaces, quotes, newlines); these are read as bytes.
    """
    directory = pe.OPTIONAL_HEADER.DATA_DIRECTORY[1]
    base = pe.OPTIONAL_HEADER.ImageBase
    slots: dict[int, str] = {}
    descriptor = directory.VirtualAddress
    while directory.VirtualAddress:
        lookup, _, _, name_rva, iat = struct.unpack("<IIIII", pe.get_data(descriptor, 20))
        if not (lookup or name_rva or iat):
            break
        dll = pe.get_data(name_rva, 260).split(b"\0", 1)[0].decode().lower()
        index = 0
        while True:
            raw = pe.get_data((lookup or iat) + index * width, width)
            (value,) = struct.unpack("<I" if width == 4 else "<Q", raw)
            if not value:
                break
            if value >> (8 * width - 1):
                what = f"#{value & 0xFFFF}"
            else:
                what = pe.get_data(value + 2, 4096).split(b"\0", 1)[0].decode("utf-8", "replace")
            slots[base + iat + index * width] = f"{dll}!{what}"
            index += 1
        descriptor += 20
    return slots


def import_map(dll: Path, symbols: Sequence[str], arch: str) -> dict[str, str]:
    """symbol -> ``dll!name`` or ``dll!#ordinal``: what the loader puts behind it.

    A symbol the linker left unresolved (address 0) is left out.
    """
    import pefile

    pe = pefile.PE(str(dll), fast_load=True)
    width = 4 if arch == "i686" else 8
    slots = _import_slots(pe, width)
    table = pe.OPTIONAL_HEADER.AddressOfEntryPoint  # probe_slots is the entry point
    image = pe.__data__
    base = pe.OPTIONAL_HEADER.ImageBase
    result = {}
    for index, symbol in enumerate(symbols):
        offset = pe.get_offset_from_rva(table + index * width)
        (va,) = struct.unpack_from("<I" if width == 4 else "<Q", image, offset)
        if not va:
            continue
        target = va if va in slots else _thunk_target(image, va, base, arch, pe.get_offset_from_rva)
        result[symbol] = slots.get(target, f"?{va:#x}") if target is not None else f"?{va:#x}"
    pe.close()
    return result


def library_symbols(library: Path) -> list[str]:
    """The symbols an LLVM-written (COFF) archive indexes, descriptors left out.

    Read from its first linker member (big-endian count and offsets, then
    NUL-terminated names), which needs no name to fit on a line.
    """
    data = library.read_bytes()
    assert data[:8] == b"!<arch>\n" and data[8:10] == b"/ "
    size = int(data[56:66])
    body = data[68 : 68 + size]
    (count,) = struct.unpack_from(">I", body)
    names = body[4 + 4 * count :].split(b"\0")[:count]
    return [
        name.decode("utf-8")
        for name in names
        if not name.decode("utf-8").startswith(_DESCRIPTOR_PREFIXES)
    ]


#: Export names a .def can hold, which pefile cut (512+ bytes) or turned into "ordinalN".
ODD_NAMES = (
    "n" * 600, "with space", "semi;colon", "equal=sign", "two\nlines", "f\u00fcnf", "tab\there",
    "DATA", "@1", "quote\"inside", "\u65e5\u672c",
)  # fmt: skip


def _def_line(name: str, internal: str) -> str:
    if '"' in name:  # a word may hold a quote after its first character
        return f"    {name}={internal}"
    if name == "@1":  # after another export, "@1" would be its ordinal
        return f'EXPORTS\n    "{name}"={internal}'
    return f'    "{name}"={internal}'


def odd_names_dll(folder: Path) -> Path:
    """A DLL (clang + lld-link) exporting ODD_NAMES, and one variable, by name."""
    clang, lld_link = require_tool("clang"), require_tool("lld-link")
    (folder / "odd.c").write_text("int odd_function(void) { return 1; }\nint odd_variable = 2;\n")
    lines = [_def_line(name, "odd_function") for name in ODD_NAMES]
    lines.append('    "data with space"=odd_variable DATA')
    (folder / "odd.def").write_text("LIBRARY odd.dll\nEXPORTS\n" + "\n".join(lines) + "\n")
    run = functools.partial(subprocess.run, check=True, capture_output=True, cwd=folder)
    run([clang, "--target=x86_64-pc-windows-msvc", "-c", "odd.c", "-o", "odd.obj"])
    run([lld_link, "/dll", "/noentry", "/nodefaultlib", "/def:odd.def", "/out:odd.dll", "odd.obj"])
    return folder / "odd.dll"
