"""Time every available backend on the same .def, against the built-in writer.

Two measures per backend: ``build()`` called in this process (for an
external tool that is one run of the tool, with its temporary folder), and a
whole ``implib gen --no-cache`` process, which adds Python's start-up and
implib's imports. Each is run several times after one warm-up run (zig's
first run fills its cache); the minimum and the median are printed, and the
median's ratio to the built-in writer's.

    python scripts/bench_backends.py                   # python3.def, x86_64 GNU
    python scripts/bench_backends.py --def implib/exportlists/python312.def -t x86_64-pc-windows-msvc -n 9
"""

from __future__ import annotations

import argparse
import functools
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from implib.backends import BACKENDS, BackendError, get_backend
from implib.coff.deffile import read_def
from implib.exportlists import FOLDER
from implib.targets import parse_target


def timings(run: Callable[[], object], repeat: int) -> list[float]:
    """Seconds per call, after one untimed warm-up call."""
    run()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return times


def gen_process(name: str, def_file: Path, target: str, out_dir: str) -> Callable[[], object]:
    argv = [sys.executable, "-m", "implib", "gen", "-t", target, "--def", str(def_file)]
    argv += ["--tool", name, "-o", out_dir]
    help_text = subprocess.run([*argv[:4], "--help"], capture_output=True, text=True).stdout
    if "--no-cache" in help_text:
        argv.append("--no-cache")

    def run() -> object:
        return subprocess.run(argv, check=True, capture_output=True)

    return run


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--def", dest="def_file", type=Path, default=Path(FOLDER) / "python3.def")
    parser.add_argument("-t", "--target", default="x86_64-pc-windows-gnu")
    parser.add_argument("-n", "--repeat", type=int, default=7)
    args = parser.parse_args()

    definition = read_def(args.def_file)
    target = parse_target(args.target)
    print(
        f"{args.def_file.name}: {len(definition.exports)} exports, {target}, "
        f"{args.repeat} runs each after a warm-up; times in ms (min / median)\n"
    )

    rows = []
    with tempfile.TemporaryDirectory(prefix="implib-bench-") as out_dir:
        for name in BACKENDS:
            backend = get_backend(name)
            info = backend.info()
            if not info.found or not backend.supports(target):
                why = "not found" if not info.found else f"does not support {target}"
                print(f"  {name:<13} skipped: {why}")
                continue
            try:
                build = timings(
                    functools.partial(backend.write_library, definition, target), args.repeat
                )
                whole = timings(gen_process(name, args.def_file, args.target, out_dir), args.repeat)
            except (BackendError, subprocess.CalledProcessError) as exc:
                print(f"  {name:<13} failed: {exc}")
                continue
            rows.append((name, f"{info.version or '?'}", build, whole))

    if not rows or rows[0][0] != "builtin":
        print("the built-in writer did not run: nothing to compare with")
        return 1
    base_build = statistics.median(rows[0][2])
    base_whole = statistics.median(rows[0][3])
    print(
        f"  {'backend':<13} {'version':<10} {'build()':>17} {'ratio':>7}"
        f" {'implib gen process':>20} {'ratio':>7}"
    )
    for name, version, build, whole in rows:
        b_med, w_med = statistics.median(build), statistics.median(whole)
        print(
            f"  {name:<13} {version:<10} {min(build) * 1e3:7.1f} / {b_med * 1e3:7.1f}"
            f" {b_med / base_build:6.1f}x {min(whole) * 1e3:8.1f} / {w_med * 1e3:8.1f}"
            f" {w_med / base_whole:6.1f}x"
        )
    print(f"\n  the built-in writer's whole process is {base_whole / base_build:.0f}x its build()")
    return 0


if __name__ == "__main__":
    sys.exit(main())
