"""The ``implib`` command: a thin click shell over the library API.

Heavy modules (pefile, httpx, the server) are imported inside the commands
that use them, so that ``implib gen`` inside every build starts fast.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from . import __version__
from .cli_options import CONTEXT, out_dir_option, python_options, selected_specs, target_option
from .cli_options import friendly as _friendly


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version", prog_name="implib")
def main() -> None:
    """Windows import libraries for Python, generated anywhere.

    \b
    Example:
      implib gen --target x86_64-pc-windows-msvc --abi3
      implib gen --target x86_64-pc-windows-gnu --python 3.12 -o libs
      implib inspect python3.lib
    """


@main.command(context_settings=CONTEXT)
@target_option()
@python_options()
@click.option(
    "--def",
    "def_file",
    type=click.Path(dir_okay=False),
    help="Any DLL's .def file instead of a Python build.",
)
@out_dir_option()
@click.option("--tool", help="builtin (default), or an external tool: see 'implib tools'.")
@click.option(
    "--dll-name", help="Import from a DLL of this name (e.g. libpython3.12.dll for MSYS2)."
)
@click.option("--no-cache", is_flag=True, help="Neither read nor fill the cache.")
@_friendly
def gen(
    target: str,
    abi3: bool,
    min_python: str | None,
    pythons: tuple[str, ...],
    all_: bool,
    def_file: str | None,
    out_dir: str,
    tool: str | None,
    dll_name: str | None,
    no_cache: bool,
) -> None:
    """Write import libraries for a Windows target.

    \b
    Examples:
      implib gen --target x86_64-pc-windows-msvc --abi3        # python3.lib
      implib gen --target win-amd64 --abi3 --min-python 3.9   # 3.9's python3.dll
      implib gen --target x86_64-pc-windows-gnu -p 3.12 -p 3.13t -o libs
      implib gen --target aarch64-pc-windows-msvc --def my.def
    """
    from .generate import generate, generate_from_def
    from .pythons import lib_names_for, parse_python
    from .targets import parse_target

    parsed_target = parse_target(target)
    specs = selected_specs(abi3, min_python, pythons, all_)
    if not specs and not def_file:
        raise click.UsageError(
            "say what to generate: --abi3, --python VERSION, --all or --def FILE"
        )
    builds = [parse_python(spec) for spec in specs]  # all checked before any is written
    options: dict[str, Any] = {"tool": tool, "dll_name": dll_name, "use_cache": not no_cache}
    results = []
    if def_file:
        results.append(generate_from_def(def_file, parsed_target, out_dir, **options))
    for build, names in zip(builds, lib_names_for(builds, parsed_target.flavour)):
        results.append(generate(parsed_target, build, out_dir, names=names, **options))
    for result in results:
        files = ", ".join(str(path) for path in result.paths)
        click.echo(f"{files}  ({result.dll}, {result.target}, {result.backend})")


@main.command(context_settings=CONTEXT)
@click.argument("library", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@_friendly
def inspect(library: str, as_json: bool) -> None:
    """List what an import library imports (any tool's, MSVC or GNU form).

    \b
    Example:
      implib inspect python3.lib
      implib inspect --json libpython3.12.dll.a
    """
    import dataclasses
    import json

    from .coff import Machine
    from .reader import iter_kinds, read_import_library

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


@main.group(context_settings=CONTEXT)
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
    from .exportlists import available_builds, definition_for

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
@_friendly
def defs_from_dll(dll: str, output: str | None) -> None:
    """Write a .def from a DLL's export table (data exports marked DATA).

    \b
    Example:
      implib defs from-dll python313.dll -o python313.def
    """
    from .deffile import format_def
    from .dllexports import definition_from_dll
    from .fileio import atomic_write

    text = format_def(definition_from_dll(dll))
    if output:
        atomic_write(Path(output), text.encode())
    else:
        click.echo(text, nl=False)


def _load_def(spec: str) -> Any:
    """A .def path, or a bundled Python build's name (3.12, abi3, pypy3.10)."""
    from .deffile import read_def

    if Path(spec).exists() or spec.endswith(".def"):
        return read_def(spec)
    from .exportlists import definition_for
    from .pythons import parse_python

    return definition_for(parse_python(spec))


@defs.command("diff", context_settings=CONTEXT)
@click.argument("old")
@click.argument("new")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@_friendly
def defs_diff(old: str, new: str, as_json: bool) -> None:
    """What was added, removed, or changed kind between two export lists.

    OLD and NEW are .def files or bundled builds (3.12, 3.13t, abi3, pypy3.10).

    \b
    Example:
      implib defs diff 3.12 3.13
    """
    import json

    from .defdiff import diff_definitions, format_diff

    result = diff_definitions(_load_def(old), _load_def(new))
    if as_json:
        click.echo(json.dumps(result.as_dict(), indent=2))
    else:
        click.echo(format_diff(result), nl=False)


@main.command(context_settings=CONTEXT)
@click.argument("library", type=click.Path(dir_okay=False))
@click.option(
    "--dll", required=True, type=click.Path(dir_okay=False), help="The real DLL to check against."
)
@_friendly
def verify(library: str, dll: str) -> None:
    """Check an import library against a real DLL: every name exported, same kind.

    \b
    Example:
      implib verify python313.lib --dll python313.dll
    """
    from .verify import verify_library

    report = verify_library(library, dll)
    for line in report.problems:
        click.echo(line)
    for line in report.notes:
        click.echo(f"note: {line}")
    click.echo(report.summary)
    if report.problems:
        sys.exit(1)


@main.command(context_settings=CONTEXT)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def tools(as_json: bool) -> None:
    """List every backend: whether it was found, where, and its version.

    \b
    Example:
      implib tools
      implib gen --target x86_64-pc-windows-gnu --abi3 --tool dlltool
    """
    import dataclasses

    from .backends.external import tool_infos

    infos = tool_infos()
    if as_json:
        import json

        click.echo(json.dumps([dataclasses.asdict(info) for info in infos], indent=2))
        return
    for info in infos:
        state = "found" if info.found else "missing"
        click.echo(f"{info.name:<13} {state:<8} {info.version or '-':<12} {info.path or '-'}")
        if info.note:
            click.echo(f"{'':<13} {info.note}")


@main.group(context_settings=CONTEXT)
def cache() -> None:
    """The cache of produced libraries (IMPLIB_CACHE_DIR overrides its place).

    \b
    Examples:
      implib cache list
      implib cache prune --max-size 50M
    """


@cache.command("path", context_settings=CONTEXT)
def cache_path() -> None:
    """Print the cache folder."""
    from .cache import Cache

    click.echo(Cache().root)


@cache.command("list", context_settings=CONTEXT)
def cache_list() -> None:
    """List the entries: target, Python build, backend, size, last use."""
    import datetime

    from .cache import Cache

    store = Cache()
    entries = sorted(store.entries(), key=lambda e: e.last_used, reverse=True)
    for entry in entries:
        used = datetime.datetime.fromtimestamp(entry.last_used).strftime("%Y-%m-%d %H:%M")
        meta = entry.meta
        click.echo(
            f"{meta.get('target', '?'):<28} {meta.get('python', '?'):<10} "
            f"{meta.get('backend', '?'):<13} {entry.size:>9,} B  {used}  {entry.sha256[:12]}"
        )
    click.echo(f"{len(entries)} entries, {store.size():,} bytes in {store.root}")


@cache.command("verify", context_settings=CONTEXT)
def cache_verify() -> None:
    """Check every entry's digest; remove the bad ones."""
    from .cache import Cache

    checked, removed = Cache().verify()
    click.echo(f"{checked} entries checked, {len(removed)} bad removed")


@cache.command("clear", context_settings=CONTEXT)
def cache_clear() -> None:
    """Remove every entry."""
    from .cache import Cache

    click.echo(f"{Cache().clear()} entries removed")


def _size(text: str) -> int:
    units = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3}
    number = text.strip().upper().removesuffix("B").removesuffix("I")
    unit = number[-1:] if number[-1:] in units else ""
    try:
        return int(float(number[: len(number) - len(unit)]) * units[unit])
    except ValueError:
        raise click.BadParameter(f"{text!r} is not a size such as 500K, 50M or 1G") from None


@cache.command("prune", context_settings=CONTEXT)
@click.option("--max-size", required=True, help="Keep at most this much: 500K, 50M, 1G.")
def cache_prune(max_size: str) -> None:
    """Remove the least recently used entries until the cache fits."""
    from .cache import Cache

    removed = Cache().prune(_size(max_size))
    click.echo(f"{len(removed)} entries removed")


from .service_cli import export, fetch, serve  # noqa: E402  (light: click only)

for _command in (serve, export, fetch):
    main.add_command(_command)

from .cross_cli import env, run  # noqa: E402  (light: click only)

main.add_command(env)
main.add_command(run)

if __name__ == "__main__":  # pragma: no cover
    main()
