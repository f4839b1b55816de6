"""PyO3 0.29's raw-dylib: what `implib run` decides, and the dlltool it gives rustc.

The decisions are tabled from PyO3's own record (0.29.0 switched to
raw-dylib for its standard names, 0.29.1 added ``PYO3_USE_RAW_DYLIB=0``,
0.29.3 fixed that opt-out on 32-bit x86); the rustflags are checked against
what the real cargo passes to rustc (``cargo build -v``); and a real rustc
1.63 raw-dylib build for x86_64-pc-windows-gnu runs implib as its dlltool,
GNU ld links the DLL, and llvm-readobj-19 reads its import table back.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from implib.cross.rawdylib import Decision, decide, pyo3_version, raw_dylib_name
from implib.cross.rustflags import rustflags_with, wanted_dlltool
from implib.errors import ConfigError
from implib.targets import parse_target

from support import DATA, ROOT, require_tool

GNU64 = parse_target("x86_64-pc-windows-gnu")
GNU32 = parse_target("i686-pc-windows-gnu")
MSVC = parse_target("x86_64-pc-windows-msvc")
LLVM = parse_target("x86_64-pc-windows-gnullvm")
OPT_OUT = {"PYO3_USE_RAW_DYLIB": "0"}

# -- the decision, as a table ----------------------------------------------------------------

RAW, LIBRARY, OPTED = "raw-dylib", "library", "library, PYO3_USE_RAW_DYLIB=0 set"


@pytest.mark.parametrize(
    ("version", "environ", "dll", "target", "expected"),
    [
        (None, {}, "python3.dll", GNU64, LIBRARY),  # no PyO3: a C build
        ((0, 28, 3), {}, "python3.dll", GNU64, LIBRARY),
        ((0, 28, 3), {}, "python312.dll", MSVC, LIBRARY),
        ((0, 29, 0), {}, "python3.dll", GNU64, RAW),
        ((0, 29, 2), {}, "python3.dll", GNU64, RAW),
        ((0, 29, 2), {}, "python312.dll", MSVC, RAW),
        ((0, 29, 2), {}, "python315t.dll", GNU64, RAW),
        ((0, 29, 2), {}, "python3t.dll", LLVM, RAW),
        ((0, 29, 2), {}, "libpypy3.11-c.dll", GNU64, RAW),
        ((0, 29, 2), {"PYO3_USE_RAW_DYLIB": "1"}, "python3.dll", GNU64, RAW),
        ((0, 29, 1), OPT_OUT, "python3.dll", GNU64, LIBRARY),  # the user opted out
        ((0, 29, 2), {"PYO3_USE_RAW_DYLIB": "false"}, "python3.dll", MSVC, LIBRARY),
        ((0, 29, 3), OPT_OUT, "python3.dll", GNU32, LIBRARY),
        ((0, 29, 0), OPT_OUT, "python3.dll", GNU64, RAW),  # 0.29.0 has no opt-out
        # MinGW/MSYS2 names: PyO3 0.29 would import python3.dll / python312.dll instead
        ((0, 29, 1), {}, "libpython3.dll", GNU64, OPTED),
        ((0, 29, 2), {}, "libpython3.12.dll", GNU64, OPTED),
        ((0, 29, 2), {}, "python3.12.dll", GNU64, OPTED),
        ((0, 29, 3), {}, "libpython3.12.dll", GNU32, OPTED),
        ((0, 30, 0), {}, "libpython3t.dll", GNU64, OPTED),
        # names outside PyO3 0.29's raw-dylib list
        ((0, 29, 2), {}, "libpypy3.10-c.dll", MSVC, OPTED),
        ((0, 29, 2), {}, "mypython.dll", MSVC, OPTED),
    ],
)
def test_decision(
    version: tuple[int, int, int] | None,
    environ: dict[str, str],
    dll: str,
    target: object,
    expected: str,
) -> None:
    decision = decide(version, environ, dll, target)  # type: ignore[arg-type]
    got = RAW if not decision.import_library else OPTED if decision.env else LIBRARY
    assert got == expected
    assert decision.env in ({}, OPT_OUT)
    # rustc runs a dlltool for raw-dylib on windows-gnu only (msvc, gnullvm: LLVM's writer)
    assert decision.rustc_dlltool == (got == RAW and target is GNU64)
    if version is not None:
        assert decision.message is not None and dll in decision.message


@pytest.mark.parametrize(
    ("version", "environ", "dll", "target", "message"),
    [
        ((0, 29, 0), {}, "libpython3.12.dll", GNU64, "needs PyO3 0.29.1 or newer"),
        ((0, 29, 2), {}, "libpython3.12.dll", GNU32, "needs PyO3 0.29.3 on i686"),
        ((0, 29, 2), OPT_OUT, "python3.dll", GNU32, "PyO3 #6410"),
    ],
)
def test_builds_that_cannot_import_their_dll_are_refused(
    version: tuple[int, int, int], environ: dict[str, str], dll: str, target: object, message: str
) -> None:
    with pytest.raises(ConfigError, match=re.escape(message)):
        decide(version, environ, dll, target)  # type: ignore[arg-type]


def test_the_message() -> None:
    decision = decide((0, 29, 2), {}, "python3.dll", GNU64)
    assert decision == Decision(
        False, {}, "PyO3 0.29.2 links python3.dll through raw-dylib: no import library needed", True
    )


@pytest.mark.parametrize(
    ("dll", "listed"),
    [
        ("python3.dll", True), ("python3t.dll", True), ("python38.dll", True),
        ("python315t.dll", True), ("PYTHON312.DLL", True), ("libpypy3.11-c.dll", True),
        ("libpython3.dll", False), ("python3.12.dll", False), ("libpython3.12.dll", False),
        ("libpypy3.10-c.dll", False), ("python3_d.dll", False), ("python.dll", False),
    ],
)  # fmt: skip
def test_raw_dylib_names(dll: str, listed: bool) -> None:
    assert raw_dylib_name(dll) is listed


# -- the PyO3 version a build resolves ---------------------------------------------------------


@pytest.fixture
def crates(tmp_path: Path) -> Path:
    """A copy of tests/data/rawdylib: cargo may write there (target/, a lock file)."""
    shutil.copytree(DATA / "rawdylib", tmp_path / "rawdylib")
    return tmp_path / "rawdylib"


@pytest.mark.parametrize("version", ["0.28.3", "0.29.0", "0.29.2"])
def test_version_from_the_lock_file(crates: Path, version: str) -> None:
    manifest = crates / f"ext-{version}" / "Cargo.toml"
    expected = tuple(map(int, version.split(".")))
    assert pyo3_version(manifest, os.environ, None) == (expected, None)


def test_version_from_cargo_metadata_without_a_lock_file(crates: Path) -> None:
    cargo = require_tool("cargo")
    (crates / "ext-0.29.2" / "Cargo.lock").unlink()
    manifest = crates / "ext-0.29.2" / "Cargo.toml"
    assert pyo3_version(manifest, os.environ, None) == (
        None,
        "no Cargo.lock, and cargo was not found",
    )
    assert pyo3_version(manifest, os.environ, cargo) == ((0, 29, 2), None)


# -- implib run on those crates: what the command is given ------------------------------------

RECORD = "import json, os, sys; json.dump(dict(os.environ), open(sys.argv[1], 'w'))"


def _run(
    cwd: Path, *options: str, env: dict[str, str] | None = None
) -> tuple[subprocess.CompletedProcess[str], dict[str, str] | None]:
    seen = cwd / "seen.json"
    command = [sys.executable, "-c", RECORD, str(seen), "--target", "x86_64-pc-windows-gnu"]
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    environ = {**os.environ, "PYTHONPATH": path, **(env or {})}
    argv = [sys.executable, "-m", "implib", "run", "-o", str(cwd / "libs"), *options, "--"]
    result = subprocess.run(
        [*argv, *command], cwd=cwd, capture_output=True, text=True, env=environ, timeout=300
    )
    return result, json.loads(seen.read_text()) if seen.exists() else None


@pytest.mark.parametrize(
    ("crate", "options", "env", "libraries", "opt_out", "line"),
    [
        ("ext-0.28.3", [], {}, ["python3.dll.a"], None,
         "PyO3 0.28.3 links python3.dll through an import library: writing it"),
        ("ext-0.29.2", [], {}, [], None,
         "PyO3 0.29.2 links python3.dll through raw-dylib: no import library needed"),
        ("ext-0.29.2", ["-p", "3.12"], {}, [], None,
         "PyO3 0.29.2 links python312.dll through raw-dylib: no import library needed"),
        ("ext-0.29.2", [], OPT_OUT, ["python3.dll.a"], "0",
         "PyO3 0.29.2 with PYO3_USE_RAW_DYLIB=0 links python3.dll through an import library"),
        ("ext-0.29.2", ["-p", "3.12", "--dll-name", "libpython3.12.dll"], {},
         ["python312.dll.a", "python3.12.dll.a"], "0",
         "not libpython3.12.dll: PYO3_USE_RAW_DYLIB=0 set, import library written"),
    ],
)  # fmt: skip
def test_run_decides(
    crates: Path,
    crate: str,
    options: list[str],
    env: dict[str, str],
    libraries: list[str],
    opt_out: str | None,
    line: str,
) -> None:
    folder = crates / crate
    result, seen = _run(folder, *options, env=env)
    assert result.returncode == 0, result.stderr
    assert seen is not None
    notes = [n for n in result.stderr.splitlines() if n.startswith("implib: PyO3")]
    assert len(notes) == 1 and line in notes[0], result.stderr
    written = sorted(p.name for p in (folder / "libs").iterdir() if p.name.endswith(".a"))
    assert written == sorted(libraries)
    assert seen.get("PYO3_USE_RAW_DYLIB") == opt_out
    assert seen["PYO3_CROSS_LIB_DIR"] == str(folder / "libs")  # PyO3's variables, always
    assert seen["PYO3_CROSS_PYTHON_VERSION"] in ("3.9", "3.12")
    if "-p" in options and "--dll-name" not in options:  # maturin's, library or not
        assert (folder / "libs" / "build-details.json").is_file()


def test_run_refuses_what_pyo3_cannot_link(crates: Path) -> None:
    result, seen = _run(crates / "ext-0.29.0", "--dll-name", "libpython3.dll")
    assert result.returncode == 1 and seen is None  # the command did not run
    assert result.stderr.splitlines()[-1].startswith("Error: PyO3 0.29.0 links its own")


def test_env_says_it_on_stderr_only(crates: Path) -> None:
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    argv = [sys.executable, "-m", "implib", "env", "-t", "x86_64-pc-windows-gnu", "-f", "json"]
    result = subprocess.run(
        [*argv, "-o", "libs"],
        cwd=crates / "ext-0.29.2",
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": path},
    )
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)  # JSON, nothing else
    assert summary["lib_names"] == [] and summary["library"] is None
    assert "PYO3_CROSS_LIB_DIR" in summary["env"]
    assert "no import library needed" in result.stderr


# -- the rustflags, as the real cargo passes them on -------------------------------------------

HOST = "x86_64-unknown-linux-gnu"


def _cargo_rustc_flags(folder: Path, environ: dict[str, str]) -> str:
    """The rustc command line cargo runs for the crate in ``folder`` (``cargo build -v``)."""
    cargo = require_tool("cargo")
    result = subprocess.run(
        [cargo, "build", "-v", "--offline", "--target", HOST],
        cwd=folder,
        capture_output=True,
        text=True,
        env=environ,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if "rustc --crate-name probe " in line]
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.mark.parametrize(
    ("config", "variables"),
    [
        ("", {}),
        ('[build]\nrustflags = ["--cfg", "from_build"]\n', {}),
        (f'[target.{HOST}]\nrustflags = ["--cfg", "from_target"]\n', {}),
        (f'[build]\nrustflags = ["--cfg", "from_build"]\n[target.{HOST}]\nrustflags = ["--cfg", "from_target"]\n', {}),
        ('[target."cfg(unix)"]\nrustflags = ["--cfg", "from_cfg"]\n', {}),
        ('[build]\nrustflags = ["--cfg", "from_build"]\n', {"RUSTFLAGS": "--cfg from_rustflags"}),
        ("", {"CARGO_ENCODED_RUSTFLAGS": "--cfg\x1ffrom_encoded", "RUSTFLAGS": "--cfg lost"}),
        ("", {"CARGO_BUILD_RUSTFLAGS": "--cfg from_build_env"}),
        ("", {f"CARGO_TARGET_{HOST.upper().replace('-', '_')}_RUSTFLAGS": "--cfg from_env"}),
    ],
)  # fmt: skip
def test_rustflags_keep_the_users(tmp_path: Path, config: str, variables: dict[str, str]) -> None:
    """Without implib, cargo passes some flags; with it, the same ones and the dlltool."""
    folder = tmp_path / "probe"
    (folder / "src").mkdir(parents=True)
    (folder / "Cargo.toml").write_text('[package]\nname = "probe"\nversion = "0.1.0"\n')
    (folder / "src" / "lib.rs").write_text("")
    (folder / ".cargo").mkdir()
    (folder / ".cargo" / "config.toml").write_text(config)
    home = tmp_path / "cargo-home"  # no configuration of the developer's
    home.mkdir()
    cleared = ("RUSTFLAGS", "CARGO_ENCODED_RUSTFLAGS", "CARGO_BUILD_RUSTFLAGS")
    base = {k: v for k, v in os.environ.items() if k not in cleared and "_RUSTFLAGS" not in k}
    base = {**base, "CARGO_HOME": str(home), **variables}
    before = _cargo_rustc_flags(folder, base)
    user = re.findall(r"--cfg (from_\w+)", before)
    assert bool(user) == bool(config or variables)
    flag = "--cfg=implib_marker"  # one word, as -Cdlltool=PATH is, that any rustc takes
    extra, _ = rustflags_with(flag, base, HOST, folder)
    shutil.rmtree(folder / "target")
    after = _cargo_rustc_flags(folder, {**base, **extra})
    assert re.findall(r"--cfg (from_\w+)", after) == user  # nothing lost
    assert after.count(flag) == 1  # and the dlltool's


@pytest.mark.parametrize(
    ("version", "target", "host", "windows", "expected"),
    [
        ((1, 63, 0), GNU64, "x86_64", False, "dlltool"),  # same arch: plain dlltool
        ((1, 63, 0), GNU32, "x86_64", False, "i686-w64-mingw32-dlltool"),
        ((1, 70, 0), GNU64, "aarch64", False, "x86_64-w64-mingw32-dlltool"),
        ((1, 63, 0), GNU64, "x86_64", True, "dlltool.exe"),
        ((1, 71, 0), GNU64, "x86_64", False, "x86_64-w64-mingw32-dlltool"),
        ((1, 95, 0), GNU32, "x86_64", False, "i686-w64-mingw32-dlltool"),
        ((1, 95, 0), parse_target("aarch64-pc-windows-gnu"), "x86_64", False,
         "aarch64-w64-mingw32-dlltool"),
        ((1, 95, 0), GNU64, "x86_64", True, "dlltool.exe"),
    ],
)  # fmt: skip
def test_the_dlltool_rustc_looks_for(
    version: tuple[int, int, int], target: object, host: str, windows: bool, expected: str
) -> None:
    """rustc's find_binutils_dlltool, before and after 1.71."""
    assert wanted_dlltool(version, target, host, windows) == expected  # type: ignore[arg-type]


