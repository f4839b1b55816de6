"""``implib env --sdk``, ``implib run --sdk`` and ``prepare(sdk=True)``: the SDK for C builds.

The recipes of docs/recipes.md build real modules this way
(tests/cross/test_recipes.py); here, what the variables say.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from implib.cross import prepare
from implib.errors import ImplibError


def test_prepare_with_sdk(tmp_path: Path) -> None:
    build = prepare("x86_64-pc-windows-gnu", "3.13", tmp_path / "sdk", sdk=True)
    root = tmp_path / "sdk"
    assert build.sdk == root and build.lib_dir == root / "libs"
    assert build.env["IMPLIB_SDK"] == str(root)
    assert build.env["IMPLIB_INCLUDE"] == str(root / "include")
    assert build.env["IMPLIB_CFLAGS"] == f"-I{root / 'include'}"
    assert build.env["IMPLIB_BUILD_DETAILS"] == str(root / "build-details.json")
    assert build.env["IMPLIB_MESON_CROSS"] == str(root / "meson-cross.ini")
    assert build.env["IMPLIB_LDFLAGS"] == f"-L{root / 'libs'} -lpython313"
    assert (root / "include" / "pyconfig.h").is_file()
    # PyO3 keeps what it had: the library folder, with maturin's build-details.json in it.
    assert build.env["PYO3_CROSS_LIB_DIR"] == str(root / "libs")
    assert build.build_details == root / "libs" / "build-details.json"
    assert json.loads(build.build_details.read_text())["abi"]["extension_suffix"] == (
        ".cp313-win_amd64.pyd"
    )


@pytest.mark.parametrize("extra", [{"dll_name": "libpython3.12.dll"}, {"server": "http://x"}])
def test_sdk_wants_implibs_own_libraries(tmp_path: Path, extra: dict[str, str]) -> None:
    with pytest.raises(ImplibError, match="give --sdk without --dll-name and --server"):
        prepare("x86_64-pc-windows-gnu", "3.12", tmp_path / "sdk", sdk=True, **extra)  # type: ignore[arg-type]
    assert not (tmp_path / "sdk").exists()


def test_env_json_and_run(tmp_path: Path) -> None:
    implib = [sys.executable, "-m", "implib"]
    selection = ["-t", "x86_64-pc-windows-msvc", "--abi3", "--min-python", "3.9", "--sdk"]
    env = subprocess.run(
        [*implib, "env", *selection, "-o", "s", "--format", "json"],
        cwd=tmp_path, capture_output=True, text=True,
    )  # fmt: skip
    assert env.returncode == 0, env.stderr
    summary = json.loads(env.stdout)
    assert summary["sdk"] == str(tmp_path / "s")
    assert summary["library"] == str(tmp_path / "s" / "libs" / "python3.lib")
    run = subprocess.run(
        [*implib, "run", *selection, "-o", "s", "--", "sh", "-c", "echo $IMPLIB_CFLAGS"],
        cwd=tmp_path, capture_output=True, text=True,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert run.stdout == f"-I{tmp_path / 's' / 'include'}\n"
