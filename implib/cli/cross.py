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


def _with_selection(*, run: bool) -> Callable[[F], F]:
    """The options of ``env`` and ``run``: what to build for, and where it comes from.

    Their help says only what the command reads: ``env`` has no command line.
    """
    return lambda func: _selection(func, run)


def _selection(func: F, run: bool) -> F:
    options = [
        target_option(
            required=False,
            default_help=(
                "the command's --target, then CARGO_BUILD_TARGET." if run else "CARGO_BUILD_TARGET."
            ),
        ),
        python_options(
            multiple=False,
            all_builds=False,
            python_help="Default: PYO3_CROSS_PYTHON_VERSION, else the crate's PyO3 "
            "abi3-py3X feature (abi3 from 3.X)"
            + (", else maturin's -i python3.X." if run else "."),
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
        click.option(
            "--sdk",
            is_flag=True,
            help="C builds: write an 'implib sdk' folder (headers with a Windows pyconfig.h, "
            "the libraries, build-details.json, a meson cross file) and name it in "
            "IMPLIB_SDK, IMPLIB_INCLUDE, IMPLIB_CFLAGS, IMPLIB_BUILD_DETAILS, IMPLIB_MESON_CROSS.",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _explicit_build(
    abi3: bool, min_python: str | None, python: str | None, abi3t: bool = False
) -> Any:
    """The Python build the options name, checked against the bundled lists; None if none."""
    from ..pythons import parse_python

    if python and (abi3 or abi3t or min_python):
        raise click.UsageError("give --abi3 or --python, not both")
    if abi3 and abi3t:
        raise click.UsageError("give --abi3 or --abi3t, not both")
    if python:
        return _checked(parse_python(python))
    if abi3 or abi3t or min_python:
        name = "abi3t" if abi3t else "abi3"
        return _checked(parse_python(f"{name}-{min_python}" if min_python else name))
    return None


def _checked(build: Any) -> Any:
    """``build``, once its export list is known to exist: an unknown one fails before the build."""
    from ..exportlists import bundled_bytes

    bundled_bytes(build)
    return build


def _choose(explicit: Any, command: Any) -> Any:
    """The build to prepare: the options', else what the project and PyO3's variables say."""
    from ..cross.project import choose_python

    choice = choose_python(explicit, command, os.environ)
    _checked(choice.build)
    if choice.reason:
        note(f"Python {choice.build.spec}, from {choice.reason}")
    return choice.build


def _prepare(
    target: Any,
    build: Any,
    dll_name: str | None,
    out_dir: str | None,
    tool: str | None,
    server: str | None,
    no_cache: bool,
    libraries: bool = True,
    sdk: bool = False,
) -> Any:
    from ..cross import prepare

    prepared = prepare(
        target,
        build,
        out_dir,
        dll_name=dll_name,
        tool=tool,
        use_cache=not no_cache,
        server=server or None,
        libraries=libraries,
        sdk=sdk,
    )
    if prepared.origin != "generated":
        note(prepared.origin)
    return prepared


@click.command(context_settings=CONTEXT)
@_with_selection(run=False)
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
    abi3t: bool,
    min_python: str | None,
    python: str | None,
    dll_name: str | None,
    out_dir: str | None,
    tool: str | None,
    server: str | None,
    no_cache: bool,
    sdk: bool,
    fmt: str,
) -> None:
    """Write the libraries of a cross build and print the variables it reads.

    PyO3 reads PYO3_CROSS_LIB_DIR, PYO3_CROSS_PYTHON_VERSION and
    PYO3_CROSS_PYTHON_IMPLEMENTATION; C builds use IMPLIB_LDFLAGS (-LDIR
    -lNAME for MinGW gcc and clang; the .lib path for lld-link),
    IMPLIB_LIBRARY (the file: what zig cc wants), IMPLIB_LIB_DIR and
    IMPLIB_LIB_NAME; with --sdk also IMPLIB_CFLAGS (-I the SDK's headers),
    IMPLIB_INCLUDE, IMPLIB_SDK, IMPLIB_BUILD_DETAILS and IMPLIB_MESON_CROSS
    (see 'implib sdk'). Without --abi3/--python, the Python build is
    PYO3_CROSS_PYTHON_VERSION's, else that of the crate in this folder
    (its PyO3 abi3-py3X feature, and [tool.maturin] of a maturin project).

    \b
    Examples:
      eval "$(implib env --target x86_64-pc-windows-gnu --abi3)"
      implib env -t x86_64-pc-windows-msvc -p 3.12 --format fish | source
      implib env -t aarch64-pc-windows-msvc --abi3 --format github
      implib env -t win-amd64 -p 3.13 --format json
    """
    from ..cross.command import BuildCommand
    from ..cross.shells import append_github_env, format_env, github_env_file
    from ..targets import windows_target

    if fmt == "github":
        github_env_file()  # outside a GitHub Actions step: say so before writing anything
    explicit = _explicit_build(abi3, min_python, python, abi3t)
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
    chosen = _choose(explicit, BuildCommand(tool=None))
    decision = _raw_dylib(parsed, chosen, dll_name, BuildCommand(tool=None))
    build = _prepare(
        parsed, chosen, dll_name, out_dir, tool, server, no_cache,
        decision.import_library or sdk, sdk,
    )  # fmt: skip
    build = _with_env(build, decision.env)
    if fmt == "github":
        path = append_github_env(build.env)
        note(f"{len(build.env)} variables appended to {path}")
        click.echo(format_env(build.env, fmt), nl=False)
    else:
        click.echo(format_env(build.env, fmt, summary=build.as_dict()), nl=False)


def _raw_dylib(target: Any, build: Any, dll_name: str | None, command: Any) -> Any:
    """Whether the PyO3 build links Python through raw-dylib (no library), said in one line."""
    from pathlib import Path

    from ..cross.rawdylib import decide_for_command

    dll = dll_name or build.dll_name
    decision = decide_for_command(command, Path.cwd(), os.environ, dll, target)
    if decision.message:
        note(decision.message)
    return decision


def _with_env(build: Any, extra: Mapping[str, str]) -> Any:
    import dataclasses

    return dataclasses.replace(build, env={**build.env, **extra}) if extra else build


def _rustc_dlltool(target: Any, environ: Mapping[str, str], lib_dir: Any) -> dict[str, str]:
    """implib's dlltool for rustc, where raw-dylib on windows-gnu needs one and none is found."""
    from pathlib import Path

    from ..cross.rustflags import dlltool_plan

    plan = dlltool_plan(target, environ, Path.cwd(), Path(lib_dir) / "bin")
    if plan is None:
        return {}
    note(plan.message)
    return plan.env


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
@_with_selection(run=True)
@click.argument("command", nargs=-1, required=True, type=click.UNPROCESSED)
def run(
    target: str | None,
    abi3: bool,
    abi3t: bool,
    min_python: str | None,
    python: str | None,
    dll_name: str | None,
    out_dir: str | None,
    tool: str | None,
    server: str | None,
    no_cache: bool,
    sdk: bool,
    command: tuple[str, ...],
) -> None:
    """Run a build command with the variables of 'implib env' set.

    Without --target, the target is the command's own --target T (cargo,
    maturin, cargo-zigbuild, cargo-xwin; -target of zig cc and clang), else
    CARGO_BUILD_TARGET. For a host build or a non-Windows target the command
    runs unchanged. stdin, stdout and the exit status are the command's.

    Without --abi3/--python, the Python build is PYO3_CROSS_PYTHON_VERSION's,
    else the crate's (its PyO3 abi3-py3X feature, with the command's
    --features and maturin's pyproject.toml settings), else maturin's -i.
    For a version-specific maturin build, implib adds --interpreter (a host
    Python) unless the command names one.

    \b
    Examples:
      implib run -- cargo build --release --target x86_64-pc-windows-gnu
      implib run -p 3.12 -- maturin build --release --target x86_64-pc-windows-gnu
      implib run -t win-amd64 -p 3.13 -- make
    """
    from ..cross.command import parse_command, target_from_command
    from ..cross.project import maturin_argv
    from ..targets import windows_target

    argv = list(command)
    explicit = _explicit_build(abi3, min_python, python, abi3t)
    name = target or target_from_command(argv)
    parsed = windows_target(name) if name else None
    if parsed is None:
        what = f"{name} is not a Windows target" if name else "no target given: a host build"
        note(f"{what}; running the command unchanged")
        _exec(argv, os.environ)
    parsed_command = parse_command(argv)
    chosen = _choose(explicit, parsed_command)
    decision = _raw_dylib(parsed, chosen, dll_name, parsed_command)
    # Said once the options are known to be right, before the build.
    if parsed_command.tool is not None:  # cargo or maturin: does its rustc have the target?
        from ..cross.toolchain import missing_std

        warning = missing_std(parsed.triple, argv, os.environ)
        if warning:
            note(warning)
    build = _prepare(
        parsed, chosen, dll_name, out_dir, tool, server, no_cache,
        decision.import_library or sdk, sdk,
    )  # fmt: skip
    build = _with_env(build, decision.env)
    written = ", ".join(build.lib_names) or "no library"
    note(
        f"{build.target}, Python {build.build.spec}: PYO3_CROSS_LIB_DIR={build.lib_dir} ({written})"
    )
    if build.build_details is not None:
        final = maturin_argv(argv, parsed_command, build.build, sys.executable)
        if final != argv:
            note(f"maturin reads {build.build_details.name}; its host Python: {sys.executable}")
        argv = final
    environ = {**os.environ, **build.env}
    if decision.rustc_dlltool:
        environ.update(_rustc_dlltool(parsed, environ, build.lib_dir))
    _exec(argv, environ)
