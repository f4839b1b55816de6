"""``implib gen``: write import libraries for a Windows target. All of it lives here.

The command runs inside every build, and on a cache hit its work takes less
time than importing click does, so this module imports no click. Its
options are one table, :data:`OPTIONS`: :func:`command` builds the click
command from it, and :func:`fast_path` reads the common call with it
(:func:`implib.argv.click_values`) and gives up, before printing
anything, whenever it is not sure (``--help``, ``--def``, a value click
would check, any error), so that every message and exit status is the
click command's. Both then do the same work (:func:`_specs`,
:func:`generate`, :func:`report`). A new option is a row of
:data:`OPTIONS` and its help in :func:`_click_extras`.
"""

from __future__ import annotations

import os

from ..argv import Option, click_values

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

    import click

    from ..api import GeneratedLibrary
    from ..cache import Cache

__all__ = ["OPTIONS", "command", "fast_path", "generate", "report", "selected_specs"]

#: Every option of ``gen``, in ``--help``'s order (:class:`implib.argv.Option`): the name
#: click passes its value under, its spellings, whether it takes a value (1) or is a flag (0),
#: and whether it must be given, keeps every value given, or has a default.
OPTIONS = (
    Option("target", ("-t", "--target"), required=True),
    Option("abi3", ("--abi3",), 0),
    Option("abi3t", ("--abi3t",), 0),
    Option("min_python", ("--min-python",)),
    Option("pythons", ("-p", "--python"), multiple=True),
    Option("all_", ("--all",), 0),
    Option("def_file", ("--def",)),
    Option("out_dir", ("-o", "--out-dir"), default="."),
    Option("tool", ("--tool",)),
    Option("dll_name", ("--dll-name",)),
    Option("no_cache", ("--no-cache",), 0),
    Option("replace", ("--replace",), 0),
)


def _click_extras() -> dict[str, dict[str, Any]]:
    """What click shows and checks beyond the table: help texts, types, callbacks."""
    import click

    from . import options as shared

    return {
        **shared.SHARED_EXTRAS,
        "pythons": {"metavar": "VERSION", "help": shared.PYTHONS_HELP},
        "all_": {"help": shared.ALL_HELP},
        "def_file": {
            "type": click.Path(dir_okay=False),
            "help": "Any DLL's .def file instead of a Python build.",
        },
        "out_dir": {"type": shared.out_dir_type(), "show_default": True, "help": "Output folder."},
        "dll_name": {"callback": shared.not_empty, "help": shared.DLL_NAME_HELP},
        "replace": {
            "help": "Replace a set of files an earlier run wrote for another DLL (--dll-name)."
        },
    }


def command() -> click.Command:
    """The click command, made from :data:`OPTIONS`."""
    import click

    from .options import CONTEXT, table_options

    def gen(**values: Any) -> None:
        """Write import libraries for a Windows target.

        \b
        Examples:
          implib gen --target x86_64-pc-windows-msvc --abi3        # python3.lib
          implib gen --target win-amd64 --abi3 --min-python 3.9   # 3.9's python3.dll
          implib gen --target x86_64-pc-windows-msvc --abi3t       # python3t.lib (3.15+)
          implib gen --target x86_64-pc-windows-gnu -p 3.12 -p 3.13t -o libs
          implib gen --target aarch64-pc-windows-msvc --def my.def
        """
        try:
            specs = _specs(values)
        except ValueError as exc:  # options that do not go together: a usage error, as in env
            raise click.UsageError(str(exc)) from None
        out, err = report(_generate(values, specs))
        for line in out:
            click.echo(line)
        for line in err:
            click.echo(line, err=True)

    made = table_options(OPTIONS, _click_extras())(gen)
    return click.command("gen", context_settings=CONTEXT)(made)


def fast_path(args: Sequence[str]) -> int | None:
    """Run ``implib gen ARGS`` without click: its exit status, or None to let click run it."""
    values = click_values(args, OPTIONS)
    if values is None or values["def_file"] is not None:
        return None  # a .def's path is checked by click
    if not out_dir_is_usable(values["out_dir"]):
        return None
    try:
        out, err = report(_generate(values, _specs(values)))
    except Exception:  # implib's own errors and bugs alike: the click command says them
        return None  # (a KeyboardInterrupt goes on to entry(), which says it)
    from .exits import print_lines

    return print_lines(out, err)


def _specs(values: dict[str, Any]) -> list[str]:
    """The builds to write; OptionError (a usage error) for options that do not go together."""
    abi3, abi3t, min_python, def_file = (
        values["abi3"], values["abi3t"], values["min_python"], values["def_file"]
    )  # fmt: skip
    specs = selected_specs(abi3, min_python, values["pythons"], values["all_"], abi3t)
    from ..errors import OptionError

    if min_python and def_file and not (abi3 or abi3t):
        raise OptionError("--min-python narrows --abi3 or --abi3t: give one of them too")
    if not specs and not def_file:
        raise OptionError(
            "say what to generate: --abi3, --abi3t, --python VERSION, --all or --def FILE"
        )
    return specs


def _generate(values: dict[str, Any], specs: Sequence[str]) -> list[GeneratedLibrary]:
    """:func:`generate` with the command's values."""
    from ..cache import Cache

    return generate(
        values["target"],
        specs,
        values["def_file"],
        values["out_dir"],
        tool=values["tool"],
        dll_name=values["dll_name"],
        cache=None if values["no_cache"] else Cache(),
        replace=values["replace"],
    )


def selected_specs(
    abi3: bool,
    min_python: str | None,
    pythons: Sequence[str],
    all_: bool,
    abi3t: bool = False,
) -> list[str]:
    """The Python builds the options name, in order, each once.

    ``--min-python`` alone means ``--abi3 --min-python``, as for ``env``; beside
    ``--python`` or ``--all`` it must say which stable ABI it narrows (``env``
    refuses the mix): an OptionError, not python3.lib written on the side.
    """
    if min_python and not (abi3 or abi3t) and (pythons or all_):
        from ..errors import OptionError

        raise OptionError(
            "--min-python narrows --abi3 or --abi3t: give one of them too, or leave it out"
        )
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
    cache: Cache | None,
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
    count = len(builds) + bool(def_file)
    if dll_name is not None and count > 1:  # every library would import from that one DLL
        from ..errors import OptionError

        raise OptionError(
            f"--dll-name names one DLL: give one Python build or --def with it, not {count}"
        )
    planned = []
    if def_file:
        from_def = plan_from_def(
            parsed_target, def_file, out_dir, tool=tool, dll_name=dll_name, cache=cache
        )
        planned.append(from_def)
    if builds:
        producer = Producer.for_target(parsed_target, tool=tool, dll_name=dll_name, cache=cache)
        for build, names in zip(
            builds, _last_one_wins(lib_names_for(builds, parsed_target.flavour))
        ):
            if names:
                planned.append(producer.plan(build, out_dir, names, replace=replace))
    write_planned(out_dir, planned)
    return [plan.library for plan in planned]


def _last_one_wins(names: list[list[str]]) -> list[list[str]]:
    """Each file name for the last build that has it: PyPy 3.7 and 3.8 are both
    ``libpypy3-c.dll``, and one file cannot hold both; writing 3.7's to have 3.8's
    replace it (and listing the file twice) helped nobody."""
    later: set[str] = set()
    kept = []
    for build_names in reversed(names):
        kept.append([name for name in build_names if name not in later])
        later.update(build_names)
    return kept[::-1]


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
