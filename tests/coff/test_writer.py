"""The built-in writer against LLVM 19's own: the same bytes, every time.

The references are made by llvm-dlltool-19 (GNU flavour) and llvm-lib-19
(MSVC flavour) inside each test. In the GNU flavour on i386 and x64 the
writer deliberately replaces the members GNU ld cannot read (CONSTANT,
EXPORTAS, ``==`` renames) with long-format ones: ``gnu_ld=False`` is
compared byte for byte, the default is compared member by member here and
linked in test_link.py.
"""

from __future__ import annotations

import os
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from implib.coff import writer
from implib.coff.archive import read_members
from implib.coff.deffile import (
    MAX_EXPORTS,
    Export,
    ModuleDefinition,
    format_def,
    read_def,
)
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
    definition = read_def(def_file)
    assert write_import_library(definition, machine, mingw=True, gnu_ld=False) == expected


@pytest.mark.parametrize("machine", list(MACHINES), ids=lambda m: m.name.lower())
@pytest.mark.parametrize("def_file", BUNDLED + CORPUS, ids=_ids(BUNDLED + CORPUS))
def test_msvc_flavour_same_bytes_as_llvm_lib(
    llvm_lib: str, def_file: Path, machine: Machine, tmp_path: Path
) -> None:
    expected = llvm_lib_bytes(llvm_lib, def_file, machine, tmp_path / "ref.lib")
    assert write_import_library(read_def(def_file), machine, mingw=False) == expected


#: Names that meet the fixed objects' symbols or each other's ``__imp_`` symbols, repeat, or
#: hold "%": the first member that defines a symbol wins, and no name is read as a format.
_COLLIDING = """LIBRARY collide.dll
EXPORTS
    __NULL_IMPORT_DESCRIPTOR
    _NULL_IMPORT_DESCRIPTOR
    __IMPORT_DESCRIPTOR_collide
    _IMPORT_DESCRIPTOR_collide
    __imp_spam
    spam
    spam DATA
    _imp_eggs
    eggs DATA
    eggs
    per%cent
    %s
    %%d
"""


@pytest.mark.parametrize("machine", list(MACHINES), ids=lambda m: m.name.lower())
def test_colliding_names_same_bytes_as_llvm(
    llvm_dlltool: str, llvm_lib: str, machine: Machine, tmp_path: Path
) -> None:
    def_file = tmp_path / "collide.def"
    def_file.write_text(_COLLIDING)
    definition = read_def(def_file)
    gnu = llvm_dlltool_bytes(llvm_dlltool, def_file, machine, tmp_path / "g.a")
    assert write_import_library(definition, machine, gnu_ld=False) == gnu
    msvc = llvm_lib_bytes(llvm_lib, def_file, machine, tmp_path / "m.lib")
    assert write_import_library(definition, machine, mingw=False) == msvc


def _replaced_for_gnu_ld(data: bytes) -> bool:
    """Whether LLVM's member is one GNU ld cannot read: CONST, EXPORTAS, or a weak alias."""
    if data[:4] == b"\0\0\xff\xff":
        (type_info,) = struct.unpack_from("<H", data, 18)
        return type_info & 3 == 2 or type_info >> 2 == 4
    return b".drectve" in data[20:28]  # LLVM's weak-external objects have only .drectve


def _armap(data: bytes) -> list[tuple[bytes, int]]:
    """(symbol, member header offset) from an archive's first linker member."""
    size = int(data[56:66])
    (count,) = struct.unpack_from(">I", data, 68)
    offsets = struct.unpack_from(f">{count}I", data, 72)
    names = data[72 + 4 * count : 68 + size].split(b"\0")[:count]
    return list(zip(names, offsets))


