"""Check an import library against the real DLL it imports from.

A name the DLL does not export fails the link or the load; a name imported
as code that the DLL exports as data (or the reverse) links silently and
crashes at run time. Both are found here before a wheel ships.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

from .dllexports import definition_from_dll
from .reader import read_import_library

__all__ = ["VerifyReport", "verify_library"]


@dataclasses.dataclass(frozen=True)
class VerifyReport:
    """What was checked, and every mismatch found (empty: the library is good)."""

    checked: int
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def summary(self) -> str:
        verdict = "OK" if self.ok else f"{len(self.problems)} problem(s)"
        return f"{self.checked} imports checked: {verdict}"


def verify_library(library: str | os.PathLike[str], dll: str | os.PathLike[str]) -> VerifyReport:
    """Check every import of ``library`` against the export table of ``dll``."""
    lib = read_import_library(library)
    definition = definition_from_dll(dll)
    by_name = definition.by_name()
    ordinals = {e.ordinal: e for e in definition.exports if e.ordinal}
    dll_name = Path(dll).name.lower()
    problems = []
    for imp in lib.imports:
        if imp.dll.lower() != dll_name:
            problems.append(f"{imp.symbol}: imports from {imp.dll}, not {Path(dll).name}")
            continue
        export = by_name.get(imp.name) if imp.name else ordinals.get(imp.ordinal or 0)
        label = imp.name or f"ordinal {imp.ordinal}"
        if export is None:
            problems.append(f"{label}: not exported by {Path(dll).name}")
        elif (imp.kind == "data") != export.data:
            problems.append(f"{label}: imported as {imp.kind}, exported as {export.kind}")
    return VerifyReport(len(lib.imports), tuple(problems))
