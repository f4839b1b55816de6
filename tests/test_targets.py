"""Targets: the names users type (Python builds: tests/test_pythons.py)."""

from __future__ import annotations

import pytest

from implib.coff.structs import Machine
from implib.targets import Flavour, TargetError, parse_target, valid_targets


@pytest.mark.parametrize(
    ("name", "arch", "flavour", "machine"),
    [
        ("x86_64-pc-windows-msvc", "x86_64", Flavour.MSVC, Machine.AMD64),
        ("i686-pc-windows-gnu", "i686", Flavour.GNU, Machine.I386),
        ("aarch64-pc-windows-gnullvm", "aarch64", Flavour.GNULLVM, Machine.ARM64),
        ("win-amd64", "x86_64", Flavour.MSVC, Machine.AMD64),
        ("win32", "i686", Flavour.MSVC, Machine.I386),
        ("WIN-ARM64", "aarch64", Flavour.MSVC, Machine.ARM64),
        ("x86_64-w64-mingw32", "x86_64", Flavour.GNU, Machine.AMD64),
    ],
)
def test_parse_target(name: str, arch: str, flavour: Flavour, machine: Machine) -> None:
    target = parse_target(name)
    assert (target.arch, target.flavour, target.machine) == (arch, flavour, machine)
    assert parse_target(target.triple) == target


@pytest.mark.parametrize("name", ["x86_64-unknown-linux-gnu", "bogus", "", "x86_64-pc-windows-foo"])
def test_unknown_target_lists_the_valid_ones(name: str) -> None:
    with pytest.raises(TargetError) as info:
        parse_target(name)
    message = str(info.value)
    assert all(triple in message for triple in valid_targets())
    assert "\n" not in message


@pytest.mark.parametrize(
    ("name", "triple"),
    [
        ("x86-windows-msvc", "i686-pc-windows-msvc"),
        ("x86_64-windows-gnu", "x86_64-pc-windows-gnu"),
        ("aarch64-windows-gnullvm", "aarch64-pc-windows-gnullvm"),
    ],
)
def test_zig_spellings_are_one_parser_for_every_command(name: str, triple: str) -> None:
    assert parse_target(name).triple == triple
    from implib.targets import windows_target

    assert windows_target(name) == parse_target(triple)
