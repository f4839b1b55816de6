"""implib-dlltool and implib-lib against the tools they stand in for.

Bytes against llvm-dlltool-19 and llvm-lib-19 on every bundled list and the
corpus; link results against MinGW's GNU dlltool (GNU ld and lld link both
libraries, pefile reads what each symbol imports); the exact command lines
rustc and python3-dll-a run, through the installed programs, with nothing
on stdout or stderr.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from implib.cli.dropins import dlltool_main, lib_main
from implib.coff.deffile import read_def

from coff.importcheck import import_map, library_symbols, link_probe
from support import DATA, LISTS, missing, require_tool

BUNDLED = sorted(LISTS.glob("*.def"))
CORPUS = sorted((DATA / "defs").glob("*.def"))
MACHINES = {"x86_64": "i386:x86-64", "i686": "i386", "aarch64": "arm64"}
LIB_MACHINES = {"x86_64": "X64", "i686": "X86", "aarch64": "ARM64"}
#: python3-dll-a 0.2.6, as Debian packages it (librust-python3-dll-a-dev).
PYTHON3_DLL_A = Path("/usr/share/cargo/registry/python3-dll-a-0.2.6")


def _bin(name: str) -> str:
    """An installed console script of this implib (next to the interpreter that runs the tests)."""
    path = Path(sys.executable).parent / name
    if not path.exists():
        pytest.fail(f"{path} is not installed: pip install -e .")
    return str(path)


def _llvm_dlltool(def_file: Path, out: Path, arch: str, *extra: str) -> bytes:
    tool = require_tool("llvm-dlltool-19")
    argv = [tool, "-m", MACHINES[arch], "-d", str(def_file), "-l", str(out), *extra]
    subprocess.run(argv, check=True, capture_output=True)
    return out.read_bytes()


def _run_dlltool(program: str, *args: str) -> None:
    dlltool_main([program, *args])


# -- bytes ---------------------------------------------------------------------------------


@pytest.mark.parametrize("arch", list(MACHINES))
@pytest.mark.parametrize("def_file", BUNDLED, ids=[p.name for p in BUNDLED])
def test_bundled_lists_are_llvm_dlltools_bytes(tmp_path: Path, def_file: Path, arch: str) -> None:
    expected = _llvm_dlltool(def_file, tmp_path / "llvm.a", arch)
    out = tmp_path / "implib.a"
    _run_dlltool("implib-dlltool", "-m", MACHINES[arch], "-d", str(def_file), "-l", str(out))
    assert out.read_bytes() == expected


@pytest.mark.parametrize("arch", list(MACHINES))
@pytest.mark.parametrize("def_file", CORPUS, ids=[p.name for p in CORPUS])
def test_corpus_under_llvm_dlltools_name(tmp_path: Path, def_file: Path, arch: str) -> None:
    """Named llvm-dlltool, the drop-in writes LLVM's bytes even where GNU ld needs others."""
    extra = [] if read_def(def_file).library else ["-D", "named.dll"]
    expected = _llvm_dlltool(def_file, tmp_path / "llvm.a", arch, *extra)
    out = tmp_path / "implib.a"
    args = ["-m", MACHINES[arch], "-d", str(def_file), "-l", str(out), *extra]
    _run_dlltool("/opt/bin/llvm-dlltool", *args)
    assert out.read_bytes() == expected


@pytest.mark.parametrize("arch", list(MACHINES))
def test_dll_name_option_overrides_library(tmp_path: Path, arch: str) -> None:
    def_file = LISTS / "python3.def"
    extra = ["-D", "libpython3.dll"]
    expected = _llvm_dlltool(def_file, tmp_path / "llvm.a", arch, *extra)
    out = tmp_path / "implib.a"
    _run_dlltool("implib-dlltool", "--machine", MACHINES[arch], "--input-def", str(def_file),
                 "--output-lib", str(out), "--dllname", "libpython3.dll")  # fmt: skip
    assert out.read_bytes() == expected


def test_i386_without_leading_underscore(tmp_path: Path) -> None:
    """rustc decorates i686 names itself and passes --no-leading-underscore."""
    def_file = tmp_path / "rustc.def"
    def_file.write_text(
        "EXPORTS\n_Py_Initialize\n_PyExc_TypeError DATA\n_Py_IsInitialized @12 NONAME\n"
        "_stdcall_one@4\n@fastcall_two@8\n?cpp@@YAXXZ\n__Py_Dealloc\n"
        "Py_Undecorated\nPyUndecoratedData DATA\nstdcall_plain@4\nvector@@8\n"
    )
    extra = ["-D", "python3.dll", "--no-leading-underscore"]
    expected = _llvm_dlltool(def_file, tmp_path / "llvm.a", "i686", *extra)
    out = tmp_path / "implib.a"
    _run_dlltool("implib-dlltool", "-d", str(def_file), "-l", str(out), "-m", "i386", *extra)
    assert out.read_bytes() == expected


