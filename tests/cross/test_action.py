"""The GitHub Action (action.yml), its steps run the way the runner runs them.

Each ``run:`` step goes to ``bash --noprofile --norc -eo pipefail`` (what
``shell: bash`` means on a runner) with its ``${{ … }}`` expressions
substituted, its ``env:`` and ``working-directory:``, and ``GITHUB_ENV``,
``GITHUB_PATH``, ``GITHUB_OUTPUT`` and ``RUNNER_TEMP`` pointing at files and
folders of the test's own. The install step is real: pip installs a copy of
this checkout (what a runner's checkout of the action holds) into a venv.
The workflow in docs/recipes.md is checked against the action's inputs.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from support import ROOT, missing, require_tool, static_site

ACTION = ROOT / "action.yml"
RECIPES = ROOT / "docs" / "recipes.md"
EXPRESSION = re.compile(r"\$\{\{\s*([^}]*?)\s*\}\}")

#: What the copy of the checkout leaves out (the runner checks out the repository only).
NOT_CHECKED_OUT = (".git", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", ".coverage")


def _yaml() -> Any:
    try:
        import yaml
    except ImportError:
        missing("PyYAML is not installed (pip install pyyaml)")
    return yaml


def load_action() -> dict[str, Any]:
    data: dict[str, Any] = _yaml().safe_load(ACTION.read_text(encoding="utf-8"))
    return data


def test_action_is_composite_with_bash_steps() -> None:
    action = load_action()
    assert action["runs"]["using"] == "composite"
    assert set(action["inputs"]) == {"target", "python", "server", "working-directory", "implib"}
    assert action["inputs"]["target"]["required"] is True
    for step in action["runs"]["steps"]:
        assert step["shell"] == "bash", step["name"]
        # Inputs reach the scripts through env:, never pasted into them (no injection).
        assert "inputs." not in step["run"], step["name"]
    assert EXPRESSION.fullmatch(action["outputs"]["lib-dir"]["value"]).group(1) == (
        "steps.env.outputs.lib-dir"
    )


class Runner:
    """Runs the action's steps like a runner: one job, its files, its environment."""

    def __init__(self, root: Path, action_path: Path) -> None:
        self.root = root
        self.action_path = action_path
        self.temp = root / "runner-temp"
        self.temp.mkdir(parents=True, exist_ok=True)
        self.bash = require_tool("bash")
        # python3 on PATH is this test's Python, as setup-python would make it.
        self.bin = root / "host-bin"
        self.bin.mkdir(exist_ok=True)
        link = self.bin / "python3"
        if not link.exists():
            link.symlink_to(sys.executable)
        self.path_entries = ""  # what the install step appended to GITHUB_PATH

    def files(self, name: str) -> dict[str, Path]:
        folder = self.root / name
        folder.mkdir(parents=True)
        paths = {
            key: folder / key.lower() for key in ("GITHUB_ENV", "GITHUB_PATH", "GITHUB_OUTPUT")
        }
        for path in paths.values():
            path.write_text("")
        return paths

    def run_step(
        self,
        step: dict[str, Any],
        inputs: dict[str, str],
        files: dict[str, Path],
        workspace: Path,
        job_env: dict[str, str],
    ) -> subprocess.CompletedProcess[str]:
        def expand(text: str) -> str:
            def value(match: re.Match[str]) -> str:
                name = match.group(1)
                if name.startswith("inputs."):
                    return inputs[name[len("inputs.") :]]
                known = {"github.action_path": str(self.action_path), "runner.temp": str(self.temp)}
                assert name in known, f"the test does not know ${{{{ {name} }}}}"
                return known[name]

            return EXPRESSION.sub(value, text)

        env = {
            "PATH": f"{self.bin}{os.pathsep}{os.environ['PATH']}",
            "HOME": os.environ.get("HOME", str(self.root)),
            "RUNNER_TEMP": str(self.temp),
            "GITHUB_ACTION_PATH": str(self.action_path),
            "GITHUB_WORKSPACE": str(workspace),
            "IMPLIB_CACHE_DIR": os.environ["IMPLIB_CACHE_DIR"],
            **{key: str(path) for key, path in files.items()},
            **job_env,
        }
        # Earlier steps' GITHUB_PATH entries come first, as on a runner.
        added = [line for line in files["GITHUB_PATH"].read_text().splitlines() if line]
        env["PATH"] = os.pathsep.join([*reversed(added), env["PATH"]])
        env.update({key: expand(str(value)) for key, value in step.get("env", {}).items()})
        cwd = workspace / expand(step.get("working-directory", "."))
        script = self.temp / "step.sh"
        script.write_text(expand(step["run"]))
        return subprocess.run(
            [self.bash, "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )


def _inputs(action: dict[str, Any], given: dict[str, str]) -> dict[str, str]:
    inputs = {name: str(spec.get("default", "")) for name, spec in action["inputs"].items()}
    return {**inputs, **given}


def read_env_file(path: Path) -> dict[str, str]:
    """A GITHUB_ENV file: NAME=VALUE lines and NAME<<DELIMITER blocks."""
    lines = path.read_text().splitlines()
    values: dict[str, str] = {}
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            end = lines.index(delimiter, index)
            values[name] = "\n".join(lines[index:end])
            index = end + 1
        elif line:
            name, value = line.split("=", 1)
            values[name] = value
    return values


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Runner, dict[str, Any]]:
    """The install step, run once: a copy of the checkout, pip-installed into a venv."""
    root = tmp_path_factory.mktemp("action")
    action_path = root / "action-checkout"
    shutil.copytree(ROOT, action_path, ignore=shutil.ignore_patterns(*NOT_CHECKED_OUT))
    runner = Runner(root, action_path)
    action = load_action()
    files = runner.files("install")
    step = action["runs"]["steps"][0]
    result = runner.run_step(step, _inputs(action, {"target": "-"}), files, root, {})
    if result.returncode != 0 and "pip" in result.stderr and not os.environ.get("CI"):
        missing(f"pip cannot install implib here: {result.stderr.strip()[-300:]}")
    assert result.returncode == 0, result.stderr
    runner.path_entries = files["GITHUB_PATH"].read_text()
    return runner, action


def run_action(
    installed: tuple[Runner, dict[str, Any]],
    name: str,
    given: dict[str, str],
    *,
    job_env: dict[str, str] | None = None,
    workspace: Path | None = None,
) -> tuple[subprocess.CompletedProcess[str], dict[str, Path]]:
    """The variables step, after the install step's GITHUB_PATH line (as on a runner)."""
    runner, action = installed
    files = runner.files(name)
    files["GITHUB_PATH"].write_text(runner.path_entries)
    workspace = workspace or runner.root / f"{name}-workspace"
    workspace.mkdir(parents=True, exist_ok=True)
    step = action["runs"]["steps"][1]
    inputs = _inputs(action, given)
    result = runner.run_step(step, inputs, files, workspace, job_env or {})
    return result, files


def _output(path: Path) -> dict[str, str]:
    return dict(line.split("=", 1) for line in path.read_text().splitlines() if line)


@pytest.mark.slow
def test_action_installs_implib_on_path(installed: tuple[Runner, dict[str, Any]]) -> None:
    runner, _ = installed
    (entry,) = runner.path_entries.splitlines()
    assert Path(entry) == runner.temp / "implib-bin"
    assert sorted(p.name for p in Path(entry).iterdir()) == ["implib"]  # not the venv's python
    result = subprocess.run(
        [str(Path(entry) / "implib"), "--version"], capture_output=True, text=True
    )
    assert result.returncode == 0 and result.stdout.startswith("implib, version ")


@pytest.mark.slow
def test_action_exports_the_variables(installed: tuple[Runner, dict[str, Any]]) -> None:
    result, files = run_action(
        installed, "gnu-311", {"target": "x86_64-pc-windows-gnu", "python": "3.11"}
    )
    assert result.returncode == 0, result.stderr
    env = read_env_file(files["GITHUB_ENV"])
    lib_dir = Path(env["PYO3_CROSS_LIB_DIR"])
    assert env["PYO3_CROSS_PYTHON_VERSION"] == "3.11"
    assert env["PYO3_CROSS_PYTHON_IMPLEMENTATION"] == "CPython"
    assert env["IMPLIB_TARGET"] == "x86_64-pc-windows-gnu"
    assert env["IMPLIB_LIB_DIR"] == str(lib_dir) and env["IMPLIB_LIB_NAME"] == "python311"
    assert env["IMPLIB_LDFLAGS"] == f"-L{lib_dir} -lpython311"
    assert _output(files["GITHUB_OUTPUT"]) == {"lib-dir": str(lib_dir)}
    names = sorted(p.name for p in lib_dir.iterdir())
    assert names == ["build-details.json", "python3.11.dll.a", "python3.dll.a", "python311.dll.a"]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("python", "version", "library"),
    [
        ("abi3", None, "python3.lib"),  # the version: the newest CPython implib knows
        ("abi3-3.9", "3.9", "python3.lib"),
        ("3.13t", "3.13t", "python313t.lib"),
    ],
)
def test_action_python_input(
    installed: tuple[Runner, dict[str, Any]], python: str, version: str | None, library: str
) -> None:
    given = {"target": "win-amd64", "python": python}
    result, files = run_action(installed, f"msvc-{python}", given)
    assert result.returncode == 0, result.stderr
    env = read_env_file(files["GITHUB_ENV"])
    assert Path(env["IMPLIB_LIBRARY"]).name == library
    if version is not None:
        assert env["PYO3_CROSS_PYTHON_VERSION"] == version


