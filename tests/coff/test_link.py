"""Real linkers against implib's libraries: the DLLs they make import right.

Each probe DLL is linked the way the consumers' builds link: lld-link gets
the ``.lib`` path (MSVC), MinGW gcc and clang+lld get ``-L DIR -l NAME``
with the names PyO3's build emits (``python3``, ``python312``; MSYS2's
``python3.12``). pefile then reads the DLL's import table back.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from implib.api import generate

from linking import (
    PROBE_C,
    PROBE_IMPORTS,
    PYPY_PROBE_C,
    PYPY_PROBE_IMPORTS,
    dll_imports,
    link_llvm_mingw,
    link_mingw,
    link_msvc,
)


def _check(dll: Path, expected_dll: str) -> None:
    imports = dll_imports(dll)
    assert expected_dll in imports, imports
    expected = PYPY_PROBE_IMPORTS if "pypy" in expected_dll else PROBE_IMPORTS
    assert imports[expected_dll] == expected  # by name, data ones included


@pytest.mark.parametrize("arch", ["x86_64", "i686", "aarch64"])
@pytest.mark.parametrize(("python", "dll"), [("abi3", "python3.dll"), ("3.12", "python312.dll")])
def test_lld_link(pefile_module: object, tmp_path: Path, arch: str, python: str, dll: str) -> None:
    lib = generate(f"{arch}-pc-windows-msvc", python, tmp_path / "libs")
    _check(link_msvc(arch, lib.path, tmp_path / "work"), dll)


@pytest.mark.parametrize("arch", ["x86_64", "i686"])
@pytest.mark.parametrize(
    ("python", "name", "dll"),
    [
        ("abi3", "python3", "python3.dll"),
        ("3.12", "python312", "python312.dll"),  # PyO3 cross builds
        ("3.12", "python3.12", "python312.dll"),  # native MinGW / MSYS2 style
        ("3.13t", "python313t", "python313t.dll"),
        ("pypy3.10", "python310", "libpypy3.10-c.dll"),  # PyO3 0.28 and older
    ],
)
def test_mingw_gcc(
    pefile_module: object, tmp_path: Path, arch: str, python: str, name: str, dll: str
) -> None:
    generate(f"{arch}-pc-windows-gnu", python, tmp_path / "libs")
    source = PYPY_PROBE_C if python.startswith("pypy") else PROBE_C
    _check(link_mingw(arch, tmp_path / "libs", name, tmp_path / "work", source), dll)


@pytest.mark.parametrize("arch", ["x86_64", "i686", "aarch64"])
def test_clang_lld_mingw(pefile_module: object, tmp_path: Path, arch: str) -> None:
    generate(f"{arch}-pc-windows-gnullvm", "abi3", tmp_path / "libs")
    _check(link_llvm_mingw(arch, tmp_path / "libs", "python3", tmp_path / "work"), "python3.dll")


def test_msys2_dll_name(pefile_module: object, tmp_path: Path) -> None:
    generate("x86_64-pc-windows-gnu", "3.12", tmp_path / "libs", dll_name="libpython3.12.dll")
    _check(
        link_mingw("x86_64", tmp_path / "libs", "python3.12", tmp_path / "work"),
        "libpython3.12.dll",
    )