@pytest.mark.parametrize("arch", list(MACHINES))
@pytest.mark.parametrize("def_file", BUNDLED + CORPUS, ids=[p.name for p in BUNDLED + CORPUS])
def test_lib_is_llvm_libs_bytes(tmp_path: Path, def_file: Path, arch: str) -> None:
    if not read_def(def_file).library:
        pytest.skip("llvm-lib writes a library for a DLL named '' (implib-lib refuses)")
    tool = require_tool("llvm-lib-19")
    expected = tmp_path / "llvm.lib"
    machine = f"/machine:{LIB_MACHINES[arch]}"
    subprocess.run([tool, f"/def:{def_file}", f"/out:{expected}", machine], check=True)
    out = tmp_path / "implib.lib"
    lib_main(["implib-lib", f"/DEF:{def_file}", f"/OUT:{out}", machine.upper(), "/NOLOGO"])
    assert out.read_bytes() == expected.read_bytes()


# -- link results against MinGW's GNU dlltool ------------------------------------------------

#: GNU dlltool 2.40 reads no PyPy list (``LIBRARY libpypy3.10-c.dll``: a syntax error to it).
LINKED = [LISTS / "python3.def", LISTS / "python312.def", LISTS / "python313t.def"]


@pytest.mark.parametrize("linker", ["gnu-ld", "lld"])
@pytest.mark.parametrize("arch", ["x86_64", "i686"])
@pytest.mark.parametrize("def_file", LINKED, ids=[p.name for p in LINKED])
def test_links_as_gnu_dlltools_library(
    pefile_module: object, tmp_path: Path, def_file: Path, arch: str, linker: str
) -> None:
    """Every symbol imports what it imports from GNU dlltool's library linked by GNU ld."""
    gnu = require_tool(f"{arch}-w64-mingw32-dlltool")
    reference = tmp_path / "gnu.a"
    result = subprocess.run(
        [gnu, "-d", str(def_file), "-l", str(reference)], capture_output=True, cwd=tmp_path
    )
    assert (result.returncode, result.stderr) == (0, b"")
    ours = tmp_path / "implib.a"
    # The machine from the name, as GNU dlltool's target prefix gives it.
    _run_dlltool(f"{arch}-w64-mingw32-implib-dlltool", "-d", str(def_file), "-l", str(ours))
    symbols = library_symbols(ours)
    expected = import_map(
        link_probe("gnu-ld", arch, reference, symbols, tmp_path / "g"), symbols, arch
    )
    assert len(expected) == len(symbols)
    got = import_map(link_probe(linker, arch, ours, symbols, tmp_path / "i"), symbols, arch)
    assert got == expected


# -- the command lines of rustc and python3-dll-a, through the installed programs ----------


def _silent(argv: list[str], cwd: Path, env: dict[str, str] | None = None) -> None:
    result = subprocess.run(argv, cwd=cwd, capture_output=True, env=env)
    assert (result.returncode, result.stdout, result.stderr) == (0, b"", b""), argv


def _prefixed(tmp_path: Path, arch: str) -> str:
    """implib-dlltool under a GNU target prefix, as PYO3_MINGW_DLLTOOL or rustc would name it."""
    link = tmp_path / "bin" / f"{arch}-w64-mingw32-implib-dlltool"
    link.parent.mkdir(exist_ok=True)
    link.symlink_to(_bin("implib-dlltool"))
    return str(link)


def _rustc_def(tmp_path: Path, arch: str) -> Path:
    """A .def as rustc writes it for raw-dylib: no LIBRARY; on i686 (rustc >= 1.71) the names
    as rustc decorates them for MinGW: cdecl ones plain, stdcall ``f@4``, fastcall ``@f@8``."""
    lines = ["EXPORTS", "Py_Initialize", "PyExc_TypeError", "_Py_Dealloc", "Py_Foo @7 NONAME"]
    if arch == "i686":
        lines += ["stdcall_fn@4", "@fastcall_fn@8"]
    path = tmp_path / "python3.dll_imports.def"
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.parametrize("arch", ["x86_64", "i686"])
def test_rustc_1_63_command_line(tmp_path: Path, arch: str) -> None:
    """rustc < 1.71: ``dlltool -d DEF -D NAME -l OUT``, the machine from the tool's name."""
    def_file = _rustc_def(tmp_path, "x86_64")  # rustc 1.63 leaves i686 names to dlltool
    out = tmp_path / "python3.dll_imports.lib"
    argv = [_prefixed(tmp_path, arch), "-d", str(def_file), "-D", "python3.dll", "-l", str(out)]
    _silent(argv, tmp_path)
    expected = _llvm_dlltool(def_file, tmp_path / "llvm.a", arch, "-D", "python3.dll")
    assert out.read_bytes() == expected


