"""python3.dll of an older release: the bundled abi3 list cut down to a version.

Each export of the bundled ``python3.def`` carries the version that added it
in its comment (``; added 3.9``), so the list of an older python3.dll is the
exports added in that version or earlier, with no manifest at hand.
"""

from __future__ import annotations

import dataclasses
import re

from ..coff.deffile import Export, ModuleDefinition

__all__ = ["abi3_for_version", "added_in"]

_ADDED_COMMENT = re.compile(r"added 3\.(\d+)")


def added_in(export: Export) -> tuple[int, int] | None:
    """The version in an export's ``added 3.X`` comment, if it has one."""
    match = _ADDED_COMMENT.fullmatch(export.comment)
    return (3, int(match.group(1))) if match else None


def abi3_for_version(definition: ModuleDefinition, version: tuple[int, int]) -> ModuleDefinition:
    """The exports added in ``version`` or earlier: that release's python3.dll.

    Exports without an ``added 3.X`` comment are kept.
    """
    kept = []
    for export in definition.exports:
        added = added_in(export)
        if added is None or added <= version:
            kept.append(export)
    return dataclasses.replace(definition, exports=tuple(kept))
