"""Whether the rustc of a cargo command has the target's std: asked of a real rustc."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from implib.cross.toolchain import missing_std

from support import require_tool


def _sysroot(rustc: str) -> Path:
    out = subprocess.run([rustc, "--print", "sysroot"], capture_output=True, text=True, check=True)
    return Path(out.stdout.strip())


def test_a_target_the_toolchain_has_is_not_mentioned() -> None:
    rustc = require_tool("rustc")
    rustlib = _sysroot(rustc) / "lib" / "rustlib"
    host = next(p.name for p in rustlib.iterdir() if p.is_dir() and p.name.count("-") >= 2)
    env = {"PATH": os.environ["PATH"], "RUSTC": rustc}
    assert missing_std(host, ["cargo", "build"], env) is None


def test_a_target_without_its_std_is_one_line(tmp_path: Path) -> None:
    rustc = require_tool("rustc")
    target = "aarch64-pc-windows-gnullvm"
    assert not (_sysroot(rustc) / "lib" / "rustlib" / target).exists()
    # rustc found on PATH, as cargo finds it
    env = {"PATH": f"{Path(rustc).parent}{os.pathsep}{os.environ['PATH']}"}
    said = missing_std(target, ["cargo", "build", "--target", target], env)
    assert said is not None and "\n" not in said
    assert said.startswith(f"warning: {rustc} (sysroot {_sysroot(rustc)}) has no standard library")
    assert f"'rustup target add {target}'" in said


def test_no_rustc_or_a_failing_one_says_nothing(tmp_path: Path) -> None:
    assert missing_std("x86_64-pc-windows-gnu", ["cargo"], {"PATH": str(tmp_path)}) is None
    failing = tmp_path / "rustc"
    failing.write_text("#!/bin/sh\nexit 1\n")
    failing.chmod(0o755)
    assert missing_std("x86_64-pc-windows-gnu", ["cargo"], {"RUSTC": str(failing)}) is None
