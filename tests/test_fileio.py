"""Atomic writes: the file appears whole, or nothing is left."""

from __future__ import annotations

from pathlib import Path

import pytest

from implib.fileio import atomic_write


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
