"""Whether the rustc a cargo or maturin command runs has the target's standard library.

With two Rust toolchains on a machine (rustup's, with only the host target,
earlier on PATH than Debian's, which has the Windows one), a cross build
fails deep inside rustc with "can't find crate for `core`". rustc says where
its libraries are (``rustc --print sysroot``): a target it can build for has
``lib/rustlib/<target>`` there. So implib can say it in one line before the
build starts, and how to choose (docs/recipes.md).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

__all__ = ["missing_std"]


def missing_std(triple: str, argv: Sequence[str], environ: Mapping[str, str]) -> str | None:
    """A one-line warning when the rustc ``argv`` would use has no std for ``triple``.

    That rustc is ``$RUSTC``, else the first on PATH, with the command's rustup
    toolchain (``cargo +nightly build``) and run in the current folder (so a
    ``rust-toolchain.toml`` counts). None when it has the target, or when it
    cannot be asked (no rustc, it fails): the build will say more then.
    """
    rustc = environ.get("RUSTC") or shutil.which("rustc", path=environ.get("PATH"))
    if not rustc:
        return None
    toolchain = [argv[1]] if len(argv) > 1 and argv[1].startswith("+") else []
    try:
        result = subprocess.run(
            [rustc, *toolchain, "--print", "sysroot"],
            capture_output=True,
            text=True,
            timeout=30,
            env=dict(environ),
        )
    except (OSError, subprocess.SubprocessError):
        return None
    sysroot = result.stdout.strip()
    if result.returncode != 0 or not sysroot or not os.path.isdir(sysroot):
        return None
    if (Path(sysroot) / "lib" / "rustlib" / triple).is_dir():
        return None
    return (
        f"warning: {rustc} (sysroot {sysroot}) has no standard library for {triple}:"
        f" 'rustup target add {triple}', or put a Rust toolchain that has it first on PATH"
        " (see docs/recipes.md, 'Which Rust toolchain')"
    )
