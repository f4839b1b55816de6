"""python3.dll of an older release, cut from the bundled list by its ``added`` comments."""

from __future__ import annotations

from implib.coff.deffile import Export, ModuleDefinition
from implib.exportlists.abi3 import abi3_for_version, added_in


def test_abi3_for_version_cuts_by_the_added_comment() -> None:
    definition = ModuleDefinition(
        "python3.dll",
        (
            Export("Old", comment="added 3.2"),
            Export("Mid", comment="added 3.10"),
            Export("New", data=True, comment="added 3.13"),
            Export("Hand", comment="kept: no version"),
        ),
        header=("made by hand",),
    )
    assert abi3_for_version(definition, (3, 9)).names() == ["Old", "Hand"]
    assert abi3_for_version(definition, (3, 10)).names() == ["Old", "Mid", "Hand"]
    assert abi3_for_version(definition, (3, 13)).exports == definition.exports
    assert abi3_for_version(definition, (3, 9)).header == ("made by hand",)
    assert added_in(Export("x", comment="added 3.12")) == (3, 12)
    assert added_in(Export("x", comment="added 3.12 or so")) is None
