"""``implib env`` and ``implib run``: cross builds for Windows.

The work is done by :mod:`implib.cross`, imported inside the commands.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from typing import Any, NoReturn, TypeVar

import click

from .options import (
    CONTEXT,
    dll_name_option,
    no_cache_option,
    note,
    out_dir_option,
    python_options,
    server_option,
    target_option,
    tool_option,
)

__all__ = ["env", "run"]

F = TypeVar("F", bound=Callable[..., Any])

#: The formats of ``implib env`` (as implib.cross.shells.FORMATS, without importing it).
_FORMATS = ("sh", "fish", "powershell", "github", "json")


def _with_selection(func: F) -> F:
    """The options of ``env`` and ``run``: what to build for, and where it comes from."""
    options = [
        target_option(
            required=False,
            default_help="the command's --target (run), then CARGO_BUILD_TARGET.",
        ),
        python_options(
            multiple=False,
            all_builds=False,
            python_help="Default: PYO3_CROSS_PYTHON_VERSION when set.",
        ),
        dll_name_option(),
        out_dir_option(
            default=None,
            help_text="Library folder. Default: a folder of its own in implib's cache folder.",
        ),
        tool_option(),
        server_option(
            required=False,
            help_text="Fetch the libraries from this implib server or export "
            "instead of generating them.",
        ),
        no_cache_option(),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _python_spec(
    abi3: bool, min_python: str | None, python: str | None, environ: Mapping[str, str]
) -> str | None:
    """The Python build asked for, checked against the bundled lists; None if none was."""
    from ..cross.pyo3 import build_from_pyo3_env
    from ..exportlists import bundled_bytes
    from ..pythons import parse_python

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
    from ..cross import prepare

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
        note(build.origin)
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
    from ..cross.shells import append_github_env, format_env
    from ..targets import windows_target

    spec = _python_spec(abi3, min_python, python, os.environ)
    name = target or os.environ.get("CARGO_BUILD_TARGET")
    if not name:
        raise click.UsageError("give --target (or set CARGO_BUILD_TARGET)")
    parsed = windows_target(name)
    if parsed is None:
        note(f"{name} is not a Windows target: nothing to set")
        if fmt == "json":
            summary = {"windows": False, "target": name, "env": {}}
            click.echo(format_env({}, fmt, summary=summary), nl=False)
        return
    build = _prepare(parsed, spec, dll_name, out_dir, tool, server, no_cache)
    if fmt == "github":
        path = append_github_env(build.env)
        note(f"{len(build.env)} variables appended to {path}")
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
        note(f"command not found: {argv[0]}")
        sys.exit(127)
    except PermissionError:
        note(f"cannot run {argv[0]}: permission denied")
        sys.exit(126)
    except OSError as exc:  # not an executable format, arguments too long, ...
        note(f"cannot run {argv[0]}: {exc.strerror or exc}")
        sys.exit(126)


@click.command(
    context_settings={**CONTEXT, "allow_interspersed_args": False},
    short_help="Run a build command with the variables of 'implib env' set.",
)
@_with_selection
@click.argument("command", nargs=-1, required=True, type=click.UNPROCESSED)
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
    from ..cross.command import target_from_command
    from ..targets import windows_target

    argv = list(command)
    spec = _python_spec(abi3, min_python, python, os.environ)
    name = target or target_from_command(argv)
    parsed = windows_target(name) if name else None
    if parsed is None:
        what = f"{name} is not a Windows target" if name else "no target given: a host build"
        note(f"{what}; running the command unchanged")
        _exec(argv, os.environ)
    build = _prepare(parsed, spec, dll_name, out_dir, tool, server, no_cache)
    note(
        f"{build.target}, Python {build.build.spec}: "
        f"PYO3_CROSS_LIB_DIR={build.lib_dir} ({', '.join(build.lib_names)})"
    )
    _exec(argv, {**os.environ, **build.env})