# -- a real raw-dylib build: rustc 1.63, implib as its dlltool, GNU ld ------------------------


def _debian_rust(tmp_path: Path) -> dict[str, str]:
    """PATH with Debian's cargo and rustc 1.63 (it has the x86_64-pc-windows-gnu std) first,
    and no ``dlltool``: rustc 1.63 looks for that name for a same-arch target."""
    rustc, cargo = Path("/usr/bin/rustc"), Path("/usr/bin/cargo")
    std = Path("/usr/lib/rustlib/x86_64-pc-windows-gnu/lib")
    if not (rustc.exists() and cargo.exists() and std.is_dir()):
        pytest.skip("Debian's rustc with the x86_64-pc-windows-gnu std is not installed")
    version = subprocess.run([rustc, "-V"], capture_output=True, text=True).stdout
    if not version.startswith("rustc 1.63"):
        pytest.skip(f"/usr/bin/rustc is {version.strip()}, not 1.63")
    require_tool("x86_64-w64-mingw32-gcc")  # rustc's linker for the target
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in (rustc, cargo):
        (bin_dir / tool.name).symlink_to(tool)
    assert not shutil.which("dlltool", path=f"{bin_dir}:/usr/bin:/bin")
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    cleared = ("RUSTFLAGS", "CARGO_ENCODED_RUSTFLAGS", "RUSTC", "CARGO", "RUSTC_BOOTSTRAP")
    environ = {k: v for k, v in os.environ.items() if k not in cleared}
    home = tmp_path / "cargo-home"
    home.mkdir()
    return {**environ, "PATH": f"{bin_dir}:/usr/bin:/bin", "PYTHONPATH": path,
            "CARGO_HOME": str(home)}  # fmt: skip


