"""Real linkers against implib's libraries: the DLLs they make import right.

The corpus tests check every symbol of a GNU-flavour library: linked by GNU
ld, lld and lld-link, each symbol must import what the same symbol of
llvm-dlltool-19's library imports when lld-link 19 links it (lld 19
understands all of LLVM's members; GNU ld does not, hence implib's long
members).

Each probe DLL is linked the way the consumers' builds link: lld-link gets
the ``.lib`` path (MSVC), MinGW gcc and clang+lld get ``-L DIR -l NAME``
with the names PyO3's build emits (``python3``, ``python312``; MSYS2's
``python3.12``). pefile then reads the DLL's import table back.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from implib.api import generate
from implib.coff.deffile import Export, ModuleDefinition, format_def, read_def
from implib.coff.structs import Machine
from implib.coff.writer import write_import_library

from coff.importcheck import import_map, library_symbols, link_probe
from linking import (
    PROBE_C,
    PROBE_IMPORTS,
    PYPY_PROBE_C,
    PYPY_PROBE_IMPORTS,
    dll_imports,
    link_llvm_mingw,
    link_mingw,
    link_msvc,
)
from support import DATA, require_tool


def _check(dll: Path, expected_dll: str) -> None:
    imports = dll_imports(dll)
    assert expected_dll in imports, imports
    expected = PYPY_PROBE_IMPORTS if "pypy" in expected_dll else PROBE_IMPORTS
    assert imports[expected_dll] == expected  # by name, data ones included


@pytest.mark.parametrize("arch", ["x86_64", "i686", "aarch64"])
@pytest.mark.parametrize(("python", "dll"), [("abi3", "python3.dll"), ("3.12", "python312.dll")])
def test_lld_link(pefile_module: object, tmp_path: Path, arch: str, python: str, dll: str) -> None:
    lib = generate(f"{arch}-pc-windows-msvc", python, tmp_path / "libs")
    _check(link_msvc(arch, lib.path, tmp_path / "work"), dll)


@pytest.mark.parametrize("arch", ["x86_64", "i686"])
@pytest.mark.parametrize(
    ("python", "name", "dll"),
    [
        ("abi3", "python3", "python3.dll"),
        ("3.12", "python312", "python312.dll"),  # PyO3 cross builds
        ("3.12", "python3.12", "python312.dll"),  # native MinGW / MSYS2 style
        ("3.13t", "python313t", "python313t.dll"),
        ("pypy3.10", "python310", "libpypy3.10-c.dll"),  # PyO3 0.28 and older
    ],
)
def test_mingw_gcc(
    pefile_module: object, tmp_path: Path, arch: str, python: str, name: str, dll: str
) -> None:
    generate(f"{arch}-pc-windows-gnu", python, tmp_path / "libs")
    source = PYPY_PROBE_C if python.startswith("pypy") else PROBE_C
    _check(link_mingw(arch, tmp_path / "libs", name, tmp_path / "work", source), dll)


@pytest.mark.parametrize("arch", ["x86_64", "i686", "aarch64"])
def test_clang_lld_mingw(pefile_module: object, tmp_path: Path, arch: str) -> None:
    generate(f"{arch}-pc-windows-gnullvm", "abi3", tmp_path / "libs")
    _check(link_llvm_mingw(arch, tmp_path / "libs", "python3", tmp_path / "work"), "python3.dll")


def test_msys2_dll_name(pefile_module: object, tmp_path: Path) -> None:
    generate("x86_64-pc-windows-gnu", "3.12", tmp_path / "libs", dll_name="libpython3.12.dll")
    _check(
        link_mingw("x86_64", tmp_path / "libs", "python3.12", tmp_path / "work"),
        "libpython3.12.dll",
    )


# -- every corpus .def, every linker: what each symbol imports --------------------------

CORPUS = sorted(p for p in (DATA / "defs").glob("*.def") if read_def(p).library)
SPECIAL = {"kinds.def", "multiline.def", "names.def", "renames.def"}  # long members for GNU ld
_TRIPLES = {"x86_64": "i386:x86-64", "i686": "i386", "aarch64": "arm64"}
_MACHINES = {"x86_64": Machine.AMD64, "i686": Machine.I386, "aarch64": Machine.ARM64}


@pytest.fixture(scope="module")
def references(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], dict[str, str]]:
    """(def, arch) -> what each symbol of llvm-dlltool-19's library imports, linked by lld 19."""
    return {}


