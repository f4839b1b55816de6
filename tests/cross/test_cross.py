"""Cross builds: ``implib env``, ``implib run`` and :func:`implib.cross.prepare`.

The ``run`` tests start implib as a real process, so that what is checked is
what a build sees: its environment, stdin/stdout and exit status. A stand-in
for cargo/maturin (tests/data/ext/pyo3_standin.py) then links the way PyO3's
build links, with the real linkers, against what implib wrote, for the
targets the real Rust toolchain of the test machine cannot build for (MSVC,
i686, aarch64, gnullvm: Debian has only x86_64-pc-windows-gnu's standard
library). x86_64-pc-windows-gnu itself is built by the real cargo and maturin
in tests/cross/test_recipes.py.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from implib.api import generate as implib_generate
from implib.cli import main
from implib.coff.reader import read_import_library
from implib.cross import prepare
from implib.cross.command import target_from_command
from implib.cross.crossbuild import link_flags
from implib.cross.pyo3 import build_from_pyo3_env, pyo3_variables
from implib.cross.shells import append_github_env, format_env
from implib.pythons import PythonError, parse_python
from implib.targets import Flavour, Target, TargetError, windows_target

from linking import PROBE_C, PROBE_IMPORTS, PYPY_PROBE_C, PYPY_PROBE_IMPORTS, dll_imports
from support import DATA, ROOT, require_tool, static_site

EXT = DATA / "ext"
STANDIN = EXT / "pyo3_standin.py"


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No cross variables from the developer's shell; a cache of the test's own."""
    for name in list(os.environ):
        if name.startswith(("PYO3_", "IMPLIB_", "CARGO_BUILD_TARGET", "GITHUB_ENV")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("IMPLIB_CACHE_DIR", str(tmp_path / "cache"))


# -- targets ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "triple"),
    [
        ("x86_64-pc-windows-msvc", "x86_64-pc-windows-msvc"),
        ("aarch64-pc-windows-gnullvm", "aarch64-pc-windows-gnullvm"),
        ("win-amd64", "x86_64-pc-windows-msvc"),
        ("x86_64-w64-mingw32", "x86_64-pc-windows-gnu"),
        ("x86_64-windows-gnu", "x86_64-pc-windows-gnu"),  # zig's spelling
        ("x86-windows-msvc", "i686-pc-windows-msvc"),
        ("aarch64-windows-msvc", "aarch64-pc-windows-msvc"),
    ],
)
def test_windows_target(name: str, triple: str) -> None:
    target = windows_target(name)
    assert target is not None and target.triple == triple


@pytest.mark.parametrize(
    "name",
    [
        "x86_64-unknown-linux-gnu",
        "aarch64-apple-darwin",
        "wasm32-wasip1",
        "x86_64-linux-android",
        "",
        " ",
    ],
)
def test_non_windows_target(name: str) -> None:
    assert windows_target(name) is None


@pytest.mark.parametrize(
    "name",
    ["x86_64-uwp-windows-msvc", "arm64ec-pc-windows-msvc", "armv7-w64-mingw32", "win-amd46", "foo"],
)
def test_unsupported_or_unknown_target(name: str) -> None:
    with pytest.raises(TargetError, match="valid targets"):
        windows_target(name)


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (
            ["cargo", "build", "--release", "--target", "x86_64-pc-windows-gnu"],
            "x86_64-pc-windows-gnu",
        ),
        (["maturin", "build", "--target=aarch64-pc-windows-msvc"], "aarch64-pc-windows-msvc"),
        (["cargo", "zigbuild", "--target", "x86_64-pc-windows-gnu"], "x86_64-pc-windows-gnu"),
        (
            ["cargo", "xwin", "build", "--target", "x86_64-pc-windows-msvc"],
            "x86_64-pc-windows-msvc",
        ),
        (["zig", "cc", "-target", "x86_64-windows-gnu", "a.c"], "x86_64-windows-gnu"),
        (["cargo", "build"], None),
        # After --, arguments belong to rustc or a test binary.
        (["cargo", "run", "--", "--target", "x86_64-pc-windows-msvc"], None),
        # The same target twice is one target.
        (["cargo", "build", "--target", "win-amd64", "--target=win-amd64"], "win-amd64"),
    ],
)
def test_target_from_command(argv: list[str], expected: str | None) -> None:
    assert target_from_command(argv, {}) == expected


