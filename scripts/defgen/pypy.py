"""PyPy's export lists, refreshed from a newer PyPy than the Windows table they start from.

The Windows tables (gendef listings of ``libpypy3.X-c.dll``) lag PyPy's
releases. A newer release's C API can be read off the Linux build of the
same DLL, ``libpypy3.X-c.so`` (Debian's ``pypy3`` package): its dynamic
symbols, as ``nm -D --defined-only`` lists them. The refreshed list is the
Windows table plus the C API names (``Py*``, ``_Py*``, which covers
cpyext's ``PyPy*`` and ``_PyPy*``) the newer ``.so`` adds, so that a module
built for either release links: e.g. ``Py_FileSystemDefaultEncoding`` (PyPy
7.3) and ``_PyPy_FileSystemDefaultEncoding`` (PyPy 8.0, which renamed it;
pillow 12's ``_imagingft`` imports it). Names only the Windows DLL has
(``PyPyErr_SetFromWindowsErr``, the bundled expat, HPy's debug modes) stay.
"""

from __future__ import annotations

from implib.coff.deffile import Export, ModuleDefinition
from implib.errors import ImplibError

__all__ = ["SymbolError", "parse_nm", "refresh"]

#: nm's symbol types: code, and everything else that is defined (data).
_CODE_TYPES = frozenset("TtWi")
_DATA_TYPES = frozenset("BbDdRrVvGgSs")


class SymbolError(ImplibError, ValueError):
    """A symbol listing that cannot be read; the message names file:line."""


def parse_nm(text: str, source: str = "<nm>") -> dict[str, str]:
    """``nm -D --defined-only`` output: name -> ``code`` or ``data``."""
    symbols = {}
    for number, line in enumerate(text.splitlines(), 1):
        fields = line.split()
        if not fields:
            continue
        if len(fields) not in (2, 3) or len(fields[-2]) != 1:
            raise SymbolError(f"{source}:{number}: expected '[ADDRESS] TYPE NAME', got {line!r}")
        kind, name = fields[-2], fields[-1].split("@")[0]
        if kind in _CODE_TYPES:
            symbols[name] = "code"
        elif kind in _DATA_TYPES:
            symbols[name] = "data"
        else:
            raise SymbolError(f"{source}:{number}: symbol type {kind!r} is not a defined one")
    if not symbols:
        raise SymbolError(f"{source}: no symbols")
    return symbols


def _c_api(name: str) -> bool:
    return name.startswith(("Py", "_Py"))


def refresh(
    table: ModuleDefinition, symbols: dict[str, str], *, table_name: str, newer: str
) -> ModuleDefinition:
    """``table`` plus the C API names of ``symbols`` it lacks, each line commented with its source."""
    exports = {e.name: Export(e.name, data=e.data, comment=table_name) for e in table.exports}
    for name, kind in symbols.items():
        if _c_api(name) and name not in exports:
            exports[name] = Export(name, data=kind == "data", comment=newer)
    return ModuleDefinition(
        library=table.library, exports=tuple(exports[name] for name in sorted(exports))
    )
