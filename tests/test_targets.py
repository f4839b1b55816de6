"""Targets and Python builds: the names users type, and the files they get."""

from __future__ import annotations

import pytest

from implib.coff.structs import Machine
from implib.pythons import Kind, PythonBuild, PythonError, parse_python
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
    ("spec", "canonical", "stem", "msvc", "gnu"),
    [
        ("abi3", "abi3", "python3", ["python3.lib"], ["python3.dll.a"]),
        ("abi3-3.9", "abi3-3.9", "python3", ["python3.lib"], ["python3.dll.a"]),
        ("3.12", "3.12", "python312", ["python312.lib"], ["python312.dll.a", "python3.12.dll.a"]),
        ("cp38", "3.8", "python38", ["python38.lib"], ["python38.dll.a", "python3.8.dll.a"]),
        ("3.13t", "3.13t", "python313t", ["python313t.lib"], ["python313t.dll.a"]),
        (
            "pypy3.10",
            "pypy3.10",
            "libpypy3.10-c",
            ["libpypy3.10-c.lib", "python310.lib"],
            ["libpypy3.10-c.dll.a", "python310.dll.a"],
        ),
        (
            "pypy3.8",
            "pypy3.8",
            "libpypy3-c",
            ["libpypy3-c.lib", "python38.lib"],
            ["libpypy3-c.dll.a", "python38.dll.a"],
        ),
    ],
)
def test_python_builds(
    spec: str, canonical: str, stem: str, msvc: list[str], gnu: list[str]
) -> None:
    build = parse_python(spec)
    assert build.spec == canonical
    assert build.dll_name == stem + ".dll"
    assert build.lib_names(Flavour.MSVC) == msvc
    assert build.lib_names(Flavour.GNU) == gnu
    assert parse_python(build.spec) == build


def test_abi3_minimum() -> None:
    assert parse_python("abi3-3.9") == PythonBuild(Kind.ABI3, (3, 9))


@pytest.mark.parametrize("spec", ["2.7", "python", "pypy3.10t", "abi3-3.x", "abi3-3.13t", "4.0"])
def test_bad_python(spec: str) -> None:
    with pytest.raises(PythonError):
        parse_python(spec)


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
