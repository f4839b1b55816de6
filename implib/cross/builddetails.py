"""A PEP 739 ``build-details.json`` for the CPython a library folder links against.

maturin (1.12 and newer) reads ``build-details.json`` in ``PYO3_CROSS_LIB_DIR``
for a version-specific cross build: the version, the implementation, the
ABI flags and the extension suffix of the target's Python. Without it,
maturin looks for a Unix ``_sysconfigdata*.py`` in that folder, descending
into every entry named ``python3.*``, and fails on implib's ``python3.dll.a``.

Format: PEP 739 and its schema, build-details-v1.0
(https://packaging.python.org/en/latest/specifications/build-details/v1.0/).
Only what the library folder can vouch for is written: no interpreter, no
headers, no ``libpython`` paths (the DLLs are on the Windows machine, not here).
The micro version is unknown, so the implementation's version is the
series' first release (``3.12.0``); maturin reads only the language version.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..fileio import atomic_write
from ..pythons import Kind, PythonBuild
from ..targets import Target

__all__ = ["FILENAME", "build_details", "write_build_details"]

FILENAME = "build-details.json"

#: sysconfig.get_platform() of CPython for Windows, per architecture.
_PLATFORMS = {"x86_64": "win-amd64", "i686": "win32", "aarch64": "win-arm64"}

#: sys.version_info's release level for a final release, and its hexversion nibble.
_FINAL = ("final", 0xF)


def build_details(target: Target, build: PythonBuild) -> dict[str, object] | None:
    """The ``build-details.json`` content for CPython ``build`` on ``target``, or None.

    None for abi3 (not one Python) and PyPy (whose own version and ABI tag
    the folder does not know).
    """
    if build.kind is not Kind.CPYTHON or build.version is None:
        return None
    major, minor = build.version
    platform = _PLATFORMS[target.arch]
    digits = f"{major}{minor}" + ("t" if build.freethreaded else "")
    abi: dict[str, object] = {
        "flags": ["t"] if build.freethreaded else [],
        # importlib.machinery.EXTENSION_SUFFIXES[0] of CPython for Windows
        "extension_suffix": f".cp{digits}-{platform.replace('-', '_')}.pyd",
    }
    if not build.freethreaded:
        abi["stable_abi_suffix"] = ".pyd"  # abi3 modules on Windows are plain .pyd
    release, nibble = _FINAL
    return {
        "schema_version": "1.0",
        "base_prefix": ".",  # the folder itself: there is no installation here
        "platform": platform,
        "language": {"version": f"{major}.{minor}"},
        "implementation": {
            "name": "cpython",
            "version": {
                "major": major,
                "minor": minor,
                "micro": 0,
                "releaselevel": release,
                "serial": 0,
            },
            "hexversion": (major << 24) | (minor << 16) | (nibble << 4),
            "cache_tag": f"cpython-{major}{minor}",
        },
        "abi": abi,
    }


def write_build_details(lib_dir: Path, target: Target, build: PythonBuild) -> Path | None:
    """Write ``build-details.json`` into ``lib_dir`` (atomically); None if there is none."""
    details = build_details(target, build)
    if details is None:
        return None
    path = lib_dir / FILENAME
    atomic_write(path, (json.dumps(details, indent=2) + "\n").encode())
    return path
