"""Shared fixtures: the real tools the tests drive, real Python DLLs, a clean environment.

Every test runs with a cache of its own (``IMPLIB_CACHE_DIR``) and without the
variables that steer implib from outside (``ZIG_COMMAND``, ``PYO3_*``,
``IMPLIB_*``, ``CARGO_BUILD_TARGET``), and ``NETRC`` names an empty file, so
that neither the developer's cache, nor their shell, nor their ``~/.netrc``
changes what a test sees. Every test, and every fixture, runs in an empty
folder of its own: a linker's search of the working directory, or a command
that writes into it, never meets what the developer left in the checkout
(README's first command writes ``python3.lib`` there).
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from support import (
    EMBED_VERSIONS,
    IN_CI,
    fetch_embedded_python,
    missing,
    require_tool,
    wine_environment,
)

# In CI the property tests run the same examples every time and remember none:
# a failure there is a failure of the change, never of the dice.
settings.register_profile("ci", derandomize=True, database=None)
if IN_CI:
    settings.load_profile("ci")

#: Variables that change what implib does, cleared for every test.
STEERING = ("ZIG_COMMAND", "CARGO_BUILD_TARGET")
STEERING_PREFIXES = ("PYO3_", "IMPLIB_")


def _clean(patch: pytest.MonkeyPatch, cache: Path) -> None:
    for name in list(os.environ):
        steers = name in STEERING or name.startswith(STEERING_PREFIXES)
        if steers and name != "IMPLIB_TEST_DATA":  # where the suite keeps its data
            patch.delenv(name)
    patch.setenv("IMPLIB_CACHE_DIR", str(cache))
    # fetch's credentials: none (an empty file; a $NETRC that does not exist is an error)
    patch.setenv("NETRC", os.devnull)


@pytest.fixture(scope="session", autouse=True)
def clean_session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The same for module- and session-scoped fixtures, which run outside any test."""
    with pytest.MonkeyPatch.context() as patch:
        _clean(patch, tmp_path_factory.mktemp("session-cache"))
        patch.chdir(tmp_path_factory.mktemp("session-cwd"))
        yield


@pytest.fixture(autouse=True)
def clean_environment(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cache and a working directory of the test's own, none of the variables that steer implib."""
    # the cache folder does not exist yet, as on a machine where implib never ran
    _clean(monkeypatch, tmp_path_factory.mktemp("cache") / "implib")
    monkeypatch.chdir(tmp_path_factory.mktemp("cwd"))


@pytest.fixture
def cache_dir() -> Path:
    """The test's own cache (``clean_environment``'s ``IMPLIB_CACHE_DIR``)."""
    return Path(os.environ["IMPLIB_CACHE_DIR"])


@pytest.fixture(scope="session")
def llvm_dlltool() -> str:
    return require_tool("llvm-dlltool-19")


@pytest.fixture(scope="session")
def llvm_lib() -> str:
    return require_tool("llvm-lib-19")


@pytest.fixture(scope="session")
def pefile_module():  # type: ignore[no-untyped-def]
    try:
        import pefile
    except ImportError:
        missing("pefile is not installed (pip install pefile)")
    return pefile


@pytest.fixture(scope="session")
def wine() -> tuple[str, dict[str, str]]:
    """The wine program and its environment (a prefix in the test data cache)."""
    return wine_environment()


@pytest.fixture(scope="session", params=EMBED_VERSIONS)
def embedded_python(request: pytest.FixtureRequest) -> Iterator[Path]:
    """Each official CPython 3.8-3.13 x64 build's folder (python3.dll, python3X.dll)."""
    yield fetch_embedded_python(request.param)


@pytest.fixture
def mount_of(tmp_path: Path) -> Iterator[Callable[[int], Path]]:
    """Real tmpfs file systems of a given size (bytes, rounded up to pages): a full disk."""
    if os.geteuid() != 0:
        missing("mounting a tmpfs needs root")
    mounted: list[Path] = []

    def mount(size: int) -> Path:
        folder = tmp_path / f"mnt{len(mounted) or ''}"
        folder.mkdir()
        command = ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)]
        if subprocess.run(command).returncode != 0:
            missing("cannot mount a tmpfs here")
        mounted.append(folder)
        return folder

    yield mount
    for folder in mounted:
        subprocess.run(["umount", "-l", str(folder)], check=False)


@pytest.fixture
def small_mount(mount_of: Callable[[int], Path]) -> Path:
    """A real, tiny file system (64k), for a full (and a read-only) cache folder."""
    return mount_of(64 << 10)
