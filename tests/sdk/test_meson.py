"""meson builds through an SDK's ``build-details.json``: :mod:`implib.sdk.meson`, :mod:`.builddetails`.

A small project (tests/data/ext/spam.c as a version-specific module and as a
``limited_api`` one) is set up by the real meson (pip's) with MinGW-w64 gcc:
once with a cross file of the test's own and
``-Dpython.build_config=DIR/build-details.json``, once with the SDK's
``meson-cross.ini`` alone (which names ``meson-build-details.json``, for the
limited-API module). The modules' import tables
are read back, and the official CPython 3.13 imports both under wine.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import implib

from linking import dll_imports
from support import DATA, missing, require_tool, windows_python, wine_path

pytestmark = pytest.mark.slow

MESON_BUILD = """
project('spam', 'c')
py = import('python').find_installation(pure: false)
py.extension_module('spam', 'spam.c')
"""
#: ... and a limited-API module, which meson 1.12 links through its own key (see
#: implib/sdk/builddetails.py): the SDK's cross file names the file that has it.
LIMITED = """
py.extension_module('spam3', 'spam.c', c_args: ['-DMODULE=spam3'], limited_api: '3.9')
"""

OWN_CROSS = """
[binaries]
c = 'x86_64-w64-mingw32-gcc'
strip = 'x86_64-w64-mingw32-strip'

[host_machine]
system = 'windows'
cpu_family = 'x86_64'
cpu = 'x86_64'
endian = 'little'
"""


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if found is None:
        missing(f"{name} not found (pip install meson ninja)")
    assert found is not None
    return found


def _build(project: Path, cross: list[str], options: list[str]) -> Path:
    meson, ninja = _tool("meson"), _tool("ninja")
    require_tool("x86_64-w64-mingw32-gcc")
    build = project / "build"
    env_path = f"{Path(ninja).parent}:{Path(sys.executable).parent}:/usr/bin:/bin"
    env = {"PATH": env_path, "HOME": str(project)}
    argv = [meson, "setup", str(build), str(project)]
    argv += [arg for file in cross for arg in ("--cross-file", file)]
    for step in (argv + options, [meson, "compile", "-C", str(build)]):
        result = subprocess.run(step, capture_output=True, text=True, env=env, timeout=600)
        assert result.returncode == 0, f"{' '.join(step)}:\n{result.stdout}\n{result.stderr}"
    return build


def _project(root: Path, *, limited: bool) -> Path:
    root.mkdir(parents=True)
    (root / "meson.build").write_text(MESON_BUILD + (LIMITED if limited else ""))
    shutil.copy(DATA / "ext" / "spam.c", root / "spam.c")
    return root


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("meson")
    made = implib.sdk("x86_64-pc-windows-gnu", "3.13", root / "sdk")
    own = root / "own-cross.ini"
    own.write_text(OWN_CROSS)
    option = [f"-Dpython.build_config={made.build_details}"]
    with_option = _build(_project(root / "with-option", limited=False), [str(own)], option)
    cross_file = [str(made.meson_cross)]
    with_cross_file = _build(_project(root / "with-cross-file", limited=True), cross_file, [])
    return {"option": with_option, "cross file": with_cross_file}


@pytest.mark.parametrize("how", ["option", "cross file"])
def test_meson_links_the_sdk_libraries(
    pefile_module: object, builds: dict[str, Path], how: str
) -> None:
    build = builds[how]
    versioned = build / "spam.cp313-win_amd64.pyd"  # build-details.json's extension_suffix
    assert {n for n in dll_imports(versioned) if n.startswith("python")} == {"python313.dll"}
    if how == "cross file":
        limited = build / "spam3.pyd"  # ... and its stable_abi_suffix
        assert {n for n in dll_imports(limited) if n.startswith("python")} == {"python3.dll"}


IMPORTER = r"""
import importlib, json, sys
sys.path[:0] = sys.argv[1:]
results = {}
for name in ("spam", "spam3"):
    module = importlib.import_module(name)
    results[name] = [module.answer(), module.twice(4), module.__file__.rsplit("\\", 1)[-1]]
    del sys.modules[name]
print(json.dumps(results))
"""


def test_cpython_313_imports_the_meson_modules(
    wine: tuple[str, dict[str, str]], builds: dict[str, Path], tmp_path: Path
) -> None:
    report = windows_python(wine, "3.13.0", IMPORTER, [wine_path(builds["cross file"])], tmp_path)
    assert report == {
        "spam": [42, 8, "spam.cp313-win_amd64.pyd"],
        "spam3": [42, 8, "spam3.pyd"],
    }
