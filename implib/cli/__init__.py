"""The ``implib`` command: a thin click shell over the library API.

:mod:`.group` is the click group, one module per command group beside it,
sharing their options through :mod:`.options`. :func:`entry` is what the
``implib`` program runs: the usual ``implib gen`` goes through
:func:`.gen.fast_path`, which reads it by hand and never imports click (a
cache hit then takes about as long as the interpreter's own start-up), and a
repeated ``implib sdk`` through :func:`.sdk.fast_path`; everything else,
and any call a fast path is not sure of, goes to the click group. ``main``
(the group) is imported on first use.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .group import main

__all__ = ["entry", "main"]


def entry(argv: list[str] | None = None) -> None:
    """The ``implib`` program: the fast path for ``gen`` when it applies, else the click group."""
    from .exits import EXIT_INTERRUPTED, keep_interrupts

    keep_interrupts()
    args = sys.argv[1:] if argv is None else argv
    try:
        if args[:1] == ["gen"]:
            from .gen import fast_path

            status = fast_path(args[1:])
            if status is not None:
                sys.exit(status)
        elif args[:1] == ["sdk"]:
            from .sdk import fast_path as sdk_fast_path

            status = sdk_fast_path(args[1:])
            if status is not None:
                sys.exit(status)
        from .group import main

        main(args=args, prog_name="implib")
    except KeyboardInterrupt:  # before a command began (importing): as the commands do
        sys.stderr.write("\n")
        sys.exit(EXIT_INTERRUPTED)


def __getattr__(name: str) -> Any:
    if name == "main":
        from .group import main

        return main
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
