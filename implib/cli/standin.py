"""``implib dlltool …`` and ``implib lib …``: the drop-ins of :mod:`.dropins` inside the group.

For a build that takes a command with arguments (``DLLTOOL="implib dlltool"``);
the programs ``implib-dlltool`` and ``implib-lib`` are the same without click.
Every argument is the tool's own: no ``--help`` of click's.
"""

from __future__ import annotations

import click

__all__ = ["dlltool", "lib"]

_SETTINGS = {"ignore_unknown_options": True, "help_option_names": []}


@click.command(
    context_settings=_SETTINGS,
    add_help_option=False,
    short_help="Stand in for dlltool: -d DEF -l OUT -m MACHINE [-D DLL].",
)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def dlltool(args: tuple[str, ...]) -> None:
    """Write an import library as GNU dlltool or llvm-dlltool would, silently."""
    from .dropins import dlltool as run

    run(args, "implib dlltool")


@click.command(
    context_settings=_SETTINGS,
    add_help_option=False,
    short_help="Stand in for lib.exe: /def:DEF /out:OUT /machine:X64.",
)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def lib(args: tuple[str, ...]) -> None:
    """Write an import library as ``lib /def:`` (llvm-lib) would, silently."""
    from .dropins import lib as run

    run(args, "implib lib")
