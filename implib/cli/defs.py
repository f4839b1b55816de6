"""``implib defs``: the bundled export lists, and making and comparing ``.def`` files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from .options import CONTEXT

__all__ = ["defs"]


@click.group(context_settings=CONTEXT)
def defs() -> None:
    """Export lists: the bundled ones, and tools to make and compare them.

    \b
    Examples:
      implib defs list
      implib defs diff 3.12 3.13
      implib defs from-dll python313.dll -o python313.def
    """


@defs.command("list", context_settings=CONTEXT)
def defs_list() -> None:
    """List the bundled Python builds and their DLLs.

    \b
    Example:
      implib defs list
    """
    from ..exportlists import available_builds, definition_for

    for build in available_builds():
        definition = definition_for(build)
        data = sum(1 for e in definition.exports if e.data)
        count = len(definition.exports)
        click.echo(f"{build.spec:<10} {definition.library:<20} {count:>5} exports ({data} data)")


@defs.command("from-dll", context_settings=CONTEXT)
@click.argument("dll", type=click.Path(dir_okay=False))
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), help="Write here instead of stdout."
)
def defs_from_dll(dll: str, output: str | None) -> None:
    """Write a .def from a DLL's export table (data exports marked DATA).

    \b
    Example:
      implib defs from-dll python313.dll -o python313.def
    """
    from ..coff.deffile import DefError, format_def
    from ..coff.pe import definition_from_dll
    from ..errors import DllError
    from ..fileio import atomic_write

    try:
        text = format_def(definition_from_dll(dll))
    except DefError as exc:  # a name no .def can hold: the command fails, names the DLL
        raise DllError(f"{dll}: {exc}") from exc
    if output:
        atomic_write(Path(output), text.encode())
    else:
        click.echo(text, nl=False)


def _load_def(spec: str) -> Any:
    """A .def path, or a bundled Python build's name (3.12, abi3, pypy3.10)."""
    from ..coff.deffile import read_def

    if Path(spec).exists() or spec.endswith(".def"):
        return read_def(spec)
    from ..exportlists import definition_for
    from ..pythons import parse_python

    return definition_for(parse_python(spec))


@defs.command("diff", context_settings=CONTEXT)
@click.argument("old")
@click.argument("new")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def defs_diff(old: str, new: str, as_json: bool) -> None:
    """What was added, removed, or changed kind between two export lists.

    OLD and NEW are .def files or bundled builds (3.12, 3.13t, abi3, pypy3.10).

    \b
    Example:
      implib defs diff 3.12 3.13
    """
    import json

    from ..exportlists.diff import diff_definitions, format_diff

    result = diff_definitions(_load_def(old), _load_def(new))
    if as_json:
        click.echo(json.dumps(result.as_dict(), indent=2))
    else:
        click.echo(format_diff(result), nl=False)