@pytest.mark.parametrize(
    ("arch", "bits"), [("x86_64", "--64"), ("i686", "--32"), ("aarch64", "--64")]
)
def test_rustc_1_71_command_line(tmp_path: Path, arch: str, bits: str) -> None:
    """rustc >= 1.71 (-Cdlltool): -m, -f --BITS, --no-leading-underscore, --temp-prefix."""
    def_file = _rustc_def(tmp_path, arch)
    out = tmp_path / "python3.dll_imports.lib"
    argv = [_bin("implib-dlltool"), "-d", str(def_file), "-D", "python3.dll", "-l", str(out),
            "-m", MACHINES[arch], "-f", bits, "--no-leading-underscore",
            "--temp-prefix", str(tmp_path / "python3.dll")]  # fmt: skip
    _silent(argv, tmp_path)
    extra = ["-D", "python3.dll", "--no-leading-underscore"]
    assert out.read_bytes() == _llvm_dlltool(def_file, tmp_path / "llvm.a", arch, *extra)


def _python3_dll_a_def(tmp_path: Path) -> Path:
    """python3-dll-a's own python3.def (Debian's package), else the bundled one."""
    own = PYTHON3_DLL_A / "src" / "python3.def"
    if not own.exists():
        missing(f"{own} not found (apt-get install librust-python3-dll-a-dev)")
    return own


@pytest.mark.parametrize("arch", ["x86_64", "i686"])
def test_python3_dll_a_mingw_command_line(tmp_path: Path, arch: str) -> None:
    """python3-dll-a 0.2.x with PYO3_MINGW_DLLTOOL: ``--input-def DEF --output-lib OUT``."""
    def_file = _python3_dll_a_def(tmp_path)
    out = tmp_path / "python3.dll.a"
    _silent([_prefixed(tmp_path, arch), "--input-def", str(def_file), "--output-lib", str(out)],
            tmp_path)  # fmt: skip
    assert out.read_bytes() == _llvm_dlltool(def_file, tmp_path / "llvm.a", arch)


@pytest.mark.parametrize("arch", list(MACHINES))
def test_python3_dll_a_llvm_and_zig_command_lines(tmp_path: Path, arch: str) -> None:
    """python3-dll-a's llvm-dlltool and ``zig dlltool`` flavours: ``-m M -d DEF -l OUT``."""
    def_file = _python3_dll_a_def(tmp_path)
    out = tmp_path / "python3.lib"
    argv = ["-m", MACHINES[arch], "-d", str(def_file), "-l", str(out)]
    _silent([_bin("implib-dlltool"), *argv], tmp_path)
    assert out.read_bytes() == _llvm_dlltool(def_file, tmp_path / "llvm.a", arch)
    out.unlink()
    _silent([_bin("implib"), "dlltool", *argv], tmp_path)
    assert out.read_bytes() == _llvm_dlltool(def_file, tmp_path / "llvm.a", arch)


@pytest.mark.parametrize("arch", list(MACHINES))
def test_python3_dll_a_lib_exe_command_line(tmp_path: Path, arch: str) -> None:
    """python3-dll-a's lib.exe flavour: ``/MACHINE:M /DEF:DEF /OUT:OUT``."""
    def_file = _python3_dll_a_def(tmp_path)
    out = tmp_path / "python3.lib"
    machine = f"/MACHINE:{LIB_MACHINES[arch]}"
    _silent([_bin("implib-lib"), machine, f"/DEF:{def_file}", f"/OUT:{out}"], tmp_path)
    expected = tmp_path / "llvm.lib"
    tool = require_tool("llvm-lib-19")
    subprocess.run([tool, machine, f"/DEF:{def_file}", f"/OUT:{expected}"], check=True)
    assert out.read_bytes() == expected.read_bytes()
    out.unlink()
    _silent([_bin("implib"), "lib", machine, f"/DEF:{def_file}", f"/OUT:{out}"], tmp_path)
    assert out.read_bytes() == expected.read_bytes()


# -- refusals: one line, exit status 1, no library ---------------------------------------------


