"""PEP 739 ``build-details.json`` for a library folder: :mod:`implib.sdk.builddetails`.

The values are checked against the real CPython for Windows (under wine),
and the file against the required keys of the build-details v1.0 schema;
that maturin reads it is shown by the versioned maturin recipe
(tests/cross/test_recipes.py).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from implib.pythons import parse_python
from implib.sdk.builddetails import build_details, write_build_details
from implib.targets import parse_target

from support import windows_python

X64 = parse_target("x86_64-pc-windows-msvc")

#: build-details-v1.0.schema.json: the required keys, object by object.
REQUIRED = {
    (): {"schema_version", "base_prefix", "platform", "language", "implementation"},
    ("language",): {"version"},
    ("implementation",): {"name", "version", "hexversion", "cache_tag"},
    ("implementation", "version"): {"major", "minor", "micro", "releaselevel", "serial"},
    ("abi",): {"flags"},
}
#: ... and the keys each object may have (additionalProperties: false), but implementation.
ALLOWED = {
    (): {
        "schema_version", "base_prefix", "base_interpreter", "platform", "language",
        "implementation", "abi", "suffixes", "libpython", "c_api", "arbitrary_data",
    },
    ("language",): {"version", "version_info"},
    ("implementation", "version"): {"major", "minor", "micro", "releaselevel", "serial"},
    ("abi",): {"flags", "extension_suffix", "stable_abi_suffix"},
    ("libpython",): {"dynamic", "dynamic_stableabi", "static", "link_extensions"},
    ("c_api",): {"headers", "pkgconfig_path"},
}  # fmt: skip


def check_schema_keys(details: dict[str, object]) -> None:
    """The required keys are there, and no key the schema does not allow (where it says)."""
    for path, keys in REQUIRED.items():
        assert keys <= set(_at(details, path)), path
    for path, keys in ALLOWED.items():
        if path[:1] == () or path[0] in details:
            assert set(_at(details, path)) <= keys, path


def _at(data: dict[str, object], path: tuple[str, ...]) -> dict[str, object]:
    for key in path:
        value = data[key]
        assert isinstance(value, dict)
        data = value
    return data


@pytest.mark.parametrize(
    ("target", "spec", "platform", "suffix"),
    [
        ("x86_64-pc-windows-gnu", "3.11", "win-amd64", ".cp311-win_amd64.pyd"),
        ("i686-pc-windows-msvc", "3.12", "win32", ".cp312-win32.pyd"),
        ("aarch64-pc-windows-msvc", "3.13t", "win-arm64", ".cp313t-win_arm64.pyd"),
    ],
)
def test_build_details(target: str, spec: str, platform: str, suffix: str) -> None:
    details = build_details(parse_target(target), parse_python(spec))
    assert details is not None
    check_schema_keys(details)
    assert details["schema_version"] == "1.0"
    assert details["platform"] == platform
    abi = _at(details, ("abi",))
    assert abi["extension_suffix"] == suffix
    freethreaded = spec.endswith("t")
    assert abi["flags"] == (["t"] if freethreaded else [])
    # No stable ABI for free-threaded 3.13 (abi3t comes with 3.15).
    assert ("stable_abi_suffix" in abi) is not freethreaded


@pytest.mark.parametrize("spec", ["abi3", "abi3-3.9", "pypy3.10"])
def test_no_build_details(tmp_path: Path, spec: str) -> None:
    assert build_details(X64, parse_python(spec)) is None
    assert write_build_details(tmp_path, X64, parse_python(spec)) is None
    assert list(tmp_path.iterdir()) == []


def test_write_build_details(tmp_path: Path) -> None:
    path = write_build_details(tmp_path, X64, parse_python("3.12"))
    assert path == tmp_path / "build-details.json"
    assert json.loads(path.read_text()) == build_details(X64, parse_python("3.12"))
    assert [p.name for p in tmp_path.iterdir()] == ["build-details.json"]  # no temp file left


#: Run by python.exe: the values build-details.json stands for, as CPython has them.
REAL_VALUES = r"""
import importlib.machinery, json, sys, sysconfig
print(json.dumps({
    "language_version": sysconfig.get_python_version(),
    "platform": sysconfig.get_platform(),
    "extension_suffix": importlib.machinery.EXTENSION_SUFFIXES[0],
    "extensions": importlib.machinery.EXTENSION_SUFFIXES,
    "name": sys.implementation.name,
    "cache_tag": sys.implementation.cache_tag,
    "major_minor": list(sys.version_info[:2]),
    "hexversion_series": sys.hexversion >> 16,
}))
"""


@pytest.mark.slow
@pytest.mark.parametrize("version", ["3.11.0", "3.13.0"])
def test_build_details_match_cpython_for_windows(
    wine: tuple[str, dict[str, str]], tmp_path: Path, version: str
) -> None:
    real = windows_python(wine, version, REAL_VALUES, [], tmp_path)
    spec = version.rsplit(".", 1)[0]
    details = build_details(X64, parse_python(spec))
    assert details is not None
    implementation = _at(details, ("implementation",))
    abi = _at(details, ("abi",))
    assert _at(details, ("language",))["version"] == real["language_version"] == spec
    assert details["platform"] == real["platform"]
    assert abi["extension_suffix"] == real["extension_suffix"]
    assert abi["stable_abi_suffix"] in real["extensions"]
    assert implementation["name"] == real["name"]
    assert implementation["cache_tag"] == real["cache_tag"]
    version_info = _at(details, ("implementation", "version"))
    assert [version_info["major"], version_info["minor"]] == real["major_minor"]
    hexversion = implementation["hexversion"]
    assert isinstance(hexversion, int) and hexversion >> 16 == real["hexversion_series"]


@pytest.mark.parametrize(
    ("target", "spec"),
    [("x86_64-pc-windows-gnu", "3.13"), ("i686-pc-windows-msvc", "3.15t"),
     ("aarch64-pc-windows-msvc", "abi3-3.9"), ("x86_64-pc-windows-gnu", "abi3t")],
)  # fmt: skip
def test_an_sdks_file_has_only_the_schemas_keys(tmp_path: Path, target: str, spec: str) -> None:
    """build-details-v1.0.schema.json: additionalProperties is false but in arbitrary_data."""
    import implib

    made = implib.sdk(target, spec, tmp_path / "sdk")
    details = json.loads(made.build_details.read_text())
    check_schema_keys(details)
    assert {"libpython", "c_api"} <= set(details)
    assert details["libpython"]["link_extensions"] is True
    # meson's copy differs in one key: its spelling of the Stable ABI's library, absolute.
    meson = json.loads((made.root / "meson-build-details.json").read_text())
    extra = meson["libpython"].pop("dynamic-stableabi", None)
    assert meson == details
    stable = details["libpython"].get("dynamic_stableabi")
    assert extra == (str(made.root / stable) if stable else None)
