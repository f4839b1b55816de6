"""The .def parser: LLVM's grammar (checked against both LLVM tools), file:line errors, round trips."""

from __future__ import annotations

import contextlib
import copy
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from implib.coff import deffile
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

from support import LISTS

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


# -- the line scanner: what the grammar alone reads ---------------------------------


def _grammar_only(text: str) -> ModuleDefinition:
    """What the grammar (deffile._Parser) reads of the whole text, without the line scanner."""
    parser = deffile._Parser(text, 1, None, [])
    try:
        parser.parse(False)
    except deffile._LineError as exc:
        raise DefError(f"x.def:{exc.line}: {exc.message}") from None
    return deffile._definition(text, parser.library, parser.exports)


def _same_as_full_parser(text: str) -> ModuleDefinition | None:
    """parse_def's result, checked against the grammar's alone (None: the scanner left lines
    to the grammar, or the text is refused, with the same message both ways)."""
    grammar = deffile._Parser
    took_over: list[int] = []

    class Watched(grammar):  # type: ignore[valid-type, misc]
        def __init__(self, text: str, first_line: int, *args: object) -> None:
            took_over.append(first_line)
            super().__init__(text, first_line, *args)

    try:
        full = _grammar_only(text)
    except DefError as refused:
        deffile._Parser = Watched
        try:
            with pytest.raises(DefError) as error:
                parse_def(text, "x.def")
        finally:
            deffile._Parser = grammar
        assert str(error.value) == str(refused), text
        return None
    deffile._Parser = Watched
    try:
        scanned = parse_def(text, "x.def")
    finally:
        deffile._Parser = grammar
    assert scanned == full and hash(scanned) == hash(full)
    assert (scanned.library, scanned.header, scanned.names()) == (
        full.library,
        full.header,
        full.names(),
    )
    return None if took_over else scanned


def test_every_bundled_list_is_simple() -> None:
    for def_file in sorted(LISTS.glob("*.def")):
        text = def_file.read_text()
        assert _same_as_full_parser(text) is not None, def_file.name


@pytest.mark.parametrize(
    ("text", "simple"),
    [
        ("LIBRARY x\nEXPORTS\n  a\n  b DATA ; c\n", True),
        ('; head\n;\n;  two\nLIBRARY x.dll\n\nEXPORTS\n\ta ; x = y, "z" ; w\n', True),
        ("LIBRARY x\r\nEXPORTS\r\n  a ; c\r\n  b DATA\r\n", True),
        ("EXPORTS\n  a\n", True),
        ("LIBRARY x\n", True),
        ("", True),
        ("; only a comment", True),
        ("LIBRARY x\nEXPORTS\n  a ; caf\u00e9\n", True),  # in a comment in a comment only
        ("LIBRARY x\nEXPORTS\n  a\fb\n", False),  # one word for LLVM, two for str.split
        ("LIBRARY x\nEXPORTS\n  a\x1cb\n", False),
        ("LIBRARY x\nEXPORTS\n  a ; c\rd\n", True),
        ("LIBRARY x\nEXPORTS\n  a b\n", False),  # two exports on a line
        ("LIBRARY x\nEXPORTS\n  a\n  @5\n", False),  # the ordinal of a
        ("LIBRARY x\nEXPORTS\n  a @5\n", False),
        ("LIBRARY x\nEXPORTS\n  a=b\n", False),
        ("LIBRARY x\nEXPORTS\n  a,\n", False),
        ('LIBRARY x\nEXPORTS\n  "a b"\n', False),
        ("LIBRARY x\nEXPORTS\n  a DATA PRIVATE\n", False),
        ("LIBRARY x\nEXPORTS\n  a CONSTANT\n", False),
        ("LIBRARY x\nEXPORTS\n  DATA\n", False),
        ("LIBRARY x\nEXPORTS\n  a\nEXPORTS\n  b\n", True),
        ("LIBRARY x\nEXPORTS\n  a\nLIBRARY y\n", True),
        ("LIBRARY\nEXPORTS\n  a\n", False),
        ("LIBRARY x BASE=1\nEXPORTS\n", False),
        ("LIBRARY a\nLIBRARY b\n", True),
        ("NAME x\nEXPORTS\n  a\n", False),
        ("LIBRARY EXPORTS\n", False),
        ("LIBRARY x\nEXPORTS\n  a\0b\n", False),
        ("; a\x85b\nLIBRARY x\n", True),  # in a comment
        ("; a\x1eb\nLIBRARY x\n", True),
        ("LIBRARY x\nEXPORTS foo\n", False),
    ],
)
def test_the_line_scanner_reads_the_simple_shape_only(text: str, simple: bool) -> None:
    assert (_same_as_full_parser(text) is not None) == simple


