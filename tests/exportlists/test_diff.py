"""Diffs of export lists: added, removed, changed kind; text and JSON forms."""

from __future__ import annotations

import json

from implib.coff.deffile import Export, ModuleDefinition, parse_def, read_def
from implib.exportlists.diff import DefDiff, KindChange, diff_definitions, format_diff

from support import LISTS

OLD = parse_def(
    "LIBRARY a.dll\nEXPORTS\n  Same\n  Gone DATA\n  Var DATA\n  Func\n  Konst CONSTANT\n"
)
NEW = parse_def("LIBRARY b.dll\nEXPORTS\n  Var\n  Same\n  Func DATA\n  New DATA\n  Konst\n  Also\n")


def test_added_removed_changed() -> None:
    diff = diff_definitions(OLD, NEW)
    assert diff.added == (Export("Also"), Export("New", data=True))
    assert diff.removed == (Export("Gone", data=True),)
    assert diff.changed_kind == (
        KindChange("Func", "code", "data"),
        KindChange("Konst", "const", "code"),
        KindChange("Var", "data", "code"),
    )
    assert diff


def test_text_form() -> None:
    assert format_diff(diff_definitions(OLD, NEW)) == (
        "+ Also (code)\n"
        "+ New (data)\n"
        "- Gone (data)\n"
        "~ Func: code -> data\n"
        "~ Konst: const -> code\n"
        "~ Var: data -> code\n"
        "2 added, 1 removed, 3 changed kind (a.dll -> b.dll)\n"
    )


def test_json_form() -> None:
    data = json.loads(json.dumps(diff_definitions(OLD, NEW).as_dict()))
    assert data == {
        "old_library": "a.dll",
        "new_library": "b.dll",
        "added": [{"name": "Also", "kind": "code"}, {"name": "New", "kind": "data"}],
        "removed": [{"name": "Gone", "kind": "data"}],
        "changed_kind": [
            {"name": "Func", "old": "code", "new": "data"},
            {"name": "Konst", "old": "const", "new": "code"},
            {"name": "Var", "old": "data", "new": "code"},
        ],
    }


def test_no_difference() -> None:
    reordered = ModuleDefinition("a.dll", tuple(reversed(OLD.exports)), header=("other",))
    diff = diff_definitions(OLD, reordered)
    assert diff == DefDiff("a.dll", "a.dll", (), (), ())
    assert not diff
    assert format_diff(diff) == "0 added, 0 removed, 0 changed kind\n"


def test_bundled_312_to_313() -> None:
    old, new = read_def(LISTS / "python312.def"), read_def(LISTS / "python313.def")
    diff = diff_definitions(old, new)
    assert {"PyMutex_Lock", "Py_GetConstant", "Py_GetConstantBorrowed"} <= {
        e.name for e in diff.added
    }
    assert {"PySymtable_Lookup", "Py_SetStandardStreamEncoding"} <= {e.name for e in diff.removed}
    assert len(old.exports) + len(diff.added) - len(diff.removed) == len(new.exports)
    assert (diff.old_library, diff.new_library) == ("python312.dll", "python313.dll")
