"""The ``implib env`` and ``implib run`` commands: cross builds for Windows.

Standalone click commands that :mod:`implib.cli` registers; the work is done
by :mod:`implib.crossenv`, imported inside the commands. This module does not
import :mod:`implib.cli` at import time: cli imports it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from typing import Any, NoReturn, TypeVar

import click

from .cli_options import CONTEXT
from .cli_options import friendly as _friendly

F = TypeVar("F", bound=Callable[..., Any])

#: The formats of ``implib env`` (as implib.crossenv.FORMATS, without importing it).
_FORMATS = ("sh", "fish", "powershell", "github", "json")


def _note(message: str) -> None:
    click.echo(f"implib: {message}", err=True)


_selection_options = [
    click.option(
        "-t",
        "--target",
        help="Rust triple or win-amd64, win32, win-arm64. "
        "Default: the command's --target (run), then CARGO_BUILD_TARGET.",
    ),
    click.option("--abi3", is_flag=True, help="python3.dll, the stable ABI."),
    click.option(
        "--min-python", metavar="3.X", help="With --abi3: only what python3.dll of 3.X exports."
    ),
    click.option(
        "-p",
        "--python",
        metavar="VERSION",
        help="3.12, 3.13t, pypy3.10. Default: PYO3_CROSS_PYTHON_VERSION when set.",
    ),
    click.option(
        "--dll-name", help="Import from a DLL of this name (e.g. libpython3.12.dll for MSYS2)."
    ),
    click.option(
        "-o",
        "--out-dir",
        type=click.Path(file_okay=False),
        help="Library folder. Default: a folder of its own in implib's cache folder.",
    ),
    click.option("--tool", help="builtin (default), or an external tool: see 'implib tools'."),
    click.option(
        "--server",
        envvar="IMPLIB_SERVER",
        show_envvar=True,
        help="Fetch the libraries from this implib server or export instead of generating them.",
    ),
    click.option("--no-cache", is_flag=True, help="Neither read nor fill the cache."),
]


def _with_selection(func: F) -> F:
    for option in reversed(_selection_options):
        func = option(func)
    return func


def _python_spec(
    abi3: bool, min_python: str | None, python: str | None, environ: Mapping[str, str]
) -> str | None:
    """The Python build asked for, checked against the bundled lists; None if none was."""
    from .crossenv import build_from_pyo3_env
    from .exportlists import bundled_bytes
    from .pythons import parse_python

    if python and (abi3 or min_python):
        raise click.UsageError("give --abi3 or --python, not both")
    if python:
        build = parse_python(python)
    elif abi3 or min_python:
        build = parse_python(f"abi3-{min_python}" if min_python else "abi3")
    else:
        found = build_from_pyo3_env(environ)
        if found is None:
            return None
        build = found
    bundled_bytes(build)  # an unknown build fails here, before anything runs
    return build.spec


def _prepare(
    target: Any,
    spec: str | None,
    dll_name: str | None,
    out_dir: str | None,
    tool: str | None,
    server: str | None,
    no_cache: bool,
) -> Any:
    from .crossenv import prepare

    if spec is None:
        raise click.UsageError(
            "say which Python the build is for: --abi3, or --python VERSION "
            "(or set PYO3_CROSS_PYTHON_VERSION)"
        )
    build = prepare(
        target,
        spec,
        out_dir,
        dll_name=dll_name,
        tool=tool,
        use_cache=not no_cache,
        server=server or None,
    )
    if build.origin != "generated":
        _note(build.origin)
    return build


@click.command(context_settings=CONTEXT)
@_with_selection
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(_FORMATS),
    default="sh",
    show_default=True,
    help="Shell syntax to eval, JSON, or 'github' to append to $GITHUB_ENV.",
)
@_friendly
def env(
    target: str | None,
    abi3: bool,
    min_python: str | None,
    python: str | None,
    dll_name: str | None,
    out_dir: str | None,
    tool: str | None,
    server: str | None,
    no_cache: bool,
    fmt: str,
) -> None:
    """Write the libraries of a cross build and print the variables it reads.

    PyO3 reads PYO3_CROSS_LIB_DIR, PYO3_CROSS_PYTHON_VERSION and
    PYO3_CROSS_PYTHON_IMPLEMENTATION; C builds use IMPLIB_LDFLAGS (-LDIR
    -lNAME for MinGW gcc and clang; the .lib path for lld-link),
    IMPLIB_LIBRARY (the file: what zig cc wants), IMPLIB_LIB_DIR and
    IMPLIB_LIB_NAME.

    \b
    Examples:
      eval "$(implib env --target x86_64-pc-windows-gnu --abi3)"
      implib env -t x86_64-pc-windows-msvc -p 3.12 --format fish | source
      implib env -t aarch64-pc-windows-msvc --abi3 --format github
      implib env -t win-amd64 -p 3.13 --format json
    """
    from .crossenv import append_github_env, format_env, windows_target

    spec = _python_spec(abi3, min_python, python, os.environ)
    name = target or os.environ.get("CARGO_BUILD_TARGET")
    if not name:
        raise click.UsageError("give --target (or set CARGO_BUILD_TARGET)")
    parsed = windows_target(name)
    if parsed is None:
        _note(f"{name} is not a Windows target: nothing to set")
        if fmt == "json":
            summary = {"windows": False, "target": name, "env": {}}
            click.echo(format_env({}, fmt, summary=summary), nl=False)
        return
    build = _prepare(parsed, spec, dll_name, out_dir, tool, server, no_cache)
    if fmt == "github":
        path = append_github_env(build.env)
        _note(f"{len(build.env)} variables appended to {path}")
        click.echo(format_env(build.env, fmt), nl=False)
    else:
        click.echo(format_env(build.env, fmt, summary=build.as_dict()), nl=False)


def _exec(argv: list[str], environ: Mapping[str, str]) -> NoReturn:
    """Become the command (POSIX), so that stdin, signals and the exit status are its own."""
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        if os.name != "nt":
            os.execvpe(argv[0], argv, dict(environ))
        import subprocess

        sys.exit(subprocess.call(argv, env=dict(environ)))
    except FileNotFoundError:
        _note(f"command not found: {argv[0]}")
        sys.exit(127)
    except PermissionError:
        _note(f"cannot run {argv[0]}: permission denied")
        sys.exit(126)


@click.command(
    context_settings={**CONTEXT, "allow_interspersed_args": False},
    short_help="Run a build command with the variables of 'implib env' set.",
)
@_with_selection
@click.argument("command", nargs=-1, required=True, type=click.UNPROCESSED)
@_friendly
def run(
    target: str | None,
    abi3: bool,
    min_python: str | None,
    python: str | None,
    dll_name: str | None,
    out_dir: str | None,
    tool: str | None,
    server: str | None,
    no_cache: bool,
    command: tuple[str, ...],
) -> None:
    """Run a build command with the variables of 'implib env' set.

    Without --target, the target is the command's own --target T (cargo,
    maturin, cargo-zigbuild, cargo-xwin; -target of zig cc and clang), else
    CARGO_BUILD_TARGET. For a host build or a non-Windows target the command
    runs unchanged. stdin, stdout and the exit status are the command's.

    \b
    Examples:
      implib run --abi3 -- maturin build --release --target x86_64-pc-windows-msvc
      implib run -p 3.12 -- cargo build --target x86_64-pc-windows-gnu
      implib run -t win-amd64 -p 3.13 -- make
    """
    from .crossenv import target_from_command, windows_target

    argv = list(command)
    spec = _python_spec(abi3, min_python, python, os.environ)
    name = target or target_from_command(argv)
    parsed = windows_target(name) if name else None
    if parsed is None:
        what = f"{name} is not a Windows target" if name else "no target given: a host build"
        _note(f"{what}; running the command unchanged")
        _exec(argv, os.environ)
    build = _prepare(parsed, spec, dll_name, out_dir, tool, server, no_cache)
    _note(
        f"{build.target}, Python {build.build.spec}: "
        f"PYO3_CROSS_LIB_DIR={build.lib_dir} ({', '.join(build.lib_names)})"
    )
    _exec(argv, {**os.environ, **build.env})
