"""Whether a PyO3 build links Python through rustc's raw-dylib, or needs an import library.

PyO3 0.29.0 links its standard DLL names (python3, python3t, python3XY,
python3XYt, libpypy3.11-c) through ``#[link(kind = "raw-dylib")]``: rustc
makes the import entries itself and the build needs no library. It links
those names only, so a build for another DLL (MSYS2's ``libpython3.12.dll``)
must opt out with ``PYO3_USE_RAW_DYLIB=0`` (PyO3 0.29.1; on 32-bit x86 it
works from 0.29.3, PyO3 #6410) and link an import library, as PyO3 0.28
and older always do. :func:`decide` is that rule as a pure function;
:func:`pyo3_version` reads the version the build resolves.
"""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path

from ..errors import ConfigError
from ..targets import Flavour, Target
from .command import BuildCommand

__all__ = ["Decision", "decide", "decide_for_command", "pyo3_version", "raw_dylib_name"]

Version = tuple[int, int, int]

RAW_DYLIB = (0, 29, 0)
OPT_OUT = (0, 29, 1)
OPT_OUT_X86 = (0, 29, 3)  # PyO3 #6410: the opt-out kept the raw-dylib `_` workaround on x86
_NAMES = re.compile(r"python3\d*t?|libpypy3\.11-c", re.IGNORECASE)


def raw_dylib_name(dll: str) -> bool:
    """Whether PyO3 0.29 links ``dll`` through raw-dylib (one of its standard names)."""
    stem = dll[:-4] if dll.lower().endswith(".dll") else dll
    return _NAMES.fullmatch(stem) is not None


def _show(version: Version) -> str:
    return ".".join(map(str, version))


@dataclasses.dataclass(frozen=True)
class Decision:
    """What a PyO3 cross build needs from implib."""

    import_library: bool  # write the libraries (PyO3 links one)
    env: dict[str, str]  # variables to add (PYO3_USE_RAW_DYLIB=0)
    message: str | None  # the one line saying what implib did, None when PyO3 is unknown
    rustc_dlltool: bool = False  # rustc runs a dlltool for raw-dylib (windows-gnu)


def decide(
    version: Version | None, environ: Mapping[str, str], dll: str, target: Target
) -> Decision:
    """What the build of a crate on PyO3 ``version`` for ``dll`` on ``target`` needs.

    ``version`` None (no PyO3, or not known): the libraries, as for any C
    build. A build that cannot import ``dll`` at all raises a ConfigError.
    """
    if version is None:
        return Decision(True, {}, None)
    shown = _show(version)
    if version < RAW_DYLIB:
        return Decision(True, {}, f"PyO3 {shown} links {dll} through an import library: writing it")
    x86 = target.arch == "i686"
    setting = environ.get("PYO3_USE_RAW_DYLIB")
    opted_out = setting is not None and setting != "1"  # PyO3 reads anything but "1" as no
    can_opt_out = version >= (OPT_OUT_X86 if x86 else OPT_OUT)
    if opted_out and can_opt_out:
        return Decision(
            True,
            {},
            f"PyO3 {shown} with PYO3_USE_RAW_DYLIB={setting} links {dll} "
            "through an import library: writing it",
        )
    if opted_out and x86 and version >= OPT_OUT:
        raise ConfigError(
            f"PyO3 {shown} on i686 ignores part of PYO3_USE_RAW_DYLIB={setting} and links "
            f"wrong names (PyO3 #6410): use PyO3 {_show(OPT_OUT_X86)} or newer"
        )
    if raw_dylib_name(dll):
        ignored = f" (it ignores PYO3_USE_RAW_DYLIB={setting})" if opted_out else ""
        return Decision(
            False,
            {},
            f"PyO3 {shown} links {dll} through raw-dylib{ignored}: no import library needed",
            rustc_dlltool=target.flavour is Flavour.GNU,
        )
    if not can_opt_out:
        needed = _show(OPT_OUT_X86) + " on i686" if x86 else _show(OPT_OUT)
        raise ConfigError(
            f"PyO3 {shown} links its own DLL names through raw-dylib and cannot import "
            f"{dll}: PYO3_USE_RAW_DYLIB=0 needs PyO3 {needed} or newer"
        )
    return Decision(
        True,
        {"PYO3_USE_RAW_DYLIB": "0"},
        f"PyO3 {shown} links only its own DLL names through raw-dylib, not {dll}: "
        "PYO3_USE_RAW_DYLIB=0 set, import library written",
    )


