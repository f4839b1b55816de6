"""The ``implib`` command: a thin click shell over the library API.

One module per command group; they share their options through
:mod:`.options`. Each command's module is imported when the command runs
(:data:`COMMANDS`), and heavy modules (httpx, the server, the writer, the PE
reader) inside the commands that use them, so that a command pays for its
own imports only: ``implib env`` and ``implib run`` run inside builds.
"""

from __future__ import annotations

import importlib
from typing import Any

import click

from .. import __version__
from .options import CONTEXT, ImplibGroup

__all__ = ["COMMANDS", "main"]

#: Every command: the module of ``implib.cli`` that holds it, and its name there (a
#: click command, or a function that makes one: gen's and sdk's, built from a table).
COMMANDS = {
    "cache": ("cache", "cache"),
    "defs": ("defs", "defs"),
    "dlltool": ("standin", "dlltool"),
    "env": ("cross", "env"),
    "export": ("service", "export"),
    "fetch": ("service", "fetch"),
    "gen": ("gen", "command"),
    "inspect": ("library", "inspect"),
    "lib": ("standin", "lib"),
    "run": ("cross", "run"),
    "sdk": ("sdk", "command"),
    "serve": ("service", "serve"),
    "tools": ("tools", "tools"),
    "verify": ("library", "verify"),
}


class _Commands(ImplibGroup):
    """The group, loading a command's module when the command is asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in self.commands and name in COMMANDS:
            module, attribute = COMMANDS[name]
            found: Any = getattr(importlib.import_module(f"{__package__}.{module}"), attribute)
            self.add_command(found if isinstance(found, click.Command) else found(), name)
        return self.commands.get(name)


@click.group(cls=_Commands, context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version", prog_name="implib")
def main() -> None:
    """Windows import libraries for Python, generated anywhere.

    \b
    Example:
      implib gen --target x86_64-pc-windows-msvc --abi3
      implib gen --target x86_64-pc-windows-gnu --python 3.12 -o libs
      implib inspect python3.lib
    """


if __name__ == "__main__":  # pragma: no cover
    main()
