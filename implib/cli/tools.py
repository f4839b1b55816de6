"""``implib tools``: every backend, found or not."""

from __future__ import annotations

import click

from .options import CONTEXT

__all__ = ["tools"]


@click.command(context_settings=CONTEXT)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def tools(as_json: bool) -> None:
    """List every backend: whether it was found, where, and its version.

    \b
    Example:
      implib tools
      implib gen --target x86_64-pc-windows-gnu --abi3 --tool dlltool
    """
    from ..backends import tool_infos

    infos = tool_infos()
    if as_json:
        import json

        click.echo(json.dumps([info.as_dict() for info in infos], indent=2))
        return
    for info in infos:
        state = "found" if info.found else "missing"
        click.echo(f"{info.name:<13} {state:<8} {info.version or '-':<12} {info.path or '-'}")
        if info.note:
            click.echo(f"{'':<13} {info.note}")