def test_target_from_cargo_build_target() -> None:
    env = {"CARGO_BUILD_TARGET": "i686-pc-windows-msvc"}
    assert target_from_command(["cargo", "build"], env) == "i686-pc-windows-msvc"
    # The command's own --target wins, as with cargo.
    assert target_from_command(["cargo", "build", "--target", "x"], env) == "x"


def test_several_targets_refused() -> None:
    argv = [
        "cargo",
        "build",
        "--target",
        "x86_64-pc-windows-msvc",
        "--target",
        "i686-pc-windows-msvc",
    ]
    with pytest.raises(TargetError, match="several targets"):
        target_from_command(argv, {})


# -- variables ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "version", "implementation"),
    [
        ("abi3-3.9", "3.9", "CPython"),
        ("3.12", "3.12", "CPython"),
        ("3.13t", "3.13t", "CPython"),
        ("pypy3.10", "3.10", "PyPy"),
    ],
)
def test_pyo3_variables(spec: str, version: str, implementation: str) -> None:
    assert pyo3_variables(parse_python(spec), "/libs") == {
        "PYO3_CROSS_LIB_DIR": "/libs",
        "PYO3_CROSS_PYTHON_VERSION": version,
        "PYO3_CROSS_PYTHON_IMPLEMENTATION": implementation,
    }


def test_pyo3_version_for_abi3_is_the_newest_cpython() -> None:
    from implib.exportlists import available_builds

    newest = max(b.version for b in available_builds() if b.kind.value == "cpython" and b.version)
    env = pyo3_variables(parse_python("abi3"), "/libs")
    assert env["PYO3_CROSS_PYTHON_VERSION"] == f"{newest[0]}.{newest[1]}"


@pytest.mark.parametrize(
    ("environ", "spec"),
    [
        ({}, None),
        ({"PYO3_CROSS_PYTHON_VERSION": "3.12"}, "3.12"),
        ({"PYO3_CROSS_PYTHON_VERSION": "3.13t"}, "3.13t"),
        (
            {"PYO3_CROSS_PYTHON_VERSION": "3.10", "PYO3_CROSS_PYTHON_IMPLEMENTATION": "PyPy"},
            "pypy3.10",
        ),
    ],
)
def test_build_from_pyo3_env(environ: dict[str, str], spec: str | None) -> None:
    build = build_from_pyo3_env(environ)
    assert (build.spec if build else None) == spec


def test_build_from_pyo3_env_unknown_implementation() -> None:
    environ = {"PYO3_CROSS_PYTHON_VERSION": "3.10", "PYO3_CROSS_PYTHON_IMPLEMENTATION": "GraalPy"}
    with pytest.raises(PythonError, match="CPython and PyPy"):
        build_from_pyo3_env(environ)


def test_link_flags() -> None:
    libs = Path("/l")
    assert link_flags(Target("x86_64", Flavour.GNU), libs, "python3") == ("-L/l", "-lpython3")
    assert link_flags(Target("aarch64", Flavour.GNULLVM), libs, "python3") == ("-L/l", "-lpython3")
    assert link_flags(Target("x86_64", Flavour.MSVC), libs, "python312") == ("/l/python312.lib",)


# -- prepare ------------------------------------------------------------------------------


def test_prepare_msvc_version(tmp_path: Path) -> None:
    build = prepare("x86_64-pc-windows-msvc", "3.12", tmp_path / "libs")
    assert build.lib_dir == (tmp_path / "libs").absolute()
    # python3.lib too: PyO3 links it for an abi3 crate whatever the version says.
    assert build.lib_names == ("python312.lib", "python3.lib")
    # build-details.json: what maturin reads for a version-specific build.
    files = ["build-details.json", "python3.lib", "python312.lib"]
    assert sorted(p.name for p in build.lib_dir.iterdir()) == files
    assert build.build_details == build.lib_dir / "build-details.json"
    assert build.library == build.lib_dir / "python312.lib"
    assert build.link_name == "python312" and build.dll == "python312.dll"
    assert build.link_flags == (str(build.library),)
    assert build.env["PYO3_CROSS_LIB_DIR"] == str(build.lib_dir)
    assert build.env["IMPLIB_LDFLAGS"] == str(build.library)
    assert read_import_library(build.library).dlls == ["python312.dll"]


