"""python3.dll of an older release: the bundled abi3 list cut down to a version.

Each export of the bundled ``python3.def`` (and ``python3t.def``) carries in
its comment the oldest release from which on every python3.dll exports it
(``; since 3.10: python3.dll 3.10.0``, see scripts/defgen/python3dll.py), so
the list for ``--min-python 3.X`` is the exports dated 3.X or earlier: the
names python3.dll of 3.X exports that every later one still exports. A
module linked against it loads on 3.X and on each release after it.
"""

from __future__ import annotations

import re

from ..coff.deffile import Export, ModuleDefinition

__all__ = ["abi3_for_version", "added_in"]

_ADDED_COMMENT = re.compile(r"(?:since|added) 3\.(\d+)(?::.*)?")


def added_in(export: Export) -> tuple[int, int] | None:
    """The version in an export's ``since 3.X: ...`` (or ``added 3.X``) comment, if any."""
    match = _ADDED_COMMENT.fullmatch(export.comment)
    return (3, int(match.group(1))) if match else None


def abi3_for_version(definition: ModuleDefinition, version: tuple[int, int]) -> ModuleDefinition:
    """The exports dated ``version`` or earlier: what 3.X's python3.dll and every later one export.

    Exports without a dated comment are kept.
    """
    kept = []
    for export in definition.exports:
        added = added_in(export)
        if added is None or added <= version:
            kept.append(export)
    return definition.replace(exports=tuple(kept))
