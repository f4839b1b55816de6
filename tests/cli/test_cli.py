"""The implib command: what users type, what they get, and how it fails."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from implib import __version__
from implib.cli import main
from implib.coff.reader import read_import_library

from support import DATA

DEFS = DATA / "defs"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """The real command, as a separate process."""
    return subprocess.run(
        [sys.executable, "-m", "implib", *args],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )


def test_the_main_job(tmp_path: Path) -> None:
    result = run("gen", "--target", "x86_64-pc-windows-msvc", "--abi3", "-o", str(tmp_path))
    assert result.returncode == 0, result.stderr
    lib = read_import_library(tmp_path / "python3.lib")
    assert lib.dlls == ["python3.dll"]
    names = {imp.name: imp.kind for imp in lib.imports}
    assert names["PyLong_FromLong"] == "code"
    assert names["PyExc_TypeError"] == "data"
    assert names["_Py_NoneStruct"] == "data"
    assert os.listdir(tmp_path) == ["python3.lib"]


def test_several_builds_at_once(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        [
            "gen",
            "-t",
            "x86_64-pc-windows-gnu",
            "-p",
            "3.12,3.13t",
            "-p",
            "pypy3.10",
            "-o",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 0, result.output
    assert sorted(os.listdir(tmp_path)) == [
        "libpypy3.10-c.dll.a",
        "python3.12.dll.a",
        "python310.dll.a",
        "python312.dll.a",
        "python313t.dll.a",
    ]
    assert read_import_library(tmp_path / "python313t.dll.a").dlls == ["python313t.dll"]
    assert read_import_library(tmp_path / "python310.dll.a").dlls == ["libpypy3.10-c.dll"]


def test_all(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["gen", "-t", "win32", "--all", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    made = set(os.listdir(tmp_path))
    assert {
        "python3.lib",
        "python37.lib",
        "python314.lib",
        "python314t.lib",
        "libpypy3-c.lib",
    } <= made


def test_abi3_minimum_python(tmp_path: Path) -> None:
    full = CliRunner().invoke(
        main, ["gen", "-t", "win-amd64", "--abi3", "-o", str(tmp_path / "all")]
    )
    old = CliRunner().invoke(
        main,
        ["gen", "-t", "win-amd64", "--abi3", "--min-python", "3.9", "-o", str(tmp_path / "39")],
    )
    assert full.exit_code == old.exit_code == 0
    all_names = {i.name for i in read_import_library(tmp_path / "all" / "python3.lib").imports}
    old_names = {i.name for i in read_import_library(tmp_path / "39" / "python3.lib").imports}
    assert old_names < all_names
    assert "PyType_FromSpec" in old_names  # 3.2
    assert "PyType_FromModuleAndSpec" not in old_names  # 3.10
    assert "PyType_FromModuleAndSpec" in all_names


def test_own_def(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        [
            "gen",
            "-t",
            "aarch64-pc-windows-msvc",
            "--def",
            str(DEFS / "kinds.def"),
            "-o",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 0, result.output
    assert read_import_library(tmp_path / "kinds.lib").dlls == ["kinds.dll"]


def test_def_without_library_is_named_after_the_file(tmp_path: Path) -> None:
    (tmp_path / "mine.def").write_text("EXPORTS\n  f\n")
    result = CliRunner().invoke(
        main,
        [
            "gen",
            "-t",
            "x86_64-pc-windows-gnu",
            "--def",
            str(tmp_path / "mine.def"),
            "-o",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 0, result.output
    assert read_import_library(tmp_path / "mine.dll.a").dlls == ["mine.dll"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["-t", "x86_64-unknown-linux-gnu", "--abi3"],
            "unknown target 'x86_64-unknown-linux-gnu'; valid",
        ),
        (["-t", "win-amd64", "-p", "2.7"], "unknown Python build '2.7'"),
        (["-t", "win-amd64", "-p", "3.99"], "no export list for Python 3.99; known builds: abi3"),
        (["-t", "win-amd64", "--def", "DATA/bad.def"], "bad.def:3: ordinal expected, got 'bar'"),
        (["-t", "win-amd64", "--def", "DATA/missing.def"], "missing.def: cannot read"),
        (["-t", "win-amd64"], "say what to generate"),
    ],
)
def test_bad_input_one_line_error_and_nothing_written(
    tmp_path: Path, args: list[str], message: str
) -> None:
    (tmp_path / "bad.def").write_text("LIBRARY x\nEXPORTS\n  foo @ bar\n")
    out = tmp_path / "out"
    args = [a.replace("DATA", str(tmp_path)) for a in args]
    result = run("gen", *args, "-o", str(out))
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 or "Usage" in result.stderr, result.stderr
    assert message in result.stderr
    assert not out.exists() or not list(out.iterdir())


def test_unwritable_output_folder(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = run("gen", "-t", "win-amd64", "--abi3", "-o", str(blocker / "sub"))
    assert result.returncode == 1
    assert result.stderr.startswith("Error: cannot write to ")
    assert len(result.stderr.strip().splitlines()) == 1


def test_read_only_output_folder(small_mount: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(small_mount)], check=True)
    result = run("gen", "-t", "win-amd64", "--abi3", "--no-cache", "-o", str(small_mount))
    assert result.returncode == 1
    assert result.stderr.strip().endswith("Read-only file system")
    assert len(result.stderr.strip().splitlines()) == 1


def test_full_output_folder_leaves_no_partial_file(small_mount: Path) -> None:
    result = run("gen", "-t", "win-amd64", "-p", "3.12", "--no-cache", "-o", str(small_mount))
    assert result.returncode == 1
    assert "No space left on device" in result.stderr
    assert list(small_mount.iterdir()) == []


def test_full_disk_leaves_no_half_set_and_no_new_folder(
    tmp_path: Path, mount_of: Callable[[int], Path]
) -> None:
    """GNU 3.12 is two files: with room for one, gen writes neither, and says so in one line."""
    sizes = tmp_path / "sizes"
    run("gen", "-t", "x86_64-pc-windows-gnu", "-p", "3.12", "--no-cache", "-o", str(sizes))
    disk = mount_of((sizes / "python312.dll.a").stat().st_size * 3 // 2)
    out = disk / "new" / "libs"
    result = run("gen", "-t", "x86_64-pc-windows-gnu", "-p", "3.12", "-o", str(out))
    assert result.returncode == 1
    assert result.stderr.startswith(f"Error: cannot write to {out}/python3")
    assert result.stderr.endswith(": No space left on device\n")
    assert len(result.stderr.splitlines()) == 1
    assert list(disk.iterdir()) == []  # no half set, no empty folders


def test_a_mixed_set_is_refused_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gen = ("gen", "-t", "x86_64-pc-windows-gnu", "-p", "3.12", "-o", "dm")
    monkeypatch.chdir(tmp_path)
    assert run(*gen).returncode == 0
    before = {p.name: p.read_bytes() for p in (tmp_path / "dm").iterdir()}
    result = run(*gen, "--dll-name", "libpython3.12.dll")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == (
        "Error: dm/python312.dll.a, dm/python3.12.dll.a: an earlier run wrote this set for "
        "python312.dll, not libpython3.12.dll, and one set's files name one DLL: remove them, "
        "write into another folder, or replace the whole set (gen --replace)\n"
    )
    assert {p.name: p.read_bytes() for p in (tmp_path / "dm").iterdir()} == before
    replaced = run(*gen, "--dll-name", "libpython3.12.dll", "--replace")
    assert replaced.returncode == 0, replaced.stderr
    assert replaced.stdout == (
        "dm/python312.dll.a, dm/python3.12.dll.a  "
        "(libpython3.12.dll, x86_64-pc-windows-gnu, builtin)\n"
    )


def test_inspect_text_and_json(tmp_path: Path) -> None:
    CliRunner().invoke(
        main, ["gen", "-t", "win32", "--def", str(DEFS / "ordinals.def"), "-o", str(tmp_path)]
    )
    text = CliRunner().invoke(main, ["inspect", str(tmp_path / "ordinals.lib")])
    assert text.exit_code == 0
    assert "ordinals.dll (i386, short import format)" in text.output
    assert "6 imports: 5 code, 1 data" in text.output
    as_json = CliRunner().invoke(main, ["inspect", "--json", str(tmp_path / "ordinals.lib")])
    payload = json.loads(as_json.output)
    by_symbol = {imp["symbol"]: imp for imp in payload["imports"]}
    assert by_symbol["_hidden"] == {
        "dll": "ordinals.dll", "name": "", "symbol": "_hidden", "kind": "code",
        "ordinal": 3, "hint": 3, "name_type": "ordinal",
    }  # fmt: skip
    assert by_symbol["_data_by_ordinal"]["kind"] == "data"


def test_inspect_not_a_library(tmp_path: Path) -> None:
    (tmp_path / "x.lib").write_bytes(b"MZ nonsense")
    result = run("inspect", str(tmp_path / "x.lib"))
    assert result.returncode == 1
    assert (
        result.stderr.strip()
        == f"Error: {tmp_path / 'x.lib'}: not an archive (no !<arch> signature)"
    )


def test_version_and_help() -> None:
    assert (
        CliRunner().invoke(main, ["--version"]).output.strip() == f"implib, version {__version__}"
    )
    for command in ([], ["gen"], ["inspect"], ["defs"], ["verify"]):
        result = CliRunner().invoke(main, [*command, "--help"])
        assert result.exit_code == 0
        assert "Example" in result.output
        assert len(result.output.splitlines()) <= 40  # one screen


def test_start_up_imports_nothing_heavy() -> None:
    code = (
        "import sys; from implib.cli import main; "
        "heavy = {'httpx', 'pefile', 'uvicorn', 'tomllib', 'implib.coff.writer'} & set(sys.modules); "
        "print(sorted(heavy))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_each_command_is_found_under_its_name_and_imports_only_its_module() -> None:
    """The group loads a command's module when it runs: every name makes its command,
    and ``implib export --help`` imports none of the other commands' modules."""
    from implib.cli.group import COMMANDS

    for name in COMMANDS:
        command = main.get_command(click.Context(main), name)
        assert command is not None and command.name == name
    code = (
        "import json, sys; from implib.cli import entry\n"
        "try: entry(['export', '--help'])\n"
        "except SystemExit: pass\n"
        "print(json.dumps([m for m in sys.modules if m.startswith('implib.cli.')]), file=sys.stderr)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    loaded = json.loads(result.stderr.strip().splitlines()[-1])
    assert "implib.cli.service" in loaded
    assert not {"implib.cli.cross", "implib.cli.defs", "implib.cli.cache", "implib.cli.sdk"} & set(
        loaded
    )


def test_tools_lists_every_backend() -> None:
    result = CliRunner().invoke(main, ["tools"])
    assert result.exit_code == 0
    listing, _, defaults = result.output.partition("without --tool")
    names = [line.split()[0] for line in listing.splitlines() if not line.startswith(" ")]
    assert names == ["builtin", "llvm-dlltool", "lib", "dlltool", "zig"]
    assert [line.split()[:2] for line in defaults.splitlines()[1:]] == [
        ["x86_64-pc-windows-msvc", "builtin"],
        ["x86_64-pc-windows-gnu", "builtin"],
    ]
    payload = json.loads(CliRunner().invoke(main, ["tools", "--json"]).output)
    assert payload[0] == {
        "name": "builtin", "found": True, "path": "implib.coff.writer", "version": __version__,
        "note": "pure Python, always there",
    }  # fmt: skip


def test_public_api_is_lazy_and_complete() -> None:
    import implib

    for name in implib.__all__:
        assert getattr(implib, name) is not None
    with pytest.raises(AttributeError):
        _ = implib.no_such_name  # type: ignore[attr-defined]


def test_defs_list_and_diff() -> None:
    listing = CliRunner().invoke(main, ["defs", "list"]).output.splitlines()
    assert listing[0].split()[:2] == ["abi3", "python3.dll"]
    assert any(line.split()[:2] == ["pypy3.10", "libpypy3.10-c.dll"] for line in listing)
    diff = CliRunner().invoke(main, ["defs", "diff", "3.12", "3.13"])
    assert diff.exit_code == 0
    assert "+ PyLong_AsInt (code)" in diff.output.splitlines()  # new in 3.13
    payload = json.loads(
        CliRunner().invoke(main, ["defs", "diff", "--json", "3.12", "3.13"]).output
    )
    assert "PyLong_AsInt" in str(payload["added"])


def test_defs_diff_of_files(tmp_path: Path) -> None:
    (tmp_path / "a.def").write_text("LIBRARY a.dll\nEXPORTS\n f\n v\n gone\n")
    (tmp_path / "b.def").write_text("LIBRARY a.dll\nEXPORTS\n f\n v DATA\n new\n")
    result = CliRunner().invoke(
        main, ["defs", "diff", str(tmp_path / "a.def"), str(tmp_path / "b.def")]
    )
    assert sorted(result.output.splitlines()) == [
        "+ new (code)",
        "- gone (code)",
        "1 added, 1 removed, 1 changed kind",
        "~ v: code -> data",
    ]


def test_defs_from_dll(tmp_path: Path, pefile_module: object) -> None:
    from support import fetch_embedded_python

    dll = fetch_embedded_python("3.12.0") / "python312.dll"
    out = CliRunner().invoke(main, ["defs", "from-dll", str(dll)])
    assert out.exit_code == 0
    assert out.output.startswith("LIBRARY python312.dll\nEXPORTS\n")
    assert "    PyExc_TypeError DATA\n" in out.output
    written = CliRunner().invoke(
        main, ["defs", "from-dll", str(dll), "-o", str(tmp_path / "x.def")]
    )
    assert written.exit_code == 0
    assert (tmp_path / "x.def").read_text() == out.output
    bad = CliRunner().invoke(main, ["defs", "from-dll", str(DEFS / "kinds.def")])
    assert bad.exit_code == 1
    assert "kinds.def" in bad.output and len(bad.output.strip().splitlines()) == 1


def test_cpython_keeps_its_name_next_to_pypy(tmp_path: Path) -> None:
    """python310.lib is CPython 3.10's, even with PyPy 3.10 (whose alias it is) in the same run."""
    for order in (["-p", "3.10", "-p", "pypy3.10"], ["-p", "pypy3.10", "-p", "3.10"]):
        out = tmp_path / "-".join(order)
        result = CliRunner().invoke(main, ["gen", "-t", "win-amd64", *order, "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert read_import_library(out / "python310.lib").dlls == ["python310.dll"]
        assert read_import_library(out / "libpypy3.10-c.lib").dlls == ["libpypy3.10-c.dll"]


def test_output_folder_that_is_a_device() -> None:
    result = run("gen", "-t", "win-amd64", "--abi3", "--no-cache", "-o", "/dev/null")
    assert result.returncode == 1
    assert result.stderr == "Error: cannot write to /dev/null: it exists and is not a folder\n"


def test_from_dll_into_a_missing_folder_names_the_output(
    tmp_path: Path, pefile_module: object
) -> None:
    from support import fetch_embedded_python

    dll = fetch_embedded_python("3.12.0") / "python3.dll"
    out = tmp_path / "nonexist" / "x.def"
    result = run("defs", "from-dll", str(dll), "-o", str(out))
    assert result.returncode == 1
    assert result.stderr == f"Error: cannot write to {out}: No such file or directory\n"
    assert not (tmp_path / "nonexist").exists()


@pytest.mark.parametrize("library", ["../../evil.dll", "ABS/x.dll", '""', ".."])
def test_a_def_cannot_write_outside_the_output_folder(tmp_path: Path, library: str) -> None:
    work = tmp_path / "work"
    (work / "out" / "sub").mkdir(parents=True)
    (tmp_path / "abs").mkdir()
    (work / "x.def").write_text(
        f"LIBRARY {library.replace('ABS', str(tmp_path / 'abs'))}\nEXPORTS\n f\n"
    )
    result = run(
        "gen", "-t", "win-amd64", "--def", str(work / "x.def"), "-o", str(work / "out" / "sub")
    )
    assert result.returncode == 1
    assert result.stderr.startswith(f"Error: {work / 'x.def'}: LIBRARY ")
    assert "cannot name an output file" in result.stderr
    assert len(result.stderr.splitlines()) == 1
    files = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file())
    assert files == ["work/x.def"]


def test_cpython_keeps_its_name_across_runs(tmp_path: Path) -> None:
    """gen -p 3.10 -o x, then gen -p pypy3.10 -o x: python310.lib stays CPython's, with a note."""
    first = run("gen", "-t", "win-amd64", "-p", "3.10", "-o", str(tmp_path))
    assert first.returncode == 0, first.stderr
    second = run("gen", "-t", "win-amd64", "-p", "pypy3.10", "-o", str(tmp_path))
    assert second.returncode == 0, second.stderr
    assert second.stdout.startswith(f"{tmp_path / 'libpypy3.10-c.lib'}  (libpypy3.10-c.dll")
    assert second.stderr == (
        f"implib: {tmp_path / 'python310.lib'} left as it is: it imports from another DLL "
        "than libpypy3.10-c.dll; write this library into a folder of its own to have that name too\n"
    )
    assert read_import_library(tmp_path / "python310.lib").dlls == ["python310.dll"]
    assert read_import_library(tmp_path / "libpypy3.10-c.lib").dlls == ["libpypy3.10-c.dll"]


# -- what the messages say (issue 22) ------------------------------------------


def test_counts_take_the_right_number(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["gen", "-t", "win-amd64", "--abi3", "-o", str(tmp_path / "g")])
    assert result.exit_code == 0, result.output
    assert runner.invoke(main, ["cache", "list"]).output.splitlines()[-1].startswith("1 entry, ")
    assert runner.invoke(main, ["cache", "verify"]).output == "1 entry checked, 0 bad removed\n"
    assert runner.invoke(main, ["cache", "clear"]).output == "1 entry removed\n"
    assert runner.invoke(main, ["cache", "list"]).output.startswith("0 entries, ")
    site = tmp_path / "site"
    result = runner.invoke(main, ["export", str(site), "-t", "win-amd64", "--abi3"])
    assert result.output.startswith("1 library (1 file, "), result.output


def test_gen_all_writes_and_lists_each_file_once(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["gen", "-t", "win-amd64", "--all", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    listed = [line.split()[0] for line in result.output.splitlines()]
    assert len(listed) == len(set(listed))
    assert sorted(Path(p).name for p in listed) == sorted(p.name for p in tmp_path.iterdir())
    # the file PyPy 3.7 and 3.8 share is the newer one's
    assert read_import_library(tmp_path / "libpypy3-c.lib").dlls == ["libpypy3-c.dll"]


def test_a_huge_argument_is_not_echoed_whole() -> None:
    result = CliRunner().invoke(main, ["gen", "-t", "x" * 100_000, "--abi3"])
    assert result.exit_code == 1
    assert len(result.output) < 1000 and "(100,000 characters)" in result.output
    result = CliRunner().invoke(main, ["gen", "-t", "win-amd64", "-p", "9" * 100_000])
    assert result.exit_code == 1
    assert len(result.output) < 1000, result.output[:300]


def test_env_help_names_only_what_env_reads() -> None:
    env_help = " ".join(CliRunner().invoke(main, ["env", "--help"]).output.split())
    assert "(run)" not in env_help and "maturin's -i" not in env_help
    run_help = " ".join(CliRunner().invoke(main, ["run", "--help"]).output.split())
    assert "the command's --target" in run_help and "maturin's -i" in run_help
