#!/usr/bin/env python3
"""Real Windows wheels from PyPI against implib's libraries: is every name their modules import there?

    python scripts/wheel_corpus.py                 # the whole corpus below, into ~/.cache/implib-tests/wheels
    python scripts/wheel_corpus.py msgpack==1.2.4  # some packages (every platform and ABI)

Each wheel is downloaded with pip (``--only-binary :all: --platform P
--python-version 3.15 --abi A``); each ``.pyd`` in it has its import table
read with pefile; for each Python DLL it imports from (python3.dll,
python3t.dll, python315.dll, python315t.dll, libpypy3.11-c.dll), implib
writes that DLL's library for the wheel's machine (abi3 with the wheel's
minimum: ``cp39-abi3`` is ``abi3-3.9``) and reads it back; every imported
name must be in it. Extension modules built by others are ground truth no
one here wrote. tests/exportlists/test_wheels.py runs a few of these.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import re
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

#: (requirement, platforms, ABIs) of the full corpus: C, Cython and PyO3 modules.
WINDOWS = ("win_amd64", "win32", "win_arm64")
CORPUS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("markupsafe==3.0.4", WINDOWS, ("cp315", "cp315t")),
    ("msgpack==1.2.4", WINDOWS, ("cp315", "cp315t")),
    ("pyyaml==6.0.4", ("win_amd64", "win_arm64"), ("cp315", "cp315t")),
    ("charset-normalizer==3.5.3", WINDOWS, ("cp315", "cp315t", "abi3")),
    ("wrapt==2.5.2", WINDOWS, ("cp315", "cp315t")),
    ("simplejson==4.3.0", WINDOWS, ("cp315", "cp315t")),
    ("ujson==6.1.0", WINDOWS, ("cp315", "cp315t")),
    ("cffi==2.1.1", WINDOWS, ("cp315", "cp315t")),
    ("orjson==3.13.0", ("win_amd64", "win_arm64"), ("cp315",)),
    ("rpds-py==2026.9.1", ("win_amd64", "win32"), ("cp315", "cp315t")),
    ("pydantic-core==2.50.5", WINDOWS, ("cp315", "cp315t")),
    ("cramjam==2.14.0", WINDOWS, ("cp315t",)),
    ("jiter==0.19.0", WINDOWS, ("cp315t",)),
    ("nh3==0.3.8", WINDOWS, ("abi3", "cp315t")),
    ("uuid-utils==1.2.0", WINDOWS, ("abi3", "cp315t")),
    ("bcrypt==5.0.0", WINDOWS, ("abi3",)),
    ("cryptography==50.0.2", ("win_amd64",), ("abi3t",)),
    ("pillow==13.0.0", WINDOWS, ("cp315", "cp315t")),
    ("pillow==12.3.0", ("win_amd64",), ("pypy311_pp73",)),
    ("cryptography==50.0.1", ("win_amd64",), ("pypy311_pp73",)),
)

_MACHINES = {0x8664: "x86_64", 0x14C: "i686", 0xAA64: "aarch64"}
_PYTHON_DLL = re.compile(r"python3(\d+)?(t?)\.dll|libpypy3\.(\d+)-c\.dll")


class CorpusError(RuntimeError):
    """A wheel that could not be had or read; the message names it."""


def cache_folder() -> Path:
    base = os.environ.get("IMPLIB_TEST_DATA") or os.path.join(
        os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache")), "implib-tests"
    )
    return Path(base) / "wheels"


def download(requirement: str, platform: str, abi: str, folder: Path) -> Path:
    """The wheel pip picks for ``requirement`` on ``platform`` with ``abi``, cached in ``folder``."""
    name = requirement.partition("==")[0]
    target = folder / name / platform / abi
    found = sorted(target.glob("*.whl")) if target.exists() else []
    if found:
        return found[0]
    pypy = abi.startswith("pypy")
    argv = [
        sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary", ":all:",
        "--platform", platform, "--python-version", "3.11" if pypy else "3.15",
        "--implementation", "pp" if pypy else "cp", "--abi", abi, "-d", str(target), requirement,
    ]  # fmt: skip
    result = subprocess.run(argv, capture_output=True, text=True)
    found = sorted(target.glob("*.whl")) if target.exists() else []
    if result.returncode != 0 or not found:
        tail = result.stderr.strip().splitlines()[-1:] or ["no wheel"]
        raise CorpusError(f"pip download {requirement} ({platform}, {abi}): {tail[0]}")
    return found[0]


@dataclasses.dataclass(frozen=True)
class Module:
    """One extension module of a wheel: its machine and what it imports from Python."""

    wheel: str
    path: str
    arch: str
    imports: dict[str, set[str]]  # Python DLL (lower case) -> names


def modules(wheel: Path) -> list[Module]:
    """The wheel's ``.pyd`` files that import from a Python DLL."""
    import pefile

    found = []
    with zipfile.ZipFile(wheel) as archive, tempfile.TemporaryDirectory() as scratch:
        for member in archive.namelist():
            if not member.endswith(".pyd"):
                continue
            path = Path(archive.extract(member, scratch))
            pe = pefile.PE(str(path), fast_load=True)
            pe.parse_data_directories(
                directories=[pefile.DIRECTORY_ENTRY["IMAGE_DIRECTORY_ENTRY_IMPORT"]]
            )
            imports: dict[str, set[str]] = {}
            for entry in getattr(pe, "DIRECTORY_ENTRY_IMPORT", []):
                dll = entry.dll.decode().lower()
                if _PYTHON_DLL.fullmatch(dll):
                    names = imports.setdefault(dll, set())
                    names.update(
                        i.name.decode() if i.name else f"#{i.ordinal}" for i in entry.imports
                    )
            arch = _MACHINES.get(pe.FILE_HEADER.Machine, hex(pe.FILE_HEADER.Machine))
            pe.close()
            if imports:
                found.append(Module(wheel.name, member, arch, imports))
    return found