@pytest.mark.parametrize(
    ("program", "args", "message"),
    [
        ("implib-dlltool", ["-m", "i386:x86-64", "-x"], "unknown option -x"),
        ("implib-dlltool", ["-m", "i386:x86-64", "--export-all-symbols"],
         "unknown option --export-all-symbols"),
        ("implib-dlltool", [], "no machine"),  # never a silent x86_64
        ("implib-dlltool", ["-m", "mips"], "unknown machine 'mips'"),
        ("implib-dlltool", ["-m", "i386:x86-64", "-D"], "option -D needs a value"),
        ("implib-dlltool", ["-m", "i386:x86-64", "stray"], "unexpected argument stray"),
        ("implib-lib", ["/machine:X64", "/verbose"], "unknown option /verbose"),
        ("implib-lib", ["/machine:X64", "-wx"], "unknown option -wx"),
        ("implib-lib", ["/machine:SPARC"], "unknown machine 'SPARC'"),
        ("implib-lib", [], "no /machine: given"),
    ],
)  # fmt: skip
def test_refusals(tmp_path: Path, program: str, args: list[str], message: str) -> None:
    def_file = tmp_path / "x.def"
    def_file.write_text("LIBRARY x.dll\nEXPORTS\n  f\n")
    if program == "implib-dlltool":
        args = ["-d", str(def_file), "-l", str(tmp_path / "x.a"), *args]
    else:
        args = [f"/def:{def_file}", f"/out:{tmp_path / 'x.lib'}", *args]
    result = subprocess.run([_bin(program), *args], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and message in result.stderr, result.stderr
    assert result.stderr.startswith(f"{program}: error: ")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.def"]


def test_bad_def_names_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "bad.def").write_text("LIBRARY x.dll\nEXPORTS\n  f @70000\n")
    argv = [_bin("implib-dlltool"), "-m", "arm64", "-d", "bad.def", "-l", "x.a"]
    result = subprocess.run(argv, capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 1 and result.stderr.count("\n") == 1
    assert "bad.def:3" in result.stderr
    assert not (tmp_path / "x.a").exists()


def test_group_command_refuses_in_one_line(tmp_path: Path) -> None:
    result = subprocess.run(
        [_bin("implib"), "dlltool", "-m", "arm64", "--bogus"], capture_output=True, text=True
    )
    assert result.returncode == 1
    assert result.stderr == "Error: unknown option --bogus\n"


def test_never_its_own_backend(tmp_path: Path) -> None:
    """ZIG_COMMAND / PYO3_MINGW_DLLTOOL naming the drop-in itself change nothing: no loop."""
    def_file = LISTS / "python3.def"
    out = tmp_path / "python3.dll.a"
    env = {
        **os.environ,
        "ZIG_COMMAND": _bin("implib"),
        "PYO3_MINGW_DLLTOOL": _bin("implib-dlltool"),
    }
    argv = [_bin("implib-dlltool"), "-m", "i386:x86-64", "-d", str(def_file), "-l", str(out)]
    _silent(argv, tmp_path, env)
    assert out.read_bytes() == _llvm_dlltool(def_file, tmp_path / "llvm.a", "x86_64")


@pytest.mark.parametrize("arch", list(MACHINES))
def test_kill_at_as_llvm_dlltool(tmp_path: Path, arch: str) -> None:
    """-k strips ``@N`` from i386 names: a list without any is written unchanged, as LLVM does."""
    def_file = LISTS / "python3.def"
    expected = _llvm_dlltool(def_file, tmp_path / "llvm.a", arch, "-k")
    out = tmp_path / "implib.a"
    _run_dlltool("implib-dlltool", "-k", "-m", MACHINES[arch], "-d", str(def_file), "-l", str(out))
    assert out.read_bytes() == expected


#: Corpus lists where GNU ld cannot read llvm-dlltool's members (CONSTANT, EXPORTAS, ==).
SPECIAL = [DATA / "defs" / name for name in ("kinds.def", "names.def", "renames.def")]


@pytest.mark.parametrize("arch", ["x86_64", "i686"])
@pytest.mark.parametrize("def_file", SPECIAL, ids=[p.name for p in SPECIAL])
def test_gnu_ld_links_what_llvm_dlltool_means(
    pefile_module: object, tmp_path: Path, def_file: Path, arch: str
) -> None:
    """Under its own name the drop-in writes, for these, what GNU ld links as LLVM means it."""
    reference = tmp_path / "llvm.a"
    _llvm_dlltool(def_file, reference, arch)
    symbols = library_symbols(reference)
    expected = import_map(
        link_probe("reference", arch, reference, symbols, tmp_path / "r"), symbols, arch
    )
    assert expected and all("!" in value for value in expected.values())  # all imported
    ours = tmp_path / "implib.a"
    _run_dlltool("implib-dlltool", "-m", MACHINES[arch], "-d", str(def_file), "-l", str(ours))
    assert ours.read_bytes() != reference.read_bytes()  # the long members
    got = import_map(link_probe("gnu-ld", arch, ours, symbols, tmp_path / "g"), symbols, arch)
    assert got == expected