def compare_with_llvm_for_gnu_ld(ours: bytes, reference: bytes) -> int:
    """Assert ``ours`` is LLVM's library with the members GNU ld cannot read replaced.

    Every other member equals LLVM's, in LLVM's order; the replacements are
    long-format objects (``*_sNNNNN.o``, with a ``*_h.o`` head and a ``*_t.o``
    tail) that define the same symbols. Returns how many symbols moved.
    """
    theirs = list(read_members(reference))
    mine = list(read_members(ours))
    kept = [m.data for m in theirs if not _replaced_for_gnu_ld(m.data)]
    assert [m.data for m in mine if not m.name.endswith(".o")] == kept
    replaced = {m.offset for m in theirs if _replaced_for_gnu_ld(m.data)}
    entries = {m.offset for m in mine if m.name[-9:-7] == "_s" and m.name.endswith(".o")}
    moved = {symbol for symbol, offset in _armap(reference) if offset in replaced}
    assert {symbol for symbol, offset in _armap(ours) if offset in entries} == moved
    heads_and_tails = sorted(m.name[-4:] for m in mine if m.name.endswith((" _h.o"[1:], "_t.o")))
    assert heads_and_tails == (["_h.o", "_t.o"] if replaced else [])
    return len(moved)


@pytest.mark.parametrize("machine", [Machine.AMD64, Machine.I386], ids=["amd64", "i386"])
@pytest.mark.parametrize("def_file", CORPUS, ids=_ids(CORPUS))
def test_gnu_flavour_replaces_only_what_gnu_ld_cannot_read(
    llvm_dlltool: str, def_file: Path, machine: Machine, tmp_path: Path
) -> None:
    reference = llvm_dlltool_bytes(llvm_dlltool, def_file, machine, tmp_path / "ref.lib")
    ours = write_import_library(read_def(def_file), machine)
    replaced = compare_with_llvm_for_gnu_ld(ours, reference)
    assert (replaced > 0) == (def_file.stem in {"kinds", "names", "multiline", "renames"})


def test_bundled_lists_need_no_long_format() -> None:
    for def_file in BUNDLED:
        definition = read_def(def_file)
        for machine in (Machine.AMD64, Machine.I386):
            assert write_import_library(definition, machine) == write_import_library(
                definition, machine, gnu_ld=False
            )


def test_the_same_bytes_under_any_hash_seed(tmp_path: Path) -> None:
    """Reproducible across processes: no set or dict order of strings reaches the output."""
    code = (
        "import sys; from implib.coff.deffile import read_def; "
        "from implib.coff.structs import Machine; "
        "from implib.coff.writer import write_import_library; "
        "sys.stdout.buffer.write(write_import_library(read_def(sys.argv[1]), Machine.AMD64))"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code, str(DATA / "defs" / "renames.def")],
            capture_output=True, check=True, env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2", "3")
    }  # fmt: skip
    (library,) = outputs
    assert library.startswith(b"!<arch>\n")


# -- past 0xFFFE members: LLVM's GNU archive -------------------------------------------


def _many(count: int, extra: str = "") -> str:
    lines = "".join(f"    f{i}\n" for i in range(count))
    return f"LIBRARY a_long_dll_name_for_the_long_names.dll\nEXPORTS\n{lines}{extra}"


@pytest.mark.parametrize(
    ("count", "extra", "gnu_form"),
    [
        (65531, "", False),  # 65534 members: a COFF archive
        (65532, "", True),  # 65535 members: the GNU form
        (65528, "    target\n    alias == target\n", False),  # 2 weak members: 65534
        (65529, "    target\n    alias == target\n", True),
    ],
)
def test_the_gnu_archive_past_0xfffe_members(
    llvm_lib: str, llvm_dlltool: str, tmp_path: Path, count: int, extra: str, gnu_form: bool
) -> None:
    def_file = tmp_path / "many.def"
    def_file.write_text(_many(count, extra))
    definition = read_def(def_file)
    expected = llvm_lib_bytes(llvm_lib, def_file, Machine.AMD64, tmp_path / "ref.lib")
    ours = write_import_library(definition, Machine.AMD64, mingw=False)
    assert ours == expected
    # The GNU form has one linker member; the COFF form two.
    second_header = 8 + 60 + int(ours[56:66]) + int(ours[56:66]) % 2
    assert (ours[second_header : second_header + 2] != b"/ ") == gnu_form
    gnu = llvm_dlltool_bytes(llvm_dlltool, def_file, Machine.AMD64, tmp_path / "ref.a")
    assert write_import_library(definition, Machine.AMD64, gnu_ld=False) == gnu