def test_prepare_gnu_abi3(tmp_path: Path) -> None:
    build = prepare("x86_64-pc-windows-gnu", "abi3", tmp_path)
    assert build.lib_names == ("python3.dll.a",)
    assert build.link_flags == (f"-L{tmp_path}", "-lpython3")
    assert build.env["IMPLIB_LDFLAGS"] == f"-L{tmp_path} -lpython3"
    assert build.env["IMPLIB_LIB_NAME"] == "python3"
    assert build.build_details is None  # abi3 is not one Python: maturin needs none
    assert not (tmp_path / "build-details.json").exists()


def test_prepare_freethreaded_and_pypy(tmp_path: Path) -> None:
    ft = prepare("x86_64-pc-windows-msvc", "3.13t", tmp_path / "ft")
    assert ft.lib_names == ("python313t.lib",) and ft.env["PYO3_CROSS_PYTHON_VERSION"] == "3.13t"
    pypy = prepare("x86_64-pc-windows-gnu", "pypy3.10", tmp_path / "pypy")
    assert pypy.lib_names == ("libpypy3.10-c.dll.a", "python310.dll.a")
    assert pypy.link_name == "libpypy3.10-c" and pypy.dll == "libpypy3.10-c.dll"
    assert pypy.env["PYO3_CROSS_PYTHON_IMPLEMENTATION"] == "PyPy"
    assert ft.build_details is not None and pypy.build_details is None


def test_prepare_msys2_dll_name(tmp_path: Path) -> None:
    build = prepare("x86_64-pc-windows-gnu", "3.12", tmp_path, dll_name="libpython3.12.dll")
    # Both GNU names, no python3 (MSYS2 has no python3.dll), all importing the renamed DLL.
    assert build.lib_names == ("python312.dll.a", "python3.12.dll.a")
    assert build.dll == "libpython3.12.dll"
    assert build.build_details is None  # MSYS2's CPython has other suffixes and platform
    for name in build.lib_names:
        assert read_import_library(tmp_path / name).dlls == ["libpython3.12.dll"]


def test_prepare_default_folder_is_stable_and_in_the_cache(tmp_path: Path) -> None:
    first = prepare("win-amd64", "abi3")
    second = prepare("x86_64-pc-windows-msvc", parse_python("abi3"))
    assert first.lib_dir == second.lib_dir
    assert first.lib_dir.is_relative_to(tmp_path / "cache")
    renamed = prepare("x86_64-pc-windows-gnu", "3.12", dll_name="libpython3.12.dll")
    plain = prepare("x86_64-pc-windows-gnu", "3.12")
    assert renamed.lib_dir != plain.lib_dir  # different bytes, different folders


def test_prepare_refuses_non_windows(tmp_path: Path) -> None:
    with pytest.raises(TargetError, match="not a Windows target"):
        prepare("x86_64-unknown-linux-gnu", "abi3", tmp_path)


# -- formats ------------------------------------------------------------------------------

TRICKY = {"PLAIN": "/a/b", "SPACES": "/a b/c d", "QUOTES": 'it\'s "x" $HOME `id` \\n'}


def test_sh_format_round_trips_through_bash(tmp_path: Path) -> None:
    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("bash not found")
    script = format_env(TRICKY, "sh") + 'printf "%s\\0" "$PLAIN" "$SPACES" "$QUOTES"'
    out = subprocess.run([bash, "-c", script], capture_output=True, check=True).stdout
    assert out.decode().split("\0")[:-1] == list(TRICKY.values())


def test_fish_and_powershell_quoting() -> None:
    fish = format_env({"A": "it's \\ x"}, "fish")
    assert fish == "set -gx A 'it\\'s \\\\ x'\n"
    ps = format_env({"A": "it's $x"}, "powershell")
    assert ps == "$env:A = 'it''s $x'\n"


