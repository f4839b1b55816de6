"""End to end: the recipes of docs/recipes.md, and CPython for Windows importing their output.

The recipes' shell blocks run as written, with ``implib``, ``python``,
``maturin`` and ``cargo`` on PATH (the last two are stand-ins that link as
PyO3's build does). Then the official embeddable CPython 3.13 for x64 runs
under wine and imports every module built: by the recipes (zig cc, MinGW gcc,
clang + lld-link) and by the API (each toolchain against python3.lib/.dll.a
and against python313's), calls functions that read the data exports
``_Py_NoneStruct`` and ``PyExc_TypeError``, and reports back.

Wine notes: CPython dies at start-up when stdout or stderr is a regular file,
so both are pipes; the prefix is kept in the test data cache (the first start
takes a while) and WINEDEBUG=-all keeps wine quiet.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from implib.cross import prepare

from linking import dll_imports
from support import DATA, ROOT, fetch_embedded_python, missing, require_tool

#: Real toolchains and CPython under wine: minutes on a fresh machine.
pytestmark = pytest.mark.slow

EXT = DATA / "ext"
RECIPES = ROOT / "docs" / "recipes.md"
STANDIN = EXT / "pyo3_standin.py"

#: What the test module imports from the Python DLL, whatever the toolchain.
SPAM_IMPORTS = {
    "PyModuleDef_Init",
    "PyLong_FromLong",
    "PyLong_AsLong",
    "PyUnicode_FromString",
    "PyErr_Occurred",
    "PyErr_SetString",
    "Py_IncRef",
    "PyExc_TypeError",
    "_Py_NoneStruct",
}


def recipe(name: str) -> str:
    """The shell block that follows ``<!-- test: NAME -->`` in docs/recipes.md."""
    text = RECIPES.read_text(encoding="utf-8")
    match = re.search(rf"<!-- test: {re.escape(name)} -->\s*```sh\n(.*?)```", text, re.S)
    assert match, f"no recipe {name!r} in {RECIPES}"
    return match.group(1)


def _bin_dir(folder: Path) -> Path:
    """``implib`` and ``python`` of this test run, first on PATH."""
    folder.mkdir(parents=True, exist_ok=True)
    wrappers = {
        "implib": f'exec "{sys.executable}" -m implib "$@"',
        "python": f'exec "{sys.executable}" "$@"',
        # Stand-ins for a PyO3 crate's build: maturin's crate is abi3, cargo's is not.
        "maturin": f'STANDIN_ABI3=1 exec "{sys.executable}" "{STANDIN}" "$@"',
        "cargo": f'STANDIN_ABI3=0 exec "{sys.executable}" "{STANDIN}" "$@"',
    }
    for name, body in wrappers.items():
        path = folder / name
        path.write_text(f"#!/bin/sh\n{body}\n")
        path.chmod(0o755)
    return folder


def run_recipe(
    name: str, work: Path, cache: Path, **extra: str
) -> subprocess.CompletedProcess[str]:
    """Run a recipe block with bash -e in ``work``, spam.c there."""
    bash = require_tool("bash")
    work.mkdir(parents=True, exist_ok=True)
    shutil.copy(EXT / "spam.c", work / "spam.c")
    env = {
        **os.environ,
        "PATH": f"{_bin_dir(work / 'bin')}{os.pathsep}{os.environ.get('PATH', '')}",
        "PYTHON_INCLUDE": str(EXT),  # the stand-in Python.h
        "MSVC_LIBS": "/noentry /nodefaultlib",  # spam.c calls no C runtime
        "IMPLIB_CACHE_DIR": str(cache),
        # This checkout's implib, whatever else is installed.
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        **extra,
    }
    for variable in ("PYO3_CROSS_LIB_DIR", "PYO3_CROSS_PYTHON_VERSION", "CARGO_BUILD_TARGET"):
        env.pop(variable, None)
    result = subprocess.run(
        [bash, "-euo", "pipefail", "-c", recipe(name)],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, f"recipe {name}:\n{result.stdout}\n{result.stderr}"
    return result


# -- the recipes --------------------------------------------------------------------------

#: recipe -> (the module file it builds, the Python DLL it must import, the tools it needs)
C_RECIPES = {
    "zig": ("spam.pyd", "python3.dll", []),
    "mingw-gcc": ("spam.cp313-win_amd64.pyd", "python313.dll", ["x86_64-w64-mingw32-gcc"]),
    "clang-lld-link": ("spam.pyd", "python3.dll", ["clang", "lld-link"]),
}


def _require_zig() -> None:
    try:
        import ziglang  # noqa: F401
    except ImportError:
        missing("ziglang is not installed (pip install ziglang)")


class RecipeBuilds:
    """Builds each C recipe once per module, for the import-table and wine tests."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.built: dict[str, Path] = {}

    def get(self, name: str) -> Path:
        if name not in self.built:
            filename, _, tools = C_RECIPES[name]
            for tool in tools:
                require_tool(tool)
            if name == "zig":
                _require_zig()
            work = self.root / name
            run_recipe(name, work, self.root / "cache")
            self.built[name] = work / filename
        return self.built[name]