@pytest.mark.slow
@pytest.mark.parametrize("machine", list(MACHINES), ids=lambda m: m.name.lower())
def test_seventy_thousand_exports(
    llvm_lib: str, llvm_dlltool: str, tmp_path: Path, machine: Machine
) -> None:
    """70,000 exports (duplicates, data, renames, ordinals): LLVM's bytes, both flavours."""
    extra = "    dup\n    dup DATA\n    target\n    alias == target\n    byord @7 NONAME\n"
    def_file = tmp_path / "many.def"
    def_file.write_text(_many(70_000 - 5, extra))
    definition = read_def(def_file)
    expected = llvm_lib_bytes(llvm_lib, def_file, machine, tmp_path / "ref.lib")
    assert write_import_library(definition, machine, mingw=False) == expected
    gnu = llvm_dlltool_bytes(llvm_dlltool, def_file, machine, tmp_path / "ref.a")
    assert write_import_library(definition, machine, gnu_ld=False) == gnu
    if machine is not Machine.ARM64:
        compare_with_llvm_for_gnu_ld(write_import_library(definition, machine), gnu)


# -- refusals --------------------------------------------------------------------------


def _write(*exports: Export, library: str = "x.dll", **options: object) -> bytes:
    return write_import_library(
        ModuleDefinition(library=library, exports=exports),
        options.pop("machine", Machine.AMD64),  # type: ignore[arg-type]
        **options,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize(
    ("export", "message"),
    [
        (Export("a", ordinal=65536), "export 'a': ordinal 65536 is not in 0..65535"),
        (Export("a", ordinal=-1), "ordinal -1 is not in 0..65535"),
        (Export("a", noname=True), "export 'a': NONAME needs an ordinal 1..65535"),
        (Export(""), "export '': empty name"),
        (Export("a\0b"), "a name holds a NUL"),
        (Export("a", export_as="x\0"), "a name holds a NUL"),
        (Export("a", import_name="x\0"), "a name holds a NUL"),
        (Export("\udc80"), "a name is not valid Unicode text"),
        (Export("a", export_as="\udc80"), "a name is not valid Unicode text"),  # long format
        (Export("a", constant=True, import_name="\udc80"), "a name is not valid Unicode text"),
    ],
)
def test_exports_no_def_can_say_are_refused(export: Export, message: str) -> None:
    for mingw in (True, False):
        with pytest.raises(WriterError, match=message):
            _write(export, mingw=mingw)


def test_refusals_of_the_library() -> None:
    with pytest.raises(WriterError, match="no DLL name"):
        _write(Export("a"), library="")
    with pytest.raises(WriterError, match="no DLL name"):
        _write(Export("a"), library="dir/")
    with pytest.raises(WriterError, match="holds a NUL"):
        _write(Export("a"), library="a\0.dll")
    with pytest.raises(WriterError, match="gnu_ld is for the GNU flavour"):
        _write(Export("a"), machine=Machine.ARM64, gnu_ld=True)
    with pytest.raises(WriterError, match="gnu_ld is for the GNU flavour"):
        _write(Export("a"), mingw=False, gnu_ld=True)
    many = [Export(f"f{i}") for i in range(MAX_EXPORTS + 1)]
    with pytest.raises(WriterError, match=f"more than the {MAX_EXPORTS} implib writes"):
        _write(*many)


# -- arbitrary export lists against the real tools ---------------------------------------

_names = st.text(alphabet=st.sampled_from("ab_@?$.1"), min_size=1, max_size=8).filter(
    lambda n: not (n[0] == "@" and n[1:].isdigit()) and n != "@"
)
_exports = st.builds(
    lambda **fields: Export(**fields),
    name=_names,
    internal_name=st.one_of(st.just(""), _names),
    ordinal=st.integers(0, 65535),
    noname=st.booleans(),
    data=st.booleans(),
    constant=st.booleans(),
    private=st.booleans(),
    import_name=st.one_of(st.just(""), _names),
    export_as=st.one_of(st.just(""), st.just(""), _names),
).map(lambda e: e._replace(noname=e.noname and e.ordinal > 0))


@settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(_exports, max_size=10), st.sampled_from(list(MACHINES)))
def test_arbitrary_exports_same_bytes_as_llvm(
    llvm_dlltool: str,
    llvm_lib: str,
    tmp_path: Path,
    exports: list[Export],
    machine: Machine,
) -> None:
    definition = ModuleDefinition(library="arbitrary.dll", exports=tuple(exports))
    def_file = tmp_path / "a.def"
    def_file.write_text(format_def(definition))
    msvc = llvm_lib_bytes(llvm_lib, def_file, machine, tmp_path / "m.lib")
    assert write_import_library(definition, machine, mingw=False) == msvc
    gnu = llvm_dlltool_bytes(llvm_dlltool, def_file, machine, tmp_path / "g.a")
    assert write_import_library(definition, machine, gnu_ld=False) == gnu
    if machine is not Machine.ARM64:
        compare_with_llvm_for_gnu_ld(write_import_library(definition, machine), gnu)


