#!/usr/bin/env python3
"""The oldest and the newest supported CPython on this machine, besides this one.

    python scripts/interpreters.py      # one path per line

Looks on PATH (python3.N) and in pyenv's versions folder; "supported" is
pyproject.toml's requires-python. scripts/test.sh runs the quick part of the
suite on each interpreter printed.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def minimum() -> tuple[int, int]:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    match = re.search(r'^requires-python = ">=(\d+)\.(\d+)"', text, re.MULTILINE)
    if match is None:
        raise SystemExit("interpreters.py: no requires-python in pyproject.toml")
    return int(match.group(1)), int(match.group(2))


def candidates() -> list[str]:
    found = [shutil.which(f"python3.{minor}") for minor in range(8, 30)]
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    if pyenv.is_dir():
        found += [str(path / "bin" / "python") for path in sorted(pyenv.iterdir())]
    return [path for path in found if path and os.access(path, os.X_OK)]


def version(path: str) -> tuple[int, int] | None:
    code = "import sys, platform; print(platform.python_implementation(), *sys.version_info[:2])"
    try:
        out = subprocess.run([path, "-c", code], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    words = out.stdout.split()
    if out.returncode != 0 or len(words) != 3 or words[0] != "CPython":
        return None
    return int(words[1]), int(words[2])


def main() -> int:
    lowest = minimum()
    versions: dict[tuple[int, int], str] = {}
    for path in candidates():
        found = version(path)
        if found is not None and found >= lowest and found not in versions:
            versions[found] = path
    current = sys.version_info[:2]
    chosen = {min(versions), max(versions)} - {current} if versions else set()
    for key in sorted(chosen):
        print(versions[key])
    return 0


if __name__ == "__main__":
    sys.exit(main())
