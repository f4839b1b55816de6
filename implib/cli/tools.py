"""``implib tools``: every backend, found or not."""

from __future__ import annotations

import click

from .options import CONTEXT

__all__ = ["tools"]


@click.command(context_settings=CONTEXT)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option(
    "-t",
    "--target",
    "targets",
    multiple=True,
    metavar="TARGET",
    help="Say which tool a command without --tool uses for TARGET (repeatable).",
)
def tools(as_json: bool, targets: tuple[str, ...]) -> None:
    """List every backend: whether it was found, where, and its version;
    then the tool a command without --tool uses (ZIG_COMMAND and
    PYO3_MINGW_DLLTOOL change it, as in PyO3).

    \b
    Example:
      implib tools
      implib tools -t x86_64-pc-windows-gnu
      implib gen --target x86_64-pc-windows-gnu --abi3 --tool dlltool
    """
    from ..backends import default_tool, tool_infos
    from ..targets import parse_target

    chosen = [parse_target(name) for name in targets] or [
        parse_target("x86_64-pc-windows-msvc"),
        parse_target("x86_64-pc-windows-gnu"),
    ]
    defaults = [(target, *default_tool(target)) for target in chosen]
    infos = tool_infos()
    if as_json:
        import json

        listed = [info.as_dict() for info in infos]
        if targets:
            listed += [
                {"target": t.triple, "default_tool": tool, "because": why}
                for t, tool, why in defaults
            ]
        click.echo(json.dumps(listed, indent=2))
        return
    for info in infos:
        state = "found" if info.found else "missing"
        click.echo(f"{info.name:<13} {state:<8} {info.version or '-':<12} {info.path or '-'}")
        if info.note:
            click.echo(f"{'':<13} {info.note}")
    label = "" if targets else " (MSVC, GNU)"
    click.echo(f"without --tool{label}:")
    for target, tool, why in defaults:
        click.echo(f"  {target.triple:<28} {tool} ({why})")