def _reference(
    cache: dict[tuple[str, str], dict[str, str]], def_file: Path, arch: str, work: Path
) -> dict[str, str]:
    key = (def_file.name, arch)
    if key not in cache:
        tool = require_tool("llvm-dlltool-19")
        library = work / "llvm.a"
        subprocess.run(
            [tool, "-m", _TRIPLES[arch], "-d", str(def_file), "-l", str(library)], check=True
        )
        symbols = library_symbols(library)
        dll = link_probe("reference", arch, library, symbols, work / "reference")
        cache[key] = import_map(dll, symbols, arch)
    return cache[key]


def _check_links(
    def_file: Path,
    arch: str,
    linker: str,
    tmp_path: Path,
    cache: dict[tuple[str, str], dict[str, str]],
) -> None:
    expected = _reference(cache, def_file, arch, tmp_path)
    definition = read_def(def_file)
    dll = definition.library.rsplit("/", 1)[-1].lower()
    # The reference itself imports every symbol from the .def's DLL.
    assert all(value.startswith(dll + "!") for value in expected.values()), expected
    library = tmp_path / "implib.a"
    library.write_bytes(write_import_library(definition, _MACHINES[arch]))
    symbols = list(expected)
    got = import_map(link_probe(linker, arch, library, symbols, tmp_path / linker), symbols, arch)
    assert got == expected


@pytest.mark.parametrize("linker", ["gnu-ld", "lld", "lld-link"])
@pytest.mark.parametrize("arch", ["x86_64", "i686"])
@pytest.mark.parametrize("def_file", CORPUS, ids=[p.name for p in CORPUS])
def test_gnu_flavour_links_as_intended(
    pefile_module: object,
    def_file: Path,
    arch: str,
    linker: str,
    tmp_path: Path,
    references: dict[tuple[str, str], dict[str, str]],
) -> None:
    """GNU ld 2.40, lld 14 in MinGW mode, lld-link 14: the imports LLVM's library means."""
    _check_links(def_file, arch, linker, tmp_path, references)


@pytest.mark.parametrize("linker", ["lld-19", "lld-link-19"])
@pytest.mark.parametrize("arch", ["x86_64", "i686", "aarch64"])
@pytest.mark.parametrize(
    "def_file", sorted(p for p in CORPUS if p.name in SPECIAL), ids=sorted(SPECIAL)
)
def test_gnu_flavour_links_with_lld_19(
    pefile_module: object,
    def_file: Path,
    arch: str,
    linker: str,
    tmp_path: Path,
    references: dict[tuple[str, str], dict[str, str]],
) -> None:
    """lld 19 too; on arm64 (no GNU ld) the library is llvm-dlltool's, short imports only."""
    _check_links(def_file, arch, linker, tmp_path, references)


_names = st.text(alphabet=st.sampled_from("ab_@?$1"), min_size=1, max_size=6).filter(
    lambda n: not (n[0] == "@" and (n == "@" or n[1:].isdigit()))
)
_exports = st.builds(
    lambda **fields: Export(**fields),
    name=_names,
    ordinal=st.integers(0, 20),
    noname=st.booleans(),
    data=st.booleans(),
    constant=st.booleans(),
    import_name=st.one_of(st.just(""), _names),
    export_as=st.one_of(st.just(""), st.just(""), _names),
).map(lambda e: e._replace(noname=e.noname and e.ordinal > 0))


@pytest.mark.slow
@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
# Distinct names: a name listed twice (once DATA) makes lld-link refuse LLVM's library too.
@given(
    st.lists(_exports, min_size=1, max_size=8, unique_by=lambda e: e.name),
    st.sampled_from(["x86_64", "i686"]),
)
def test_arbitrary_exports_link_with_gnu_ld_as_llvm_means(
    pefile_module: object,
    tmp_path_factory: pytest.TempPathFactory,
    exports: list[Export],
    arch: str,
) -> None:
    """What the writer writes differently from llvm-dlltool, GNU ld links to the same imports."""
    work = tmp_path_factory.mktemp("arbitrary")
    definition = ModuleDefinition(library="arbitrary.dll", exports=tuple(exports))
    (work / "a.def").write_text(format_def(definition))
    _check_links(work / "a.def", arch, "gnu-ld", work, {})
