"""A release's headers: bundled, an installed CPython's, ``--include`` (:mod:`implib.sdk.headers`).

The installed CPythons are real folder layouts made in ``tmp_path`` (pyenv's,
uv's), found through the variables users set (``PYENV_ROOT``,
``UV_PYTHON_INSTALL_DIR``), with ``HOME`` and ``PATH`` pointing at empty folders.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from implib.sdk.headers import HeadersError, bundled_releases, find_headers

from support import UPSTREAM


def fake_install(include: Path, version: str) -> Path:
    """An include folder of CPython ``version``: Python.h, patchlevel.h, a Linux pyconfig.h."""
    include.mkdir(parents=True)
    (include / "Python.h").write_text("/* Python.h */\n")
    (include / "patchlevel.h").write_text(f'#define PY_VERSION "{version}"\n')
    (include / "pyconfig.h").write_text("#define SIZEOF_LONG 8  /* Linux's */\n")
    (include / "cpython").mkdir()
    (include / "cpython" / "object.h").write_text("/* object.h */\n")
    return include


@pytest.fixture
def nothing_installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("PATH", str(home))
    monkeypatch.delenv("PYENV_ROOT", raising=False)
    monkeypatch.delenv("UV_PYTHON_INSTALL_DIR", raising=False)
    if Path("/usr/include/python3.12").exists():
        pytest.skip("this machine has Debian's /usr/include/python3.12")
    return tmp_path


def test_bundled_headers(tmp_path: Path) -> None:
    found = find_headers((3, 13))
    assert found.version == "3.13.18" and found.origin.startswith("bundled (Debian sid")
    assert found.folder is None
    upstream = UPSTREAM / "cpython" / "3.13" / "include"
    on_disk = {p.relative_to(upstream).as_posix() for p in upstream.rglob("*") if p.is_file()}
    assert {p.as_posix() for p in found.files()} == on_disk
    header = Path("internal/mimalloc/mimalloc.h")
    assert found.read(header) == (upstream / header).read_bytes()
    assert list(bundled_releases()) == ["3.9", "3.11", "3.13", "3.14", "3.15"]


def test_pyenv_headers_of_a_release_not_bundled(
    nothing_installed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pyenv = nothing_installed / "pyenv"
    fake_install(pyenv / "versions" / "3.12.1" / "include" / "python3.12", "3.12.1")
    newest = fake_install(pyenv / "versions" / "3.12.7" / "include" / "python3.12", "3.12.7")
    monkeypatch.setenv("PYENV_ROOT", str(pyenv))
    found = find_headers((3, 12))
    assert found.folder == newest and found.version == "3.12.7"
    assert sorted(p.as_posix() for p in found.files()) == [
        "Python.h",
        "cpython/object.h",
        "patchlevel.h",
    ]


def test_uv_headers(nothing_installed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    uv = nothing_installed / "uv"
    folder = fake_install(
        uv / "cpython-3.12.4-linux-x86_64-gnu" / "include" / "python3.12", "3.12.4"
    )
    monkeypatch.setenv("UV_PYTHON_INSTALL_DIR", str(uv))
    assert find_headers((3, 12)).folder == folder


def test_python_on_path_is_asked(nothing_installed: Path) -> None:
    folder = fake_install(nothing_installed / "opt" / "include" / "python3.12", "3.12.2")
    program = nothing_installed / "home" / "python3.12"
    program.write_text(f"#!/bin/sh\necho {folder}\n")
    program.chmod(0o755)
    assert find_headers((3, 12)).folder == folder


def test_no_headers_says_what_to_install(nothing_installed: Path) -> None:
    with pytest.raises(HeadersError) as raised:
        find_headers((3, 12))
    message = str(raised.value)
    assert "\n" not in message
    assert message.startswith(
        "no headers for CPython 3.12: implib bundles 3.9, 3.11, 3.13, 3.14, 3.15"
    )
    assert "uv python install 3.12" in message and "--include DIR" in message


def test_include_wins_and_is_checked(tmp_path: Path) -> None:
    folder = fake_install(tmp_path / "inc", "3.13.1")
    found = find_headers((3, 13), folder)
    assert found.folder == folder and found.version == "3.13.1"
    with pytest.raises(HeadersError, match=r"holds CPython 3\.13\.1's headers, not 3\.12's"):
        find_headers((3, 12), folder)
    with pytest.raises(HeadersError, match=r"no Python\.h there"):
        find_headers((3, 13), tmp_path)


def test_a_real_installed_cpython_312() -> None:
    """pyenv's CPython 3.12 when this machine has one (its headers, Linux pyconfig.h left out)."""
    include = Path.home() / ".pyenv" / "versions"
    folders = sorted(include.glob("3.12.*/include/python3.12"))
    if not folders:
        pytest.skip("no pyenv CPython 3.12 here")
    found = find_headers((3, 12), folders[-1])
    assert found.version.startswith("3.12.")
    names = {p.as_posix() for p in found.files()}
    assert "Python.h" in names and "pyconfig.h" not in names
