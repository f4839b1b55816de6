#!/usr/bin/env python3
"""Benchmark: implib's speed and memory against the tools it replaces, in one run.

    python scripts/bench_speed.py [--repeat 21]

Run it with the Python of a venv holding a plain (non-editable) install, as
users have it, so that the figures are the program's and not a development
setup's (an editable install's finder and site's .pth files add their own
imports to every start), and a current pip: the ``implib`` launcher an older pip
(23.2 here) writes imports ``re``, about 5 ms more for every command::

    python3 -m venv /tmp/bench && /tmp/bench/bin/pip install -U pip && /tmp/bench/bin/pip install .
    /tmp/bench/bin/python scripts/bench_speed.py

Every figure of the speed goals (issue 23), each next to its reference, the
ratio, the goal and PASS or FAIL:

* warm ``implib gen`` (cache hit) as a whole process: at most 1.0x one
  ``llvm-dlltool-19`` run on the same list, and 1.5x ``python -c pass``;
* cold ``implib gen --no-cache``: at most 1.5x ``llvm-dlltool-19``;
* in-process ``generate_from_def`` of python3.def (no cache): at most 0.25x
  spawning ``llvm-dlltool-19``;
* ``implib export --all`` (the whole matrix, into an empty cache and folder): at
  most 15x one ``llvm-dlltool-19`` run; and the cost of one more library;
* ``implib sdk`` (CPython 3.13, x86_64-pc-windows-gnu) cold (a new folder and an
  empty cache: the header store unpacked, the headers and libraries written)
  and warm (the same folder again: its stamp answers): warm at most 2x
  ``python -c pass``;
* the peak memory of ``gen`` of the largest bundled list (40 MiB).

Processes are timed in interleaved rounds (one run of each command per round)
and compared by medians, so that a busy machine slows every command alike:
ratios hold better than times on a shared machine.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from implib.api import generate_from_def  # noqa: E402
from implib.service.produce import all_builds, all_targets  # noqa: E402
from implib.service.site import write_site  # noqa: E402

LISTS = ROOT / "implib" / "exportlists"
#: The program users run: the ``implib`` script beside this Python (as pip installs it), else
#: ``python -m implib`` (whose runpy costs a few milliseconds the script does not).
_SCRIPT = os.path.join(os.path.dirname(sys.executable), "implib")
IMPLIB = [_SCRIPT] if os.access(_SCRIPT, os.X_OK) else [sys.executable, "-m", "implib"]


def _run(argv: Sequence[str], env: dict[str, str]) -> float:
    """Seconds ``argv`` takes, run in the benchmark's folder (GNU dlltool leaves files there)."""
    start = time.perf_counter()
    subprocess.run(
        argv,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
        cwd=env["IMPLIB_BENCH_DIR"],
    )
    return time.perf_counter() - start


def rounds(commands: dict[str, Callable[[], float]], repeat: int) -> dict[str, float]:
    """Median seconds of each command, run once per round, the rounds interleaved."""
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for command in commands.values():
        command()  # warm the OS caches
    for _ in range(repeat):
        for name, command in commands.items():
            samples[name].append(command())
    return {name: statistics.median(values) for name, values in samples.items()}


def table(title: str, rows: list[tuple[str, float, str, float, float | None]]) -> None:
    """Rows of (what, its time, reference, reference's time, goal ratio or None: no goal)."""
    print(f"\n{title}")
    print(f"  {'what':<44} {'ms':>8}   {'reference':<34} {'ms':>8} {'ratio':>7} {'goal':>6}")
    for what, took, reference, ref_took, goal in rows:
        ratio = took / ref_took
        verdict = "" if goal is None else f"{goal:>5.2f}x " + ("PASS" if ratio <= goal else "FAIL")
        print(
            f"  {what:<44} {took * 1e3:>8.2f}   {reference:<34} {ref_took * 1e3:>8.2f}"
            f" {ratio:>6.2f}x {verdict}"
        )


