"""Tool identities: probed once per tool, remembered in the cache until the tool changes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

IDENTITY = "from implib.backends.zig import ZigBackend; print(ZigBackend().identity())"


def _fake_zig(path: Path, log: Path, version: str) -> None:
    path.write_text(f'#!/bin/sh\necho "$*" >> "{log}"\necho {version}\n')
    path.chmod(0o755)


def _identity(env: dict[str, str]) -> str:
    result = subprocess.run(
        [sys.executable, "-c", IDENTITY], env=env, capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def test_a_tool_is_probed_once_and_again_when_it_changes(tmp_path: Path) -> None:
    zig, log = tmp_path / "zig", tmp_path / "calls"
    _fake_zig(zig, log, "0.14.1")
    env = {**os.environ, "ZIG_COMMAND": str(zig), "IMPLIB_CACHE_DIR": str(tmp_path / "cache")}
    assert [_identity(env) for _ in range(3)] == ["zig/0.14.1"] * 3  # three processes
    assert log.read_text().splitlines() == ["version"]
    _fake_zig(zig, log, "0.15.2")  # another zig at the same path
    stat = zig.stat()
    os.utime(zig, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    assert _identity(env) == "zig/0.15.2"
    assert log.read_text().splitlines() == ["version", "version"]


def test_without_a_writable_cache_it_is_probed_each_time(tmp_path: Path) -> None:
    zig, log = tmp_path / "zig", tmp_path / "calls"
    _fake_zig(zig, log, "0.14.1")
    blocker = tmp_path / "file"
    blocker.write_text("")
    env = {**os.environ, "ZIG_COMMAND": str(zig), "IMPLIB_CACHE_DIR": str(blocker / "cache")}
    assert [_identity(env) for _ in range(2)] == ["zig/0.14.1"] * 2
    assert log.read_text().splitlines() == ["version", "version"]
