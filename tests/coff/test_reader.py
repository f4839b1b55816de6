"""Reading import libraries back, from implib's writer and from other tools."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from implib.coff.deffile import Export, ModuleDefinition, parse_def
from implib.coff.reader import LibraryError, parse_import_library, read_import_library
from implib.coff.structs import Machine
from implib.coff.writer import write_import_library

from support import require_tool

SAMPLE = """LIBRARY sample.dll
EXPORTS
    func
    var DATA
    konst CONSTANT
    by_ordinal @5 NONAME
    with_hint @9
"""


def test_reads_what_the_writer_wrote() -> None:
    lib = parse_import_library(write_import_library(parse_def(SAMPLE), Machine.AMD64))
    assert lib.format == "short"
    assert lib.machine == Machine.AMD64
    assert lib.dlls == ["sample.dll"]
    got = [(i.name, i.symbol, i.kind, i.ordinal) for i in lib.imports]
    assert got == [
        ("func", "func", "code", None),
        ("var", "var", "data", None),
        ("konst", "konst", "const", None),
        ("", "by_ordinal", "code", 5),
        ("with_hint", "with_hint", "code", 9),
    ]


def test_i386_names_are_looked_up_without_the_underscore() -> None:
    lib = parse_import_library(write_import_library(parse_def(SAMPLE), Machine.I386))
    assert [(i.name, i.symbol, i.name_type) for i in lib.imports][:2] == [
        ("func", "_func", "noprefix"),
        ("var", "_var", "noprefix"),
    ]


@pytest.mark.parametrize(("arch", "machine"), [("x86_64", Machine.AMD64), ("i686", Machine.I386)])
def test_reads_gnu_dlltool_long_format(tmp_path: Path, arch: str, machine: Machine) -> None:
    dlltool = require_tool(f"{arch}-w64-mingw32-dlltool")
    (tmp_path / "s.def").write_text(SAMPLE.replace("konst CONSTANT", "konst"))
    subprocess.run(
        [dlltool, "--input-def", "s.def", "--output-lib", "s.dll.a"], cwd=tmp_path, check=True
    )
    lib = read_import_library(tmp_path / "s.dll.a")
    assert lib.format == "long"
    assert lib.machine == machine
    assert lib.dlls == ["sample.dll"]
    got = sorted((i.name, i.kind, i.ordinal) for i in lib.imports)
    assert got == sorted(
        [
            ("func", "code", None),
            ("var", "data", None),
            ("konst", "code", None),
            ("", "code", 5),
            ("with_hint", "code", None),
        ]
    )


def test_reads_llvm_readobj_the_same(tmp_path: Path, llvm_dlltool: str) -> None:
    """What llvm-readobj --coff-imports says of a library, inspect says too."""
    readobj = require_tool("llvm-readobj-19")
    (tmp_path / "s.def").write_text(SAMPLE)
    subprocess.run(
        [llvm_dlltool, "-m", "i386", "-d", "s.def", "-l", "s.lib"], cwd=tmp_path, check=True
    )
    text = subprocess.run(
        [readobj, "--coff-imports", "s.lib"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    export_names = [line.split(": ", 1)[1] for line in text.splitlines() if "Export name:" in line]
    lib = read_import_library(tmp_path / "s.lib")
    assert [i.name for i in lib.imports if i.name] == export_names


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "no !<arch> signature"),
        (b"MZ\x90\x00", "no !<arch> signature"),
        (b"!<arch>\n/               0", "truncated member header"),
        (b"!<arch>\n" + b"x" * 58 + b"`\n", "bad member size"),
        (b"!<arch>\n", "no imports found"),
    ],
)
def test_bad_files(data: bytes, message: str) -> None:
    with pytest.raises(LibraryError, match=message):
        parse_import_library(data)


def test_truncated_library_is_an_error() -> None:
    data = write_import_library(parse_def(SAMPLE), Machine.AMD64)
    with pytest.raises(LibraryError, match="runs past the end"):
        parse_import_library(data[: len(data) - 10])


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(LibraryError, match=r"missing\.lib: cannot read"):
        read_import_library(tmp_path / "missing.lib")


names = st.text(
    alphabet=st.characters(min_codepoint=33, max_codepoint=126, blacklist_characters='";=,'),
    min_size=1,
    max_size=30,
)


@st.composite
def definitions(draw: st.DrawFn) -> ModuleDefinition:
    exports = []
    for name in draw(st.lists(names, unique=True, max_size=40)):
        ordinal = draw(st.integers(0, 65535))
        exports.append(
            Export(
                name=name,
                ordinal=ordinal,
                noname=ordinal > 0 and draw(st.booleans()),
                data=draw(st.booleans()),
                constant=draw(st.booleans()),
            )
        )
    library = draw(names.filter(lambda n: "/" not in n and "\\" not in n)) + ".dll"
    return ModuleDefinition(library=library, exports=tuple(exports))


@settings(max_examples=200, deadline=None)
@given(definitions(), st.sampled_from(list(Machine)))
def test_round_trip_names_kinds_ordinals(definition: ModuleDefinition, machine: Machine) -> None:
    lib = parse_import_library(write_import_library(definition, machine))
    prefix = "_" if machine is Machine.I386 else ""
    expected = []
    for e in definition.exports:
        decorated = e.name.startswith(("@", "?")) or "@@" in e.name
        symbol = e.name if decorated else prefix + e.name
        expected.append(("" if e.noname else e.name, symbol, e.kind, e.ordinal or None))
    got = [(i.name, i.symbol, i.kind, i.ordinal) for i in lib.imports]
    assert got == expected
    assert lib.dlls == ([definition.library] if definition.exports else [])
