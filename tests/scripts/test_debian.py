"""A release's headers and Stable ABI test from Debian packages, into upstream/ (make_defs.py --import-debian).

The packages here are built with dpkg-deb from the 3.15 inputs already in
upstream/, as a patch release 3.15.99 would come: importing them must give
back the same lists, and a SOURCE file naming the new packages.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from implib.coff.deffile import read_def

from defgen.debian import DebianError, apt_mirror, import_release, packages_for
from support import LISTS, ROOT, UPSTREAM, require_tool


def _deb(folder: Path, package: str, version: str, files: dict[str, Path | str]) -> Path:
    """A binary package holding ``files`` (path inside -> source file or text)."""
    dpkg_deb = require_tool("dpkg-deb")
    tree = folder / f"{package}-tree"
    (tree / "DEBIAN").mkdir(parents=True)
    (tree / "DEBIAN/control").write_text(
        f"Package: {package}\nVersion: {version}\nArchitecture: all\n"
        "Maintainer: implib tests <tests@example.org>\nDescription: a test package\n"
    )
    for inner, source in files.items():
        target = tree / inner
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(source, Path) and source.is_dir():
            shutil.copytree(source, target)
        elif isinstance(source, Path):
            shutil.copyfile(source, target)
        else:
            target.write_text(source)
    deb = folder / f"{package}_{version}_all.deb"
    subprocess.run([dpkg_deb, "-Zgzip", "-z1", "--build", str(tree), str(deb)], check=True,
                   capture_output=True)  # fmt: skip
    return deb


def _debs_of_315(folder: Path, version: str = "3.15.99-1") -> list[Path]:
    release = UPSTREAM / "cpython" / "3.15"
    return [
        _deb(folder, "libpython3.15-dev", version, {
            "usr/include/python3.15": release / "include",
            "usr/include/python3.15/pyconfig.h": "#include <x86_64-linux-gnu/python3.15/pyconfig.h>\n",
            "usr/include/python3.15/internal/mimalloc/mimalloc.h": "/* copied */\n",
        }),
        _deb(folder, "libpython3.15-testsuite", version, {
            "usr/lib/python3.15/test/test_stable_abi_ctypes.py":
                release / "test_stable_abi_ctypes.py",
        }),
    ]  # fmt: skip


def test_packages_for() -> None:
    assert packages_for("3.16") == ["libpython3.16-dev", "libpython3.16-testsuite"]


def test_a_patch_release_is_one_command(tmp_path: Path) -> None:
    debs = tmp_path / "debs"
    debs.mkdir()
    made = _debs_of_315(debs)
    upstream = tmp_path / "upstream"
    shutil.copytree(UPSTREAM, upstream)
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts/make_defs.py"), "--import-debian", "3.15",
         "--debs", str(debs), "--upstream", str(upstream), "--out", str(tmp_path / "defs")],
        capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    release = upstream / "cpython" / "3.15"
    source = (release / "SOURCE").read_text().splitlines()
    digests = [hashlib.sha256(deb.read_bytes()).hexdigest() for deb in made]
    assert source == [
        f"Debian sid libpython3.15-dev 3.15.99-1, {made[0].name} sha256 {digests[0]}: "
        "usr/include/python3.15 -> include (less pyconfig.h)",
        f"Debian sid libpython3.15-testsuite 3.15.99-1, {made[1].name} sha256 {digests[1]}: "
        "usr/lib/python3.15/test/test_stable_abi_ctypes.py -> test_stable_abi_ctypes.py",
    ]
    assert not (release / "include/pyconfig.h").exists()
    assert (release / "include/internal/mimalloc/mimalloc.h").read_text() == "/* copied */\n"
    assert (release / "include/Python.h").read_bytes() == (
        UPSTREAM / "cpython/3.15/include/Python.h"
    ).read_bytes()
    written = sorted(p.name for p in (tmp_path / "defs").iterdir())
    assert written == ["python3.def", "python315.def", "python315t.def", "python3t.def"]
    for name in written:  # the same inputs: the same lists
        assert read_def(tmp_path / "defs" / name).exports == read_def(LISTS / name).exports
    assert (
        "from Debian sid libpython3.15-dev 3.15.99-1."
        in (tmp_path / "defs/python315.def").read_text()
    )


def test_bad_imports_are_one_line(tmp_path: Path) -> None:
    debs = tmp_path / "debs"
    debs.mkdir()
    testsuite = _debs_of_315(debs)[1]
    with pytest.raises(
        DebianError, match=r"^no \.deb of libpython3\.15-dev among libpython3\.15-t"
    ):
        import_release("3.15", [testsuite], tmp_path, suite="sid")
    empty = _deb(debs, "libpython3.16-dev", "3.16.0-1", {"usr/share/doc/x": "nothing\n"})
    with pytest.raises(DebianError, match=r"has no usr/include/python3\.16$"):
        import_release("3.16", [empty], tmp_path, suite="sid")
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts/make_defs.py"), "--import-debian", "3.x",
         "--upstream", str(UPSTREAM), "--out", str(tmp_path / "defs")],
        capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stderr == (
        "make_defs.py: error: --import-debian: expected a CPython version such as 3.16, got '3.x'\n"
    )


def _apt(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / "etc" / "apt" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


KEYRING = "/usr/share/keyrings/debian-archive-keyring.gpg"


def test_the_mirror_is_the_machines_own_deb822(tmp_path: Path) -> None:
    """Whatever archive apt uses here (a local mirror, say): no host is built in."""
    root = _apt(tmp_path, {
        "sources.list.d/other.sources": (
            "Types: deb\nURIs: https://vendor.example/apt\nSuites: nodistro\n"
            "Components: main\nSigned-By: /usr/share/keyrings/vendor.gpg\n"
        ),
        "sources.list.d/debian.sources": (
            "# a comment\n"
            "Types: deb-src\nURIs: http://src.mirror.example/debian\nSuites: trixie\n"
            "Components: main\n\n"
            "Types: deb\nURIs: http://mirror.example/debian-security\n"
            "Suites: trixie-security\nComponents: main\nSigned-By: " + KEYRING + "\n\n"
            "Types: deb\nURIs: http://mirror.example/debian/\nSuites: trixie trixie-updates\n"
            "Components: main contrib\nSigned-By: " + KEYRING + "\n"
        ),
    })  # fmt: skip
    assert apt_mirror(root) == "http://mirror.example/debian"


def test_the_mirror_from_one_line_sources(tmp_path: Path) -> None:
    root = _apt(tmp_path, {
        "sources.list": (
            "# deb http://commented.example/debian sid main\n"
            "deb cdrom:[Debian GNU/Linux]/ bookworm main\n"
            "deb http://local.example/debian bookworm-updates main\n"
            "deb [arch=amd64 signed-by=" + KEYRING + "] http://local.example/debian bookworm main\n"
        ),
        "sources.list.d/vendor.list": "deb https://vendor.example/apt cloud-sdk-bookworm main\n",
    })  # fmt: skip
    assert apt_mirror(root) == "http://local.example/debian"


def test_no_debian_archive_in_the_sources_is_one_line(tmp_path: Path) -> None:
    root = _apt(tmp_path, {"sources.list.d/vendor.list": "deb https://vendor.example/apt x main\n"})
    with pytest.raises(DebianError, match=r"^no Debian archive found in the apt sources under "):
        apt_mirror(root)
    with pytest.raises(DebianError, match=r"give one with --mirror URL$"):
        apt_mirror(tmp_path / "nothing")


def test_no_host_is_written_in_the_code() -> None:
    text = (ROOT / "scripts" / "defgen" / "debian.py").read_text(encoding="utf-8")
    assert "http://" not in text and "https://" not in text
