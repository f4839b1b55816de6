"""``implib sdk``: headers, a Windows pyconfig.h, import libraries and build-details.json.

A build may run ``implib sdk`` before each compile, and a repeated call is
answered by its folder's stamp in less time than importing click takes,
so this module imports no click, as :mod:`.gen`. Its options are one
table, :data:`OPTIONS`: :func:`command` builds the click command from it,
and :func:`fast_path` reads the call with it
(:func:`implib.argv.click_values`) and answers only when the stamp does,
giving up before printing anything otherwise (a first call, ``--json``,
``--tool``, ``--no-cache``, any doubt), so that the click command writes
the SDK and says every message. The work is done by :mod:`implib.sdk`.
"""

from __future__ import annotations

import os

from ..argv import Option, click_values

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

    import click

__all__ = ["OPTIONS", "command", "fast_path"]

#: Every option of ``sdk``, in ``--help``'s order (:class:`implib.argv.Option`, as gen's).
OPTIONS = (
    Option("target", ("-t", "--target"), required=True),
    Option("abi3", ("--abi3",), 0),
    Option("abi3t", ("--abi3t",), 0),
    Option("min_python", ("--min-python",)),
    Option("python", ("-p", "--python")),
    Option("out_dir", ("-o", "--out-dir"), required=True),
    Option("include", ("--include",)),
    Option("as_json", ("--json",), 0),
    Option("tool", ("--tool",)),
    Option("no_cache", ("--no-cache",), 0),
)


def _click_extras() -> dict[str, dict[str, Any]]:
    """What click shows and checks beyond the table: help texts, metavars."""
    from . import options as shared

    return {
        **shared.SHARED_EXTRAS,
        "python": {"metavar": "VERSION", "help": shared.PYTHON_HELP + "."},
        "out_dir": {
            "metavar": "DIR",
            "help": "The SDK's folder: include/, libs/, build-details.json.",
        },
        "include": {
            "metavar": "DIR",
            "help": "The include folder of a CPython release implib does not bundle "
            "(default: an installed CPython's: pyenv, uv, /usr/include, python3.X on PATH).",
        },
        "as_json": {"help": "Print where each part is, as JSON."},
    }


def command() -> click.Command:
    """The click command, made from :data:`OPTIONS`."""
    import click

    from .options import CONTEXT, note, table_options

    def sdk(**values: Any) -> None:
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
        import json

        from ..sdk import sdk as make_sdk

        try:
            build = _build(values)
        except ValueError as exc:  # options that do not go together: a usage error
            raise click.UsageError(str(exc)) from None
        made = make_sdk(
            values["target"], build, values["out_dir"], include=values["include"],
            tool=values["tool"], use_cache=not values["no_cache"],
        )  # fmt: skip
        if values["as_json"]:
            click.echo(json.dumps(made.as_dict(), indent=2))
            return
        spec = made.build.spec
        note(_summary(made.target.triple, spec, made.headers, made.origin, made.libraries))
        click.echo(made.root)

    made = table_options(OPTIONS, _click_extras())(sdk)
    return click.command("sdk", context_settings=CONTEXT)(made)


def _build(values: dict[str, Any]) -> str:
    """The build the options name, as parse_python spells it; OptionError if they do not go
    together (a usage error)."""
    from ..errors import OptionError

    abi3, abi3t, min_python, python = (
        values["abi3"], values["abi3t"], values["min_python"], values["python"]
    )  # fmt: skip
    if python and (abi3 or abi3t or min_python):
        raise OptionError("give --abi3/--abi3t or --python, not both")
    if abi3 and abi3t:
        raise OptionError("give --abi3 or --abi3t, not both")
    if python:
        return str(python)
    if abi3 or abi3t or min_python:
        name = "abi3t" if abi3t else "abi3"
        return f"{name}-{min_python}" if min_python else name
    raise OptionError("give --python X.Y[t], --abi3 [--min-python X.Y] or --abi3t")


def fast_path(args: Sequence[str]) -> int | None:
    """``implib sdk ARGS`` when its folder is already there (the stamp): 0, else None.

    Only the repeated call is answered here; anything else (a first call, a
    changed request, an option it does not answer, any doubt) is the click
    command's, which writes the SDK.
    """
    values = click_values(args, OPTIONS)
    if values is None or values["as_json"] or values["tool"] is not None or values["no_cache"]:
        return None  # --json prints the SDK's parts; --tool and --no-cache write it again
    try:
        from ..pythons import parse_python
        from ..sdk.stamp import read_stamp, request
        from ..targets import parse_target

        target, build = parse_target(values["target"]), parse_python(_build(values))
        include = values["include"]
        root = os.path.abspath(values["out_dir"])
        asked = request(target.triple, build.spec, os.path.abspath(include) if include else None)
        stamp = read_stamp(root, asked)
    except Exception:  # any doubt: the click command
        return None
    if stamp is None:
        return None
    from .exits import print_lines

    summary = _summary(target.triple, build.spec, stamp.headers, stamp.origin, stamp.libraries)
    return print_lines([root], [f"implib: {summary}"])


def _summary(triple: str, spec: str, headers: str, origin: str, libraries: Sequence[Any]) -> str:
    """What ``implib sdk`` says on stderr, whether it wrote the SDK or found it there."""
    where, count = origin.split(" (")[0], len(libraries)
    return f"{triple}, Python {spec}: headers of CPython {headers} ({where}), {count} libraries"
