"""Benchmark: the built-in writer against spawning llvm-dlltool, on the same .def.

    python scripts/bench_writer.py [--def implib/exportlists/python3.def] [--repeat 30]

Prints the in-process writer, ``llvm-dlltool-19`` as a process, and
``implib gen --no-cache`` as a whole process, with their ratios.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _timing import report, time_call, time_process

from implib.coff.deffile import read_def
from implib.coff.structs import Machine
from implib.coff.writer import write_import_library

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--def", dest="def_file", type=Path, default=ROOT / "implib" / "exportlists" / "python3.def"
    )
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--llvm-dlltool", default=shutil.which("llvm-dlltool-19") or "llvm-dlltool")
    args = parser.parse_args()

    definition = read_def(args.def_file)
    print(
        f"{args.def_file.name}: {len(definition.exports)} exports, x86_64, best of {args.repeat}\n"
    )
    with tempfile.TemporaryDirectory() as work:
        out = Path(work)
        rows = [
            ("builtin writer (in-process)", time_call(lambda: write_import_library(definition, Machine.AMD64), args.repeat)),
            ("builtin parse + write (in-process)",
             time_call(lambda: write_import_library(read_def(args.def_file), Machine.AMD64), args.repeat)),
            ("llvm-dlltool-19 (process)",
             time_process([args.llvm_dlltool, "-m", "i386:x86-64", "-d", str(args.def_file), "-l", str(out / "x.lib")], args.repeat)),
            ("implib gen --no-cache (process)",
             time_process([sys.executable, "-m", "implib", "gen", "-t", "x86_64-pc-windows-gnu", "--def", str(args.def_file),
                           "--no-cache", "-o", str(out)], args.repeat)),
        ]  # fmt: skip
    report(rows, "builtin parse + write (in-process)")


if __name__ == "__main__":
    main()
