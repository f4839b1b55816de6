"""What the commands share: settings, the error policy, and every common option.

Each option is declared once here, so that ``fetch``, ``export``, ``env``
and ``run`` spell and explain it the same way; ``gen`` and ``sdk``, whose
fast paths read their options without click, spell theirs in a table
(:func:`table_options`) and take the help from here. Only click is
imported: the commands import what they need when they run.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import click

from ..argv import Option
from ..errors import ImplibError
from .exits import (
    EXIT_BROKEN_PIPE,
    EXIT_INTERRUPTED,
    is_output_error,
    output_error,
    silence_stdout,
)

F = TypeVar("F", bound=Callable[..., Any])

CONTEXT: dict[str, Any] = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class ImplibGroup(click.Group):
    """The ``implib`` group: the one place where errors become exit statuses.

    * an :class:`~implib.errors.ImplibError` (what users can cause): its
      message on one line, ``Error: ...``, exit status 1;
    * click's own errors (usage, bad option values): as click shows them;
    * stdout closed by its reader (``implib inspect X | head``): quiet, 141;
    * stdout or stderr on a full disk: one line, exit status 1;
    * Ctrl-C: quiet, 130;
    * anything else is a bug: a line asking for a report, then the traceback.
    """

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except ImplibError as exc:
            message = str(exc) or type(exc).__name__
            raise click.ClickException(message) from exc
        except BrokenPipeError:
            silence_stdout()
            raise click.exceptions.Exit(EXIT_BROKEN_PIPE) from None
        except OSError as exc:
            if is_output_error(exc):  # stdout on a full disk: not a bug of implib's
                raise click.ClickException(output_error(exc)) from exc
            _bug()
            raise
        except KeyboardInterrupt:
            click.echo(err=True)  # end the line the terminal's ^C began
            raise click.exceptions.Exit(EXIT_INTERRUPTED) from None
        except Exception:
            _bug()
            raise


def _bug() -> None:
    """Say that what follows is a bug (the traceback comes after)."""
    from .. import __version__

    click.echo(
        f"implib {__version__}: this is a bug, please report it "
        "with the command and the traceback below",
        err=True,
    )


def note(message: str) -> None:
    """A line for the user on stderr, prefixed ``implib:``."""
    click.echo(f"implib: {message}", err=True)


def _stack(*options: Callable[[F], F]) -> Callable[[F], F]:
    def decorate(func: F) -> F:
        for option in reversed(options):
            func = option(func)
        return func

    return decorate


def table_options(table: Sequence[Option], extras: dict[str, dict[str, Any]]) -> Callable[[F], F]:
    """A command's options made from its table (``gen``, ``sdk``: what their fast paths read),
    each with what click shows and checks beyond the table (help, type, callback)."""
    made = []
    for option in table:
        # Only what differs from click's defaults: given is_flag=False, click 8.5
        # takes ``-t`` at the end without a value (and passes None).
        kind: dict[str, Any] = {}
        if not option.values:
            kind["is_flag"] = True
        if option.multiple:
            kind["multiple"] = True
        if option.required:
            kind["required"] = True
        if option.default is not None:
            kind["default"] = option.default
        made.append(click.option(*option.names, option.key, **kind, **extras[option.key]))
    return _stack(*made)


TARGET_HELP = "Rust triple (x86_64-pc-windows-msvc) or win-amd64, win32, win-arm64."


def target_option(
    *, multiple: bool = False, required: bool = True, default_help: str = ""
) -> Callable[[F], F]:
    """``-t/--target``."""
    help_text = TARGET_HELP + (" Repeat for several." if multiple else "")
    if default_help:
        help_text += " Default: " + default_help
    return click.option(
        "-t", "--target", "targets" if multiple else "target",
        multiple=multiple, required=required, help=help_text,
    )  # fmt: skip


def out_dir_type() -> click.Path:
    """What an output folder may be: a folder, or nothing yet."""
    # readable=False: an output folder need only be writable (click checks both)
    return click.Path(file_okay=False, readable=False)


def out_dir_option(
    *, default: str | None = ".", help_text: str = "Output folder."
) -> Callable[[F], F]:
    """``-o/--out-dir``, the current folder by default."""
    return click.option(
        "-o",
        "--out-dir",
        default=default,
        show_default=default is not None,
        type=out_dir_type(),
        help=help_text,
    )


ABI3_HELP = "python3.dll, the stable ABI."
ABI3T_HELP = "python3t.dll, the stable ABI of free-threaded builds (3.15 on)."
MIN_PYTHON_HELP = "With --abi3/--abi3t: only what python3(t).dll of 3.X and later all export."
PYTHON_HELP = "3.12, 3.13t, pypy3.10"
PYTHONS_HELP = PYTHON_HELP + " (repeat, or comma-separated)."
ALL_HELP = "Every bundled Python build."


def python_options(
    *,
    min_python: bool = True,
    multiple: bool = True,
    all_builds: bool = True,
    python_help: str = "",
) -> Callable[[F], F]:
    """``--abi3``, ``--abi3t``, ``--min-python``, ``-p/--python`` (repeatable) and ``--all``."""
    options = [
        click.option("--abi3", is_flag=True, help=ABI3_HELP),
        click.option("--abi3t", is_flag=True, help=ABI3T_HELP),
    ]
    if min_python:
        options.append(click.option("--min-python", metavar="3.X", help=MIN_PYTHON_HELP))
    python_text = PYTHONS_HELP if multiple else PYTHON_HELP + "."
    options.append(
        click.option(
            "-p",
            "--python",
            "pythons" if multiple else "python",
            multiple=multiple,
            metavar="VERSION",
            help=python_text + (" " + python_help if python_help else ""),
        )
    )
    if all_builds:
        options.append(click.option("--all", "all_", is_flag=True, help=ALL_HELP))
    return _stack(*options)


def counted(count: int, noun: str, nouns: str) -> str:
    """``1 entry``, ``2 entries``: a count with its noun in the right number."""
    return f"{count:,} {noun if count == 1 else nouns}"


TOOL_HELP = (
    "builtin, llvm-dlltool, lib, dlltool or zig. Default: builtin, but zig when ZIG_COMMAND"
    " is set, and dlltool for GNU targets when PYO3_MINGW_DLLTOOL is set (as PyO3 does);"
    " 'implib tools -t TARGET' says which."
)


def tool_option(help_text: str = TOOL_HELP) -> Callable[[F], F]:
    """``--tool``."""
    return click.option("--tool", help=help_text)


def not_empty(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """An option's callback: an empty value is refused, not ignored."""
    if value is not None and not value.strip():
        raise click.BadParameter("empty: give a DLL's file name, or leave the option out")
    return value