@pytest.fixture(scope="module")
def recipe_builds(tmp_path_factory: pytest.TempPathFactory) -> RecipeBuilds:
    return RecipeBuilds(tmp_path_factory.mktemp("recipes"))


@pytest.mark.parametrize(
    "name",
    ["zig", "mingw-gcc", "clang-lld-link"],
)
def test_c_recipe(pefile_module: object, recipe_builds: RecipeBuilds, name: str) -> None:
    module = recipe_builds.get(name)
    imports = dll_imports(module)
    assert imports[C_RECIPES[name][1]] == SPAM_IMPORTS
    assert not any(dll.startswith("python") for dll in set(imports) - {C_RECIPES[name][1]})


def test_msys2_recipe(pefile_module: object, tmp_path: Path) -> None:
    require_tool("x86_64-w64-mingw32-gcc")
    run_recipe("msys2", tmp_path / "work", tmp_path / "cache")
    imports = dll_imports(tmp_path / "work" / "spam.pyd")
    assert imports["libpython3.12.dll"] == SPAM_IMPORTS


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # (target, library PyO3 links, DLL imported) for each line of the block
        (
            "pyo3-abi3",
            [
                ("x86_64-pc-windows-gnu", "python3", "python3.dll"),
                ("x86_64-pc-windows-msvc", "python3", "python3.dll"),
            ],
        ),
        (
            "pyo3-version",
            [
                ("x86_64-pc-windows-gnu", "python312", "python312.dll"),
                ("x86_64-pc-windows-msvc", "python312", "python312.dll"),
            ],
        ),
    ],
)
def test_pyo3_recipe(
    pefile_module: object, tmp_path: Path, name: str, expected: list[tuple[str, str, str]]
) -> None:
    from linking import PROBE_C, PROBE_IMPORTS

    for tool in ("clang", "lld-link", "x86_64-w64-mingw32-gcc"):
        require_tool(tool)
    probe = tmp_path / "probe.c"
    probe.write_text(PROBE_C)
    reports = tmp_path / "reports"
    reports.mkdir()
    run_recipe(
        name,
        tmp_path / "work",
        tmp_path / "cache",
        STANDIN_PROBE=str(probe),
        STANDIN_REPORTS=str(reports),
    )
    found = sorted(reports.glob("*.json"), key=lambda p: int(p.stem))
    assert len(found) == len(expected)
    for path, (target, lib_name, dll) in zip(found, expected):
        report = json.loads(path.read_text())
        assert report["target"] == target and report["lib_name"] == lib_name
        assert report["env"]["PYO3_CROSS_PYTHON_IMPLEMENTATION"] == "CPython"
        assert dll_imports(Path(report["dll"]))[dll] == PROBE_IMPORTS


# -- the API's builds: each toolchain against both kinds of library -----------------------


def _compile(toolchain: str, module: str, build: object, out: Path) -> Path:
    """spam.c as ``module``, linked with the flags implib.cross gave."""
    from implib.cross import CrossBuild

    assert isinstance(build, CrossBuild)
    source = str(EXT / "spam.c")
    common = ["-O2", f"-I{EXT}", f"-DMODULE={module}"]
    pyd = out / f"{module}.pyd"
    if toolchain == "clang-lld-link":
        obj = out / f"{module}.obj"
        steps = [
            [
                require_tool("clang"),
                "--target=x86_64-pc-windows-msvc",
                *common,
                "-c",
                source,
                "-o",
                str(obj),
            ],
            [
                require_tool("lld-link"),
                "/dll",
                "/noentry",
                "/nodefaultlib",
                f"/out:{pyd}",
                str(obj),
                *build.link_flags,
            ],
        ]
    elif toolchain == "mingw-gcc":
        gcc = require_tool("x86_64-w64-mingw32-gcc")
        steps = [[gcc, "-shared", *common, "-o", str(pyd), source, *build.link_flags]]
    else:
        _require_zig()
        zig = [sys.executable, "-m", "ziglang", "cc", "-target", "x86_64-windows-gnu"]
        # zig's -l finds NAME.lib and libNAME.a, not NAME.dll.a: it gets the file.
        steps = [[*zig, "-shared", *common, "-o", str(pyd), source, str(build.library)]]
    for step in steps:
        result = subprocess.run(step, capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, f"{' '.join(step)}:\n{result.stderr}"
    return pyd


TOOLCHAINS = {
    "clang-lld-link": "x86_64-pc-windows-msvc",
    "mingw-gcc": "x86_64-pc-windows-gnu",
    "zig": "x86_64-pc-windows-gnu",
}
LIBRARIES = {"abi3": "python3.dll", "3.13": "python313.dll"}


@pytest.fixture(scope="module")
def api_builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, str]]:
    """module name -> (its .pyd, the Python DLL it must import)."""
    root = tmp_path_factory.mktemp("api")
    built = {}
    for toolchain, target in TOOLCHAINS.items():
        for python, dll in LIBRARIES.items():
            module = f"m_{toolchain.replace('-', '_')}_{python.replace('.', '')}"
            build = prepare(target, python, root / "libs" / target / python)
            built[module] = (_compile(toolchain, module, build, root), dll)
    return built


