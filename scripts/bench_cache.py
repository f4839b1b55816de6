"""Benchmark: ``implib gen`` on a warm cache, against the floor of any click CLI.

    python scripts/bench_cache.py [--repeat 30]

Prints whole-process times of ``python -c "import click"`` (the floor),
``implib gen`` with a warm cache, ``implib gen --no-cache``, and one
``llvm-dlltool-19`` run on the same .def, with their ratios to the floor.
Goal: a warm-cache ``implib gen`` within 1.3x of the floor.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _timing import report, time_process

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--llvm-dlltool", default=shutil.which("llvm-dlltool-19") or "llvm-dlltool")
    args = parser.parse_args()
    def_file = ROOT / "implib" / "exportlists" / "python3.def"
    with tempfile.TemporaryDirectory() as work:
        env = {**os.environ, "IMPLIB_CACHE_DIR": str(Path(work) / "cache")}
        gen = [
            sys.executable,
            "-m",
            "implib",
            "gen",
            "-t",
            "x86_64-pc-windows-msvc",
            "--abi3",
            "-o",
            work,
        ]
        subprocess.run(gen, check=True, stdout=subprocess.DEVNULL, env=env)  # fill the cache
        rows = [
            ('python -c "import click"', time_process([sys.executable, "-c", "import click"], args.repeat)),
            ("implib gen (warm cache)", time_process(gen, args.repeat, env)),
            ("implib gen --no-cache", time_process([*gen, "--no-cache"], args.repeat, env)),
            ("llvm-dlltool-19 python3.def",
             time_process([args.llvm_dlltool, "-m", "i386:x86-64", "-d", str(def_file), "-l", f"{work}/x.lib"], args.repeat)),
        ]  # fmt: skip
    print(f"whole processes, best of {args.repeat}\n")
    report(rows, 'python -c "import click"')


if __name__ == "__main__":
    main()
