"""The export-table format: names, DATA marks, comments, and errors with file:line."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from implib.coff.deffile import Export, format_def, parse_def

from defgen.tables import (
    ExportTableError,
    format_export_table,
    parse_export_table,
    read_export_table,
)
from support import UPSTREAM


def test_names_data_and_header() -> None:
    text = "# Export table of x.dll.\n#   Second line.\n\nPyFoo\nPyBar_Type data\n# later note\n  Py_Baz  \n"
    definition = parse_export_table(text, "x.txt", "x.dll")
    assert definition.library == "x.dll"
    assert definition.header == ("Export table of x.dll.", "Second line.")
    assert definition.exports == (
        Export("PyFoo"),
        Export("PyBar_Type", data=True),
        Export("Py_Baz"),
    )


def test_read_names_the_dll_after_the_file(tmp_path: Path) -> None:
    path = tmp_path / "libpypy3.10-c.txt"
    path.write_text("PyPyLong_FromLong\n_PyPy_NoneStruct data\n")
    definition = read_export_table(path)
    assert definition.library == "libpypy3.10-c.dll"
    assert read_export_table(path, library="other.dll").library == "other.dll"
    assert parse_def(format_def(definition)).exports == definition.exports


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("A\nB code\n", "t.txt:2: expected 'NAME' or 'NAME data', got 'B code'"),
        ("A\n\nB data extra\n", "t.txt:3: expected 'NAME' or 'NAME data', got 'B data extra'"),
        ("A\nB DATA\n", "t.txt:2: expected 'NAME' or 'NAME data'"),
        ("A\nB # note\n", "t.txt:2: expected 'NAME' or 'NAME data'"),
        ('A\n"B"\n', "t.txt:2: '\"B\"' is not an export name"),
        ("A;B\n", "t.txt:1: 'A;B' is not an export name"),
        ("@8\n", "t.txt:1: '@8' is not an export name"),
        ("A\nB\nA data\n", "t.txt:3: A is listed twice (first on line 1)"),
        ("# only a comment\n\n", "t.txt: no exports"),
    ],
)
def test_errors_name_file_and_line(text: str, message: str) -> None:
    with pytest.raises(ExportTableError) as info:
        parse_export_table(text, "t.txt")
    assert str(info.value).startswith(message)


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(ExportTableError, match=r"absent\.txt: cannot read"):
        read_export_table(tmp_path / "absent.txt")
    (tmp_path / "bad.txt").write_bytes(b"A\nB\n\xff\n")
    with pytest.raises(ExportTableError, match=r"bad\.txt:3: not UTF-8 text"):
        read_export_table(tmp_path / "bad.txt")


_names = st.from_regex(r"[A-Za-z_][A-Za-z0-9_@?$]{0,30}", fullmatch=True)


@given(st.dictionaries(_names, st.booleans(), min_size=1))
def test_round_trip_through_a_def(entries: dict[str, bool]) -> None:
    text = "".join(f"{name}{' data' if data else ''}\n" for name, data in entries.items())
    definition = parse_export_table(text, library="r.dll")
    assert [(e.name, e.data) for e in definition.exports] == list(entries.items())
    assert parse_def(format_def(definition)).exports == definition.exports


def test_every_upstream_table_reads() -> None:
    tables = sorted((UPSTREAM / "exports").glob("*.txt"))
    assert len(tables) == 20
    for path in tables:
        definition = read_export_table(path)
        assert definition.library == path.stem + ".dll"
        dll = definition.library.split("-3.")[0].removesuffix(".dll") + ".dll"  # python3-3.8
        assert definition.header[0].startswith(f"Export table of {dll}")
        assert len(definition.exports) > 790
        assert sum(e.data for e in definition.exports) > 100


def test_format_export_table_reads_back(tmp_path: Path) -> None:
    definition = parse_export_table("A\nB data\n", library="x.dll")
    text = format_export_table(definition, ["Export table of x.dll.", "Second."])
    assert text == "# Export table of x.dll.\n# Second.\nA\nB data\n"
    (tmp_path / "x.txt").write_text(text)
    again = read_export_table(tmp_path / "x.txt")
    assert again.exports == definition.exports
    assert again.header == ("Export table of x.dll.", "Second.")