_libraries = st.sampled_from(
    ["x.dll", "a_long_library_name_past_15.dll", "prog.exe", "dir/x.dll", "x", "x.DLL", "a/b"]
)


# -- library_variant: equal variants, equal bytes ---------------------------------------

_READINGS = [
    (machine, mingw, gnu_ld)
    for machine in MACHINES
    for mingw in (True, False)
    for gnu_ld in (None, False, True)
    if not (gnu_ld and (not mingw or machine is Machine.ARM64))
]


def _variants_share_bytes(definition: ModuleDefinition) -> dict[tuple[object, ...], bytes]:
    """Write every reading separately; equal variants must have given equal bytes."""
    seen: dict[tuple[object, ...], bytes] = {}
    for machine, mingw, gnu_ld in _READINGS:
        variant = writer.library_variant(definition, machine, mingw=mingw, gnu_ld=gnu_ld)
        try:
            data = write_import_library(definition, machine, mingw=mingw, gnu_ld=gnu_ld)
        except WriterError:
            continue
        assert seen.setdefault(variant, data) == data, (machine, mingw, gnu_ld, variant)
    return seen


def test_bundled_lists_have_three_variants() -> None:
    """Plain undecorated names: one library per machine, whatever the flavour."""
    for def_file in BUNDLED:
        assert len(_variants_share_bytes(read_def(def_file))) == 3, def_file.name


@settings(max_examples=150, deadline=None)
@given(st.lists(_exports, max_size=8), _libraries)
def test_equal_variants_write_equal_bytes(exports: list[Export], library: str) -> None:
    _variants_share_bytes(ModuleDefinition(library, tuple(exports)))


#: Plain lists (names, perhaps DATA), where i386's two readings may share a library:
#: names with and without the decorations (``@``, ``?``, ``_``) the readings treat apart.
_plain_exports = st.builds(
    Export,
    name=st.one_of(_names, st.sampled_from(["_f", "f@4", "@f@8", "?f@@YAXXZ", "f@@Z", "_f@4"])),
    data=st.booleans(),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_plain_exports, min_size=1, max_size=8), _libraries)
def test_equal_variants_of_plain_lists_write_equal_bytes(
    exports: list[Export], library: str
) -> None:
    _variants_share_bytes(ModuleDefinition(library, tuple(exports)))
