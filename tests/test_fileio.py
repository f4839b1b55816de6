"""Atomic writes: the file appears whole, or nothing is left."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from implib.errors import OutputError, OutputNameError
from implib.fileio import atomic_write, check_file_name, make_folder


def test_writes_whole_file(tmp_path: Path) -> None:
    atomic_write(tmp_path / "out.lib", b"data" * 1000)
    assert (tmp_path / "out.lib").read_bytes() == b"data" * 1000
    assert [p.name for p in tmp_path.iterdir()] == ["out.lib"]


def test_failed_rename_leaves_nothing(tmp_path: Path) -> None:
    (tmp_path / "taken").mkdir()  # a folder where the file should go: the rename fails
    with pytest.raises(OSError):
        atomic_write(tmp_path / "taken", b"data")
    assert [p.name for p in tmp_path.iterdir()] == ["taken"]
    assert list((tmp_path / "taken").iterdir()) == []


def test_errors_name_the_file_meant_never_the_temporary_one(tmp_path: Path) -> None:
    with pytest.raises(OutputError) as caught:
        atomic_write(tmp_path / "nonexist" / "x.def", b"data")
    assert (
        str(caught.value)
        == f"cannot write to {tmp_path / 'nonexist' / 'x.def'}: No such file or directory"
    )
    assert caught.value.errno == errno.ENOENT
    assert isinstance(caught.value.__cause__, FileNotFoundError)


def test_a_folder_that_is_a_file() -> None:
    with pytest.raises(
        OutputError, match=r"^cannot write to /dev/null: it exists and is not a folder$"
    ):
        make_folder(Path("/dev/null"))


@pytest.mark.parametrize(
    "name",
    [
        "",
        ".",
        "..",
        ".lib",
        "..lib",
        "../x.lib",
        "/x.lib",
        "a/b.lib",
        "a\\b.lib",
        "C:x.lib",
        "x\0.lib",
        "x\n.lib",
        " x.lib",
        "x.lib.",
    ],
)
def test_unsafe_file_names(name: str) -> None:
    with pytest.raises(OutputNameError, match="cannot name an output file"):
        check_file_name(name)


@pytest.mark.parametrize(
    "name", ["python3.lib", "python3.12.dll.a", "libpypy3.10-c.lib", "x", "a b.lib", "é.lib"]
)
def test_safe_file_names(name: str) -> None:
    assert check_file_name(name) == name


def test_write_files_writes_a_set_and_leaves_same_bytes_alone(tmp_path: Path) -> None:
    from implib.fileio import write_files

    out = tmp_path / "a" / "b"
    assert write_files(out, [("x", b"1"), ("y", b"2"), ("x", b"3")]) == ["x", "y"]
    assert {p.name: p.read_bytes() for p in out.iterdir()} == {"x": b"3", "y": b"2"}
    assert write_files(out, [("x", b"3"), ("y", b"new")]) == ["y"]  # x already holds its bytes
    assert {p.name: p.read_bytes() for p in out.iterdir()} == {"x": b"3", "y": b"new"}
