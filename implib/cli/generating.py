"""What ``implib gen`` does, without click: shared by the command and its fast path.

:mod:`.gen` (the click command) and :mod:`.fast` (the same command parsed by
hand, so that a cache hit never imports click) both call :func:`generate`
and print :func:`report`'s lines, so their results are the same by
construction; the tests check it over many argument lists.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

    from ..api import GeneratedLibrary

__all__ = ["generate", "report", "selected_specs"]


def selected_specs(
    abi3: bool,
    min_python: str | None,
    pythons: Sequence[str],
    all_: bool,
    abi3t: bool = False,
) -> list[str]:
    """The Python builds the options name, in order, each once."""
    specs = []
    if abi3 or (min_python and not abi3t):
        specs.append(f"abi3-{min_python}" if min_python else "abi3")
    if abi3t:
        specs.append(f"abi3t-{min_python}" if min_python else "abi3t")
    specs += [part for python in pythons for part in python.split(",") if part]
    if all_:
        from ..exportlists import available_builds

        specs += [build.spec for build in available_builds()]
    return list(dict.fromkeys(specs))


def generate(
    target: str,
    specs: Sequence[str],
    def_file: str | None,
    out_dir: str,
    *,
    tool: str | None,
    dll_name: str | None,
    use_cache: bool,
    replace: bool = False,
) -> list[GeneratedLibrary]:
    """The libraries ``gen`` writes: the ``.def``'s first, then each build's.

    Every library is made and checked against the folder before anything is
    written, then all are written at once (or none, on a full disk), so that
    a bad build or a failed write leaves the output folder as it was.
    """
    from ..api import Producer, plan_from_def, write_planned
    from ..pythons import lib_names_for, parse_python
    from ..targets import parse_target

    parsed_target = parse_target(target)
    builds = [parse_python(spec) for spec in specs]
    planned = []
    if def_file:
        planned.append(
            plan_from_def(
                parsed_target, def_file, out_dir, tool=tool, dll_name=dll_name, use_cache=use_cache
            )
        )
    if builds:
        producer = Producer.for_target(
            parsed_target, tool=tool, dll_name=dll_name, use_cache=use_cache
        )
        for build, names in zip(builds, lib_names_for(builds, parsed_target.flavour)):
            planned.append(producer.plan(build, out_dir, names, replace=replace))
    write_planned(out_dir, planned)
    return [plan.library for plan in planned]


def report(results: Sequence[GeneratedLibrary]) -> tuple[list[str], list[str]]:
    """What ``gen`` prints: a line per library on stdout, notes on stderr."""
    out, err = [], []
    for result in results:
        files = ", ".join(result.files)
        out.append(f"{files}  ({result.dll}, {result.target}, {result.backend})")
        err += [f"implib: {line}" for line in result.notes()]
    return out, err


def out_dir_is_usable(path: str) -> bool:
    """What click's ``Path(file_okay=False)`` accepts: a folder, or nothing yet."""
    return bool(path) and (os.path.isdir(path) or not os.path.exists(path))