DLL_NAME_HELP = "Import from a DLL of this name (e.g. libpython3.12.dll for MSYS2)."
NO_CACHE_HELP = "Neither read nor fill the cache."


def dll_name_option() -> Callable[[F], F]:
    """``--dll-name``; an empty one is refused, not ignored."""
    return click.option("--dll-name", callback=not_empty, help=DLL_NAME_HELP)


def no_cache_option() -> Callable[[F], F]:
    """``--no-cache``."""
    return click.option("--no-cache", is_flag=True, help=NO_CACHE_HELP)


#: What click shows for the rows ``gen``'s and ``sdk``'s tables share (by key), beyond the
#: table (:func:`table_options`).
SHARED_EXTRAS: dict[str, dict[str, Any]] = {
    "target": {"help": TARGET_HELP},
    "abi3": {"help": ABI3_HELP},
    "abi3t": {"help": ABI3T_HELP},
    "min_python": {"metavar": "3.X", "help": MIN_PYTHON_HELP},
    "tool": {"help": TOOL_HELP},
    "no_cache": {"help": NO_CACHE_HELP},
}


def server_option(*, required: bool, help_text: str) -> Callable[[F], F]:
    """``--server``, also read from ``IMPLIB_SERVER``."""
    return click.option(
        "--server", required=required, envvar="IMPLIB_SERVER", show_envvar=True, help=help_text
    )
