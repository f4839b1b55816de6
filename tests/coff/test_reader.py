"""Reading import libraries back, from implib's writer and from other tools, against LLVM's reading.

LLVM's reading of a library: ``llvm-readobj-19 --coff-imports`` for short
imports, ``--symbols`` for the weak externals of ``==`` renames, and
``llvm-objdump-19``'s sections, symbols and relocations for GNU's long
format (scripts/mingw_corpus.py works the imports out of that text).
"""

from __future__ import annotations

import re
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from implib.coff.archive import Member, write_archive
from implib.coff.deffile import Export, ModuleDefinition, parse_def, read_def
from implib.coff.reader import LibraryError, parse_import_library, read_import_library
from implib.coff.structs import BIGOBJ_CLASS_ID, CL_GL_CLASS_ID, Machine
from implib.coff.writer import write_import_library

from mingw_corpus import _objdump as objdump
from mingw_corpus import as_known, corpus, implib_reading, llvm_reading, readobj_short, sample
from mingw_corpus import compare as compare_with_llvm
from support import DATA, require_tool

SAMPLE = """LIBRARY sample.dll
EXPORTS
    func
    var DATA
    konst CONSTANT
    by_ordinal @5 NONAME
    with_hint @9
"""
CORPUS = sorted((DATA / "defs").glob("*.def"))


def test_reads_what_the_writer_wrote() -> None:
    expected = [
        ("func", "func", "code", None),
        ("var", "var", "data", None),
        ("konst", "konst", "const", None),
        ("", "by_ordinal", "code", 5),
        ("with_hint", "with_hint", "code", 9),
    ]
    msvc = parse_import_library(write_import_library(parse_def(SAMPLE), Machine.AMD64, mingw=False))
    assert (msvc.format, msvc.machines, msvc.dlls) == ("short", (Machine.AMD64,), ["sample.dll"])
    assert [(i.name, i.symbol, i.kind, i.ordinal) for i in msvc.imports] == expected
    # The GNU flavour writes konst in the long format, at konst's place.
    gnu = parse_import_library(write_import_library(parse_def(SAMPLE), Machine.AMD64))
    assert (gnu.format, gnu.machines, gnu.dlls) == ("short+long", (Machine.AMD64,), ["sample.dll"])
    assert [(i.name, i.symbol, i.kind, i.ordinal) for i in gnu.imports] == expected


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
    assert (lib.format, lib.machines, lib.dlls) == ("long", (machine,), ["sample.dll"])
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
    assert implib_reading(tmp_path / "s.dll.a") == _llvm(tmp_path / "s.dll.a")  # all long


def _llvm(path: Path) -> list[tuple[object, ...]]:
    return llvm_reading(path, objdump([path])[str(path)])


def _readobj(argv: list[str]) -> str:
    tool = require_tool("llvm-readobj-19")
    return subprocess.run([tool, *argv], check=True, capture_output=True).stdout.decode()


def _weak_aliases(path: Path) -> list[tuple[str, str]]:
    """(alias, target) of every __imp_ weak external, as llvm-readobj --symbols lists them."""
    text = _readobj(["--symbols", str(path)])
    found = re.findall(
        r"Name: (\S+)\n(?:(?!Symbol \{).)*?StorageClass: WeakExternal.*?Linked: (\S+) \(",
        text,
        re.S,
    )
    return [(a[len("__imp_") :], t[len("__imp_") :]) for a, t in found if a.startswith("__imp_")]