@pytest.mark.slow
def test_action_python_auto_reads_the_crate(
    installed: tuple[Runner, dict[str, Any]], tmp_path: Path
) -> None:
    cargo = "/usr/bin/cargo" if Path("/usr/bin/cargo").is_file() else require_tool("cargo")
    crate = tmp_path / "workspace" / "rust"
    (crate / "src").mkdir(parents=True)
    (crate / "src" / "lib.rs").write_text("")
    (crate / "Cargo.toml").write_text(
        '[package]\nname = "demo"\nversion = "0.1.0"\n\n'
        '[dependencies]\npyo3 = { version = "0.17", features = ["abi3-py310"] }\n'
    )
    given = {"target": "aarch64-pc-windows-msvc", "working-directory": "rust"}
    result, files = run_action(
        installed, "auto", given, job_env={"CARGO": cargo}, workspace=tmp_path / "workspace"
    )
    assert result.returncode == 0, result.stderr
    assert "Python abi3-3.10, from PyO3's abi3-py310 feature" in result.stderr
    env = read_env_file(files["GITHUB_ENV"])
    assert env["PYO3_CROSS_PYTHON_VERSION"] == "3.10"
    assert env["IMPLIB_TARGET"] == "aarch64-pc-windows-msvc"
    # The job's PYO3_CROSS_PYTHON_VERSION comes first, as for implib run.
    result, files = run_action(
        installed,
        "auto-env",
        given,
        job_env={"CARGO": cargo, "PYO3_CROSS_PYTHON_VERSION": "3.12"},
        workspace=tmp_path / "workspace",
    )
    assert result.returncode == 0, result.stderr
    assert read_env_file(files["GITHUB_ENV"])["IMPLIB_LIB_NAME"] == "python312"


