"""Timing helpers shared by the benchmark scripts."""

from __future__ import annotations

import statistics
import subprocess
import time
from collections.abc import Callable, Sequence


def time_call(func: Callable[[], object], repeat: int) -> tuple[float, float]:
    """(best, median) seconds of ``repeat`` in-process calls."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        samples.append(time.perf_counter() - start)
    return min(samples), statistics.median(samples)


def time_process(
    argv: Sequence[str], repeat: int, env: dict[str, str] | None = None
) -> tuple[float, float]:
    """(best, median) seconds of ``repeat`` runs of a whole process."""

    def run() -> None:
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, env=env)

    run()  # warm the OS caches once
    return time_call(run, repeat)


def report(rows: list[tuple[str, tuple[float, float]]], baseline: str) -> None:
    """Print best and median times and each row's ratio to ``baseline``'s best."""
    base = dict(rows)[baseline][0]
    width = max(len(name) for name, _ in rows)
    print(f"{'':<{width}}  {'best':>10}  {'median':>10}  ratio to {baseline}")
    for name, (best, median) in rows:
        print(
            f"{name:<{width}}  {best * 1000:>8.2f}ms  {median * 1000:>8.2f}ms  {best / base:>8.2f}x"
        )
