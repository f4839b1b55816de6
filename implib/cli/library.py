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
    machines = []
    for value in lib.machines:
        try:
            machines.append(Machine(value).name.lower())
        except ValueError:
            machines.append(hex(value))
    machine = "+".join(machines) or "no machine"
    if as_json:
        imports = []
        for imp in lib.imports:
            fields = dataclasses.asdict(imp)
            if not fields["alias_of"]:  # only aliases have one
                del fields["alias_of"]
            imports.append(fields)
        payload = {
            "file": library,
            "format": lib.format,
            "machine": machine,
            "machines": machines,
            "dlls": lib.dlls,
            "imports": imports,
        }
        click.echo(json.dumps(payload, indent=2))
        return
    summary = ", ".join(f"{count} {kind}" for kind, count in iter_kinds(lib))
    click.echo(f"{library}: {', '.join(lib.dlls)} ({machine}, {lib.format} import format)")
    click.echo(f"{len(lib.imports)} imports: {summary}")
    several = len(lib.dlls) > 1
    width = max((len(imp.name or imp.symbol) for imp in lib.imports), default=4)
    dll_width = max((len(imp.dll) for imp in lib.imports), default=3)
    dll_header = f"{'DLL':<{dll_width}}  " if several else ""
    click.echo(f"  {'KIND':<5}  {'ORDINAL':>7}  {dll_header}{'NAME':<{width}}  SYMBOL")
    for imp in lib.imports:
        ordinal = "" if imp.ordinal is None else str(imp.ordinal)
        name = imp.name or "-"
        symbol = "" if imp.symbol == imp.name else imp.symbol
        if imp.alias_of:
            symbol = f"{imp.symbol} (alias of {imp.alias_of})"
        dll = f"{imp.dll:<{dll_width}}  " if several else ""
        line = f"  {imp.kind:<5}  {ordinal:>7}  {dll}{name:<{width}}  {symbol}"
        click.echo(line.rstrip())


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