@pytest.mark.parametrize("machine", [Machine.AMD64, Machine.I386], ids=["amd64", "i386"])
@pytest.mark.parametrize("def_file", CORPUS, ids=[p.name for p in CORPUS])
def test_every_import_as_llvm_reads_it(def_file: Path, machine: Machine, tmp_path: Path) -> None:
    """Short imports, weak-alias renames (LLVM's bytes) and long members (the GNU flavour)."""
    definition = read_def(def_file)
    if not definition.library:
        pytest.skip("no DLL name")
    llvm_bytes = tmp_path / "llvm.lib"
    llvm_bytes.write_bytes(write_import_library(definition, machine, mingw=False))
    lib = read_import_library(llvm_bytes)
    # Every short import, in order, with llvm-readobj's export name, kind and symbol.
    expected = [(name, kind, symbol) for _, name, _, kind, symbol in readobj_short(llvm_bytes)]
    shorts = [i for i in lib.imports if i.name_type != "alias"]
    assert [(i.name, i.kind, i.symbol) for i in shorts] == expected
    # Every rename LLVM made a weak alias of is one import, of what its target imports.
    aliases = [i for i in lib.imports if i.name_type == "alias"]
    assert [(i.symbol, i.alias_of) for i in aliases] == _weak_aliases(llvm_bytes)
    by_symbol = {i.symbol: i for i in shorts}
    assert all(i.name == by_symbol[i.alias_of].name for i in aliases)
    # The GNU flavour's long members read as llvm-objdump's bytes say.
    if machine is not Machine.ARM64:
        gnu = tmp_path / "gnu.a"
        gnu.write_bytes(write_import_library(definition, machine))
        expected_rows = _llvm(gnu)
        assert as_known(implib_reading(gnu), expected_rows) == expected_rows


def test_renames_are_reported() -> None:
    """renames.def: all 10 exports are imports, the weak-alias renames included."""
    definition = read_def(DATA / "defs" / "renames.def")
    lib = parse_import_library(write_import_library(definition, Machine.AMD64, mingw=False))
    got = {i.symbol: (i.name, i.kind, i.name_type, i.alias_of) for i in lib.imports}
    assert got["alias"] == ("target", "code", "alias", "target")
    assert got["data_alias"] == ("target_data", "data", "alias", "target_data")
    assert got["missing_alias"] == ("not_exported", "code", "exportas", "")
    assert len(lib.imports) == 8  # exported, target, target_data, shown, forwarded, 3 renames


def test_every_machine_is_reported(tmp_path: Path) -> None:
    """An archive of x64 and i386 members: both machines, as llvm-readobj says."""
    definition = parse_def("LIBRARY both.dll\nEXPORTS\n  f\n")
    members = []
    for machine in (Machine.AMD64, Machine.I386):
        data = write_import_library(definition, machine, mingw=False)
        members += [Member(f"m{machine:x}", m, ()) for m in _member_datas(data)]
    (tmp_path / "both.lib").write_bytes(write_archive(members))
    lib = read_import_library(tmp_path / "both.lib")
    formats = re.findall(
        r"^Format: COFF-import-file-(\S+)$",
        _readobj(["--coff-imports", str(tmp_path / "both.lib")]),
        re.M,
    )
    assert formats == ["x86-64", "i386"]
    assert lib.machines == (Machine.AMD64, Machine.I386)
    assert [i.symbol for i in lib.imports] == ["f", "_f"]


def _member_datas(library: bytes) -> list[bytes]:
    from implib.coff.archive import read_members

    return [m.data for m in read_members(library)]


def _llvm_ar(tmp_path: Path, name: str, *objects: Path) -> Path:
    ar = require_tool("llvm-ar-19")
    subprocess.run([ar, "rcs", str(tmp_path / name), *map(str, objects)], check=True)
    return tmp_path / name


def test_bigobj_is_no_short_import(tmp_path: Path, llvm_dlltool: str) -> None:
    """MinGW -Wa,-mbig-obj writes 00 00 FF FF, version 2: an object, not an import."""
    gcc = require_tool("x86_64-w64-mingw32-gcc")
    (tmp_path / "big.c").write_text("int big_function(void) { return 7; }\n")
    subprocess.run([gcc, "-c", "-Wa,-mbig-obj", "big.c", "-o", "big.o"], cwd=tmp_path, check=True)
    head = (tmp_path / "big.o").read_bytes()[:28]
    assert head[:6] == b"\0\0\xff\xff\x02\0" and head[12:28] == BIGOBJ_CLASS_ID
    static = _llvm_ar(tmp_path, "libbig.a", tmp_path / "big.o")
    with pytest.raises(LibraryError, match="no imports found: not an import library"):
        read_import_library(static)
    # The same object beside real imports: only the imports are read.
    (tmp_path / "s.def").write_text("LIBRARY s.dll\nEXPORTS\n  func\n")
    subprocess.run(
        [llvm_dlltool, "-m", "i386:x86-64", "-d", "s.def", "-l", "s.a"], cwd=tmp_path, check=True
    )
    mixed = write_archive(
        [Member("big.o", (tmp_path / "big.o").read_bytes(), ()),
         *(Member("s.dll", m, ()) for m in _member_datas((tmp_path / "s.a").read_bytes()))]
    )  # fmt: skip
    lib = parse_import_library(mixed)
    assert [(i.dll, i.name, i.kind) for i in lib.imports] == [("s.dll", "func", "code")]


