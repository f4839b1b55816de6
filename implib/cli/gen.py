"""``implib gen``: write import libraries for a Windows target."""

from __future__ import annotations

import click

from .generating import generate, report, selected_specs
from .options import (
    CONTEXT,
    dll_name_option,
    no_cache_option,
    out_dir_option,
    python_options,
    target_option,
    tool_option,
)

__all__ = ["gen"]


@click.command(context_settings=CONTEXT)
@target_option()
@python_options()
@click.option(
    "--def",
    "def_file",
    type=click.Path(dir_okay=False),
    help="Any DLL's .def file instead of a Python build.",
)
@out_dir_option()
@tool_option()
@dll_name_option()
@no_cache_option()
@click.option(
    "--replace",
    is_flag=True,
    help="Replace a set of files an earlier run wrote for another DLL (--dll-name).",
)
def gen(
    target: str,
    abi3: bool,
    abi3t: bool,
    min_python: str | None,
    pythons: tuple[str, ...],
    all_: bool,
    def_file: str | None,
    out_dir: str,
    tool: str | None,
    dll_name: str | None,
    no_cache: bool,
    replace: bool,
) -> None:
    """Write import libraries for a Windows target.

    \b
    Examples:
      implib gen --target x86_64-pc-windows-msvc --abi3        # python3.lib
      implib gen --target win-amd64 --abi3 --min-python 3.9   # 3.9's python3.dll
      implib gen --target x86_64-pc-windows-msvc --abi3t       # python3t.lib (3.15+)
      implib gen --target x86_64-pc-windows-gnu -p 3.12 -p 3.13t -o libs
      implib gen --target aarch64-pc-windows-msvc --def my.def
    """
    specs = selected_specs(abi3, min_python, pythons, all_, abi3t)
    if not specs and not def_file:
        raise click.UsageError(
            "say what to generate: --abi3, --abi3t, --python VERSION, --all or --def FILE"
        )
    results = generate(
        target,
        specs,
        def_file,
        out_dir,
        tool=tool,
        dll_name=dll_name,
        use_cache=not no_cache,
        replace=replace,
    )
    out, err = report(results)
    for line in out:
        click.echo(line)
    for line in err:
        click.echo(line, err=True)
