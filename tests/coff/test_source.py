"""Bounded reads: every range checked against the input's real size; large files read piecewise."""

from __future__ import annotations

from pathlib import Path

import pytest

from implib.coff import source as source_module
from implib.coff.source import Source, open_source
from implib.errors import LibraryError


def test_reads_are_bounded() -> None:
    source = Source(b"abc\0def", where="x.lib", error=LibraryError)
    assert source.read(1, 3) == b"bc\0"
    assert source.read_upto(5, 100) == b"ef"
    assert source.c_string(0, 10, "name") == b"abc"
    with pytest.raises(LibraryError, match=r"x\.lib: member at offset 5 \(3 bytes\) runs past"):
        source.read(5, 3, "member")
    with pytest.raises(LibraryError, match="runs past"):
        source.read(-1, 1)
    with pytest.raises(LibraryError, match="name at offset 4 has no terminating NUL"):
        source.c_string(4, 10, "name")


def test_large_files_are_read_piecewise(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(source_module, "WHOLE_FILE_LIMIT", 4)
    path = tmp_path / "big.bin"
    path.write_bytes(b"0123456789")
    with open_source(path, LibraryError) as source:
        assert source.size == 10
        assert source.read(3, 4) == b"3456"
        with pytest.raises(LibraryError, match="runs past the end of the input"):
            source.read(8, 4)


def test_missing_file(tmp_path: Path) -> None:
    missing = r"nothing\.lib: cannot read: No such file"
    with (
        pytest.raises(LibraryError, match=missing) as info,
        open_source(tmp_path / "nothing.lib", LibraryError),
    ):
        pass
    assert isinstance(info.value.__cause__, FileNotFoundError)  # errno kept for API callers
