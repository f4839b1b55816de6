"""Packaging as a user meets it: built with the oldest declared build requirements, installed plain.

The sdist and the wheel are built by setuptools' own PEP 517 hooks in a venv
that holds nothing but the oldest setuptools ``pyproject.toml`` admits; the
wheel from the sdist must be the same wheel. Then a fresh venv installs the
wheel with no extras and runs the commands that need the dependencies:
``serve``, ``fetch``, ``env`` with ``IMPLIB_SERVER``, ``defs from-dll`` and
``verify --dll`` on a DLL the test links.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tarfile
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from support import ROOT, missing, require_tool

pytestmark = pytest.mark.slow

_HOOKS = (
    "import sys, setuptools.build_meta as hooks; "
    "print(getattr(hooks, 'build_' + sys.argv[1])(sys.argv[2]))"
)


def _run(argv: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, capture_output=True, text=True, **kwargs)  # type: ignore[call-overload, no-any-return]


def _venv(folder: Path, *packages: str) -> Path:
    """A venv with ``packages`` from PyPI; its python."""
    python = folder / "bin" / "python"
    if not python.exists():
        _run([sys.executable, "-m", "venv", str(folder)], check=True)
    if packages:
        result = _run(
            [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", *packages]
        )
        if result.returncode != 0:
            missing(f"cannot pip install {' '.join(packages)}: {result.stderr.strip()[-300:]}")
    return python


def _oldest_setuptools() -> str:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    match = re.search(r'requires = \["setuptools>=(\d+)"\]', text)
    assert match, "build-system.requires should name setuptools>=N"
    return f"setuptools~={match.group(1)}.0"  # the oldest release series admitted


def _source_copy(dest: Path) -> Path:
    """The files git tracks (and new ones it does not ignore): what a clean clone holds."""
    listed = _run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"], cwd=ROOT)
    if listed.returncode != 0:
        missing(f"git ls-files failed: {listed.stderr.strip()}")
    for name in filter(None, listed.stdout.split("\0")):
        source = ROOT / name
        if source.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)
    return dest


def _build(python: Path, kind: str, source: Path, out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    result = _run([str(python), "-c", _HOOKS, kind, str(out)], cwd=source)
    assert result.returncode == 0, result.stderr[-2000:]
    return out / result.stdout.strip().splitlines()[-1]


def _members(wheel: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(wheel) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """(sdist, wheel, wheel rebuilt from the sdist), by the oldest admitted setuptools."""
    work = tmp_path_factory.mktemp("packaging")
    python = _venv(work / "build-venv", _oldest_setuptools())
    source = _source_copy(work / "source")
    sdist = _build(python, "sdist", source, work / "dist")
    wheel = _build(python, "wheel", source, work / "dist")
    with tarfile.open(sdist) as archive:
        archive.extractall(work / "unpacked", filter="data")
    (unpacked,) = (work / "unpacked").iterdir()
    rebuilt = _build(python, "wheel", unpacked, work / "rebuilt")
    return sdist, wheel, rebuilt


def test_sdist_and_wheel_hold_what_users_need(built: tuple[Path, Path, Path]) -> None:
    sdist, wheel, _ = built
    bundled = sorted(p.name for p in (ROOT / "implib" / "exportlists").glob("*.def"))
    names = _members(wheel)
    assert (
        sorted(
            Path(n).name
            for n in names
            if n.startswith("implib/exportlists/") and n.endswith(".def")
        )
        == bundled
    )
    assert "implib/py.typed" in names
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    assert not [n for n in names if n.startswith(("scripts/", "tests/", "defgen/"))]
    metadata = next(data for name, data in names.items() if name.endswith(".dist-info/METADATA"))
    assert b"License-Expression: MIT" in metadata
    with tarfile.open(sdist) as archive:
        files = {Path(*Path(name).parts[1:]).as_posix() for name in archive.getnames()}
    assert {"LICENSE", "README.md", "pyproject.toml", "implib/py.typed"} <= files
    assert {f"implib/exportlists/{name}" for name in bundled} <= files


def test_the_sdist_rebuilds_the_same_wheel(built: tuple[Path, Path, Path]) -> None:
    _, wheel, rebuilt = built
    assert wheel.name == rebuilt.name
    assert _members(wheel) == _members(rebuilt)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def plain_install(built: tuple[Path, Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the wheel installed, no extras; its bin folder."""
    _, wheel, _ = built
    python = _venv(tmp_path_factory.mktemp("plain") / "venv", str(wheel))
    return python.parent


@pytest.fixture
def served(plain_install: Path, tmp_path: Path) -> Iterator[str]:
    port = _free_port()
    process = subprocess.Popen(
        [str(plain_install / "implib"), "serve", "--port", str(port), "--no-access-log"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"implib serve did not start: {process.communicate()[1]}")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_plain_install_serves_fetches_and_sets_up_a_build(
    plain_install: Path, served: str, tmp_path: Path
) -> None:
    implib = str(plain_install / "implib")
    fetched = _run(
        [implib, "fetch", "--server", served, "-t", "win-amd64", "--abi3", "--no-fallback",
         "-o", str(tmp_path / "libs")]
    )  # fmt: skip
    assert fetched.returncode == 0, fetched.stderr
    assert "1 from" in fetched.stdout and (tmp_path / "libs" / "python3.lib").is_file()

    env = {**os.environ, "IMPLIB_SERVER": served}
    shell = _run(
        [implib, "env", "--target", "x86_64-pc-windows-gnu", "--abi3", "-o", str(tmp_path / "gnu")],
        env=env,
    )
    assert shell.returncode == 0, shell.stderr
    assert f"export PYO3_CROSS_LIB_DIR={tmp_path / 'gnu'}" in shell.stdout
    assert "sha256 checked" in shell.stderr  # from the server, not generated here


def test_plain_install_has_uvicorns_fast_parts_where_wheels_exist(plain_install: Path) -> None:
    """As uvicorn[standard]: implib serve out of the box runs httptools and uvloop (CPython,
    not Windows), the ones it measures against nginx (scripts/load_serve.py)."""
    if sys.implementation.name != "cpython" or sys.platform == "win32":
        pytest.skip("httptools and uvloop are installed on CPython off Windows only")
    code = "import httptools, uvloop; from implib.service.connections import protocol_class as p; print(p().__name__)"
    result = _run([str(plain_install / "python"), "-c", code])
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "GuardedHttpToolsProtocol"


EXPORTS_C = r"""
__declspec(dllexport) int answer(void) { return 42; }
__declspec(dllexport) int counter = 7;
"""


def test_plain_install_reads_and_checks_a_real_dll(plain_install: Path, tmp_path: Path) -> None:
    gcc = require_tool("x86_64-w64-mingw32-gcc")
    (tmp_path / "mine.c").write_text(EXPORTS_C)
    _run([gcc, "-shared", "-o", "mine.dll", "mine.c"], cwd=tmp_path, check=True)
    implib = str(plain_install / "implib")
    made = _run([implib, "defs", "from-dll", "mine.dll", "-o", "mine.def"], cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    text = (tmp_path / "mine.def").read_text()
    assert re.search(r"^\s+answer$", text, re.M) and re.search(r"^\s+counter DATA$", text, re.M)
    gen = _run([implib, "gen", "-t", "x86_64-pc-windows-gnu", "--def", "mine.def"], cwd=tmp_path)
    assert gen.returncode == 0, gen.stderr
    checked = _run([implib, "verify", "mine.dll.a", "--dll", "mine.dll"], cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.strip().endswith("2 imports checked: OK")