def test_github_format(tmp_path: Path) -> None:
    github_env = tmp_path / "github_env"
    github_env.write_text("EARLIER=1\n")
    path = append_github_env({"A": "/x y", "B": "two\nlines"}, {"GITHUB_ENV": str(github_env)})
    assert path == github_env
    lines = github_env.read_text().splitlines()
    assert lines[:2] == ["EARLIER=1", "A=/x y"]
    assert lines[2].startswith("B<<") and lines[3:5] == ["two", "lines"]
    assert lines[5] == lines[2][3:]  # the closing delimiter
    with pytest.raises(RuntimeError, match="GITHUB_ENV is not set"):
        append_github_env({"A": "1"}, {})


def test_unknown_format() -> None:
    with pytest.raises(ValueError, match="unknown format"):
        format_env({"A": "1"}, "cmd")


# -- implib env ---------------------------------------------------------------------------


def _env(*args: str, **environ: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["env", *args], env=environ or None)
    return result.exit_code, result.stdout, result.stderr


def test_env_sh(tmp_path: Path) -> None:
    code, out, _ = _env("-t", "x86_64-pc-windows-gnu", "-p", "3.12", "-o", str(tmp_path))
    assert code == 0
    assert f"export PYO3_CROSS_LIB_DIR={tmp_path}\n" in out
    assert "export PYO3_CROSS_PYTHON_VERSION=3.12\n" in out
    assert "export PYO3_CROSS_PYTHON_IMPLEMENTATION=CPython\n" in out
    assert f"export IMPLIB_LDFLAGS='-L{tmp_path} -lpython312'\n" in out
    assert (tmp_path / "python312.dll.a").is_file() and (tmp_path / "python3.12.dll.a").is_file()


def test_env_json() -> None:
    code, out, _ = _env("--target", "win-amd64", "--abi3", "--min-python", "3.9", "-f", "json")
    assert code == 0
    data = json.loads(out)
    assert data["target"] == "x86_64-pc-windows-msvc" and data["python"] == "abi3-3.9"
    assert data["lib_names"] == ["python3.lib"]
    assert data["env"]["PYO3_CROSS_PYTHON_VERSION"] == "3.9"
    assert data["link_flags"] == [data["library"]]
    assert Path(data["library"]).is_file()


def test_env_github(tmp_path: Path) -> None:
    github_env = tmp_path / "github_env"
    code, _, err = _env(
        "-t", "aarch64-pc-windows-msvc", "--abi3", "-f", "github", GITHUB_ENV=str(github_env)
    )
    assert code == 0, err
    written = dict(line.split("=", 1) for line in github_env.read_text().splitlines())
    assert written["PYO3_CROSS_PYTHON_IMPLEMENTATION"] == "CPython"
    assert Path(written["PYO3_CROSS_LIB_DIR"], "python3.lib").is_file()
    assert "appended to" in err


def test_env_follows_pyo3_and_cargo_variables() -> None:
    code, out, _ = _env(
        "-f",
        "json",
        PYO3_CROSS_PYTHON_VERSION="3.10",
        PYO3_CROSS_PYTHON_IMPLEMENTATION="PyPy",
        CARGO_BUILD_TARGET="x86_64-pc-windows-gnu",
    )
    assert code == 0
    data = json.loads(out)
    assert data["python"] == "pypy3.10" and data["target"] == "x86_64-pc-windows-gnu"


def test_env_non_windows_sets_nothing() -> None:
    code, out, err = _env("-t", "x86_64-unknown-linux-gnu", "--abi3")
    assert (code, out) == (0, "")
    assert "not a Windows target" in err
    code, out, _ = _env("-t", "x86_64-unknown-linux-gnu", "--abi3", "-f", "json")
    assert json.loads(out) == {"windows": False, "target": "x86_64-unknown-linux-gnu", "env": {}}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-t", "x86_64-pc-windows-msvd", "--abi3"], "unknown target 'x86_64-pc-windows-msvd'"),
        (["-t", "win-amd64", "-p", "3.99"], "no export list for Python 3.99"),
        (["-t", "win-amd64", "-p", "python3"], "unknown Python build 'python3'"),
        (["-t", "win-amd64", "--abi3", "-p", "3.12"], "--abi3 or --python, not both"),
        (["-t", "win-amd64"], "say which Python"),
        (["--abi3"], "give --target"),
        (["-t", "win-amd64", "--abi3", "-f", "github"], "GITHUB_ENV is not set"),
    ],
)
def test_env_errors(args: list[str], message: str) -> None:
    code, out, err = _env(*args)
    assert code in (1, 2) and out == ""
    assert message in err


