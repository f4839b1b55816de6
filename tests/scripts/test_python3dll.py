"""python3.dll's and python3t.dll's lists: each name dated by the releases that export it."""

from __future__ import annotations

import pytest

from implib.coff.deffile import Export

from defgen.python3dll import Python3Error, Release, python3_definition_for

R38 = Release((3, 8), frozenset({"Old", "Gone", "Back", "Late"}), "python3.dll 3.8.0")
R39 = Release((3, 9), frozenset({"Old", "Gone", "Late", "Mid"}), "python3.dll 3.9.0")
R310 = Release((3, 10), frozenset({"Old", "Back", "Late", "Mid", "New"}), "test 3.10.2")
KINDS = {"Old": "code", "Back": "code", "Late": "data", "Mid": "code", "New": "code"}


def test_each_name_is_dated_by_the_oldest_release_from_which_on_all_export_it() -> None:
    definition = python3_definition_for(
        [R310, R38, R39],  # any order
        KINDS,
        added={"Old": (3, 2), "Late": (3, 10), "Back": (3, 2)},
        oldest_main={"Old"},  # python37.dll exports Old only
    )
    assert definition.library == "python3.dll"
    assert definition.exports == (
        # 3.8 exports Back, 3.9 does not: from 3.10 on.
        Export("Back", comment="since 3.10: test 3.10.2"),
        # Exported by 3.8 though the manifest says 3.10: the real DLL wins.
        Export("Late", data=True, comment="since 3.8: python3.dll 3.8.0"),
        Export("Mid", comment="since 3.9: python3.dll 3.9.0"),
        Export("New", comment="since 3.10: test 3.10.2"),
        # In every list, older per the manifest, and python37.dll has it.
        Export("Old", comment="since 3.2: stable_abi.toml"),
    )


def test_python3t_is_dated_from_315_at_the_earliest() -> None:
    r315 = Release((3, 15), frozenset({"Old"}), "test 3.15.2")
    definition = python3_definition_for(
        [r315], {"Old": "code"}, library="python3t.dll", added={"Old": (3, 2)}, floor=(3, 15)
    )
    assert definition.exports == (Export("Old", comment="since 3.15: test 3.15.2"),)


def test_a_name_of_unknown_kind_or_no_release_is_an_error() -> None:
    with pytest.raises(Python3Error, match=r"python3\.dll: no kind .* known for New"):
        python3_definition_for([R310], {k: v for k, v in KINDS.items() if k != "New"})
    with pytest.raises(Python3Error, match=r"python3\.dll: no release lists its names"):
        python3_definition_for([], KINDS)