@pytest.fixture
def static_server(tmp_path: Path) -> Iterator[str]:
    """A static ``implib export`` of the x64 MSVC libraries, served over HTTP on loopback."""
    from implib.pythons import parse_python
    from implib.service.site import write_site
    from implib.targets import parse_target

    root = tmp_path / "export"
    write_site(root, [parse_target("win-amd64")], [parse_python("3.12"), parse_python("abi3")])
    with static_site(root) as base:
        yield base


@pytest.mark.slow
def test_action_fetches_from_implib_server(
    installed: tuple[Runner, dict[str, Any]], static_server: str, tmp_path: Path
) -> None:
    given = {"target": "win-amd64", "python": "3.12"}
    # The docs' workflow: IMPLIB_SERVER in the job's environment.
    result, files = run_action(
        installed, "server-env", given, job_env={"IMPLIB_SERVER": static_server}
    )
    assert result.returncode == 0, result.stderr
    assert f"from {static_server}" in result.stderr and "sha256 checked" in result.stderr
    fetched = Path(read_env_file(files["GITHUB_ENV"])["IMPLIB_LIB_DIR"])
    # The input, and the job's variable set but empty (an unset repository variable).
    given["server"] = static_server
    fresh = {"IMPLIB_SERVER": "", "IMPLIB_CACHE_DIR": str(tmp_path / "fresh-cache")}
    result, files = run_action(installed, "server-input", given, job_env=fresh)
    assert result.returncode == 0, result.stderr
    assert f"from {static_server}" in result.stderr
    # The same bytes as generated here, which is what the server's sha256 vouches for.
    from implib.cross import prepare

    local = prepare("win-amd64", "3.12", tmp_path / "local")
    for name in local.lib_names:
        assert (fetched / name).read_bytes() == (local.lib_dir / name).read_bytes()


