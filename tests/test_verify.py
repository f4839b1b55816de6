"""implib verify: libraries checked against real CPython DLLs."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from implib.api import generate, generate_from_def
from implib.cli import main
from implib.coff.deffile import format_def
from implib.coff.pe import definition_from_dll
from implib.coff.reader import read_import_library
from implib.verify import verify_library

from coff.importcheck import ODD_NAMES, odd_names_dll
from support import fetch_embedded_python


def test_bundled_library_matches_the_real_dll(pefile_module: object, tmp_path: Path) -> None:
    folder = fetch_embedded_python("3.13.0")
    lib = generate("x86_64-pc-windows-msvc", "3.13", tmp_path)
    report = verify_library(lib.path, folder / "python313.dll")
    # Names a later 3.13.x added are not in 3.13.0's DLL; nothing else may differ.
    assert all(p.endswith("not exported by python313.dll") for p in report.problems), (
        report.problems
    )
    assert not any("imported as" in p for p in report.problems)
    assert report.checked > 1500


def test_readme_says_what_the_313_list_adds_to_3130_and_how_to_match_it(
    pefile_module: object, tmp_path: Path
) -> None:
    """README's numbers and commands about patch releases, against the official 3.13.0 DLL."""
    import re

    from support import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    said = re.search(r"against the official 3\.13\.0 DLL, `implib verify` reports (\d+)", readme)
    assert said, "README should say how many names 3.13.0 lacks"
    dll = fetch_embedded_python("3.13.0") / "python313.dll"
    runner = CliRunner()
    lib = generate("x86_64-pc-windows-msvc", "3.13", tmp_path / "bundled")
    verified = runner.invoke(main, ["verify", str(lib.path), "--dll", str(dll)])
    lacking = [
        line.split(":")[0] for line in verified.output.splitlines() if "not exported" in line
    ]
    assert len(lacking) == int(said.group(1)) and "_PySys_GetOptionalAttr" in lacking
    # README's way to link for exactly 3.13.0: its own list, which verifies clean
    own = tmp_path / "python313.def"
    result = runner.invoke(main, ["defs", "from-dll", str(dll), "-o", str(own)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        main, ["gen", "--target", "win-amd64", "--def", str(own), "-o", str(tmp_path / "own")]
    )
    assert result.exit_code == 0, result.output
    exact = runner.invoke(
        main, ["verify", str(tmp_path / "own" / "python313.lib"), "--dll", str(dll)]
    )
    assert exact.exit_code == 0 and exact.output.endswith("imports checked: OK\n"), exact.output


def test_abi3_library_matches_python3_dll(pefile_module: object, tmp_path: Path) -> None:
    folder = fetch_embedded_python("3.12.0")
    lib = generate("x86_64-pc-windows-msvc", "abi3-3.12", tmp_path)
    report = verify_library(lib.path, folder / "python3.dll")
    assert report.ok, report.problems
    # The real python3.dll forwards these to names python312.dll (a release,
    # x64 build) does not export: debug-only (Py_REF_DEBUG) and 32-bit-only
    # (USE_STACKCHECK) functions. The stable ABI lists them; so does implib.
    assert {note.split(":")[0] for note in report.notes} == {
        "_Py_RefTotal",
        "_Py_NegativeRefcount",
        "PyOS_CheckStack",
    }


def test_wrong_kind_missing_name_and_wrong_dll(pefile_module: object, tmp_path: Path) -> None:
    folder = fetch_embedded_python("3.13.0")
    (tmp_path / "bad.def").write_text(
        "LIBRARY python313.dll\nEXPORTS\n PyLong_FromLong\n PyExc_TypeError\n NoSuchName\n"
        " _Py_NoneStruct DATA\n"
    )
    lib = generate_from_def("win-amd64", tmp_path / "bad.def", tmp_path)
    report = verify_library(lib.path, folder / "python313.dll")
    assert report.problems == (
        "PyExc_TypeError: imported as code, exported as data",
        "NoSuchName: not exported by python313.dll",
    )
    other = verify_library(lib.path, folder / "python3.dll")
    assert other.problems[0] == "PyLong_FromLong: imports from python313.dll, not python3.dll"
    result = CliRunner().invoke(
        main, ["verify", str(lib.path), "--dll", str(folder / "python313.dll")]
    )
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == "4 imports checked: 2 problem(s)"


def test_names_pefile_could_not_read(pefile_module: object, tmp_path: Path) -> None:
    """A DLL exporting long names, names with spaces, ';', '=', newlines, non-ASCII: all found.

    verify reads the DLL as from-dll does (implib.coff.pe), so every name checks out;
    with pefile's reading, each was "not exported".
    """
    dll = odd_names_dll(tmp_path)
    definition = definition_from_dll(dll)
    (tmp_path / "odd.def").write_text(format_def(definition), encoding="utf-8")
    for target in ("win-amd64", "x86_64-pc-windows-gnu"):
        lib = generate_from_def(target, tmp_path / "odd.def", tmp_path / target)
        report = verify_library(lib.path, dll)
        assert report.ok, report.problems
        assert report.checked == len(ODD_NAMES) + 1


def test_renames_and_long_members_are_checked(pefile_module: object, tmp_path: Path) -> None:
    """Weak-alias renames (MSVC flavour) and long members (GNU) are imports like any other."""
    folder = fetch_embedded_python("3.13.0")
    (tmp_path / "r.def").write_text(
        "LIBRARY python313.dll\nEXPORTS\n PyLong_FromLong\n my_long == PyLong_FromLong\n"
        " konst CONSTANT == Py_Version\n Py_Version DATA\n"
    )
    for target in ("win-amd64", "x86_64-pc-windows-gnu"):
        lib = generate_from_def(target, tmp_path / "r.def", tmp_path / target)
        report = verify_library(lib.path, folder / "python313.dll")
        assert (report.checked, report.problems) == (4, ()), target
        # A CONSTANT rename defines only __imp_konst: a data import of what it renames.
        imports = {i.symbol: (i.name, i.kind) for i in read_import_library(lib.path).imports}
        assert imports["konst"] == ("Py_Version", "data")
        assert imports["my_long"] == ("PyLong_FromLong", "code")
