"""What changed between two export lists: names added, removed, or changed kind.

A change of kind matters as much as a new name: a variable imported as a
function (or the reverse) links, then crashes, so it is listed on its own.
"""

from __future__ import annotations

import dataclasses

from ..coff.deffile import Export, ModuleDefinition

__all__ = ["DefDiff", "KindChange", "diff_definitions", "format_diff"]


@dataclasses.dataclass(frozen=True)
class KindChange:
    """An export in both lists whose kind (``code``, ``data``, ``const``) differs."""

    name: str
    old: str
    new: str


@dataclasses.dataclass(frozen=True)
class DefDiff:
    """The differences from an old export list to a new one, each sorted by name."""

    old_library: str
    new_library: str
    added: tuple[Export, ...]
    removed: tuple[Export, ...]
    changed_kind: tuple[KindChange, ...]

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed_kind)

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready form."""
        return {
            "old_library": self.old_library,
            "new_library": self.new_library,
            "added": [{"name": e.name, "kind": e.kind} for e in self.added],
            "removed": [{"name": e.name, "kind": e.kind} for e in self.removed],
            "changed_kind": [dataclasses.asdict(change) for change in self.changed_kind],
        }


def diff_definitions(old: ModuleDefinition, new: ModuleDefinition) -> DefDiff:
    """Compare two export lists by name."""
    before, after = old.by_name(), new.by_name()
    return DefDiff(
        old_library=old.library,
        new_library=new.library,
        added=tuple(after[name] for name in sorted(after.keys() - before.keys())),
        removed=tuple(before[name] for name in sorted(before.keys() - after.keys())),
        changed_kind=tuple(
            KindChange(name, before[name].kind, after[name].kind)
            for name in sorted(before.keys() & after.keys())
            if before[name].kind != after[name].kind
        ),
    )


def format_diff(diff: DefDiff) -> str:
    """One line per change (``+ name (kind)``, ``- name (kind)``, ``~ name: old -> new``)."""
    lines = [f"+ {e.name} ({e.kind})" for e in diff.added]
    lines += [f"- {e.name} ({e.kind})" for e in diff.removed]
    lines += [f"~ {c.name}: {c.old} -> {c.new}" for c in diff.changed_kind]
    counts = (
        f"{len(diff.added)} added, {len(diff.removed)} removed, "
        f"{len(diff.changed_kind)} changed kind"
    )
    if diff.old_library != diff.new_library:
        counts += f" ({diff.old_library or '?'} -> {diff.new_library or '?'})"
    return "\n".join([*lines, counts]) + "\n"
