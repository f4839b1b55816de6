"""``implib inspect`` and ``implib verify``: read an import library back, check it."""

from __future__ import annotations

import sys

import click

from .options import CONTEXT

__all__ = ["inspect", "verify"]


@click.command(context_settings=CONTEXT)
@click.argument("library", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def inspect(library: str, as_json: bool) -> None:
    """List what an import library imports (any tool's, MSVC or GNU form).

    \b
    Example:
      implib inspect python3.lib
      implib inspect --json libpython3.12.dll.a
    """
    import dataclasses
    import json

    from ..coff.reader import iter_kinds, read_import_library
    from ..coff.structs import Machine

    lib = read_import_library(library)
    try:
        machine = Machine(lib.machine).name.lower()
    except ValueError:
        machine = hex(lib.machine)
    if as_json:
        payload = {
            "file": library,
            "format": lib.format,
            "machine": machine,
            "dlls": lib.dlls,
            "imports": [dataclasses.asdict(imp) for imp in lib.imports],
        }
        click.echo(json.dumps(payload, indent=2))
        return
    summary = ", ".join(f"{count} {kind}" for kind, count in iter_kinds(lib))
    click.echo(f"{library}: {', '.join(lib.dlls)} ({machine}, {lib.format} import format)")
    click.echo(f"{len(lib.imports)} imports: {summary}")
    width = max((len(imp.name or imp.symbol) for imp in lib.imports), default=4)
    click.echo(f"  {'KIND':<5}  {'ORDINAL':>7}  {'NAME':<{width}}  SYMBOL")
    for imp in lib.imports:
        ordinal = "" if imp.ordinal is None else str(imp.ordinal)
        name = imp.name or "-"
        symbol = "" if imp.symbol == imp.name else imp.symbol
        click.echo(f"  {imp.kind:<5}  {ordinal:>7}  {name:<{width}}  {symbol}".rstrip())


@click.command(context_settings=CONTEXT)
@click.argument("library", type=click.Path(dir_okay=False))
@click.option(
    "--dll", required=True, type=click.Path(dir_okay=False), help="The real DLL to check against."
)
def verify(library: str, dll: str) -> None:
    """Check an import library against a real DLL: every name exported, same kind.

    \b
    Example:
      implib verify python313.lib --dll python313.dll
    """
    from ..verify import verify_library

    report = verify_library(library, dll)
    for line in report.problems:
        click.echo(line)
    for line in report.notes:
        click.echo(f"note: {line}")
    click.echo(report.summary)
    if report.problems:
        sys.exit(1)
