"""The .def parser: LLVM's grammar (checked against both LLVM tools), file:line errors, round trips."""

from __future__ import annotations

import contextlib
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from implib.coff.deffile import (
    MAX_EXPORTS,
    DefError,
    Export,
    ModuleDefinition,
    format_def,
    parse_def,
    read_def,
)
from implib.coff.structs import Machine
from implib.coff.writer import WriterError, write_import_library

#: Grammar probes: (text, None) where implib must read the text as LLVM does
#: (the same bytes when both accept, an error when LLVM refuses), or (text,
#: message) where implib refuses on purpose what LLVM silently misreads.
PROBES: list[tuple[str, str | None]] = [
    # Ordinals: ASCII decimal 0..65535; 0 is none; the last wins.
    ("foo @5", None), ("foo @ 5", None), ("foo @0", None), ("foo @ 0", None),
    ("foo @65535", None), ("foo @007", None), ("foo @5 @6", None), ("foo DATA @5 NONAME", None),
    ("foo @5\nNONAME", None), ("foo @5NONAME", None), ("foo NONAME", None),
    ("foo NONAME @5", None), ("foo @5,", None), ("foo @2 DATA NONAME", None),
    # "@" and something that is no ordinal: LLVM starts the next export (or drops it).
    ("foo @+5", None), ("foo @-5", None), ("foo @0x10", None),
    ("foo\n@bar@8", None), ("foo @bar@8", None), ("@bar@8 @3", None), ("foo@5", None),
    ("foo @65536", "ordinal '@65536' is not a number 0..65535"),
    ("foo @" + "9" * 5000, "ordinal '@9999999999"),
    ("foo @\u0665", "ordinal '@\u0665' is not a number 0..65535"),  # Arabic-Indic 5
    ("foo @\u00b2", "ordinal '@\u00b2' is not a number 0..65535"),
    ("foo @ 65536", "ordinal '65536' is not a number 0..65535"),
    ("foo @ bar\nbaz", "ordinal expected, got 'bar'"),
    ("foo @", "ordinal expected, got end of file"),
    ("foo @5 NONAME @0", "'foo': NONAME needs an ordinal 1..65535"),
    # Quotes, words, separators.
    ('"foo bar"', None), ('"foo\nbar" DATA\nbaz', None), ('"two\n\nlines" @3\nnext', None),
    ('foo"bar"', None), ('"foo"bar', None), ('"DATA"\n"EXPORTS" DATA', None),
    ('foo="b a r"', None), ("foo data", None), ("foo Data", None), ("foo\fDATA", None),
    ("\ffoo", None), ("foo\0bar\nbaz", "NUL character in 'foo\\x00bar'"), ("foo\n\0bar", None),
    ("foo DATA\r\nbar\r\n", None), ("foo\tDATA\vPRIVATE\nbar", None), ("foo ; c\nbar;c2", None),
    ("foo;DATA\nbar", None), ("foo ; c", None), ("foo,bar", None), ("foo ,\nbar", None),
    ("f\u00f6\u00f6", None), ('"foo@4"', None),
    ('foo\n"bar DATA\nbaz', "unterminated quoted name"),
    ('""\nbaz', "empty export name"), ('foo ""\nbar', "empty export name"),
    # Internal names, == and EXPORTAS.
    ("foo = bar", None), ("foo =", None), ("foo = DATA", None), ("foo == bar\nbar", None),
    ("foo == DATA", None), ("foo ==a ==b", None), ("foo ==bar DATA", None), ("foo ==bar =baz", None),
    ("foo @3 ==bar", None), ("foo ==", "name expected after ==, got end of file"),
    ("foo == ,", "name expected after ==, got ','"), ("foo===bar", "name expected after ==, got '='"),
    ("foo EXPORTAS bar DATA", None), ("foo DATA EXPORTAS bar", None),
    ("foo EXPORTAS bar\nbaz", None), ("foo EXPORTAS", None), ("foo EXPORTAS DATA", None),
    ("foo EXPORTAS bar @3", None), ("foo EXPORTAS bar ==baz", None),
    ("foo ==baz EXPORTAS bar", None), ("foo @4 NONAME EXPORTAS bar", None),
    ("foo EXPORTAS a EXPORTAS b", None), ("foo EXPORTAS =", "name expected after EXPORTAS, got '='"),
    ("a PRIVATE DATA\nb DATA CONSTANT\nc CONSTANT DATA\nd DATA DATA @2", None),
    ("foo PRIVATE", None), ("foo @5 NONAME DATA\nbar @6 NONAME PRIVATE", None),
]  # fmt: skip
#: Whole texts: directives.
DIRECTIVE_PROBES: list[str] = [
    "LIBRARY t BASE=0x10000000\nEXPORTS\nfoo\n", "LIBRARY t BASE=268435456\nEXPORTS\nfoo\n",
    "LIBRARY t BASE 5\nEXPORTS\nfoo\n", "LIBRARY t BASE=\nEXPORTS\nfoo\n",
    "NAME prog\nEXPORTS\nfoo\n", "LIBRARY\nEXPORTS\nfoo\n", "LIBRARY EXPORTS\nfoo\n",
    "LIBRARY a.dll\nLIBRARY b.dll\nEXPORTS\nfoo\n", "EXPORTS\nfoo\nLIBRARY late.dll\n",
    "LIBRARY .foo\nEXPORTS\nfoo\n", "LIBRARY foo.\nEXPORTS\nfoo\n", "LIBRARY ..\nEXPORTS\nfoo\n",
    "LIBRARY dir\\sub\\x\nEXPORTS\nfoo\n", "LIBRARY dir/sub/x\nEXPORTS\nfoo\n",
    "LIBRARY a.b/c\nEXPORTS\nfoo\n", "LIBRARY T.DLL\nEXPORTS\nfoo\n", "LIBRARY x.exe\nEXPORTS\nfoo\n",
    'LIBRARY "my lib.dll"\nEXPORTS\nfoo\n', 'LIBRARY "a;b.dll"\nEXPORTS\nfoo\n',
    'LIBRARY "EXPORTS"\nEXPORTS\nfoo\n', "LIBRARY DATA\nEXPORTS\nfoo\n",
    "LIBRARY t\nHEAPSIZE 1024,512\nSTACKSIZE 4096\nEXPORTS\nfoo\n",
    "LIBRARY t\nHEAPSIZE 0x1000\nEXPORTS\nfoo\n", "LIBRARY t\nSTACKSIZE 10,\nEXPORTS\nfoo\n",
    "LIBRARY t\nHEAPSIZE\nEXPORTS\nfoo\n", "LIBRARY t\nVERSION 1.2\nEXPORTS\nfoo\n",
    "LIBRARY t\nVERSION 1.2.3\nEXPORTS\nfoo\n", "LIBRARY t\nVERSION 4294967296\nEXPORTS\nfoo\n",
    "LIBRARY t\nVERSION 4294967295.7\nEXPORTS\nfoo\n", "LIBRARY t\nVERSION 1.\nEXPORTS\nfoo\n",
    "LIBRARY t\nVERSION .5\nEXPORTS\nfoo\n", "LIBRARY t\nVERSION EXPORTS\nfoo\n",
    "LIBRARY t\nEXPORTS\nfoo\nEXPORTS\nbar\n", 'LIBRARY t\nDESCRIPTION "x"\nEXPORTS\nfoo\n',
    "LIBRARY t\nEXPORTS\nfoo\nSECTIONS\n", "LIBRARY t\nEXPORTS\n", "LIBRARY t EXPORTS foo bar DATA",
    "LIBRARY t\nexports\nfoo\n", "\ufeffLIBRARY t\nEXPORTS\nfoo\n",
]  # fmt: skip


