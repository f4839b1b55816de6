"""implib's dlltool for rustc's raw-dylib on ``*-windows-gnu``, passed to every crate of a build.

On windows-gnu targets rustc makes raw-dylib's import libraries by running a
dlltool: ``-Cdlltool=PATH`` (Rust 1.71+) or ``-Zdlltool=PATH`` (older, with
``RUSTC_BOOTSTRAP=1``), else the one it looks up on PATH —
``<arch>-w64-mingw32-dlltool`` from 1.71 (``dlltool.exe`` on Windows), and
before that ``dlltool`` unless the host's architecture differs from the
target's. It runs while pyo3-ffi compiles, so the flag must reach every
crate: it goes into the rustflags cargo already uses, never in place of
them. cargo takes ``CARGO_ENCODED_RUSTFLAGS``, else ``RUSTFLAGS``, else
``target.<triple>.rustflags`` (joined with ``CARGO_TARGET_<TRIPLE>_RUSTFLAGS``),
else ``build.rustflags`` (joined with ``CARGO_BUILD_RUSTFLAGS``).
"""

from __future__ import annotations

import os
import platform
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from ..targets import Target

__all__ = ["DlltoolPlan", "dlltool_plan", "rustc_version", "rustflags_with", "wanted_dlltool"]

Version = tuple[int, int, int]
STABLE_FLAG = (1, 71, 0)  # -Cdlltool, and the target-prefixed lookup
_HOST_ARCHES = {"x86_64": "x86_64", "amd64": "x86_64", "aarch64": "aarch64", "arm64": "aarch64"}


def rustc_version(environ: Mapping[str, str], cwd: Path) -> Version | None:
    """The version of the rustc cargo runs (``RUSTC``, else ``rustc`` on PATH); None if none."""
    rustc = environ.get("RUSTC") or shutil.which("rustc", path=environ.get("PATH"))
    if not rustc:
        return None
    try:
        result = subprocess.run(
            [rustc, "-vV"], capture_output=True, text=True, env=dict(environ), cwd=cwd, timeout=60
        )
    except (OSError, subprocess.SubprocessError):
        return None
    found = re.search(r"^release: (\d+)\.(\d+)\.(\d+)", result.stdout, re.MULTILINE)
    return (int(found[1]), int(found[2]), int(found[3])) if found else None


def wanted_dlltool(version: Version, target: Target, host_arch: str, windows_host: bool) -> str:
    """The program rustc ``version`` runs as dlltool for ``target``, as its source looks it up."""
    if version >= STABLE_FLAG:
        if windows_host:
            return "dlltool.exe"
        return f"{target.arch}-w64-mingw32-dlltool"
    if host_arch != target.arch:
        name = "i686-w64-mingw32-dlltool" if target.arch == "i686" else "x86_64-w64-mingw32-dlltool"
    else:
        name = "dlltool"
    return name + ".exe" if windows_host else name


def _target_variable(triple: str) -> str:
    return "CARGO_TARGET_" + re.sub(r"[^A-Z0-9]", "_", triple.upper()) + "_RUSTFLAGS"


def _config_files(cwd: Path, environ: Mapping[str, str]) -> list[Path]:
    """cargo's configuration files, as cargo finds them: cwd and up, then CARGO_HOME."""
    folders = [cwd.resolve(), *cwd.resolve().parents]
    home = environ.get("CARGO_HOME") or os.path.join(os.path.expanduser("~"), ".cargo")
    files = [folder / ".cargo" / name for folder in folders for name in ("config.toml", "config")]
    files += [Path(home) / "config.toml", Path(home) / "config"]
    return [path for path in dict.fromkeys(files) if path.is_file()]


def _config_rustflags(
    cwd: Path, environ: Mapping[str, str], triple: str
) -> tuple[bool, bool, bool]:
    """Whether cargo's files set target-level rustflags (for ``triple`` or a cfg), build's,
    and whether any of them names a dlltool already."""
    from .project import _load_toml, _Unreadable

    target_level = build_level = dlltool = False
    for path in _config_files(cwd, environ):
        try:
            data = _load_toml(path)
        except _Unreadable:
            return True, False, False  # unknown: the target's variable, which joins either way
        tables = []
        targets = data.get("target", {})
        if isinstance(targets, dict):
            for key, table in targets.items():
                if (key == triple or key.startswith("cfg(")) and isinstance(table, dict):
                    target_level |= "rustflags" in table
                    tables.append(table)
        build = data.get("build", {})
        if isinstance(build, dict):
            build_level |= "rustflags" in build
            tables.append(build)
        dlltool |= any("dlltool" in str(table.get("rustflags", "")) for table in tables)
    return target_level, build_level, dlltool


