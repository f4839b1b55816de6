"""The .def parser: LLVM's grammar, errors with file:line, and a round trip."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from implib.coff.deffile import DefError, Export, ModuleDefinition, format_def, parse_def, read_def


def test_full_grammar() -> None:
    text = """; made by hand
LIBRARY "my lib.dll" BASE=4096
EXPORTS
    plain
    ext=internal @7 NONAME
    var @ 8 DATA PRIVATE
    konst CONSTANT ; old style
    alias == target
    shown EXPORTAS Real
    "quoted name"
"""
    definition = parse_def(text)
    assert definition.library == "my lib.dll"
    assert definition.header == ("made by hand",)
    assert definition.exports == (
        Export("plain"),
        Export("ext", internal_name="internal", ordinal=7, noname=True),
        Export("var", ordinal=8, data=True, private=True),
        Export("konst", constant=True, comment="old style"),
        Export("alias", import_name="target"),
        Export("shown", export_as="Real"),
        Export("quoted name"),
    )


def test_library_without_extension_names_a_dll() -> None:
    assert parse_def("LIBRARY python3\nEXPORTS\n").library == "python3.dll"
    assert parse_def("NAME prog\nEXPORTS\n").library == "prog.exe"


def test_fastcall_name_after_export_is_the_next_export() -> None:
    definition = parse_def("EXPORTS\n  first\n  @fast@8\n")
    assert definition.names() == ["first", "@fast@8"]


def test_kinds() -> None:
    definition = parse_def("EXPORTS\n a\n b DATA\n c CONSTANT\n")
    assert [e.kind for e in definition.exports] == ["code", "data", "const"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("LIBRARY x\nEXPORTS\n  foo @ bar\n", "x.def:3: ordinal expected, got 'bar'"),
        ("LIBRARY x\nEXPORTS\n  foo @70000\n", "x.def:3: ordinal 70000 out of range"),
        ("LIBRARY x\nFROBNICATE\n", "x.def:2: unknown directive 'FROBNICATE'"),
        ("foo\n", "x.def:1: unknown directive 'foo'"),
        ("LIBRARY x\nEXPORTS\n  a\n,\n", "x.def:4: unknown directive ','"),
        ('LIBRARY x\nEXPORTS\n  "unterminated\n', "x.def:3: unterminated quoted name"),
        ("LIBRARY x\nEXPORTS\n  a = \n", "x.def:4: internal name expected after '='"),
        ("LIBRARY x\nEXPORTS\n  a ==\n", "x.def:4: name expected after =="),
        ("LIBRARY x\nEXPORTS\n  a EXPORTAS\n", "x.def:4: name expected after EXPORTAS"),
        ("LIBRARY x BASE 5\n", "x.def:1: '=' expected after BASE"),
        ("HEAPSIZE big\n", "x.def:1: HEAPSIZE size expected"),
        ("VERSION 1.x\n", "x.def:1: version expected"),
        ('EXPORTS\n  ""\n', "x.def:2: empty export name"),
    ],
)
def test_errors_name_file_and_line(text: str, message: str) -> None:
    with pytest.raises(DefError) as info:
        parse_def(text, "x.def")
    assert str(info.value).startswith(message)
    assert "\n" not in str(info.value)


def test_read_def_errors(tmp_path: Path) -> None:
    with pytest.raises(DefError, match="cannot read"):
        read_def(tmp_path / "missing.def")
    bad = tmp_path / "latin1.def"
    bad.write_bytes(b"LIBRARY x\nEXPORTS\n  caf\xe9\n")
    with pytest.raises(DefError, match=r"latin1.def:3: not UTF-8"):
        read_def(bad)


names = st.text(
    alphabet=st.characters(blacklist_characters='"\0\r\n\x0b\x0c', blacklist_categories=("Cs",)),
    min_size=1,
    max_size=20,
).filter(lambda s: s.strip() == s and not s.startswith(("@", ";")))
exports = st.builds(
    lambda **fields: Export(**fields),  # only these fields: the rest keep their defaults
    name=names,
    ordinal=st.integers(0, 65535),
    data=st.booleans(),
    private=st.booleans(),
)


@given(st.lists(exports, max_size=20))
def test_format_then_parse_round_trip(export_list: list[Export]) -> None:
    # NONAME needs an ordinal; the writer only emits what the grammar can say.
    definition = ModuleDefinition(library="lib.dll", exports=tuple(export_list))
    assert parse_def(format_def(definition)).exports == definition.exports


@given(st.text(max_size=300))
def test_parser_raises_only_its_own_error(text: str) -> None:
    with contextlib.suppress(DefError):
        parse_def(text)
