"""What the CLI's commands share: settings, the error policy, common options.

One definition here keeps ``gen``, ``fetch``, ``export``, ``env`` and
``run`` spelling things the same way. Only click is imported.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

CONTEXT: dict[str, Any] = {"help_option_names": ["-h", "--help"], "max_content_width": 100}

#: The errors a user can cause; anything else is a bug and keeps its traceback.
USER_ERRORS: tuple[type[BaseException], ...] = (ValueError, OSError, RuntimeError)


def friendly(func: F) -> F:
    """Turn a user error into one line on stderr and exit status 1."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except click.ClickException:
            raise
        except USER_ERRORS as exc:
            raise click.ClickException(str(exc)) from None

    return wrapper  # type: ignore[return-value]


TARGET_HELP = "Rust triple (x86_64-pc-windows-msvc) or win-amd64, win32, win-arm64."


def target_option(*, multiple: bool = False, required: bool = True) -> Callable[[F], F]:
    """``-t/--target``."""
    help_text = TARGET_HELP + (" Repeat for several." if multiple else "")
    return click.option(
        "-t", "--target", "targets" if multiple else "target",
        multiple=multiple, required=required, help=help_text,
    )  # fmt: skip


def out_dir_option() -> Callable[[F], F]:
    """``-o/--out-dir``, the current folder by default."""
    return click.option(
        "-o", "--out-dir", default=".", show_default=True,
        type=click.Path(file_okay=False), help="Output folder.",
    )  # fmt: skip


def python_options(*, min_python: bool = True) -> Callable[[F], F]:
    """``--abi3``, ``--min-python``, ``-p/--python`` (repeatable) and ``--all``."""
    options = [
        click.option("--abi3", is_flag=True, help="python3.dll, the stable ABI."),
        click.option(
            "-p", "--python", "pythons", multiple=True, metavar="VERSION",
            help="3.12, 3.13t, pypy3.10 (repeat, or comma-separated).",
        ),
        click.option("--all", "all_", is_flag=True, help="Every bundled Python build."),
    ]  # fmt: skip
    if min_python:
        help_text = "With --abi3: only what python3.dll of 3.X exports."
        options.insert(1, click.option("--min-python", metavar="3.X", help=help_text))

    def decorate(func: F) -> F:
        for option in reversed(options):
            func = option(func)
        return func

    return decorate


def selected_specs(
    abi3: bool, min_python: str | None, pythons: Sequence[str], all_: bool
) -> list[str]:
    """The Python builds the options name, in order, each once."""
    specs = []
    if abi3 or min_python:
        specs.append(f"abi3-{min_python}" if min_python else "abi3")
    specs += [part for python in pythons for part in python.split(",") if part]
    if all_:
        from .exportlists import available_builds

        specs += [build.spec for build in available_builds()]
    return list(dict.fromkeys(specs))
