"""The target of a build command line, for ``implib run``."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence

from ..errors import TargetError

__all__ = ["target_from_command"]


def _target_options(argv: Iterable[str]) -> list[str]:
    """The values of ``--target T``, ``--target=T`` and ``-target T`` before a ``--``."""
    values = []
    args = list(argv)
    for index, arg in enumerate(args):
        if arg == "--":
            break  # what follows goes to rustc, a test binary or a script
        if arg in ("--target", "-target") and index + 1 < len(args):
            values.append(args[index + 1])
        elif arg.startswith(("--target=", "-target=")):
            values.append(arg.split("=", 1)[1])
    return values


def target_from_command(
    argv: Sequence[str], environ: Mapping[str, str] | None = None
) -> str | None:
    """The target a build command builds for, as written; None for a host build.

    Reads ``--target T`` / ``--target=T`` (cargo, maturin, cargo-zigbuild,
    cargo-xwin; ``-target`` of zig cc and clang), then ``CARGO_BUILD_TARGET``.
    A command for several targets is refused: one set of PyO3 variables
    cannot serve them all.
    """
    environ = os.environ if environ is None else environ
    values = list(dict.fromkeys(_target_options(argv)))
    if len(values) > 1:
        raise TargetError(
            f"the command builds for several targets ({', '.join(values)}); "
            "run it once per target, or give implib --target"
        )
    if values:
        return values[0]
    return environ.get("CARGO_BUILD_TARGET") or None