# Lines of the simple shape and every way out of it, for the line scanner to get right.
_WORDS = st.sampled_from(
    [
        "foo", "Py_Bar", "_x", "a1", "DATA", "EXPORTS", "LIBRARY", "NONAME", "x.dll", "@f@8",
        "@5", "a@4", "q?x", "a=b", "a,b", '"q"', "a;b", "\u00e9", "a\0b", "a\fb", "a\vb",
        "a\x1cb", "a\rb", "\t", " ",
    ]
)  # fmt: skip
_ASCII_COMMENTS = st.one_of(
    st.just(""),
    st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=12).map(
        lambda t: " ; " + t
    ),
)
_COMMENTS = st.one_of(_ASCII_COMMENTS, st.text(max_size=12).map(lambda t: ";" + t))
_SIMPLE_LINE = st.tuples(
    st.sampled_from(["", " ", "    ", "\t"]),
    st.from_regex(r"[A-Za-z_][A-Za-z0-9_.]{0,10}", fullmatch=True),
    st.sampled_from(["", "", " DATA", "\tDATA"]),
    _ASCII_COMMENTS,
).map("".join)
_LINE = st.one_of(
    _SIMPLE_LINE,
    st.tuples(
        st.sampled_from(["", " ", "    ", "\t"]),
        st.lists(_WORDS, max_size=3).map(" ".join),
        st.sampled_from(["", " DATA", " DATA DATA", " PRIVATE"]),
        _COMMENTS,
    ).map("".join),
)
_TEXTS = st.tuples(
    st.lists(st.sampled_from(["; header", ";", ";  made by", ""]), max_size=3),
    st.sampled_from(["LIBRARY t", "LIBRARY t.dll", "LIBRARY t ; c", "", "LIBRARY", "NAME t"]),
    st.sampled_from(["EXPORTS", "EXPORTS ; exports", " EXPORTS", "EXPORTS\f", "", "EXPORTS a"]),
    st.one_of(st.lists(_SIMPLE_LINE, max_size=10), st.lists(_LINE, max_size=10)),
    st.sampled_from(["\n", "\r\n"]),
).map(lambda t: t[4].join([*t[0], t[1], t[2], *t[3]]) + t[4])


@settings(max_examples=500, deadline=None)
@given(_TEXTS)
def test_the_line_scanner_equals_the_grammar(text: str) -> None:
    _same_as_full_parser(text)


def test_generated_texts_are_often_simple() -> None:
    """The property above would prove little if the scanner always left the text to the grammar."""
    simple = 0
    count = 0

    @settings(max_examples=300, deadline=None, database=None, derandomize=True)
    @given(_TEXTS)
    def count_simple(text: str) -> None:
        nonlocal simple, count
        count += 1
        simple += _same_as_full_parser(text) is not None

    count_simple()
    assert simple > count // 10


# -- the value types -------------------------------------------------------------------


def test_module_definition_is_an_immutable_value() -> None:
    lazy = parse_def("; made\nLIBRARY x\nEXPORTS\n  a ; one\n  b DATA\n")
    eager = ModuleDefinition(
        "x.dll", (Export("a", comment="one"), Export("b", data=True)), ("made",)
    )
    assert lazy == eager and hash(lazy) == hash(eager) and repr(lazy) == repr(eager)
    assert lazy != ModuleDefinition("y.dll", eager.exports, eager.header)
    assert lazy != (lazy.library, lazy.exports, lazy.header)
    with pytest.raises(AttributeError):
        lazy.library = "y.dll"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        eager.exports = ()  # type: ignore[misc]
    renamed = lazy.replace(library="y.dll")
    assert renamed.library == "y.dll" and renamed.exports == eager.exports
    assert lazy.library == "x.dll"
    cut = lazy.replace(exports=eager.exports[:1])
    assert cut.names() == ["a"] and cut.header == ("made",)
    assert pickle.loads(pickle.dumps(lazy)) == eager
    assert copy.copy(lazy) == lazy and copy.deepcopy(eager) == eager
    if sys.version_info >= (3, 13):
        assert copy.replace(lazy, header=()).header == ()  # type: ignore[attr-defined]
    assert eager.by_name()["b"].kind == "data"


def test_export_is_an_immutable_value() -> None:
    export = Export("f", ordinal=3, comment="c")
    assert export == Export("f", "", 3, False, False, False, False, "", "", "c")
    assert export._fields[2] == "ordinal" and export.ordinal == 3
    assert export._replace(data=True).kind == "data" and export.kind == "code"
    assert export._asdict()["comment"] == "c"
    with pytest.raises(TypeError):
        Export()  # type: ignore[call-arg]
    assert pickle.loads(pickle.dumps(export)) == export
    assert repr(export).startswith("Export(name='f', internal_name='', ordinal=3")
    with pytest.raises(AttributeError):
        export.name = "g"  # type: ignore[misc]
