"""Check an import library against the real DLL it imports from.

A name the DLL does not export fails the link or the load; a name imported
as code that the DLL exports as data (or the reverse) links silently and
crashes at run time. Both are found here before a wheel ships.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

from .coff.pe import DllExport, forward_target, read_exports, resolve_forwarders
from .coff.reader import read_import_library

__all__ = ["VerifyReport", "verify_library"]


@dataclasses.dataclass(frozen=True)
class VerifyReport:
    """What was checked, and every mismatch found (empty: the library is good)."""

    checked: int
    problems: tuple[str, ...]
    notes: tuple[str, ...] = ()  # oddities of the DLL itself, not of the library

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def summary(self) -> str:
        verdict = "OK" if self.ok else f"{len(self.problems)} problem(s)"
        return f"{self.checked} imports checked: {verdict}"


def _exports(dll: Path) -> tuple[dict[str, DllExport], dict[int, DllExport], set[str]]:
    """The DLL's exports by name and ordinal, kinds resolved through forwarders.

    Also the names whose forwarder points at a DLL beside it that does not
    export the target (python3.dll's ``_Py_RefTotal``, which only debug
    builds of python3X.dll have).
    """
    exports = read_exports(dll)
    targets = {}
    for name in exports.forwarded_dlls():
        found = [p for p in dll.parent.iterdir() if p.name.lower() == name]
        if found:
            targets[name] = read_exports(found[0])
    dangling = {
        e.name
        for e in exports.exports
        if e.name and e.forwarder and forward_target(e, targets) is None
        and e.forwarder.rpartition(".")[0].lower() + ".dll" in targets
    }  # fmt: skip
    resolved = resolve_forwarders(exports, targets) if targets else exports
    ordinals = {e.ordinal: e for e in resolved.exports}
    return resolved.by_name(), ordinals, dangling


def verify_library(library: str | os.PathLike[str], dll: str | os.PathLike[str]) -> VerifyReport:
    """Check every import of ``library`` against the export table of ``dll``."""
    lib = read_import_library(library)
    dll_path = Path(dll)
    by_name, ordinals, dangling = _exports(dll_path)
    dll_name = dll_path.name
    problems, notes = [], []
    for imp in lib.imports:
        if imp.dll.lower() != dll_name.lower():
            problems.append(f"{imp.symbol}: imports from {imp.dll}, not {dll_name}")
            continue
        export = by_name.get(imp.name) if imp.name else ordinals.get(imp.ordinal or 0)
        label = imp.name or f"ordinal {imp.ordinal}"
        if export is None:
            problems.append(f"{label}: not exported by {dll_name}")
        elif export.name in dangling:
            notes.append(
                f"{label}: {dll_name} forwards it to {export.forwarder}, not exported there"
            )
        elif (imp.kind == "data") != (export.kind == "data"):
            problems.append(f"{label}: imported as {imp.kind}, exported as {export.kind}")
    return VerifyReport(len(lib.imports), tuple(problems), tuple(notes))