def rustflags_with(
    flag: str, environ: Mapping[str, str], triple: str, cwd: Path
) -> tuple[dict[str, str], str]:
    """The variables that add ``flag`` to the rustflags cargo uses, and which one it is."""
    encoded = environ.get("CARGO_ENCODED_RUSTFLAGS")
    if encoded is not None:
        return {"CARGO_ENCODED_RUSTFLAGS": f"{encoded}\x1f{flag}" if encoded else flag}, (
            "CARGO_ENCODED_RUSTFLAGS"
        )
    plain = environ.get("RUSTFLAGS")
    if plain is not None:  # cargo splits it on whitespace; the encoded form keeps a path whole
        return {"CARGO_ENCODED_RUSTFLAGS": "\x1f".join([*plain.split(), flag])}, (
            "CARGO_ENCODED_RUSTFLAGS (RUSTFLAGS and the flag)"
        )
    variable = _target_variable(triple)
    target_level, build_level, _ = _config_rustflags(cwd, environ, triple)
    build_level |= "CARGO_BUILD_RUSTFLAGS" in environ
    if build_level and not target_level and variable not in environ:
        variable = "CARGO_BUILD_RUSTFLAGS"  # a target-level value would hide build.rustflags
    current = environ.get(variable, "")
    return {variable: f"{current} {flag}".strip()}, variable


def _has_dlltool_flag(environ: Mapping[str, str], triple: str, cwd: Path) -> bool:
    """Whether the build's rustflags (variables or cargo's files) name a dlltool already."""
    names = ("CARGO_ENCODED_RUSTFLAGS", "RUSTFLAGS", _target_variable(triple))
    if any("dlltool" in environ.get(name, "") for name in (*names, "CARGO_BUILD_RUSTFLAGS")):
        return True
    return _config_rustflags(cwd, environ, triple)[2]


class DlltoolPlan:
    """The variables that make rustc run implib as its dlltool, and the line that says so."""

    def __init__(self, env: dict[str, str], message: str) -> None:
        self.env = env
        self.message = message


def write_wrapper(folder: Path, target: Target, python: str = sys.executable) -> Path:
    """A dlltool program for rustc: implib-dlltool under the target's GNU prefix.

    The prefix gives the machine when rustc passes no ``-m`` (before 1.71).
    """
    from ..fileio import make_folder, write_unless_same

    name = f"{target.arch}-w64-mingw32-implib-dlltool"
    code = "import sys; from implib.cli.dropins import dlltool_main; dlltool_main(sys.argv[1:])"
    script = f'#!/bin/sh\nexec {shlex.quote(python)} -c {shlex.quote(code)} {name} "$@"\n'
    make_folder(folder)
    path = folder / name
    write_unless_same(path, script.encode(), mode=0o755)
    return path


def dlltool_plan(
    target: Target, environ: Mapping[str, str], cwd: Path, folder: Path
) -> DlltoolPlan | None:
    """What to add to a windows-gnu raw-dylib build's environment; None to leave it alone.

    Left alone: a build whose rustflags name a dlltool already, a machine
    with the dlltool rustc looks for, a rustc that cannot be run (it will
    say so itself), and Windows hosts (rustc finds ``dlltool.exe`` there).
    """
    if os.name == "nt" or _has_dlltool_flag(environ, target.triple, cwd):
        return None
    version = rustc_version(environ, cwd)
    if version is None:
        return None
    host = _HOST_ARCHES.get(platform.machine().lower(), platform.machine().lower())
    wanted = wanted_dlltool(version, target, host, windows_host=False)
    if shutil.which(wanted, path=environ.get("PATH")):
        return None
    wrapper = write_wrapper(folder, target)
    stable = version >= STABLE_FLAG
    flag = f"-{'C' if stable else 'Z'}dlltool={wrapper}"
    env, where = rustflags_with(flag, environ, target.triple, cwd)
    if not stable:
        env["RUSTC_BOOTSTRAP"] = "1"
    shown = ".".join(map(str, version))
    extra = " and RUSTC_BOOTSTRAP=1" if not stable else ""
    return DlltoolPlan(
        env, f"rustc {shown} finds no {wanted}: {flag.split('=')[0]}=implib in {where}{extra}"
    )
