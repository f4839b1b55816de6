#!/usr/bin/env python3
"""Pack ``upstream/cpython/3.X/include/`` into ``implib/sdk/headers.pack`` (what ``implib sdk`` bundles).

    python scripts/make_sdk_headers.py            # write the store
    python scripts/make_sdk_headers.py --check    # exit 1 if the committed store differs

Every release folder of ``upstream/cpython`` with an ``include/`` goes in,
with its patch release (``PY_VERSION`` of ``patchlevel.h``) and the line of
its ``SOURCE`` that names the headers' package, version and sha256. The
store's format: ``implib/sdk/store.py``. The output is the same bytes for the
same inputs (``tests/sdk/test_store.py`` checks the committed store).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from implib.sdk.store import Release, pack  # noqa: E402

UPSTREAM = ROOT / "upstream" / "cpython"
STORE = ROOT / "implib" / "sdk" / "headers.pack"


def patch_release(include: Path) -> str:
    text = (include / "patchlevel.h").read_text(encoding="utf-8")
    match = re.search(r'#define\s+PY_VERSION\s+"([^"]+)"', text)
    if not match:
        raise SystemExit(f"{include}/patchlevel.h: no PY_VERSION")
    return match.group(1)


def header_source(release: Path) -> str:
    for line in (release / "SOURCE").read_text(encoding="utf-8").splitlines():
        if "-> include" in line:
            return line
    raise SystemExit(f"{release}/SOURCE: no line for include/")


def read_release(release: Path) -> Release:
    include = release / "include"
    files = {
        path.relative_to(include).as_posix(): path.read_bytes()
        for path in sorted(include.rglob("*"))
        if path.is_file()
    }
    if "pyconfig.h" in files:
        raise SystemExit(f"{include} holds a pyconfig.h: implib writes its own")
    return Release(patch_release(include), header_source(release), files)


def build_store(upstream: Path = UPSTREAM) -> bytes:
    releases = {
        folder.name: read_release(folder)
        for folder in sorted(upstream.iterdir())
        if (folder / "include").is_dir()
    }
    return pack(releases)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    parser.add_argument("--upstream", type=Path, default=UPSTREAM)
    parser.add_argument("--out", type=Path, default=STORE)
    args = parser.parse_args(argv)
    data = build_store(args.upstream)
    if args.check:
        same = args.out.is_file() and args.out.read_bytes() == data
        print(f"{args.out}: {'up to date' if same else 'DIFFERS from upstream/'}")
        return 0 if same else 1
    args.out.write_bytes(data)
    print(f"{args.out}: {len(data):,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