@pytest.mark.slow
def test_action_without_a_reachable_server(installed: tuple[Runner, dict[str, Any]]) -> None:
    given = {"target": "win-amd64", "python": "abi3"}
    for name, server in (("server-empty", ""), ("server-down", "http://127.0.0.1:9")):
        result, files = run_action(installed, name, given, job_env={"IMPLIB_SERVER": server})
        assert result.returncode == 0, result.stderr
        env = read_env_file(files["GITHUB_ENV"])
        assert Path(env["IMPLIB_LIBRARY"]).name == "python3.lib"
        assert Path(env["IMPLIB_LIBRARY"]).is_file()


@pytest.mark.slow
def test_action_bad_input_is_one_line(installed: tuple[Runner, dict[str, Any]]) -> None:
    given = {"target": "x86_64-pc-windows-msvd", "python": "abi3"}
    result, files = run_action(installed, "bad", given)
    assert result.returncode != 0
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("Error: unknown target 'x86_64-pc-windows-msvd'")
    assert files["GITHUB_ENV"].read_text() == "" and _output(files["GITHUB_OUTPUT"]) == {}


# -- the workflow in docs/recipes.md ------------------------------------------------------


def _docs_workflow() -> dict[str, Any]:
    text = RECIPES.read_text(encoding="utf-8")
    match = re.search(r"<!-- workflow -->\s*```yaml\n(.*?)```", text, re.S)
    assert match, f"no workflow block in {RECIPES}"
    data: dict[str, Any] = _yaml().safe_load(match.group(1))
    return data


def test_docs_workflow_uses_the_action() -> None:
    action = load_action()
    (job,) = _docs_workflow()["jobs"].values()
    steps = [s for s in job["steps"] if str(s.get("uses", "")).split("@")[0].endswith("/implib")]
    assert len(steps) == 1, "the workflow must use the action once"
    given = steps[0].get("with", {})
    assert set(given) <= set(action["inputs"])
    required = {name for name, spec in action["inputs"].items() if spec.get("required")}
    assert required <= set(given)
    # The recipe sets IMPLIB_SERVER for the job; the action must honour it (tested above).
    assert "IMPLIB_SERVER" in job["env"]
    # and no step installs implib by itself any more
    assert not any("pip install implib" in str(s.get("run", "")) for s in job["steps"])
