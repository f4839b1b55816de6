"""GNU dlltool's long format as implib writes it: what GNU's and LLVM's tools read in it.

That every linker links it to the intended imports is test_link.py's part.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from implib.coff.archive import read_members
from implib.coff.longformat import LongImport, long_format_members
from implib.coff.structs import ImportType, Machine

from support import require_tool

IMPORTS = [
    LongImport("alias", ImportType.CODE, "target", 3, True),
    LongImport("konst", ImportType.CONST, "konst", 0, True),
    LongImport("var", ImportType.DATA, "realvar", 0, False),
    LongImport("byord", ImportType.CODE, None, 7, True),
]


def _library(tmp_path: Path, machine: Machine) -> Path:
    from implib.coff.archive import write_archive

    path = tmp_path / "long.a"
    path.write_bytes(write_archive(long_format_members("some-lib.dll", machine, IMPORTS)))
    return path


@pytest.mark.parametrize(("machine", "arch"), [(Machine.AMD64, "x86_64"), (Machine.I386, "i686")])
def test_gnu_dlltool_identifies_the_dll(tmp_path: Path, machine: Machine, arch: str) -> None:
    dlltool = require_tool(f"{arch}-w64-mingw32-dlltool")
    result = subprocess.run(
        [dlltool, "--identify", str(_library(tmp_path, machine)), "--identify-strict"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert result.stdout.strip() == "some-lib.dll"


@pytest.mark.parametrize("machine", [Machine.AMD64, Machine.I386])
def test_llvm_reads_every_member_cleanly(tmp_path: Path, machine: Machine) -> None:
    tool = require_tool("llvm-objdump-19")
    result = subprocess.run(
        [tool, "-h", "-r", "-t", str(_library(tmp_path, machine))], capture_output=True, text=True
    )
    assert result.returncode == 0 and not result.stderr, result.stderr
    assert result.stdout.count("file format coff-") == len(IMPORTS) + 2
    if machine is Machine.I386:  # safe for /SAFESEH, so lld-link takes it by default
        assert result.stdout.count("@feat.00") == len(IMPORTS) + 2


def test_member_names_sort_head_entries_tail_and_differ_per_content() -> None:
    names = [m.name for m in long_format_members("x.dll", Machine.AMD64, IMPORTS)]
    assert names[0].endswith("_h.o") and names[-1].endswith("_t.o")
    assert sorted(names) == [names[0], *names[1:-1], names[-1]]
    other = long_format_members("x.dll", Machine.AMD64, IMPORTS[:1])
    assert (
        other[0].name != names[0]
        and other[0].symbols != long_format_members("x.dll", Machine.AMD64, IMPORTS)[0].symbols
    )  # two libraries for one DLL never share a head
    assert [m.data for m in other] == [
        m.data for m in long_format_members("x.dll", Machine.AMD64, IMPORTS[:1])
    ]


def test_defined_symbols() -> None:
    members = long_format_members("x.dll", Machine.I386, IMPORTS)
    assert [m.symbols for m in members[1:-1]] == [
        (b"__imp_alias", b"alias"), (b"__imp_konst", b"konst"), (b"__imp_var",),
        (b"__imp_byord", b"byord"),
    ]  # fmt: skip
    with pytest.raises(ValueError, match="not ARM64"):
        long_format_members("x.dll", Machine.ARM64, IMPORTS)
    assert len(list(read_members(b"!<arch>\n"))) == 0