@pytest.mark.slow
def test_rustc_1_63_raw_dylib_build(crates: Path, tmp_path: Path) -> None:
    readobj = require_tool("llvm-readobj-19")
    environ = {**_debian_rust(tmp_path), "RUSTFLAGS": "--cfg user_flag"}
    folder = crates / "ext-0.29.2"
    argv = [sys.executable, "-m", "implib", "run", "--", "cargo", "build", "-v", "--offline"]
    result = subprocess.run(
        [*argv, "--target", "x86_64-pc-windows-gnu"],
        cwd=folder,
        capture_output=True,
        text=True,
        env=environ,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    notes = [line for line in result.stderr.splitlines() if line.startswith("implib: ")]
    assert (
        "implib: PyO3 0.29.2 links python3.dll through raw-dylib: no import library needed" in notes
    )
    assert any(
        n.startswith("implib: rustc 1.63.0 finds no dlltool: -Zdlltool=implib") for n in notes
    )
    rustc_lines = [line for line in result.stderr.splitlines() if "Running `rustc" in line]
    assert len(rustc_lines) == 2  # the stub pyo3 (its extern block), then the extension
    for line in rustc_lines:  # every crate: the user's flag kept, implib's dlltool added
        assert "--cfg user_flag" in line
        assert re.search(r"-Zdlltool=\S+/x86_64-w64-mingw32-implib-dlltool`$", line), line
    dll = folder / "target" / "x86_64-pc-windows-gnu" / "debug" / "ext.dll"
    imports = subprocess.run(
        [readobj, "--coff-imports", str(dll)], capture_output=True, text=True, check=True
    ).stdout
    blocks = {
        m[1]: re.findall(r"Symbol: (\S+)", m[2])
        for m in re.finditer(r"Name: (\S+)\n(.*?)\n\}", imports, re.DOTALL)
    }
    assert sorted(blocks["python3.dll"]) == ["Py_GetVersion", "Py_IsInitialized"]


def test_newer_rustc_gets_the_stable_flag(crates: Path, tmp_path: Path) -> None:
    """rustc >= 1.71: -Cdlltool, no RUSTC_BOOTSTRAP (a rustup rustc, where there is one)."""
    rustc = shutil.which("rustc")
    version = subprocess.run([rustc, "-V"], capture_output=True, text=True).stdout if rustc else ""
    found = re.match(r"rustc 1\.(\d+)", version)
    if not found or int(found[1]) < 71:
        pytest.skip("no rustc 1.71 or newer on PATH")
    # hide MinGW's dlltool, which rustc would find
    folders = os.environ["PATH"].split(os.pathsep)
    path = os.pathsep.join(p for p in folders if not Path(p, "x86_64-w64-mingw32-dlltool").exists())
    environ = {
        **{k: v for k, v in os.environ.items() if "RUSTFLAGS" not in k},
        "PATH": path,
        "RUSTC": rustc,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    seen = tmp_path / "seen.json"
    command = [sys.executable, "-c", RECORD, str(seen), "--target", "x86_64-pc-windows-gnu"]
    result = subprocess.run(
        [sys.executable, "-m", "implib", "run", "-o", str(tmp_path / "libs"), "--", *command],
        cwd=crates / "ext-0.29.2",
        capture_output=True,
        text=True,
        env=environ,
    )
    assert result.returncode == 0, result.stderr
    env = json.loads(seen.read_text())
    variable = "CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUSTFLAGS"
    assert re.fullmatch(r"-Cdlltool=\S+/x86_64-w64-mingw32-implib-dlltool", env[variable])
    assert "RUSTC_BOOTSTRAP" not in env