def test_an_msvc_gl_object_is_no_short_import() -> None:
    """An anonymous /GL object (version 1, its own ClassID) is skipped, as LLVM skips it."""
    anonymous = struct.pack("<HHHHI16sI", 0, 0xFFFF, 1, Machine.AMD64, 0, CL_GL_CLASS_ID, 8)
    data = write_archive([Member("ltcg.obj", anonymous + bytes(8), ())])
    with pytest.raises(LibraryError, match="no imports found"):
        parse_import_library(data)


def test_reads_llvm_readobj_the_same(tmp_path: Path, llvm_dlltool: str) -> None:
    """What llvm-readobj --coff-imports says of a library, inspect says too."""
    (tmp_path / "s.def").write_text(SAMPLE)
    subprocess.run(
        [llvm_dlltool, "-m", "i386", "-d", "s.def", "-l", "s.lib"], cwd=tmp_path, check=True
    )
    text = _readobj(["--coff-imports", str(tmp_path / "s.lib")])
    export_names = [line.split(": ", 1)[1] for line in text.splitlines() if "Export name:" in line]
    lib = read_import_library(tmp_path / "s.lib")
    assert [i.name for i in lib.imports if i.name] == export_names


# -- the libraries mingw-w64 ships ---------------------------------------------------------


def test_mingw_w64_libraries_as_llvm_reads_them() -> None:
    """A deterministic sample (every 20th file, libucrt.a's 15 DLLs and the largest ones).

    ``python scripts/mingw_corpus.py`` reads all of them (1,300 files, 25 s).
    """
    paths = corpus()
    if not paths:
        require_tool("x86_64-w64-mingw32-gcc")  # the package that ships them
        pytest.skip("no mingw-w64 import libraries found")
    chosen = sample(paths, 60)
    files, libraries, imports, problems = compare_with_llvm(chosen)
    assert not problems, problems[:5]
    assert files == len(chosen) and libraries > 50 and imports > 10_000
    ucrt = read_import_library(next(p for p in chosen if p.name == "libucrt.a"))
    assert len(ucrt.dlls) == 15


# -- damaged and hostile inputs ------------------------------------------------------------


def _header(name: bytes, size: bytes) -> bytes:
    return (
        name.ljust(16)
        + b"0".ljust(12)
        + b"0".ljust(6) * 2
        + b"644".ljust(8)
        + size.ljust(10)
        + b"`\n"
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "no !<arch> signature"),
        (b"MZ\x90\x00", "no !<arch> signature"),
        (b"!<arch>\n/               0", "truncated member header"),
        (b"!<arch>\n" + b"x" * 58 + b"`\n", "bad member size"),
        (b"!<arch>\n", "no imports found"),
        (b"!<arch>\n" + _header(b"a/", b"-60") + b"x" * 100, "bad member size b'-60"),
        (b"!<arch>\n" + _header(b"a/", b"1 2") + b"x" * 100, "bad member size"),
        (b"!<arch>\n" + _header(b"a/", b"99999999") + b"x", "runs past the end of the file"),
        (b"!<arch>\n" + _header(b"/99", b"2") + b"xx", "bad long-name offset"),
        (b"!<arch>\n" + _header(b"a/", b"24") + b"\0\0\xff\xff\0\0\x64\x86" + bytes(16),
         "unterminated name in short import"),
        (b"!<arch>\n" + _header(b"a/", b"20") + b"\0\0\xff\xff\0\0\x64\x86" + bytes(4)
         + b"\xff\xff\0\0" + bytes(4), "short import runs past its member"),
    ],
)  # fmt: skip
def test_bad_files(data: bytes, message: str) -> None:
    with pytest.raises(LibraryError, match=re.escape(message)):
        parse_import_library(data)