# -- implib run ---------------------------------------------------------------------------

#: A build command that shows what it was given, and exits with a chosen status.
PROBE_COMMAND = r"""
import json, os, sys
data = sys.stdin.read()
sys.stdout.write("out:" + data.upper())
json.dump(dict(os.environ), open(sys.argv[1], "w"))
sys.exit(int(sys.argv[2]))
"""


def _environ(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment implib runs in: this checkout's implib, whatever else is installed."""
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    return {**os.environ, "PYTHONPATH": path, **(extra or {})}


def _implib(
    *args: str, stdin: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "implib", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=_environ(env),
        timeout=120,
    )


def _probe_command(tmp_path: Path, status: int, *extra: str) -> tuple[list[str], Path]:
    script = tmp_path / "probe_command.py"
    script.write_text(PROBE_COMMAND)
    seen = tmp_path / "seen.json"
    return [sys.executable, str(script), str(seen), str(status), *extra], seen


def test_run_non_windows_passes_through(tmp_path: Path) -> None:
    argv, seen = _probe_command(tmp_path, 7, "--target", "x86_64-unknown-linux-gnu")
    result = _implib("run", "--abi3", "--", *argv, stdin="hello\n")
    assert result.returncode == 7  # the command's status
    assert result.stdout == "out:HELLO\n"  # stdin in, stdout out, untouched
    assert json.loads(seen.read_text()) == _environ()  # its environment untouched
    assert "not a Windows target; running the command unchanged" in result.stderr


def test_run_host_build_passes_through(tmp_path: Path) -> None:
    argv, seen = _probe_command(tmp_path, 0)
    result = _implib("run", "-p", "3.12", "--", *argv)
    assert result.returncode == 0 and json.loads(seen.read_text()) == _environ()


def test_run_sets_variables_and_keeps_stdio(tmp_path: Path) -> None:
    argv, seen = _probe_command(tmp_path, 3, "--target=x86_64-pc-windows-gnu")
    result = _implib("run", "-p", "3.13", "-o", str(tmp_path / "libs"), "--", *argv, stdin="abc")
    assert result.returncode == 3 and result.stdout == "out:ABC"
    env = json.loads(seen.read_text())
    assert env["PYO3_CROSS_LIB_DIR"] == str(tmp_path / "libs")
    assert env["PYO3_CROSS_PYTHON_VERSION"] == "3.13"
    assert env["IMPLIB_LDFLAGS"] == f"-L{tmp_path / 'libs'} -lpython313"


def test_run_reads_cargo_build_target(tmp_path: Path) -> None:
    argv, seen = _probe_command(tmp_path, 0)
    result = _implib("run", "--abi3", "--", *argv, env={"CARGO_BUILD_TARGET": "win-arm64"})
    assert result.returncode == 0, result.stderr
    env = json.loads(seen.read_text())
    assert env["IMPLIB_TARGET"] == "aarch64-pc-windows-msvc"
    assert Path(env["PYO3_CROSS_LIB_DIR"], "python3.lib").is_file()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--abi3", "--", "--target", "x86_64-pc-windows-msvd"], "unknown target"),
        (["--abi3", "--", "--target", "thumbv7a-pc-windows-msvc"], "unknown target"),
        (["-t", "nonsense", "--abi3", "--"], "unknown target 'nonsense'"),
        (
            ["-p", "3.99", "--", "--target", "x86_64-pc-windows-msvc"],
            "no export list for Python 3.99",
        ),
        (["-p", "cp3x", "--"], "unknown Python build"),
        (["--", "--target", "x86_64-pc-windows-msvc"], "say which Python"),
        (["--abi3", "--", "--target", "win32", "--target", "win-amd64"], "several targets"),
    ],
)
def test_run_fails_before_the_command(tmp_path: Path, args: list[str], message: str) -> None:
    marker = tmp_path / "ran"
    command = [sys.executable, "-c", f"open({str(marker)!r}, 'w')"]
    split = args.index("--") + 1
    argv = [*args[:split], *command, *args[split:]]
    result = _implib("run", *argv)
    assert result.returncode != 0
    assert message in result.stderr
    assert not marker.exists()