# -- the version the build resolves --------------------------------------------------------

#: pyo3-ffi holds the extern blocks; pyo3 has the same version.
_LOCKED = re.compile(
    r'^name = "(pyo3-ffi|pyo3)"\r?\nversion = "(\d+)\.(\d+)\.(\d+)[^"]*"', re.MULTILINE
)


def _parse_version(text: str) -> Version | None:
    found: dict[str, list[Version]] = {}
    for match in _LOCKED.finditer(text):
        name, *parts = match.groups()
        found.setdefault(name, []).append((int(parts[0]), int(parts[1]), int(parts[2])))
    versions = found.get("pyo3-ffi") or found.get("pyo3")
    return max(versions) if versions else None  # several: the newest decides raw-dylib


def _lock_file(manifest: Path) -> Path | None:
    """The Cargo.lock of the workspace ``manifest`` is in: the nearest one up from it."""
    for folder in manifest.resolve().parents:
        candidate = folder / "Cargo.lock"
        if candidate.is_file():
            return candidate
    return None


def pyo3_version(
    manifest: Path, environ: Mapping[str, str], cargo: str | None
) -> tuple[Version | None, str | None]:
    """The PyO3 version the crate at ``manifest`` builds with (None: no PyO3), or why not known.

    From the workspace's ``Cargo.lock``; without one, ``cargo metadata
    --offline`` resolves the dependencies (``--no-deps`` would not).
    """
    lock = _lock_file(manifest)
    if lock is not None:
        try:
            return _parse_version(lock.read_text(encoding="utf-8", errors="replace")), None
        except OSError as exc:
            return None, f"{lock}: {exc.strerror or exc}"
    if not cargo:
        return None, "no Cargo.lock, and cargo was not found"
    argv = [cargo, "metadata", "--offline", "--format-version", "1", "--manifest-path"]
    try:
        result = subprocess.run(
            [*argv, str(manifest)], capture_output=True, text=True, env=dict(environ), timeout=300
        )
    except (OSError, subprocess.SubprocessError) as exc:
        return None, f"cannot run cargo metadata: {exc}"
    if result.returncode != 0:
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        return None, f"cargo metadata --offline failed: {lines[0] if lines else result.returncode}"
    try:
        packages = json.loads(result.stdout).get("packages", [])
    except (ValueError, AttributeError):
        return None, "cargo metadata printed no JSON"
    text = "".join(
        f'name = "{p.get("name")}"\nversion = "{p.get("version")}"\n'
        for p in packages
        if isinstance(p, dict)
    )
    return _parse_version(text), None


def _manifest(command: BuildCommand, cwd: Path) -> Path | None:
    """The Cargo.toml the command builds: its --manifest-path, maturin's, else cwd's or above."""
    from .project import _maturin_settings, _nearest_manifest, _Unreadable

    if command.manifest_path:
        return cwd / command.manifest_path
    try:
        maturin = _maturin_settings(command, cwd)
    except _Unreadable:
        maturin = None
    if maturin is not None and maturin.manifest_path is not None:
        return maturin.manifest_path
    return _nearest_manifest(cwd)


def decide_for_command(
    command: BuildCommand, cwd: Path, environ: Mapping[str, str], dll: str, target: Target
) -> Decision:
    """:func:`decide` for the crate a build command (or the current folder) builds."""
    manifest = _manifest(command, cwd)
    if manifest is None or not manifest.is_file():
        return decide(None, environ, dll, target)
    cargo = environ.get("CARGO") or shutil.which("cargo", path=environ.get("PATH"))
    version, problem = pyo3_version(manifest, environ, cargo)
    if problem is not None:
        return Decision(True, {}, f"PyO3's version unknown ({problem}): writing the libraries")
    return decide(version, environ, dll, target)
