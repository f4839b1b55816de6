"""COFF objects, regular and bigobj: read as llvm-readobj-19 reads them; damage is one error."""

from __future__ import annotations

import re
import struct
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from implib.coff.archive import read_members
from implib.coff.deffile import parse_def
from implib.coff.objfile import classify, parse_object
from implib.coff.reader import LibraryError
from implib.coff.structs import BIGOBJ_CLASS_ID, CL_GL_CLASS_ID, Machine
from implib.coff.writer import write_import_library

from support import require_tool

SOURCE = "int big_function(void) { return 7; }\nint big_data = 3;\n"


@pytest.fixture(scope="module", params=["regular", "bigobj"])
def compiled(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    gcc = require_tool("x86_64-w64-mingw32-gcc")
    folder = tmp_path_factory.mktemp(request.param)
    (folder / "o.c").write_text(SOURCE)
    extra = ["-Wa,-mbig-obj"] if request.param == "bigobj" else []
    subprocess.run([gcc, "-c", *extra, "o.c", "-o", "o.o"], cwd=folder, check=True)
    return folder / "o.o"


def test_sections_and_symbols_as_llvm_readobj(compiled: Path) -> None:
    data = compiled.read_bytes()
    assert classify(data[:56]) == ("bigobj" if data[:4] == b"\0\0\xff\xff" else "object")
    obj = parse_object(data, str(compiled))
    tool = require_tool("llvm-readobj-19")
    text = subprocess.run(
        [tool, "--sections", "--symbols", str(compiled)], capture_output=True, check=True, text=True
    ).stdout
    sections_text, symbols_text = text.split("Symbols [", 1)
    assert [s.name for s in obj.sections] == re.findall(r"^\s+Name: (\S+) \(", sections_text, re.M)
    assert [s.name for s in obj.symbols.values()] == re.findall(
        r"^\s+Name: (\S+)$", symbols_text, re.M
    )
    assert obj.machine == Machine.AMD64
    defined = {s.name for s in obj.symbols.values() if s.storage == 2 and s.section > 0}
    assert {"big_function", "big_data"} <= defined


def test_classify() -> None:
    assert classify(b"\0\0\xff\xff\0\0\x64\x86" + bytes(12)) == "import"
    assert classify(b"\0\0\xff\xff\x02\0\x64\x86" + bytes(4) + BIGOBJ_CLASS_ID) == "bigobj"
    assert classify(b"\0\0\xff\xff\x01\0\x64\x86" + bytes(4) + CL_GL_CLASS_ID) == "other"
    assert classify(b"\x64\x86" + bytes(18)) == "object"
    assert classify(b"\x7fELF" + bytes(16)) == "other"  # an ELF object in a static library
    assert classify(b"\x64\x86") == "other"


def test_truncated_headers() -> None:
    with pytest.raises(LibraryError, match="x: truncated COFF header"):
        parse_object(b"\x64\x86\x01\x00", "x")
    bigobj = b"\0\0\xff\xff\x02\0\x64\x86" + bytes(4) + BIGOBJ_CLASS_ID
    with pytest.raises(LibraryError, match="x: truncated bigobj header"):
        parse_object(bigobj, "x")
    huge = struct.pack("<HHIIIHH", 0x8664, 1, 0, 20, 0x7FFFFFF, 0, 0)
    with pytest.raises(LibraryError, match="too many"):
        parse_object(huge, "x")


def _objects() -> list[bytes]:
    """The objects implib writes: descriptors, weak aliases (LLVM) and long-format members."""
    text = "LIBRARY o.dll\nEXPORTS\n  a\n  b == a\n  c CONSTANT\n  d @3 NONAME DATA\n"
    found = []
    for mingw in (False, True):
        library = write_import_library(parse_def(text), Machine.I386, mingw=mingw)
        found += [m.data for m in read_members(library) if classify(m.data[:56]) == "object"]
    return found


_SEEDS = _objects()


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(_SEEDS), st.data())
def test_damaged_objects_raise_only_library_error(seed: bytes, data: st.DataObject) -> None:
    damaged = bytearray(seed)
    for _ in range(data.draw(st.integers(1, 8))):
        damaged[data.draw(st.integers(0, len(damaged) - 1))] = data.draw(st.integers(0, 255))
    damaged = damaged[: data.draw(st.integers(0, len(damaged)))]
    try:
        parse_object(bytes(damaged), "member")
    except LibraryError as error:
        assert str(error).startswith("member: ")
