"""The fast paths of ``implib gen`` and ``implib sdk``: the click commands' results,
messages and exit statuses.

Each argument list runs twice in fresh processes, once through the program's
entry (the fast path, when it applies) and once through the click group
itself, each in a folder and a cache of its own; stdout, stderr, the exit
status and every file written must be the same. A fast path's option table
is the one its click command is built from: click's own parameters and
parsing are checked against it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click
import pytest

from implib.argv import click_defaults, click_values
from implib.cli import gen, sdk

ENTRY = "import sys; from implib.cli import entry; entry(sys.argv[1:])"
CLICK = "import sys; from implib.cli.group import main; main(sys.argv[1:], prog_name='implib')"
# The entry, reporting whether click was imported (the fast path avoids it).
PROBE = (
    "import atexit, sys; from implib.cli import entry; "
    "atexit.register(lambda: sys.stderr.write('click imported: %s' % ('click' in sys.modules)));"
    "entry(sys.argv[1:])"
)

#: (argument lists run one after the other in one folder, whether the fast path takes them)
CASES = [
    ([["-t", "win-amd64", "--abi3"]], True),
    ([["--target=x86_64-pc-windows-gnu", "-p", "3.12", "-p", "3.13t", "-o", "libs"]], True),
    ([["-tx86_64-pc-windows-gnu", "-p3.12,pypy3.10", "-olibs"]], True),
    ([["-t", "win32", "--abi3", "--min-python", "3.9"]], True),
    ([["-t", "win32", "--min-python=3.9", "--out-dir=o"]], True),
    ([["-t", "aarch64-pc-windows-msvc", "--abi3t"]], True),
    ([["-t", "x86-windows-gnu", "--abi3", "--abi3t", "-p", "3.15"]], True),
    ([["-t", "win-amd64", "--all", "-o", "all"]], True),
    ([["-t", "win-amd64", "--abi3", "--no-cache"]], True),
    ([["-t", "win-amd64", "--abi3", "--dll-name", "libpython3.dll"]], True),
    ([["-t", "win-amd64", "--abi3", "--tool", "builtin"]], True),
    ([["-t", "win-amd64", "--abi3"], ["-t", "win-amd64", "--abi3"]], True),  # a cache hit
    # CPython 3.10's python310 is kept from PyPy 3.10's alias, with a note
    ([["-t", "x86_64-pc-windows-gnu", "-p", "3.10"], ["-t", "x86_64-pc-windows-gnu", "-p", "pypy3.10"]], True),
    # a set an earlier run wrote for another DLL: refused (the click command says it), then replaced
    ([["-t", "x86_64-pc-windows-gnu", "-p", "3.12"], ["-t", "x86_64-pc-windows-gnu", "-p", "3.12", "--dll-name", "x.dll"]], False),
    ([["-t", "x86_64-pc-windows-gnu", "-p", "3.12"], ["-t", "x86_64-pc-windows-gnu", "-p", "3.12", "--dll-name", "x.dll", "--replace"]], True),
    # what the click command says
    ([["-t", "nope", "--abi3"]], False),
    ([["-t", "win-amd64"]], False),
    ([["-t", "win-amd64", "-p", "2.7"]], False),
    ([["-t", "win-amd64", "-p", "pypy3.5"]], False),
    ([["-t", "win-amd64", "--min-python", "3.99"]], False),
    ([["--abi3"]], False),
    ([["-t"]], False),
    ([["-t", "win-amd64", "--abi3", "extra"]], False),
    ([["-t", "win-amd64", "--abi3", "--tool", "nonesuch"]], False),
    ([["-t", "win-amd64", "--abi3", "-o", "a-file"]], False),
    ([["-t", "win-amd64", "--abi3", "-o", ""]], False),
    ([["-t", "win-amd64", "--abi3", "--def"]], False),
    # what has no meaning is refused, as env refuses it (issue 22)
    ([["-t", "win-amd64", "-p", "3.12", "--min-python", "3.9"]], False),
    ([["-t", "win-amd64", "--all", "--min-python", "3.9"]], False),
    ([["-t", "win-amd64", "--abi3", "--dll-name", ""]], False),
    ([["-t", "win-amd64", "--abi3", "--dll-name="]], False),
    ([["-t", "win-amd64", "--abi3", "--min-python", "3.9", "-p", "3.12"]], True),
    ([["-t", "win-amd64", "--abi3", "-p", "3.12", "--dll-name", "x.dll"]], False),
    ([["-t", "win-amd64", "--all", "--dll-name", "x.dll"]], False),
    ([["-t", "win-amd64", "--abi3", "--nonsense"]], False),
    ([["-t", "-o", "--abi3"]], False),
    ([["--help"]], False),
    ([["-h"]], False),
]  # fmt: skip


def _run(code: str, args: list[str], folder: Path, command: str = "gen") -> tuple[int, str, str]:
    env = {**os.environ, "IMPLIB_CACHE_DIR": str(folder.parent / (folder.name + "-cache"))}
    result = subprocess.run(
        [sys.executable, "-c", code, command, *args],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
    )
    return result.returncode, result.stdout, result.stderr


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.mark.parametrize(
    ("runs", "fast_path"), CASES, ids=[" ".join(c[0][-1]) or "-" for c in CASES]
)
def test_the_fast_path_is_the_click_command(
    tmp_path: Path, runs: list[list[str]], fast_path: bool
) -> None:
    outcomes = {}
    for name, code in (("entry", ENTRY), ("click", CLICK)):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "a-file").write_text("not a folder")
        outcomes[name] = ([_run(code, args, folder) for args in runs], _tree(folder))
    assert outcomes["entry"] == outcomes["click"]
    status = _run(PROBE, runs[-1], tmp_path / "entry")
    assert status[2].endswith(f"click imported: {not fast_path}")


HEAVY = (
    "click", "typing", "dataclasses", "enum", "pathlib", "json", "hashlib", "tempfile", "re",
    "contextlib", "platformdirs", "implib.coff.writer", "implib.coff.deffile",
)  # fmt: skip


def test_a_cache_hit_imports_nothing_heavy(tmp_path: Path) -> None:
    # -I -S: no site, so no .pth file imports anything first; implib is found
    # where this test found it.
    where = str(Path(gen.__file__).resolve().parents[2])
    code = (
        f"import sys, atexit; sys.path.insert(0, {where!r}); from implib.cli import entry; "
        f"atexit.register(lambda: print(sorted(set({HEAVY!r}) & set(sys.modules)), file=sys.stderr)); "
        "entry(sys.argv[1:])"
    )
    env = {**os.environ, "IMPLIB_CACHE_DIR": str(tmp_path / "cache")}
    argv = [sys.executable, "-I", "-S", "-c", code, "gen", "-t", "win-amd64", "--abi3"]
    first = subprocess.run(argv, cwd=tmp_path, env=env, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    assert "'implib.coff.writer'" in first.stderr  # a miss makes the library
    # A miss stays within its budget too: the value types of the gen path are records
    # (implib/records.py), not dataclasses or NamedTuples, and no path is a pathlib.Path.
    for heavy in ("click", "typing", "dataclasses", "pathlib"):
        assert repr(heavy) not in first.stderr, first.stderr
    again = subprocess.run(argv, cwd=tmp_path, env=env, capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    assert again.stderr.strip() == "[]"


def test_an_output_that_holds_the_bytes_is_left_alone(tmp_path: Path) -> None:
    """No write, no fsync, the modification time kept: make and ninja do not relink."""
    args = ["-t", "x86_64-pc-windows-gnu", "-p", "3.12", "-o", "libs"]
    assert _run(ENTRY, args, tmp_path)[0] == 0
    files = sorted((tmp_path / "libs").iterdir())
    old = 1_000_000_000
    for path in files:
        os.utime(path, ns=(old, old))
    for code in (ENTRY, CLICK):  # a cache hit, then the click command
        assert _run(code, args, tmp_path)[0] == 0
        assert [p.stat().st_mtime_ns for p in files] == [old] * len(files)
    # a file with other bytes is replaced, and gets a new time
    files[0].write_bytes(b"damaged")
    os.utime(files[0], ns=(old, old))
    assert _run(ENTRY, args, tmp_path)[0] == 0
    assert files[0].stat().st_mtime_ns != old
    assert files[0].read_bytes() == files[1].read_bytes()


def test_parse_gives_up_on_what_it_does_not_know() -> None:
    assert click_values(["-t", "win32", "--abi3"], gen.OPTIONS) == {
        **click_defaults(gen.OPTIONS), "target": "win32", "abi3": True,
    }  # fmt: skip
    defaults = click_defaults(gen.OPTIONS)
    assert defaults["pythons"] == () and defaults["out_dir"] == "."
    assert click_values(["--abi3"], gen.OPTIONS) is None  # no target: click's message
    assert gen.fast_path(["-t", "win32", "--def", "x.def"]) is None
    assert click_values(["-t", "win32", "-p"], gen.OPTIONS) is None
    assert click_values(["-t", "win32", "-p", "--abi3"], gen.OPTIONS) is None
    assert click_values(["-t", "win32", "--abi3", "--", "x"], gen.OPTIONS) is None


COMMANDS = {"gen": gen, "sdk": sdk}


@pytest.mark.parametrize("name", COMMANDS)
def test_the_table_covers_every_parameter_of_the_click_command(name: str) -> None:
    """Each of click's parameters in the table: name, spellings, flag, multiple, required,
    default; and an option that takes a value refuses to go without one, in both."""
    table = COMMANDS[name].OPTIONS
    command = COMMANDS[name].command()
    # what click passes for an option not given (the required ones aside)
    required = [arg for option in table if option.required for arg in (option.names[0], "x")]
    given = command.make_context(name, list(required)).params
    params = [p for p in command.params if p.name != "help"]
    rows = {option.key: option for option in table}
    defaults = click_defaults(table)
    assert sorted(p.name or "" for p in params) == sorted(rows)
    for param in params:
        assert isinstance(param, click.Option)
        option = rows[param.name or ""]
        assert [*param.opts, *param.secondary_opts] == list(option.names)
        assert param.is_flag == (not option.values), param.name
        assert param.multiple == option.multiple, param.name
        assert param.required == option.required, param.name
        if not option.required:
            assert given[param.name or ""] == defaults[param.name or ""], param.name
        for spelling in option.names if option.values else ():  # given last, without a value
            with pytest.raises(click.BadOptionUsage, match="requires an argument"):
                command.make_context(name, [*required, spelling])
            assert click_values([*required, spelling], table) is None


T = "x86_64-pc-windows-gnu"
#: (command, argument list, whether the fast path reads it)
READS = [("gen", runs[-1], True) for runs, fast_path in CASES if fast_path] + [
    ("sdk", ["-t", T, "-p", "3.13", "-o", "s"], True),
    ("sdk", [f"--target={T}", "--python=3.13t", "--out-dir=s"], True),
    ("sdk", [f"-t{T}", "-p3.13", "-os"], True),
    ("sdk", ["-t", T, "--abi3", "--min-python", "3.9", "-o", "s", "--include", "inc"], True),
    ("sdk", ["-t", T, "--min-python", "3.9", "-o", "s"], True),
    # read, then left to the click command (which prints JSON, or writes the SDK again)
    ("sdk", ["-t", T, "--abi3t", "-o", "s", "--json", "--tool", "zig", "--no-cache"], True),
    ("sdk", ["-t", T, "-p", "3.13", "-o", "s", "-p", "3.14", "-o", "t"], True),  # the last wins
    ("sdk", ["-t", T, "--abi3", "--abi3t", "-o", "s"], True),  # the command's usage error
    ("sdk", ["-t", T, "-p", "3.13"], False),  # no -o: click's message
    ("sdk", ["-p", "3.13", "-o", "s"], False),
    ("sdk", ["-t", T, "-p", "3.13", "-o"], False),
    ("sdk", ["-t", T, "-p", "3.13", "-o", "s", "--include="], False),
    ("sdk", ["-t", T, "-p", "3.13", "-o", "s", "--include", "-x"], False),  # click takes -x
    ("sdk", ["-t", T, "-p", "3.13", "-o", "s", "extra"], False),
    ("sdk", ["-t", T, "-p", "3.13", "-o", "s", "--", "x"], False),
    ("sdk", ["-t", T, "-p", "3.13", "-o", "s", "--nonsense"], False),
    ("sdk", ["-t", T, "-p", "3.13", "-o", "s", "-h"], False),
]


@pytest.mark.parametrize(("name", "args", "reads"), READS)
def test_the_fast_path_reads_what_click_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, args: list[str], reads: bool
) -> None:
    """The values click passes the command, for every argument list the fast path reads;
    the others it leaves to click."""
    monkeypatch.chdir(tmp_path)  # click's checks of -o look at the folder
    parsed = click_values(args, COMMANDS[name].OPTIONS)
    if reads:
        assert parsed == COMMANDS[name].command().make_context(name, list(args)).params
    else:
        assert parsed is None


#: (argument lists run one after the other in one folder, whether the fast path takes the last)
SDK_CASES = [
    ([["-t", T, "-p", "3.13", "-o", "s"]] * 2, True),
    ([["-t", T, "--abi3", "--min-python", "3.9", "-o", "s"],
      [f"--target={T}", "--min-python=3.9", "--abi3", "--out-dir=s"]], True),
    ([["-t", T, "--min-python", "3.9", "-o", "s"]] * 2, True),  # --abi3 implied
    ([["-t", T, "-p", "3.13", "-o", "s"], ["-t", T, "-p", "3.14", "-p", "3.13", "-o", "s"]], True),
    # the click command's: what the stamp does not answer
    ([["-t", T, "-p", "3.13", "-o", "s"]], False),  # the first call
    ([["-t", T, "-p", "3.13", "-o", "s"], ["-t", T, "-p", "3.13", "-o", "s", "-p", "3.14"]], False),
    ([["-t", T, "-p", "3.13", "-o", "s"], ["-t", T, "-p", "3.13", "-o", "s", "--json"]], False),
    ([["-t", T, "-p", "3.13", "-o", "s"], ["-t", T, "-p", "3.13", "-o", "s", "--tool", "builtin"]], False),
    ([["-t", T, "-p", "3.13", "-o", "s"], ["-t", T, "-p", "3.13", "-o", "s", "--no-cache"]], False),
    ([["-t", T, "-p", "3.13", "-o", "s"], ["-t", T, "-p", "3.13", "-o", "s", "--", "x"]], False),
    ([["-t", T, "-p", "3.13", "-o", "s"], ["-t", T, "-p", "3.13", "-o", "s", "--abi3"]], False),
    ([["-t", T, "-p", "3.13", "-o", "s"], ["-t", T, "-p", "3.13", "-o", "s", "--include"]], False),
    ([["-t", T, "-p", "3.13", "-o", "s"], ["-t", T, "-p", "3.13", "-o", "s", "--include="]], False),
    ([["-t", T, "--abi3", "--abi3t", "-o", "s"]], False),
    ([["-t", T, "-o", "s"]], False),
    ([["-t", T, "-p", "3.13"]], False),
]  # fmt: skip


@pytest.mark.parametrize(
    ("runs", "fast_path"), SDK_CASES, ids=[" ".join(c[0][-1]) for c in SDK_CASES]
)
def test_the_sdk_fast_path_is_the_click_command(
    tmp_path: Path, runs: list[list[str]], fast_path: bool
) -> None:
    """As gen's, the last call through the entry saying whether it imported click; the
    folder's own path (printed, and in meson's build details) said as <here>."""
    outcomes = {}
    for name, code in (("entry", ENTRY), ("click", CLICK)):
        folder = tmp_path / name
        folder.mkdir()
        said = [_run(code, args, folder, "sdk") for args in runs[:-1]]
        status, out, err = _run(PROBE if name == "entry" else code, runs[-1], folder, "sdk")
        if name == "entry":
            err, _, imported = err.rpartition("click imported: ")
            assert imported == str(not fast_path)
        said.append((status, out, err))
        tree = {
            path: data.replace(bytes(folder), b"<here>") for path, data in _tree(folder).items()
        }
        outcomes[name] = (str(said).replace(str(folder), "<here>"), tree)
    assert outcomes["entry"] == outcomes["click"]


@pytest.mark.parametrize(
    ("args", "popen"),
    [
        # stdout closed: click's echo says nothing and the status is 0
        (["-t", "win-amd64", "--abi3"], {"stdout": subprocess.DEVNULL, "stderr": subprocess.PIPE}),
        # escapes in a name: click strips them from output that is not a terminal
        (["-t", "win-amd64", "--abi3", "--dll-name", "\x1b[31mred.dll"],
         {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE}),
        # a name the output's encoding cannot hold
        (["-t", "win-amd64", "--abi3", "-o", "caf\u00e9"],
         {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE,
          "env_extra": {"PYTHONIOENCODING": "ascii"}}),
    ],
)  # fmt: skip
def test_streams_as_click_leaves_them(
    tmp_path: Path, args: list[str], popen: dict[str, object]
) -> None:
    extra = popen.pop("env_extra", {})
    outcomes = []
    for name, code in (("entry", ENTRY), ("click", CLICK)):
        folder = tmp_path / name
        folder.mkdir()
        env = {**os.environ, "IMPLIB_CACHE_DIR": str(tmp_path / f"{name}-cache"), **extra}  # type: ignore[dict-item]
        result = subprocess.run(  # type: ignore[call-overload]
            [sys.executable, "-c", code, "gen", *args], cwd=folder, env=env, **popen
        )
        outcomes.append((result.returncode, result.stdout, result.stderr, _tree(folder)))
    assert outcomes[0] == outcomes[1]


def test_a_full_disk_is_one_line(tmp_path: Path) -> None:
    for code in (ENTRY, CLICK):
        with open("/dev/full", "w") as full:
            result = subprocess.run(
                [sys.executable, "-c", code, "gen", "-t", "win-amd64", "--abi3"],
                cwd=tmp_path, stdout=full, stderr=subprocess.PIPE, text=True,
            )  # fmt: skip
        assert result.returncode == 1, result.stderr
        assert result.stderr == "Error: cannot write the output: No space left on device\n"


def test_a_dll_name_with_a_folder_is_refused(tmp_path: Path) -> None:
    for code in (ENTRY, CLICK):
        status, out, err = _run(
            code, ["-t", "win-amd64", "-p", "3.12", "--dll-name", "../x.dll"], tmp_path
        )
        assert (status, out) == (1, "")
        assert (
            err
            == "Error: DLL name '../x.dll' cannot name an output file: only a plain file name is allowed (no folders, no control characters)\n"
        )
    assert _tree(tmp_path) == {}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-p", "3.12", "--min-python", "3.9"], "--min-python narrows --abi3 or --abi3t"),
        (["--abi3", "--dll-name", ""], "Invalid value for '--dll-name': empty"),
        (["--min-python", "3.9", "--def", "x.def"], "--min-python narrows --abi3 or --abi3t"),
    ],
)
def test_options_without_meaning_are_refused_in_one_line(
    tmp_path: Path, args: list[str], message: str
) -> None:
    for code in (ENTRY, CLICK):
        status, out, err = _run(code, ["-t", "win-amd64", *args], tmp_path)
        assert (status, out) == (2, ""), err
        assert err.splitlines()[-1].startswith(f"Error: {message}"), err
        assert list(tmp_path.iterdir()) == []  # nothing written


def test_one_dll_name_for_several_libraries_is_refused(tmp_path: Path) -> None:
    for code in (ENTRY, CLICK):
        args = ["-t", "win-amd64", "--abi3", "-p", "3.12", "--dll-name", "x.dll"]
        status, out, err = _run(code, args, tmp_path)
        assert (status, out) == (1, "")
        assert err == (
            "Error: --dll-name names one DLL: give one Python build or --def with it, not 2\n"
        )
        assert list(tmp_path.iterdir()) == []