def _tool_bytes(argv: list[str], out: Path) -> bytes | None:
    result = subprocess.run(argv, capture_output=True)
    return out.read_bytes() if result.returncode == 0 and out.exists() else None


def _check_like_llvm(
    text: str, refused: str | None, llvm_dlltool: str, llvm_lib: str, tmp_path: Path
) -> None:
    def_file = tmp_path / "x.def"
    def_file.write_bytes(text.encode())
    references = {}
    for machine, gnu, msvc in (
        (Machine.AMD64, "i386:x86-64", "x64"),
        (Machine.I386, "i386", "x86"),
    ):
        gnu_out, msvc_out = tmp_path / f"g{msvc}.a", tmp_path / f"m{msvc}.lib"
        references[machine, True] = _tool_bytes(
            [llvm_dlltool, "-m", gnu, "-d", str(def_file), "-l", str(gnu_out)], gnu_out
        )
        references[machine, False] = _tool_bytes(
            [llvm_lib, f"/def:{def_file}", f"/machine:{msvc}", f"/out:{msvc_out}"], msvc_out
        )
    try:
        definition = parse_def(text, "x.def")
    except DefError as exc:
        message = str(exc)
        assert message.startswith("x.def:") and "\n" not in message
        if refused is not None:  # on purpose: LLVM reads it, silently otherwise
            assert refused in message
            assert all(ref is not None for ref in references.values()), "LLVM refuses it too"
        else:  # as LLVM, which refuses it
            assert all(ref is None for ref in references.values()), (message, references)
        return
    assert refused is None, f"implib reads what it should refuse: {definition}"
    for (machine, mingw), reference in references.items():
        assert reference is not None, f"LLVM refuses what implib reads: {definition}"
        ours = write_import_library(definition, machine, mingw=mingw, gnu_ld=False)
        assert ours == reference, (machine, mingw, definition)