def build_for(dll: str, wheel: str) -> str:
    """The implib build of a Python DLL, for a wheel: its stable ABI minimum from the tag."""
    match = _PYTHON_DLL.fullmatch(dll)
    if match is None:
        raise CorpusError(f"{wheel}: {dll} is not a Python DLL")
    if match.group(3):
        return f"pypy3.{match.group(3)}"
    if match.group(1):
        return f"3.{match.group(1)}" + match.group(2)
    tag = re.search(r"-cp3(\d+)-abi3", wheel)
    minimum = f"-3.{tag.group(1)}" if tag else ""
    return ("abi3t" if match.group(2) else "abi3") + minimum


def library_names(build: str, arch: str, folder: Path) -> set[str]:
    """The names implib's library of ``build`` for ``arch`` (MSVC) imports, read back."""
    from implib.api import generate
    from implib.coff.reader import read_import_library

    library = generate(f"{arch}-pc-windows-msvc", build, folder)
    return {i.name for i in read_import_library(library.path).imports}


def check(wheel: Path, folder: Path) -> list[str]:
    """One line per module: what it imports that implib's library lacks (none: an OK line)."""
    lines = []
    for module in modules(wheel):
        for dll, names in sorted(module.imports.items()):
            build = build_for(dll, wheel.name)
            have = library_names(build, module.arch, folder / module.arch / build)
            lacking = sorted(names - have)
            state = f"MISSING {', '.join(lacking)}" if lacking else "ok"
            lines.append(f"{wheel.name} {module.path} {module.arch} {dll} ({build}, "
                         f"{len(names)} names): {state}")  # fmt: skip
    return lines


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("packages", nargs="*", help="requirements of the corpus to run")
    args = parser.parse_args(list(argv) if argv is not None else None)
    corpus = [c for c in CORPUS if not args.packages or c[0] in args.packages]
    failed = 0
    with tempfile.TemporaryDirectory() as scratch:
        for requirement, platforms, abis in corpus:
            for platform in platforms:
                for abi in abis:
                    try:
                        wheel = download(requirement, platform, abi, cache_folder())
                        lines = check(wheel, Path(scratch))
                    except (CorpusError, ValueError, OSError) as exc:
                        print(f"error: {exc}")
                        failed += 1
                        continue
                    for line in lines:
                        print(line)
                        failed += "MISSING" in line
    print(f"{failed} problems" if failed else "every imported name is in implib's libraries")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
