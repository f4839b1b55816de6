"""Export tables: the plain listing of a DLL's exports that the bundled lists are made from.

One export per line, ``NAME`` for code and ``NAME data`` for a variable
(a DATA export); blank lines and lines starting with ``#`` are skipped, and
the ``#`` lines before the first export describe the table. This is the
format of the reference tables the bundled ``.def`` files are generated
from when no real DLL is at hand.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from implib.coff.deffile import Export, ModuleDefinition
from implib.errors import ImplibError
from implib.fileio import read_text

__all__ = ["ExportTableError", "format_export_table", "parse_export_table", "read_export_table"]

# What a .def can hold unquoted and an import library can name: no
# whitespace, quotes, or the .def's own punctuation.
_NAME = re.compile(r"[^\s\"';=,@#][^\s\"';=,]*")


class ExportTableError(ImplibError, ValueError):
    """An export table that cannot be read; the message names file:line."""


def parse_export_table(text: str, source: str = "<table>", library: str = "") -> ModuleDefinition:
    """Parse a table's text; its leading ``#`` lines become the header."""
    header: list[str] = []
    exports: list[Export] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), 1):
        fields = line.split()
        if not fields:
            continue
        if fields[0].startswith("#"):
            if not exports:
                header.append(line.strip()[1:].strip())
            continue
        where = f"{source}:{number}"
        name = fields[0]
        if not _NAME.fullmatch(name):
            raise ExportTableError(f"{where}: {name!r} is not an export name")
        if len(fields) > 2 or (len(fields) == 2 and fields[1] != "data"):
            raise ExportTableError(f"{where}: expected 'NAME' or 'NAME data', got {line.strip()!r}")
        if name in seen:
            raise ExportTableError(f"{where}: {name} is listed twice (first on line {seen[name]})")
        seen[name] = number
        exports.append(Export(name=name, data=len(fields) == 2))
    if not exports:
        raise ExportTableError(f"{source}: no exports")
    return ModuleDefinition(library=library, exports=tuple(exports), header=tuple(header))


def read_export_table(path: str | os.PathLike[str], library: str | None = None) -> ModuleDefinition:
    """Read a table file; the DLL is named after it (``python313.txt``: ``python313.dll``)."""
    where = os.fspath(path)
    text = read_text(path, ExportTableError)
    name = library if library is not None else Path(where).stem + ".dll"
    return parse_export_table(text, where, name)


def format_export_table(definition: ModuleDefinition, header: list[str]) -> str:
    """The table text of ``definition``'s named exports, ``header`` as its ``#`` lines."""
    lines = [f"# {line}".rstrip() for line in header]
    lines += [e.name + (" data" if e.data else "") for e in definition.exports if not e.noname]
    return "\n".join(lines) + "\n"