@pytest.mark.parametrize(("body", "refused"), PROBES, ids=[repr(p[0])[:40] for p in PROBES])
def test_exports_grammar_as_llvm(
    body: str, refused: str | None, llvm_dlltool: str, llvm_lib: str, tmp_path: Path
) -> None:
    _check_like_llvm(f"LIBRARY t\nEXPORTS\n{body}\n", refused, llvm_dlltool, llvm_lib, tmp_path)


@pytest.mark.parametrize("text", DIRECTIVE_PROBES, ids=[repr(t)[:40] for t in DIRECTIVE_PROBES])
def test_directives_as_llvm(text: str, llvm_dlltool: str, llvm_lib: str, tmp_path: Path) -> None:
    _check_like_llvm(text, None, llvm_dlltool, llvm_lib, tmp_path)


def test_no_library_line(llvm_dlltool: str, llvm_lib: str, tmp_path: Path) -> None:
    """llvm-dlltool refuses it; llvm-lib writes a library for the DLL "" (unusable): refused."""
    (tmp_path / "x.def").write_text("EXPORTS\nfoo\n")
    assert _tool_bytes([llvm_dlltool, "-d", str(tmp_path / "x.def"), "-l", "g.a"], tmp_path) is None
    definition = parse_def("EXPORTS\nfoo\n")
    assert definition.library == ""
    for mingw in (True, False):
        with pytest.raises(WriterError, match="no DLL name"):
            write_import_library(definition, Machine.AMD64, mingw=mingw)


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
    "two
lines" @0
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
        Export("two\nlines"),
    )


def test_library_names() -> None:
    assert parse_def("LIBRARY python3\nEXPORTS\n").library == "python3.dll"
    assert parse_def("NAME prog\nEXPORTS\n").library == "prog.exe"
    assert parse_def("LIBRARY\nEXPORTS\n").library == ".dll"  # as LLVM
    assert parse_def("LIBRARY a\nLIBRARY b\n").library == "a.dll"  # the first wins
    assert parse_def("LIBRARY .foo\n").library == ".foo"
    assert parse_def("LIBRARY dir\\x\n").library == "dir\\x.dll"  # no separator on POSIX


def test_fastcall_name_after_export_is_the_next_export() -> None:
    definition = parse_def("EXPORTS\n  first\n  @fast@8\n")
    assert definition.names() == ["first", "@fast@8"]


def test_exportas_ends_an_export() -> None:
    definition = parse_def("EXPORTS\n  foo EXPORTAS bar @3\n")
    assert definition.exports == (Export("foo", export_as="bar"), Export("@3"))


