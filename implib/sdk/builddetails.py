"""PEP 739 ``build-details.json``: the target interpreter, for build systems.

Two readers, two files of the same format:

* maturin (1.12 and newer) reads ``build-details.json`` in
  ``PYO3_CROSS_LIB_DIR`` for a version-specific cross build: the version,
  the implementation, the ABI flags and the extension suffix. Without it,
  maturin looks for a Unix ``_sysconfigdata*.py`` in that folder, descending
  into every entry named ``python3.*``, and fails on implib's
  ``python3.dll.a``. ``implib env``/``run`` write :func:`build_details` into
  the library folder: only what that folder vouches for (no headers, no
  ``libpython``).
* meson (1.9 and newer, ``-Dpython.build_config=FILE``) and others read the
  file ``implib sdk`` writes (:func:`sdk_build_details`): the same plus
  ``c_api.headers``, ``libpython`` with ``link_extensions: true``, the
  headers' patch release, and every path relative to ``base_prefix`` (itself
  relative to the file's folder, as PEP 739 allows), so the SDK folder can
  move.

``libpython.dynamic`` (and ``dynamic_stableabi``) name the *import library*
(``libs/python313.lib``, ``libs/python313.dll.a``), not the DLL PEP 739
means: in a cross build the DLL is on the Windows machine, not here, and
meson links the path as given, which a linker accepts only as an import
library (a MinGW linker would take the DLL; lld-link and link.exe would
not). ``arbitrary_data.implib`` says so, and names the DLL.

meson 1.12 reads the Stable ABI's library of a ``limited_api`` module as
``libpython["dynamic-stableabi"]`` (a hyphen), where PEP 739 says
``dynamic_stableabi``; without that key its limited-API builds for Windows
stop with a KeyError. The schema allows no other key in ``libpython``, so
``build-details.json`` stays as PEP 739 has it, and the SDK also holds
``meson-build-details.json`` (:func:`meson_build_details`): the same, plus
the hyphenated key, an absolute path (meson resolves only the PEP's path
keys against ``base_prefix``, and would look for a relative one in the
build folder). The SDK's meson cross file names that one; a moved SDK's
limited-API meson builds want ``implib sdk`` run again there. An abi3 SDK's
``dynamic`` is python3's library, so every meson path links the Stable ABI.

An abi3 SDK describes the oldest interpreter it targets (``--min-python``,
else the release of its headers): its version, and no ABI flags but ``t``
for abi3t. Format: PEP 739 and its schema, build-details-v1.0
(https://packaging.python.org/en/latest/specifications/build-details/v1.0/).
"""

from __future__ import annotations

import json
from pathlib import Path

from ..fileio import atomic_write
from ..pythons import ABI3T_FIRST, Kind, PythonBuild
from ..targets import Target

__all__ = [
    "FILENAME",
    "MESON_FILENAME",
    "build_details",
    "meson_build_details",
    "sdk_build_details",
    "write_build_details",
]

FILENAME = "build-details.json"
#: build-details.json with meson 1.12's spelling of the Stable ABI's library added.
MESON_FILENAME = "meson-build-details.json"

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


def _version(major: int, minor: int, micro: int) -> dict[str, object]:
    release, _ = _FINAL
    return {"major": major, "minor": minor, "micro": micro, "releaselevel": release, "serial": 0}


def sdk_build_details(
    target: Target,
    build: PythonBuild,
    *,
    headers_release: str,
    include: str,
    library: str,
    stable_library: str | None,
    dll: str,
    base_prefix: str = ".",
) -> dict[str, object]:
    """The ``build-details.json`` of an SDK: ``include`` and the libraries relative to it.

    ``headers_release`` is the headers' patch release (``3.13.18``); a
    version-specific SDK's interpreter is that one, an abi3 SDK's the oldest
    it targets.
    """
    parts = [int(p) for p in headers_release.split(".")[:3]] + [0, 0]
    major, minor, micro = parts[0], parts[1], parts[2]
    stable = build.kind is Kind.ABI3
    if stable and build.version is not None:
        (major, minor), micro = build.version, 0
    platform = _PLATFORMS[target.arch]
    digits = f"{major}{minor}" + ("t" if build.freethreaded else "")
    abi: dict[str, object] = {
        "flags": ["t"] if build.freethreaded else [],
        "extension_suffix": f".cp{digits}-{platform.replace('-', '_')}.pyd",
    }
    has_stable_abi = not build.freethreaded or (major, minor) >= ABI3T_FIRST
    if has_stable_abi:
        abi["stable_abi_suffix"] = ".pyd"  # abi3 and abi3t modules on Windows are plain .pyd
    libpython: dict[str, object] = {"dynamic": library}
    if stable_library is not None:
        libpython["dynamic_stableabi"] = stable_library
    libpython["link_extensions"] = True
    _, nibble = _FINAL
    return {
        "schema_version": "1.0",
        "base_prefix": base_prefix,
        "platform": platform,
        "language": {"version": f"{major}.{minor}", "version_info": _version(major, minor, micro)},
        "implementation": {
            "name": "cpython",
            "version": _version(major, minor, micro),
            "hexversion": (major << 24) | (minor << 16) | (micro << 8) | (nibble << 4),
            "cache_tag": f"cpython-{major}{minor}",
        },
        "abi": abi,
        "suffixes": {
            "source": [".py"],
            "bytecode": [".pyc"],
            "optimized_bytecode": [".pyc"],
            "debug_bytecode": [".pyc"],
            "extensions": [abi["extension_suffix"], ".pyd"],
        },
        "libpython": libpython,
        "c_api": {"headers": include},
        "arbitrary_data": {
            "implib": {
                "target": target.triple,
                "python": build.spec,
                "headers": headers_release,
                "dll": dll,
                "libpython_is_import_library": True,
            }
        },
    }


def meson_build_details(
    details: dict[str, object], stable_library: str | None
) -> dict[str, object]:
    """``details`` with meson 1.12's ``dynamic-stableabi``: ``stable_library``, absolute."""
    libpython = dict(details["libpython"])  # type: ignore[call-overload]
    if stable_library is not None:
        libpython["dynamic-stableabi"] = stable_library
    return {**details, "libpython": libpython}
