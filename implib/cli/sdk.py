"""``implib sdk``: headers, a Windows pyconfig.h, import libraries and build-details.json.

The work is done by :mod:`implib.sdk`, imported inside the command.
"""

from __future__ import annotations

import json

import click

from .options import CONTEXT, no_cache_option, note, python_options, target_option, tool_option

__all__ = ["sdk"]


def _build(abi3: bool, abi3t: bool, min_python: str | None, python: str | None) -> str:
    """The build the options name, as parse_python spells it."""
    if python and (abi3 or abi3t or min_python):
        raise click.UsageError("give --abi3/--abi3t or --python, not both")
    if abi3 and abi3t:
        raise click.UsageError("give --abi3 or --abi3t, not both")
    if python:
        return python
    if abi3 or abi3t or min_python:
        name = "abi3t" if abi3t else "abi3"
        return f"{name}-{min_python}" if min_python else name
    raise click.UsageError("give --python X.Y[t], --abi3 [--min-python X.Y] or --abi3t")


@click.command(context_settings=CONTEXT)
@target_option()
@python_options(multiple=False, all_builds=False)
@click.option(
    "-o",
    "--out-dir",
    required=True,
    metavar="DIR",
    help="The SDK's folder: include/, libs/, build-details.json.",
)
@click.option(
    "--include",
    "include",
    metavar="DIR",
    help="The include folder of a CPython release implib does not bundle "
    "(default: an installed CPython's: pyenv, uv, /usr/include, python3.X on PATH).",
)
@click.option("--json", "as_json", is_flag=True, help="Print where each part is, as JSON.")
@tool_option()
@no_cache_option()
def sdk(
    target: str,
    abi3: bool,
    abi3t: bool,
    min_python: str | None,
    python: str | None,
    out_dir: str,
    include: str | None,
    as_json: bool,
    tool: str | None,
    no_cache: bool,
) -> None:
    """Write what a C, C++ or Cython cross build for Windows compiles against.

    DIR/include holds the release's headers and a Windows pyconfig.h made
    for the target's machine and compiler family and for the build
    (free-threaded: Py_GIL_DISABLED; --abi3: Py_LIMITED_API); DIR/libs the
    import libraries 'implib gen' writes; DIR/build-details.json describes
    the target Python (PEP 739) for meson (-Dpython.build_config=, or
    --cross-file DIR/meson-cross.ini) and maturin; DIR/python.cmake sets
    FindPython's variables for CMake (cmake -C). Bundled headers: CPython
    3.9, 3.11, 3.13, 3.14, 3.15.
    --abi3 and --abi3t take the newest; --abi3 alone limits the API to
    that release (Py_LIMITED_API): give --min-python for older Pythons.

    \b
    Examples:
      implib sdk -t x86_64-pc-windows-gnu -p 3.13 -o sdk
      x86_64-w64-mingw32-gcc -shared -Isdk/include spam.c -Lsdk/libs -lpython313 -o spam.pyd
      implib sdk -t x86_64-pc-windows-msvc --abi3 --min-python 3.9 -o sdk-abi3
      implib sdk -t x86_64-pc-windows-gnu -p 3.12 --include /opt/py312/include/python3.12 -o s
    """
    from ..sdk import sdk as make_sdk

    made = make_sdk(
        target, _build(abi3, abi3t, min_python, python), out_dir,
        include=include, tool=tool, use_cache=not no_cache,
    )  # fmt: skip
    if as_json:
        click.echo(json.dumps(made.as_dict(), indent=2))
        return
    note(
        f"{made.target}, Python {made.build.spec}: headers of CPython {made.headers} "
        f"({made.origin.split(' (')[0]}), {len(made.libraries)} libraries"
    )
    click.echo(made.root)