def test_run_missing_command() -> None:
    result = _implib("run", "--abi3", "--", "implib-no-such-command", "--target", "win-amd64")
    assert result.returncode == 127
    assert "command not found: implib-no-such-command" in result.stderr


# -- implib run, with the links PyO3's build makes ----------------------------------------


def _standin_tools(target: str) -> None:
    """The real tools the stand-in drives for ``target``: skip, or fail in CI."""
    arch, _, _, env = target.split("-")
    tools = {"msvc": ["clang", "lld-link"], "gnu": [f"{arch}-w64-mingw32-gcc"]}
    for tool in tools.get(env, ["clang", "ld.lld"]):
        require_tool(tool)


def run_standin(
    tmp_path: Path,
    implib_args: list[str],
    command: list[str],
    *,
    abi3_crate: bool,
    pypy: bool = False,
    env: dict[str, str] | None = None,
) -> dict[str, object]:
    """``implib run IMPLIB_ARGS -- <stand-in> COMMAND``; the stand-in's report."""
    probe = tmp_path / "probe.c"
    probe.write_text(PYPY_PROBE_C if pypy else PROBE_C)
    reports = tmp_path / "reports"
    reports.mkdir()
    environ = {
        "STANDIN_ABI3": "1" if abi3_crate else "0",
        "STANDIN_PROBE": str(probe),
        "STANDIN_REPORTS": str(reports),
        **(env or {}),
    }
    argv = ["run", *implib_args, "--", sys.executable, str(STANDIN), *command]
    result = _implib(*argv, env=environ)
    assert result.returncode == 0, result.stderr
    data: dict[str, object] = json.loads((reports / "0.json").read_text())
    return data


@pytest.mark.parametrize(
    ("target", "selection", "abi3_crate", "lib_name", "dll"),
    [
        ("x86_64-pc-windows-msvc", ["--abi3"], True, "python3", "python3.dll"),
        ("x86_64-pc-windows-msvc", ["-p", "3.12"], False, "python312", "python312.dll"),
        # An abi3 crate given a version: PyO3 still links python3, which implib also wrote.
        ("x86_64-pc-windows-msvc", ["-p", "3.12"], True, "python3", "python3.dll"),
        ("x86_64-pc-windows-msvc", ["-p", "3.13t"], False, "python313t", "python313t.dll"),
        ("i686-pc-windows-msvc", ["--abi3", "--min-python", "3.9"], True, "python3", "python3.dll"),
        ("aarch64-pc-windows-msvc", ["-p", "3.13"], False, "python313", "python313.dll"),
        ("i686-pc-windows-gnu", ["-p", "3.11"], False, "python311", "python311.dll"),
        ("aarch64-pc-windows-gnullvm", ["--abi3"], True, "python3", "python3.dll"),
    ],
)
def test_run_links_like_pyo3(
    pefile_module: object,
    tmp_path: Path,
    target: str,
    selection: list[str],
    abi3_crate: bool,
    lib_name: str,
    dll: str,
) -> None:
    _standin_tools(target)
    report = run_standin(
        tmp_path, selection, ["build", "--release", "--target", target], abi3_crate=abi3_crate
    )
    assert report["lib_name"] == lib_name
    env = report["env"]
    assert isinstance(env, dict)
    lib_dir = env["PYO3_CROSS_LIB_DIR"]
    link = report["link"]
    assert isinstance(link, list)
    if target.endswith("msvc"):  # rustc: /LIBPATH:DIR NAME.lib
        assert link[-2:] == [f"/LIBPATH:{lib_dir}", f"{lib_name}.lib"]
    else:  # rustc: -L DIR -l NAME
        assert link[-4:] == ["-L", lib_dir, "-l", lib_name]
    imports = dll_imports(Path(str(report["dll"])))
    assert imports[dll] == PROBE_IMPORTS