def test_kinds() -> None:
    definition = parse_def("EXPORTS\n a\n b DATA\n c CONSTANT\n")
    assert [e.kind for e in definition.exports] == ["code", "data", "const"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("LIBRARY x\nEXPORTS\n  foo @ bar\n", "x.def:3: ordinal expected, got 'bar'"),
        ("LIBRARY x\nEXPORTS\n  foo @70000\n", "x.def:3: ordinal '@70000' is not a number"),
        ("LIBRARY x\nEXPORTS\n\n  foo @\u00b2\n", "x.def:4: ordinal '@\u00b2' is not a number"),
        ("LIBRARY x\nFROBNICATE\n", "x.def:2: unknown directive 'FROBNICATE'"),
        ("foo\n", "x.def:1: unknown directive 'foo'"),
        ("LIBRARY x\nEXPORTS\n  a\n,\n", "x.def:4: unknown directive ','"),
        ('LIBRARY x\nEXPORTS\n  "unterminated\n', "x.def:3: unterminated quoted name"),
        ('LIBRARY x\nEXPORTS\n  "two\nlines" ,\n', "x.def:4: unknown directive ','"),
        ("LIBRARY x\nEXPORTS\n  a = \n", "x.def:4: internal name expected after '='"),
        ("LIBRARY x\nEXPORTS\n  a ==\n", "x.def:4: name expected after =="),
        ("LIBRARY x\nEXPORTS\n  a EXPORTAS\n", "x.def:4: name expected after EXPORTAS"),
        ("LIBRARY x\nEXPORTS\n  a EXPORTAS b DATA\n", "x.def:3: DATA after EXPORTAS: EXPORTAS"),
        ("LIBRARY x BASE 5\n", "x.def:1: '=' expected after BASE"),
        ("HEAPSIZE big\n", "x.def:1: HEAPSIZE size expected"),
        ("VERSION 1.x\n", "x.def:1: version expected"),
        ('EXPORTS\n  ""\n', "x.def:2: empty export name"),
        ("EXPORTS\n  a @0 NONAME\n", "x.def:2: 'a': NONAME needs an ordinal 1..65535"),
        ("EXPORTS\n  a\0b\n", "x.def:2: NUL character in 'a\\x00b'"),
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


def test_huge_def_file_is_refused_before_reading(tmp_path: Path) -> None:
    huge = tmp_path / "huge.def"
    with huge.open("wb") as stream:  # sparse: 3 GB on paper, nothing on disk
        stream.truncate(3 << 30)
    with pytest.raises(DefError, match=r"huge\.def: 3221225472 bytes is larger than any \.def"):
        read_def(huge)


def test_a_million_exports_fail_fast() -> None:
    text = "LIBRARY x\nEXPORTS\n" + "".join(f"f{i}\n" for i in range(1_000_000))
    with pytest.raises(DefError, match=f"x.def:{MAX_EXPORTS + 3}: more than {MAX_EXPORTS} exports"):
        parse_def(text, "x.def")


# -- writing .def text -----------------------------------------------------------------


def test_format_def_keeps_names_that_look_like_ordinals() -> None:
    """An export named "@1" after another would read as its ordinal: a new EXPORTS starts."""
    definition = ModuleDefinition(
        "x.dll", (Export("first"), Export("@1"), Export("@"), Export("@2"))
    )
    text = format_def(definition)
    assert parse_def(text).exports == definition.exports
    assert parse_def(format_def(ModuleDefinition("x.dll", (Export("@1"),)))).names() == ["@1"]


@pytest.mark.parametrize(
    ("export", "message"),
    [
        (Export('"ab'), "holds a double quote"),
        (Export('a "b'), "holds a double quote"),
        (Export(""), "is empty"),
        (Export("a\0b"), "holds NUL"),
        (Export("a", import_name='x "y'), "the import name 'x \"y' holds a double quote"),
        (Export("a", ordinal=70000), "has ordinal 70000"),
        (Export("a", noname=True), "NONAME without an ordinal"),
    ],
)
def test_format_def_refuses_what_no_def_can_say(export: Export, message: str) -> None:
    with pytest.raises(DefError, match=message):
        format_def(ModuleDefinition("x.dll", (export,)))


# Any text but NUL is a name some .def can hold, if a quote in it is in a plain word.
names = st.text(
    alphabet=st.characters(blacklist_characters="\0", blacklist_categories=("Cs",)), min_size=1
).filter(
    lambda n: (
        '"' not in n
        or not (n[0] == '"' or n[0] in " \t\n\v\f\r" or any(c in n for c in "=,; \t\n\v\r"))
    )
)
exports = st.builds(
    lambda **fields: Export(**fields),  # only these fields: the comment stays empty
    name=names,
    internal_name=st.one_of(st.just(""), names),
    ordinal=st.integers(1, 65535),
    noname=st.booleans(),
    data=st.booleans(),
    constant=st.booleans(),
    private=st.booleans(),
    import_name=st.one_of(st.just(""), names),
    export_as=st.one_of(st.just(""), names),
) | st.builds(lambda name, data: Export(name, data=data), names, st.booleans())


@settings(max_examples=300, deadline=None)
@given(st.lists(exports, max_size=12), names.filter(lambda n: "/" not in n))
def test_format_then_parse_round_trip(export_list: list[Export], library: str) -> None:
    definition = ModuleDefinition(library=library + ".dll", exports=tuple(export_list))
    assert parse_def(format_def(definition)) == definition


# A fuzz harness for the parser: texts made of the tokens that matter, and raw text.
_PIECES = st.sampled_from(
    [
        "LIBRARY", "NAME", "EXPORTS", "HEAPSIZE", "STACKSIZE", "VERSION", "BASE", "DATA",
        "CONSTANT", "PRIVATE", "NONAME", "EXPORTAS", "=", "==", ",", ";", '"', "\n", " ", "\t",
        "\f", "\0", "@", "@5", "@0", "@65536", "@\u00b2", "5", "1.2", "foo", "@f@8", "x.dll",
        "\ufeff", "9" * 30,
    ]
)  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.lists(_PIECES, max_size=40).map(" ".join), st.text(max_size=300)))
def test_parser_raises_only_its_own_error(text: str) -> None:
    with contextlib.suppress(DefError):
        definition = parse_def(text)
        with contextlib.suppress(DefError):  # a definition read back writes and reads again
            assert parse_def(format_def(definition)).exports == definition.exports
