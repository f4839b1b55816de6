"""An SDK's ``python.cmake`` read by the real CMake: :mod:`implib.sdk.cmake`.

CMake configures a project with no language (no compiler needed) and the
SDK's file as its initial cache (``cmake -C``), for a Windows host, after
the SDK was moved to another folder: FindPython (and FindPython3) find the
SDK's headers and library where they now are, read the version from the
headers, and keep the SOABI tag. The C build through it is
tests/cross/test_recipes.py's CMake recipe.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

import implib

from support import require_tool

FIND = """
cmake_minimum_required(VERSION 3.18)
project(probe NONE)
find_package({prefix} REQUIRED COMPONENTS Development.Module)
message(STATUS "probe|${{{prefix}_VERSION}}|${{{prefix}_INCLUDE_DIRS}}|${{{prefix}_LIBRARIES}}|${{{prefix}_SOABI}}")
"""
#: No find_package: FindPython before 3.26 refuses python3's library (see docs/recipes.md).
CACHE_ONLY = """
cmake_minimum_required(VERSION 3.18)
project(probe NONE)
message(STATUS "probe|${Python_INCLUDE_DIR}|${Python_LIBRARY}|${Python_SABI_LIBRARY}|${Python_SOABI}")
"""


def _probe(sdk: Path, project: str, tmp_path: Path) -> list[str]:
    """Configure ``project`` with ``sdk``'s python.cmake; the fields of its probe line."""
    cmake = require_tool("cmake")
    source = tmp_path / "project"
    source.mkdir()
    (source / "CMakeLists.txt").write_text(project)
    argv = [cmake, "-S", str(source), "-B", str(tmp_path / "build"), "-DCMAKE_SYSTEM_NAME=Windows"]
    argv += ["-C", str(sdk / "python.cmake")]
    result = subprocess.run(argv, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    (line,) = [line for line in result.stdout.splitlines() if line.startswith("-- probe|")]
    return line.split("|")[1:]


def _moved(target: str, python: str, tmp_path: Path) -> Path:
    """An SDK written in one folder, then moved: the file names nothing of the first."""
    made = implib.sdk(target, python, tmp_path / "first")
    assert made.cmake_cache == made.root / "python.cmake"
    moved = tmp_path / "moved here"
    shutil.move(made.root, moved)
    return moved


@pytest.mark.parametrize(
    ("target", "library", "soabi"),
    [
        ("x86_64-pc-windows-gnu", "python313.dll.a", "cp313-win_amd64"),
        ("x86_64-pc-windows-msvc", "python313.lib", "cp313-win_amd64"),
        ("aarch64-pc-windows-msvc", "python313.lib", "cp313-win_arm64"),
    ],
)
@pytest.mark.parametrize("prefix", ["Python", "Python3"])
def test_findpython_takes_a_version_sdk(
    tmp_path: Path, target: str, library: str, soabi: str, prefix: str
) -> None:
    sdk = _moved(target, "3.13", tmp_path)
    fields = _probe(sdk, FIND.format(prefix=prefix), tmp_path)
    assert fields == ["3.13.18", str(sdk / "include"), str(sdk / "libs" / library), soabi]


def test_an_abi3_sdk_names_python3_and_no_soabi(tmp_path: Path) -> None:
    sdk = _moved("x86_64-pc-windows-gnu", "abi3-3.9", tmp_path)
    fields = _probe(sdk, CACHE_ONLY, tmp_path)
    python3 = str(sdk / "libs" / "python3.dll.a")
    # No Python_LIBRARY: CMake 4.4 takes python3's there for a free-threaded build's.
    assert fields == [str(sdk / "include"), "", python3, ""]  # abi3 modules: plain .pyd