def test_run_links_like_pyo3_pypy(pefile_module: object, tmp_path: Path) -> None:
    # A stand-in even on x86_64-pc-windows-gnu: Debian's PyO3 0.17 links PyPy as
    # python310 (the alias implib also writes); newer PyO3 links libpypy3.10-c.
    _standin_tools("x86_64-pc-windows-gnu")
    report = run_standin(
        tmp_path,
        ["-p", "pypy3.10"],
        ["build", "--target=x86_64-pc-windows-gnu"],
        abi3_crate=False,
        pypy=True,
    )
    assert report["lib_name"] == "libpypy3.10-c"
    assert dll_imports(Path(str(report["dll"])))["libpypy3.10-c.dll"] == PYPY_PROBE_IMPORTS


def test_run_links_like_pyo3_from_cargo_build_target(pefile_module: object, tmp_path: Path) -> None:
    _standin_tools("x86_64-pc-windows-msvc")
    report = run_standin(
        tmp_path,
        [],  # the Python build from PYO3_CROSS_PYTHON_VERSION, the target from cargo's variable
        ["build"],
        abi3_crate=False,
        env={"CARGO_BUILD_TARGET": "x86_64-pc-windows-msvc", "PYO3_CROSS_PYTHON_VERSION": "3.11"},
    )
    assert report["lib_name"] == "python311"
    assert dll_imports(Path(str(report["dll"])))["python311.dll"] == PROBE_IMPORTS


# -- libraries from an implib server ------------------------------------------------------


@pytest.fixture
def static_server(tmp_path: Path) -> Iterator[str]:
    """A static ``implib export`` of two libraries, served over HTTP on loopback."""
    pytest.importorskip("httpx")
    from implib.service.site import write_site

    root = tmp_path / "export"
    builds = [parse_python("3.12"), parse_python("abi3")]
    write_site(root, [Target("x86_64", Flavour.MSVC)], builds)
    with static_site(root) as base:
        yield base


def test_prepare_fetches_from_a_server(tmp_path: Path, static_server: str) -> None:
    build = prepare("x86_64-pc-windows-msvc", "3.12", tmp_path / "libs", server=static_server)
    assert "2 from http://127.0.0.1" in build.origin and "sha256 checked" in build.origin
    assert build.lib_names == ("python312.lib", "python3.lib")
    local = prepare("x86_64-pc-windows-msvc", "3.12", tmp_path / "local")
    for name in build.lib_names:
        assert (build.lib_dir / name).read_bytes() == (local.lib_dir / name).read_bytes()


def test_env_reads_implib_server(tmp_path: Path, static_server: str) -> None:
    code, out, err = _env(
        "-t", "win-amd64", "--abi3", "-f", "json", "-o", str(tmp_path), IMPLIB_SERVER=static_server
    )
    assert code == 0, err
    assert "from http://127.0.0.1" in err
    assert json.loads(out)["lib_names"] == ["python3.lib"]


def test_prepare_renamed_dll_is_never_fetched(tmp_path: Path) -> None:
    # No server listens there: a renamed DLL's libraries are generated, not fetched.
    build = prepare(
        "x86_64-pc-windows-gnu",
        "3.12",
        tmp_path,
        dll_name="libpython3.12.dll",
        server="http://127.0.0.1:9",
    )
    assert build.origin == "generated"


def test_prepare_on_a_full_disk_leaves_no_half_set(
    tmp_path: Path, mount_of: Callable[[int], Path]
) -> None:
    """prepare() shares gen's writer: every library of the build, or none, and no new folder."""
    from implib.errors import OutputError

    size = len(
        implib_generate("x86_64-pc-windows-gnu", "3.12", tmp_path / "sizes").path.read_bytes()
    )
    disk = mount_of(size * 3 // 2)
    with pytest.raises(OutputError, match="No space left on device"):
        prepare("x86_64-pc-windows-gnu", "3.12", disk / "new" / "libs")
    assert list(disk.iterdir()) == []
