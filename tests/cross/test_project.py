"""The Python build a project is for: :mod:`implib.cross.project` and :func:`parse_command`.

The crates here are tiny manifests read by the real ``cargo metadata`` (any
cargo: nothing is compiled), so that workspace inheritance, renamed and
optional dependencies mean what cargo says they mean.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from implib.cross.command import BuildCommand, parse_command
from implib.cross.project import choose_python, maturin_argv
from implib.errors import ImplibError, PythonError
from implib.pythons import parse_python

from support import ROOT, require_tool

DEBIAN_CARGO = Path("/usr/bin/cargo")


@pytest.fixture(scope="module")
def cargo() -> str:
    """A real cargo (Debian's when there: a rustup proxy may want to download a toolchain)."""
    return str(DEBIAN_CARGO) if DEBIAN_CARGO.is_file() else require_tool("cargo")


def write_crate(folder: Path, manifest: str, *, name: str = "demo", lib: bool = True) -> Path:
    """A package (or, with ``lib=False``, a virtual workspace) in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    text = textwrap.dedent(manifest)
    if lib:
        text = f'[package]\nname = "{name}"\nversion = "0.1.0"\nedition = "2021"\n\n' + text
        (folder / "src").mkdir(exist_ok=True)
        (folder / "src" / "lib.rs").write_text("")
    (folder / "Cargo.toml").write_text(text)
    return folder


def choose(
    cargo: str,
    folder: Path,
    argv: list[str] | None = None,
    explicit: str | None = None,
    **environ: str,
) -> str:
    """The spec choose_python gives for ``argv`` run in ``folder``."""
    command = parse_command(argv or ["cargo", "build"])
    env = {"PATH": os.environ.get("PATH", ""), "CARGO": cargo, **environ}
    build = parse_python(explicit) if explicit else None
    return choose_python(build, command, env, folder).build.spec


def refusal(cargo: str, folder: Path, argv: list[str] | None = None, **kw: str) -> str:
    with pytest.raises(PythonError) as info:
        choose(cargo, folder, argv, **kw)
    assert isinstance(info.value, ImplibError) and isinstance(info.value, ValueError)
    message = str(info.value)
    assert "\n" not in message
    return message


ABI3_FEATURE = """
[features]
default = ["abi3"]
abi3 = ["pyo3/abi3-py38"]

[dependencies]
pyo3 = { version = "0.17", features = ["extension-module"] }
"""


# -- parse_command ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["make", "--features", "x"], BuildCommand(tool=None)),
        (
            ["cargo", "build", "-F", "a,b", "--features=c d", "-Fe", "--no-default-features"],
            BuildCommand(
                tool="cargo",
                subcommand="build",
                features=("a", "b", "c", "d", "e"),
                no_default_features=True,
            ),
        ),
        (
            ["/usr/bin/cargo", "xwin", "build", "-p", "core", "--package=py", "--all-features",
             "--manifest-path", "rust/Cargo.toml", "--", "--features", "ignored"],
            BuildCommand(
                tool="cargo",
                subcommand="xwin",
                manifest_path="rust/Cargo.toml",
                packages=("core", "py"),
                all_features=True,
            ),
        ),
        (
            ["maturin", "build", "-i", "python3.11", "pypy3.10", "--release", "-m", "x/Cargo.toml",
             "--interpreter=3.13t", "-f"],
            BuildCommand(
                tool="maturin",
                subcommand="build",
                manifest_path="x/Cargo.toml",
                interpreters=("python3.11", "pypy3.10", "3.13t"),
                find_interpreter=True,
            ),
        ),
        (
            ["python3.12", "-m", "maturin", "build", "-F", "abi3"],
            BuildCommand(tool="maturin", subcommand="build", features=("abi3",), start=3),
        ),
        # cargo's -p is a package; maturin has none, and cargo has no -m or -i.
        (["cargo-zigbuild", "zigbuild", "-m", "x"], BuildCommand(tool="cargo", subcommand="zigbuild")),
    ],
)  # fmt: skip
def test_parse_command(argv: list[str], expected: BuildCommand) -> None:
    assert parse_command(argv) == expected


# -- the crate's features -----------------------------------------------------------------


def test_default_abi3_feature(cargo: str, tmp_path: Path) -> None:
    crate = write_crate(tmp_path, ABI3_FEATURE)
    assert choose(cargo, crate) == "abi3-3.8"
    assert choose(cargo, crate / "src") == "abi3-3.8"  # cargo's search upwards
    assert choose(cargo, tmp_path.parent, ["cargo", "build", "--manifest-path", str(crate / "Cargo.toml")]) == "abi3-3.8"  # fmt: skip


def test_no_default_features_is_one_version(cargo: str, tmp_path: Path) -> None:
    crate = write_crate(tmp_path, ABI3_FEATURE)
    message = refusal(cargo, crate, ["cargo", "build", "--no-default-features"])
    assert message == (
        "say which Python the build is for: --abi3, or --python 3.X (or set "
        "PYO3_CROSS_PYTHON_VERSION); Cargo.toml (package demo) turns on no abi3-py3X "
        "feature of PyO3"
    )
    # ... unless the command turns the feature on again
    argv = ["cargo", "build", "--no-default-features", "--features", "abi3"]
    assert choose(cargo, crate, argv) == "abi3-3.8"
    argv = ["cargo", "build", "--no-default-features", "-F", "pyo3/abi3-py310"]
    assert choose(cargo, crate, argv) == "abi3-3.10"
    argv = ["cargo", "build", "--no-default-features", "--features", "demo/abi3"]
    assert choose(cargo, crate, argv) == "abi3-3.8"


@pytest.mark.parametrize(
    ("manifest", "argv", "spec"),
    [
        # the lowest abi3-py3X wins (each implies the next)
        ('[dependencies]\npyo3 = { version = "0.17", features = ["abi3-py39", "abi3-py311"] }',
         None, "abi3-3.9"),
        # features through features
        ('[features]\ndefault = ["py"]\npy = ["abi3"]\nabi3 = ["pyo3/abi3-py37"]\n'
         '[dependencies]\npyo3 = "0.17"', None, "abi3-3.7"),
        # a renamed dependency
        ('[features]\ndefault = ["py/abi3-py312"]\n'
         '[dependencies]\npy = { package = "pyo3", version = "0.17" }', None, "abi3-3.12"),
        # pyo3-ffi alone
        ('[dependencies]\npyo3-ffi = { version = "0.17", features = ["abi3-py310"] }',
         None, "abi3-3.10"),
        # a target-specific dependency counts too
        ('[target."cfg(windows)".dependencies]\npyo3 = { version = "0.17", features = ["abi3-py38"] }',
         None, "abi3-3.8"),
        # optional pyo3: dep: turns it on, the weak pyo3? feature follows
        ('[features]\npython = ["dep:pyo3"]\nabi3 = ["pyo3?/abi3-py39"]\n'
         '[dependencies]\npyo3 = { version = "0.17", optional = true }',
         ["cargo", "build", "--features", "python abi3"], "abi3-3.9"),
        # an optional dependency's implicit feature
        ('[dependencies]\npyo3 = { version = "0.17", optional = true, features = ["abi3-py38"] }',
         ["cargo", "build", "--features", "pyo3"], "abi3-3.8"),
        ('[features]\nabi3 = ["pyo3/abi3-py38"]\n[dependencies]\npyo3 = "0.17"',
         ["cargo", "build", "--all-features"], "abi3-3.8"),
    ],
)  # fmt: skip
def test_abi3_features(
    cargo: str, tmp_path: Path, manifest: str, argv: list[str] | None, spec: str
) -> None:
    assert choose(cargo, write_crate(tmp_path, manifest), argv) == spec


@pytest.mark.parametrize(
    ("manifest", "argv", "why"),
    [
        # pyo3 for the tests only
        ('[dev-dependencies]\npyo3 = { version = "0.17", features = ["abi3-py38"] }', None,
         "has no PyO3 dependency"),
        # the weak feature alone does not turn pyo3 on
        ('[features]\npython = ["dep:pyo3"]\nabi3 = ["pyo3?/abi3-py39"]\n'
         '[dependencies]\npyo3 = { version = "0.17", optional = true }',
         ["cargo", "build", "--features", "abi3"], "has no PyO3 dependency"),
        ('[dependencies]\nlibc = "0.2"', None, "has no PyO3 dependency"),
        ('[features]\nabi3 = ["pyo3/abi3-py38"]\n[dependencies]\npyo3 = "0.17"', None,
         "turns on no abi3-py3X feature of PyO3"),
    ],
)  # fmt: skip
def test_no_abi3(
    cargo: str, tmp_path: Path, manifest: str, argv: list[str] | None, why: str
) -> None:
    message = refusal(cargo, write_crate(tmp_path, manifest), argv)
    assert message.startswith("say which Python the build is for: --abi3, or --python 3.X")
    assert message.endswith(f"Cargo.toml (package demo) {why}")


def test_workspace_inheritance_and_members(cargo: str, tmp_path: Path) -> None:
    write_crate(
        tmp_path,
        """
        [workspace]
        members = ["py", "other"]

        [workspace.dependencies]
        pyo3 = { version = "0.17", features = ["abi3-py311"] }
        """,
        lib=False,
    )
    write_crate(tmp_path / "py", "[dependencies]\npyo3 = { workspace = true }\n", name="py")
    write_crate(tmp_path / "other", '[dependencies]\nlibc = "0.2"\n', name="other")
    assert choose(cargo, tmp_path / "py") == "abi3-3.11"
    # The virtual workspace's root: the one member with PyO3 decides.
    assert choose(cargo, tmp_path) == "abi3-3.11"
    message = refusal(cargo, tmp_path, ["cargo", "build", "-p", "other"])
    assert message.endswith("other/Cargo.toml (package other) has no PyO3 dependency")
    message = refusal(cargo, tmp_path, ["cargo", "build", "-p", "nope"])
    assert message.endswith(f"no package nope in {tmp_path / 'Cargo.toml'}")


def test_workspace_members_that_differ(cargo: str, tmp_path: Path) -> None:
    write_crate(tmp_path, '[workspace]\nmembers = ["a", "b"]\n', lib=False)
    write_crate(tmp_path / "a", '[dependencies]\npyo3 = { version = "0.17", features = ["abi3-py38"] }', name="a")  # fmt: skip
    write_crate(tmp_path / "b", '[dependencies]\npyo3 = "0.17"', name="b")
    message = refusal(cargo, tmp_path)
    assert message.endswith("the workspace's PyO3 packages (a, b) differ; give -p PACKAGE")
    assert choose(cargo, tmp_path, ["cargo", "build", "-p", "a"]) == "abi3-3.8"


# -- maturin's settings -------------------------------------------------------------------

PYPROJECT = """
[build-system]
requires = ["maturin>=1.12"]
build-backend = "maturin"

[tool.maturin]
{settings}
"""


def test_maturin_features_from_pyproject(cargo: str, tmp_path: Path) -> None:
    crate = write_crate(tmp_path, '[dependencies]\npyo3 = "0.17"')
    settings = 'features = ["pyo3/abi3-py39"]'
    (crate / "pyproject.toml").write_text(PYPROJECT.format(settings=settings))
    assert choose(cargo, crate, ["maturin", "build"]) == "abi3-3.9"
    # pip wheel . / python -m build run maturin as the build backend
    assert choose(cargo, crate, ["pip", "wheel", "."]) == "abi3-3.9"
    # cargo build does not read [tool.maturin]
    assert "no abi3-py3X" in refusal(cargo, crate, ["cargo", "build"])


def test_maturin_no_default_features_and_manifest_path(cargo: str, tmp_path: Path) -> None:
    write_crate(tmp_path / "rust", ABI3_FEATURE)
    settings = 'manifest-path = "rust/Cargo.toml"\nno-default-features = true'
    (tmp_path / "pyproject.toml").write_text(PYPROJECT.format(settings=settings))
    message = refusal(cargo, tmp_path, ["maturin", "build"])
    assert message.endswith("rust/Cargo.toml (package demo) turns on no abi3-py3X feature of PyO3")
    assert choose(cargo, tmp_path, ["maturin", "build", "-F", "abi3"]) == "abi3-3.8"
    # -m: the pyproject.toml next to it or one folder up
    argv = ["maturin", "build", "-m", "rust/Cargo.toml", "--features", "abi3"]
    assert choose(cargo, tmp_path, argv) == "abi3-3.8"


def test_maturin_interpreter(cargo: str, tmp_path: Path) -> None:
    crate = write_crate(tmp_path, '[dependencies]\npyo3 = "0.17"')
    assert choose(cargo, crate, ["maturin", "build", "-i", "python3.12"]) == "3.12"
    assert choose(cargo, crate, ["maturin", "build", "-i", "/opt/py/bin/pypy3.10"]) == "pypy3.10"
    message = refusal(cargo, crate, ["maturin", "build", "-i", "python3.11", "python3.12"])
    assert message == (
        "maturin builds for several interpreters (python3.11, python3.12); "
        "run implib once per interpreter, each with its --python"
    )
    # a host interpreter without a version says nothing about the target's
    assert "no abi3-py3X" in refusal(cargo, crate, ["maturin", "build", "-i", "python3"])


def test_abi3_without_a_minimum(cargo: str, tmp_path: Path) -> None:
    crate = write_crate(
        tmp_path, '[dependencies]\npyo3 = { version = "0.17", features = ["abi3"] }'
    )
    assert refusal(cargo, crate) == (
        "Cargo.toml (package demo) turns on PyO3's abi3 feature without a minimum version: "
        "give --abi3 --min-python 3.X (or turn on abi3-py3X)"
    )
    assert choose(cargo, crate, ["maturin", "build", "-i", "python3.10"]) == "abi3-3.10"
    assert choose(cargo, crate, explicit="abi3-3.9") == "abi3-3.9"


# -- what the command line and PyO3's variables say ---------------------------------------


def test_explicit_and_pyo3_variables_come_first(cargo: str, tmp_path: Path) -> None:
    crate = write_crate(tmp_path, ABI3_FEATURE)
    assert choose(cargo, crate, explicit="3.12") == "3.12"  # PyO3 links python3, also written
    assert choose(cargo, crate, PYO3_CROSS_PYTHON_VERSION="3.11") == "3.11"
    # an explicit version never reads the crate: a broken manifest does not matter
    (crate / "Cargo.toml").write_text("[package\n")
    assert choose(cargo, crate, explicit="3.13") == "3.13"
    assert choose(cargo, crate, PYO3_CROSS_PYTHON_VERSION="3.10") == "3.10"


def test_abi3_refused_for_a_versioned_crate(cargo: str, tmp_path: Path) -> None:
    crate = write_crate(tmp_path, ABI3_FEATURE)
    message = refusal(cargo, crate, ["cargo", "build", "--no-default-features"], explicit="abi3")
    assert message == (
        "--abi3, but Cargo.toml (package demo) turns on no abi3 feature of PyO3, so PyO3 "
        "builds for one CPython version and links python3XY, not python3; give --python "
        "3.X, or turn on pyo3's abi3-py3X feature"
    )
    assert choose(cargo, crate, explicit="abi3") == "abi3"  # the default features have it
    # no crate, or a crate without PyO3: --abi3 is taken as said
    assert choose(cargo, tmp_path.parent / "elsewhere-none", explicit="abi3") == "abi3"
    plain = write_crate(tmp_path / "plain", '[dependencies]\nlibc = "0.2"', name="plain")
    assert choose(cargo, plain, explicit="abi3") == "abi3"


def test_unreadable_crates(cargo: str, tmp_path: Path) -> None:
    crate = write_crate(tmp_path, ABI3_FEATURE)
    (crate / "Cargo.toml").write_text("[package\n")
    assert "cargo metadata failed: error: " in refusal(cargo, crate)
    write_crate(crate, ABI3_FEATURE)
    message = refusal(cargo, crate, CARGO="", PATH=str(tmp_path / "no-bin"))
    assert message.endswith("cargo was not found to read the crate's features")
    (crate / "pyproject.toml").write_text(PYPROJECT.format(settings="features = 3"))
    message = refusal(cargo, crate, ["maturin", "build"])
    assert message.endswith("pyproject.toml: [tool.maturin] features is not a list of strings")
    (crate / "pyproject.toml").write_text("[tool.maturin\n")
    assert str(crate / "pyproject.toml") in refusal(cargo, crate, ["maturin", "build"])


def test_nothing_to_read(tmp_path: Path) -> None:
    with pytest.raises(PythonError, match=re.escape("no Cargo.toml here to read PyO3's features")):
        choose_python(None, parse_command(["make"]), {}, tmp_path)


# -- maturin's host interpreter -----------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "spec", "expected"),
    [
        (["maturin", "build", "--release"], "3.11",
         ["maturin", "build", "--interpreter", "/py", "--release"]),
        (["python", "-m", "maturin", "publish"], "3.12",
         ["python", "-m", "maturin", "publish", "--interpreter", "/py"]),
        (["maturin", "build", "-i", "python3.11"], "3.11", None),  # it names one
        (["maturin", "build", "-f"], "3.11", None),
        (["maturin", "build"], "abi3", None),  # abi3: maturin needs no interpreter
        (["maturin", "build"], "pypy3.10", None),  # no build-details.json for PyPy
        (["maturin", "develop"], "3.11", None),
        (["cargo", "build"], "3.11", None),
    ],
)  # fmt: skip
def test_maturin_argv(argv: list[str], spec: str, expected: list[str] | None) -> None:
    result = maturin_argv(argv, parse_command(argv), parse_python(spec), "/py")
    assert result == (expected or argv)


# -- through the command ------------------------------------------------------------------


def _implib(cwd: Path, cargo: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CARGO": cargo, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "implib", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_run_and_env_follow_the_crate(cargo: str, tmp_path: Path) -> None:
    crate = write_crate(tmp_path / "crate", ABI3_FEATURE)
    seen = tmp_path / "seen.json"
    show = f"import json, os; json.dump(dict(os.environ), open({str(seen)!r}, 'w'))"
    result = _implib(
        crate, cargo, "run", "--", sys.executable, "-c", show, "--target", "x86_64-pc-windows-gnu"
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(seen.read_text())["PYO3_CROSS_PYTHON_VERSION"] == "3.8"
    assert result.stderr.startswith(
        "implib: Python abi3-3.8, from PyO3's abi3-py38 feature in Cargo.toml (package demo)\n"
    )
    result = _implib(crate, cargo, "env", "-t", "win-amd64", "-f", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["python"] == "abi3-3.8"


def test_run_refuses_abi3_before_the_build(cargo: str, tmp_path: Path) -> None:
    crate = write_crate(tmp_path / "crate", ABI3_FEATURE)
    marker = tmp_path / "ran"
    # The command must be cargo (or maturin) for its --no-default-features to count.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "cargo").write_text(f"#!/bin/sh\ntouch '{marker}'\n")
    (bin_dir / "cargo").chmod(0o755)
    env_path = f"{bin_dir}{os.pathsep}{os.environ['PATH']}"
    argv = ["run", "--abi3", "--", "cargo", "build", "--no-default-features"]
    argv += ["--target", "x86_64-pc-windows-gnu"]
    result = subprocess.run(
        [sys.executable, "-m", "implib", *argv],
        cwd=crate,
        capture_output=True,
        text=True,
        env={**os.environ, "CARGO": cargo, "PYTHONPATH": str(ROOT), "PATH": env_path},
        timeout=120,
    )
    assert result.returncode == 1 and not marker.exists()
    assert result.stderr.splitlines() == [
        "Error: --abi3, but Cargo.toml (package demo) turns on no abi3 feature of PyO3, so "
        "PyO3 builds for one CPython version and links python3XY, not python3; give "
        "--python 3.X, or turn on pyo3's abi3-py3X feature"
    ]


def test_abi3t_features(cargo: str, tmp_path: Path) -> None:
    """PyO3 0.29's free-threaded stable ABI: abi3t wins over abi3 from 3.15 on."""
    both = write_crate(
        tmp_path / "both",
        '[dependencies]\npyo3 = { version = "0.29", features = ["abi3-py39", "abi3t-py315"] }',
        name="both",
    )
    assert choose(cargo, both) == "abi3t-3.15"
    assert choose(cargo, both, explicit="abi3t") == "abi3t"
    only_abi3 = write_crate(tmp_path / "abi3", ABI3_FEATURE, name="abi3")
    message = refusal(cargo, only_abi3, explicit="abi3t")
    assert message == (
        "--abi3t, but Cargo.toml (package abi3) turns on no abi3t feature of PyO3, so PyO3 "
        "does not link python3t; give --abi3 or --python 3.X, or turn on pyo3's abi3t-py3X feature"
    )