def test_truncated_library_is_an_error() -> None:
    data = write_import_library(parse_def(SAMPLE), Machine.AMD64)
    with pytest.raises(LibraryError, match="runs past the end"):
        parse_import_library(data[: len(data) - 10])


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(LibraryError, match=r"missing\.lib: cannot read"):
        read_import_library(tmp_path / "missing.lib")


def _limited(argv: list[str], memory: int) -> subprocess.CompletedProcess[str]:
    import resource

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    return subprocess.run(argv, capture_output=True, text=True, preexec_fn=limit, timeout=120)


@pytest.mark.parametrize("command", ["inspect", "verify"])
def test_a_3_gb_archive_under_a_1_gb_memory_limit(tmp_path: Path, command: str) -> None:
    """A member of 3 GB (sparse) is never read; the answer is one line, fast."""
    huge = tmp_path / "huge.lib"
    with huge.open("wb") as stream:
        stream.write(b"!<arch>\n" + _header(b"big.obj/", b"%d" % (3 << 30)))
        stream.truncate(8 + 60 + (3 << 30))
    argv = [sys.executable, "-m", "implib", command, str(huge)]
    if command == "verify":
        argv += ["--dll", str(huge)]
    result = _limited(argv, 1 << 30)
    assert result.returncode == 1
    assert result.stderr.strip() == f"Error: {huge}: no imports found: not an import library"


def test_the_negative_size_that_looped_forever(tmp_path: Path) -> None:
    """Member size -60 sent read_members back to the same header for ever."""
    path = tmp_path / "loop.lib"
    path.write_bytes(b"!<arch>\n" + _header(b"a/", b"-60") + b"x" * 200)
    result = subprocess.run(
        [sys.executable, "-m", "implib", "inspect", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr.strip() == f"Error: {path}: bad member size b'-60       ' at offset 8"


def _fuzz_seed() -> bytes:
    """A library with every kind of member: short imports, long entries, weak aliases."""
    text = (DATA / "defs" / "renames.def").read_text()
    short_and_weak = write_import_library(parse_def(text), Machine.AMD64, mingw=False)
    long_form = write_import_library(parse_def(text), Machine.I386)
    return write_archive(
        [
            Member(f"m{i}", m, ())
            for i, m in enumerate(_member_datas(short_and_weak) + _member_datas(long_form))
        ]
    )


_SEED = _fuzz_seed()


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_damaged_libraries_raise_only_library_error(data: st.DataObject) -> None:
    """A bounded mutation loop: bytes changed (most in headers and objects), cuts, splices."""
    damaged = bytearray(_SEED)
    for _ in range(data.draw(st.integers(1, 12))):
        offset = data.draw(st.integers(0, len(damaged) - 1))
        damaged[offset] = data.draw(
            st.sampled_from([0, 0xFF, 0x7F, 0x20, 0x2D, 0x30, 0x39]) | st.integers(0, 255)
        )
    if data.draw(st.booleans()):
        damaged = damaged[: data.draw(st.integers(0, len(damaged)))]
    try:
        lib = parse_import_library(bytes(damaged))
    except LibraryError as error:
        assert "\n" not in str(error)
    else:
        assert all(isinstance(i.name, str) and isinstance(i.dll, str) for i in lib.imports)


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
    library = draw(names.filter(lambda n: "/" not in n)) + ".dll"
    return ModuleDefinition(library=library, exports=tuple(exports))


@settings(max_examples=200, deadline=None)
@given(definitions(), st.sampled_from(list(Machine)), st.booleans())
def test_round_trip_names_kinds_ordinals(
    definition: ModuleDefinition, machine: Machine, mingw: bool
) -> None:
    lib = parse_import_library(write_import_library(definition, machine, mingw=mingw))
    prefix = "_" if machine is Machine.I386 else ""
    expected = []
    for e in definition.exports:
        decorated = e.name.startswith(("@", "?")) or "@@" in e.name or (not mingw and "@" in e.name)
        symbol = e.name if decorated else prefix + e.name
        expected.append(("" if e.noname else e.name, symbol, e.kind, e.ordinal or None))
    # A long entry (CONSTANT, GNU flavour) by name keeps the ordinal as its hint.
    got = [(i.name, i.symbol, i.kind, i.ordinal or i.hint or None) for i in lib.imports]
    assert got == expected
    assert lib.dlls == ([definition.library] if definition.exports else [])