def peak_kib(argv: Sequence[str], env: dict[str, str]) -> int:
    """The peak resident memory of a process, in KiB (Linux: ru_maxrss of the child)."""
    code = (
        "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, "
        "stdout=subprocess.DEVNULL); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, *argv], capture_output=True, text=True, env=env
    )
    out.check_returncode()
    return int(out.stdout.split()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=21)
    parser.add_argument("--export-repeat", type=int, default=9, help="rounds of the exports")
    parser.add_argument("--llvm-dlltool", default=shutil.which("llvm-dlltool-19"))
    parser.add_argument("--dlltool", default=shutil.which("x86_64-w64-mingw32-dlltool"))
    args = parser.parse_args()
    if not args.llvm_dlltool:
        parser.error("llvm-dlltool-19 not found (apt-get install llvm-19)")
    python3_def = LISTS / "python3.def"
    largest = max(LISTS.glob("*.def"), key=lambda p: p.stat().st_size)

    with tempfile.TemporaryDirectory() as work:
        base = Path(work)
        env = {**os.environ, "IMPLIB_CACHE_DIR": str(base / "cache"), "IMPLIB_BENCH_DIR": work}
        for name in ("ZIG_COMMAND", "PYO3_MINGW_DLLTOOL", "IMPLIB_SERVER"):
            env.pop(name, None)
        gen = [*IMPLIB, "gen", "--target", "x86_64-pc-windows-gnu", "--abi3", "-o", str(base / "a")]
        subprocess.run(gen, check=True, stdout=subprocess.DEVNULL, env=env)  # fill the cache
        llvm = [
            args.llvm_dlltool,
            "-m",
            "i386:x86-64",
            "-d",
            str(python3_def),
            "-l",
            str(base / "l.a"),
        ]
        commands: dict[str, Callable[[], float]] = {
            "pass": lambda: _run([sys.executable, "-c", "pass"], env),
            "llvm": lambda: _run(llvm, env),
            "warm": lambda: _run(gen, env),
            "cold": lambda: _run([*gen, "--no-cache"], env),
        }
        sdk_runs = iter(range(10**6))

        def sdk_cold() -> float:
            run = next(sdk_runs)
            cold_env = {**env, "IMPLIB_CACHE_DIR": str(base / f"sdk-cache-{run}")}
            return _run([*sdk, "-o", str(base / f"sdk-cold-{run}")], cold_env)

        sdk = [*IMPLIB, "sdk", "--target", "x86_64-pc-windows-gnu", "--python", "3.13"]
        commands["sdk-warm"] = lambda: _run([*sdk, "-o", str(base / "sdk-warm")], env)
        commands["sdk-cold"] = sdk_cold
        if args.dlltool:
            dlltool = [args.dlltool, "-m", "i386:x86-64", "--input-def", str(python3_def),
                       "--output-lib", str(base / "d.a")]  # fmt: skip
            commands["dlltool"] = lambda: _run(dlltool, env)
        times = rounds(commands, args.repeat)
        rows = [
            ("implib gen (warm cache)", times["warm"], "llvm-dlltool-19 python3.def", times["llvm"], 1.0),
            ("implib gen (warm cache)", times["warm"], "python -c pass", times["pass"], 1.5),
            ("implib gen --no-cache", times["cold"], "llvm-dlltool-19 python3.def", times["llvm"], 1.5),
        ]  # fmt: skip
        if "dlltool" in times:
            rows.append(
                (
                    "implib gen (warm cache)",
                    times["warm"],
                    "MinGW dlltool (python3-dll-a)",
                    times["dlltool"],
                    1.0,
                )
            )
        table(
            f"whole processes, medians of {args.repeat} interleaved rounds (x86_64, python3.def)",
            rows,
        )
        table(
            f"implib sdk, medians of {args.repeat} interleaved rounds (3.13, x86_64-pc-windows-gnu)",
            [
                ("implib sdk (warm: the same folder)", times["sdk-warm"], "python -c pass",
                 times["pass"], 2.0),
                ("implib sdk (cold: new folder, empty cache)", times["sdk-cold"],
                 "python -c pass", times["pass"], 30.0),
            ],
        )  # fmt: skip

        # In-process: the API call that reads, parses and writes, against spawning llvm-dlltool.
        def from_def() -> float:
            start = time.perf_counter()
            generate_from_def("x86_64-pc-windows-gnu", python3_def, base / "p", use_cache=False)
            return time.perf_counter() - start

        inproc = rounds({"api": from_def, "llvm": lambda: _run(llvm, env)}, args.repeat * 3)
        table(
            "in-process generate_from_def of python3.def, no cache",
            [
                (
                    "generate_from_def (in-process)",
                    inproc["api"],
                    "spawning llvm-dlltool-19",
                    inproc["llvm"],
                    0.25,
                )
            ],
        )

        # export --all into an empty cache and folder, as a whole process.
        def export_process(*options: str) -> float:
            folder = Path(tempfile.mkdtemp(dir=base))
            fresh = {**env, "IMPLIB_CACHE_DIR": str(folder / "cache")}
            took = _run([*IMPLIB, "export", str(folder / "site"), "--all", *options], fresh)
            shutil.rmtree(folder)
            return took

        every_llvm = rounds(
            {
                "all": export_process,
                "one process": lambda: export_process("--jobs", "1"),
                "llvm": lambda: _run(llvm, env),
            },
            args.export_repeat,
        )
        every = every_llvm["all"]
        count = len(all_targets()) * len(all_builds())
        table(
            f"implib export --all, empty cache and folder, medians of {args.export_repeat} rounds",
            [
                (
                    f"export --all ({count} libraries)",
                    every,
                    "one llvm-dlltool-19 python3.def",
                    every_llvm["llvm"],
                    15.0,
                ),
                (
                    "export --all --jobs 1 (one process)",
                    every_llvm["one process"],
                    "one llvm-dlltool-19 python3.def",
                    every_llvm["llvm"],
                    None,
                ),
            ],
        )
        # What one more library costs, in-process (a process's start-up would drown it):
        # the matrix against the matrix less one build (its 9 libraries, 3 of them
        # distinct), and less one target (19 libraries whose bytes another target has);
        # and the matrix in one process (jobs=1), against one worker per CPU.
        targets, builds = all_targets(), all_builds()
        less_build = [b for b in builds if b.spec != "3.14"]
        less_target = [t for t in targets if t.triple != "aarch64-pc-windows-gnullvm"]

        def export_call(targets: list[Any], builds: list[Any], jobs: int | None = None) -> float:
            folder = Path(tempfile.mkdtemp(dir=base))
            os.environ["IMPLIB_CACHE_DIR"] = str(folder / "cache")
            start = time.perf_counter()
            write_site(folder / "site", targets, builds, jobs=jobs)
            took = time.perf_counter() - start
            shutil.rmtree(folder)
            return took

        calls = rounds(
            {
                "all": lambda: export_call(targets, builds),
                "less build": lambda: export_call(targets, less_build),
                "less target": lambda: export_call(less_target, builds),
                "one process": lambda: export_call(targets, builds, jobs=1),
            },
            args.export_repeat,
        )
        per_build = (calls["all"] - calls["less build"]) / len(targets)
        per_target = (calls["all"] - calls["less target"]) / len(builds)
        print(
            f"in-process export of the matrix: {calls['all'] * 1e3:.0f} ms "
            f"({calls['one process'] * 1e3:.0f} ms in one process); "
            f"one more library (in-process): {per_build * 1e3:.2f} ms in a new build "
            f"(3.14: {len(targets)} libraries, 3 distinct), {per_target * 1e3:.2f} ms in a new "
            f"target whose bytes another has (aarch64-pc-windows-gnullvm: {len(builds)})"
        )

        # Peak memory of gen on the largest bundled list, against llvm-dlltool's.
        stem = largest.stem
        spec = {"python3": "--abi3"}.get(stem)
        big = [
            *IMPLIB,
            "gen",
            "--target",
            "x86_64-pc-windows-gnu",
            "--no-cache",
            "-o",
            str(base / "m"),
        ]
        big += [spec] if spec else ["--def", str(largest)]
        ours = peak_kib(big, env)
        theirs = peak_kib(
            [args.llvm_dlltool, "-m", "i386:x86-64", "-d", str(largest), "-l", str(base / "m.a")],
            env,
        )
        print(f"peak memory, gen of {largest.name}: {ours / 1024:.1f} MiB (goal 40 MiB:"
              f" {'PASS' if ours <= 40 * 1024 else 'FAIL'}); llvm-dlltool-19 {theirs / 1024:.1f} MiB")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
