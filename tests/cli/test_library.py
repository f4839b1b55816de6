"""implib inspect: several machines, several DLLs, renames; damaged input gives one line, writes nothing."""

from __future__ import annotations

import json
import os
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from implib.cli import main
from implib.coff.archive import Member, read_members, write_archive
from implib.coff.deffile import parse_def
from implib.coff.structs import Machine
from implib.coff.writer import write_import_library

RENAMES = "LIBRARY r.dll\nEXPORTS\n  target\n  alias == target\n  konst CONSTANT\n"


def _inspect(path: Path, *options: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["inspect", *options, str(path)])
    return result.exit_code, result.output


def test_renames_and_long_members(tmp_path: Path) -> None:
    definition = parse_def(RENAMES)
    (tmp_path / "msvc.lib").write_bytes(
        write_import_library(definition, Machine.AMD64, mingw=False)
    )
    code, text = _inspect(tmp_path / "msvc.lib")
    assert code == 0
    assert "r.dll (amd64, short import format)" in text
    assert "code            target  alias (alias of target)" in text
    (tmp_path / "gnu.a").write_bytes(write_import_library(definition, Machine.AMD64))
    code, text = _inspect(tmp_path / "gnu.a")
    assert "r.dll (amd64, short+long import format)" in text
    assert "3 imports: 2 code, 1 const" in text
    payload = json.loads(_inspect(tmp_path / "msvc.lib", "--json")[1])
    by_symbol = {imp["symbol"]: imp for imp in payload["imports"]}
    assert by_symbol["alias"]["alias_of"] == "target" and by_symbol["alias"]["name"] == "target"
    assert "alias_of" not in by_symbol["target"]  # only aliases carry one


def test_several_machines_and_dlls(tmp_path: Path) -> None:
    members = []
    for machine, dll in ((Machine.AMD64, "one.dll"), (Machine.I386, "two.dll")):
        data = write_import_library(
            parse_def(f"LIBRARY {dll}\nEXPORTS\n  f\n"), machine, mingw=False
        )
        members += [Member(m.name, m.data, ()) for m in read_members(data)]
    (tmp_path / "both.lib").write_bytes(write_archive(members))
    code, text = _inspect(tmp_path / "both.lib")
    assert code == 0
    assert text.splitlines()[0].endswith("one.dll, two.dll (amd64+i386, short import format)")
    assert "  code            two.dll  f  _f" in text  # a DLL column when there are several
    payload = json.loads(_inspect(tmp_path / "both.lib", "--json")[1])
    assert payload["machines"] == ["amd64", "i386"] and payload["machine"] == "amd64+i386"


_SEED = write_import_library(parse_def(RENAMES), Machine.I386)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.tuples(st.integers(0, len(_SEED) - 1), st.integers(0, 255)), max_size=8))
def test_damaged_libraries_one_line_nothing_written(
    tmp_path: Path, changes: list[tuple[int, int]]
) -> None:
    damaged = bytearray(_SEED)
    for offset, value in changes:
        damaged[offset] = value
    folder = tmp_path / "in"
    folder.mkdir(exist_ok=True)
    (folder / "x.lib").write_bytes(bytes(damaged))
    before = sorted(os.listdir(folder))
    result = CliRunner().invoke(main, ["inspect", str(folder / "x.lib")])
    assert result.exit_code in (0, 1), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    if result.exit_code:
        assert len(result.output.strip().splitlines()) == 1 and result.output.startswith("Error: ")
    assert sorted(os.listdir(folder)) == before