def test_api_builds_import_right(
    pefile_module: object, api_builds: dict[str, tuple[Path, str]]
) -> None:
    for module, (pyd, dll) in api_builds.items():
        assert dll_imports(pyd)[dll] == SPAM_IMPORTS, module


# -- CPython for Windows, under wine ------------------------------------------------------

#: Run by python.exe: import each module by path, call it, print JSON.
IMPORTER = r"""
import importlib.util, json, sys
results = {}
for key, name, path in zip(*[iter(sys.argv[1:])] * 3):
    try:
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        result = {
            "answer": module.answer(),
            "twice": module.twice(-21),
            "nothing_is_none": module.nothing() is None,
            "built_by": module.built_by(),
        }
        try:
            module.refuse()
        except TypeError as exc:
            result["refuse"] = "TypeError: %s" % exc
        try:
            module.twice("x")
        except TypeError as exc:
            result["twice_str"] = "TypeError"
    except BaseException as exc:
        result = {"error": "%s: %s" % (type(exc).__name__, exc)}
    results[key] = result
print(json.dumps({"version": sys.version, "results": results}))
"""


def _wine_path(path: Path) -> str:
    """The path as Windows programs under wine see it (drive Z: is /)."""
    return "Z:" + str(path.resolve()).replace("/", "\\")


def _prefix() -> Path:
    base = os.environ.get("IMPLIB_TEST_DATA") or os.path.join(
        os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache")), "implib-tests"
    )
    return Path(base) / "wine-prefix"


@pytest.fixture(scope="module")
def wine() -> Iterator[tuple[str, dict[str, str]]]:
    """The wine program and an environment with a prefix of the tests' own."""
    program = shutil.which("wine") or shutil.which("wine64") or require_tool("wine")
    prefix = _prefix()
    prefix.parent.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "WINEPREFIX": str(prefix),
        "WINEDEBUG": "-all",
        "WINEDLLOVERRIDES": "mscoree,mshtml=",  # no Mono or Gecko installer at first start
        "DISPLAY": "",
    }
    yield program, env


def test_cpython_under_wine_imports_every_build(
    wine: tuple[str, dict[str, str]],
    recipe_builds: RecipeBuilds,
    api_builds: dict[str, tuple[Path, str]],
    tmp_path: Path,
) -> None:
    program, env = wine
    python_dir = fetch_embedded_python("3.13.0")
    modules = {f"recipe {name}": ("spam", recipe_builds.get(name)) for name in C_RECIPES}
    modules.update({module: (module, pyd) for module, (pyd, _) in api_builds.items()})
    script = tmp_path / "importer.py"
    script.write_text(IMPORTER)
    argv = [program, str(python_dir / "python.exe"), _wine_path(script)]
    for key, (name, path) in modules.items():
        argv += [key, name, _wine_path(path)]
    started = time.monotonic()
    result = subprocess.run(
        argv,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,  # pipes, not files: see the module's docstring
        text=True,
        timeout=600,
    )
    elapsed = time.monotonic() - started
    output = result.stdout.strip().splitlines()
    assert result.returncode == 0 and output, (
        f"wine python failed ({elapsed:.0f} s):\n{result.stderr}"
    )
    report = json.loads(output[-1])
    assert report["version"].startswith("3.13.")
    built_by = {
        "clang-lld-link": "clang (MSVC target)",
        "mingw-gcc": "gcc (MinGW target)",
        "zig": "clang (MinGW target)",
    }
    for key, (name, _) in modules.items():
        toolchain = (
            key.split()[-1]
            if key.startswith("recipe")
            else next(t for t in TOOLCHAINS if t.replace("-", "_") in key)
        )
        assert report["results"][key] == {
            "answer": 42,
            "twice": -42,
            "nothing_is_none": True,
            "built_by": built_by[toolchain],
            "refuse": f"TypeError: refused by {name}",
            "twice_str": "TypeError",
        }, key
