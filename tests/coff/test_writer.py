"""The built-in writer against LLVM 19's own: the same bytes, every time."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from implib.coff.deffile import ModuleDefinition, read_def
from implib.coff.structs import Machine
from implib.coff.writer import WriterError, write_import_library

from support import DATA, LISTS

CORPUS = sorted((DATA / "defs").glob("*.def"))
BUNDLED = sorted(LISTS.glob("*.def"))
MACHINES = {
    Machine.AMD64: ("i386:x86-64", "x64"),
    Machine.I386: ("i386", "x86"),
    Machine.ARM64: ("arm64", "arm64"),
}


def llvm_dlltool_bytes(tool: str, def_file: Path, machine: Machine, out: Path) -> bytes:
    subprocess.run(
        [tool, "-m", MACHINES[machine][0], "-d", str(def_file), "-l", str(out)], check=True
    )
    return out.read_bytes()


def llvm_lib_bytes(tool: str, def_file: Path, machine: Machine, out: Path) -> bytes:
    subprocess.run(
        [tool, f"/def:{def_file}", f"/machine:{MACHINES[machine][1]}", f"/out:{out}"], check=True
    )
    return out.read_bytes()


def _ids(paths: list[Path]) -> list[str]:
    return [p.name for p in paths]


@pytest.mark.parametrize("machine", list(MACHINES), ids=lambda m: m.name.lower())
@pytest.mark.parametrize("def_file", BUNDLED + CORPUS, ids=_ids(BUNDLED + CORPUS))
def test_same_bytes_as_llvm_dlltool(
    llvm_dlltool: str, def_file: Path, machine: Machine, tmp_path: Path
) -> None:
    expected = llvm_dlltool_bytes(llvm_dlltool, def_file, machine, tmp_path / "ref.lib")
    assert write_import_library(read_def(def_file), machine, mingw=True) == expected


@pytest.mark.parametrize("machine", list(MACHINES), ids=lambda m: m.name.lower())
@pytest.mark.parametrize("def_file", BUNDLED[:3] + CORPUS, ids=_ids(BUNDLED[:3] + CORPUS))
def test_msvc_flavour_same_bytes_as_llvm_lib(
    llvm_lib: str, def_file: Path, machine: Machine, tmp_path: Path
) -> None:
    expected = llvm_lib_bytes(llvm_lib, def_file, machine, tmp_path / "ref.lib")
    assert write_import_library(read_def(def_file), machine, mingw=False) == expected


def test_bundled_lists_are_there() -> None:
    names = {p.name for p in BUNDLED}
    assert {"python3.def", "python312.def", "python313t.def", "libpypy3.10-c.def"} <= names


def test_deterministic() -> None:
    definition = read_def(CORPUS[0])
    first = write_import_library(definition, Machine.AMD64)
    assert all(write_import_library(definition, Machine.AMD64) == first for _ in range(3))


def test_no_dll_name_is_an_error() -> None:
    with pytest.raises(WriterError, match="no DLL name"):
        write_import_library(ModuleDefinition(library="", exports=()), Machine.AMD64)
