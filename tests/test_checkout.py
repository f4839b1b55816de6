"""README's two commands in a row: what the first leaves in the checkout never reaches a test.

README's command 1 (``implib gen ... --abi3``) writes ``python3.lib`` into the
current folder, the checkout; command 2 (``scripts/test.sh``) runs the suite
there. scripts/test.sh runs command 1 first, so that a test that reads the
working directory fails in CI; these tests hold the pieces together.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from support import ROOT, missing


def _readme_first_command() -> list[str]:
    """The ``implib gen`` part of README's first command, as argv."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"^pip install \. && (implib gen [^\n]*)$", text, re.MULTILINE)
    assert match, "README's first command should be `pip install . && implib gen ...`"
    return shlex.split(match.group(1))


def test_each_test_runs_in_an_empty_folder_of_its_own() -> None:
    here = Path.cwd().resolve()
    assert here != ROOT and ROOT not in here.parents
    assert list(here.iterdir()) == []


def test_test_sh_runs_readmes_first_command_in_the_checkout_first() -> None:
    script = (ROOT / "scripts" / "test.sh").read_text(encoding="utf-8")
    command = shlex.join(["python3", "-m", *_readme_first_command()])
    assert command in script.splitlines()
    assert script.index(command) < script.index("python3 -m pytest")


def test_what_readmes_first_command_writes_is_ignored_by_git(tmp_path: Path) -> None:
    git = shutil.which("git")
    if git is None or not (ROOT / ".git").exists():
        missing("not a git checkout (or no git)")
    argv = _readme_first_command()
    result = subprocess.run(
        [sys.executable, "-m", "implib", *argv[1:]],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=os.environ.copy(),
    )
    assert result.returncode == 0, result.stderr
    written = sorted(path.name for path in tmp_path.iterdir())
    assert written == ["python3.lib"]
    ignored = subprocess.run(
        [git, "check-ignore", "--no-index", *written], cwd=ROOT, capture_output=True, text=True
    )
    assert ignored.stdout.split() == written, ignored.stderr
