"""What a build command line says: its target, and the crate it builds (``implib run``).

cargo (and its plug-ins cargo-zigbuild, cargo-xwin) and maturin share the
options read here: ``--target``, ``--manifest-path``, ``--features``,
``--all-features``, ``--no-default-features``; cargo has ``-p/--package``,
maturin ``-i/--interpreter``. Options after a ``--`` go to rustc or a test
binary and are not read.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Mapping, Sequence

from ..argv import Option, scan
from ..errors import TargetError

__all__ = ["BuildCommand", "parse_command", "target_from_command"]


_TARGET = (Option("target", ("--target", "-target")),)


def _target_options(argv: Sequence[str]) -> list[str]:
    """The values of ``--target T``, ``--target=T`` and ``-target T`` before a ``--``."""
    return scan(argv, _TARGET, strict=False).values["target"]


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


@dataclasses.dataclass(frozen=True)
class BuildCommand:
    """The parts of a cargo or maturin command line that choose the crate and its features."""

    tool: str | None = None  # "cargo", "maturin", or None for any other command
    subcommand: str | None = None  # build, rustc, xwin, zigbuild, publish, ...
    manifest_path: str | None = None
    packages: tuple[str, ...] = ()
    features: tuple[str, ...] = ()
    all_features: bool = False
    no_default_features: bool = False
    interpreters: tuple[str, ...] = ()  # maturin -i python3.12 pypy3.10
    find_interpreter: bool = False  # maturin -f
    #: Where the tool's own arguments start in argv (after ``python -m maturin``).
    start: int = 1


def _tool(argv: Sequence[str]) -> tuple[str | None, int]:
    """Which tool argv runs, and the index of its first argument."""
    if not argv:
        return None, 0
    name = os.path.basename(argv[0]).lower()
    if name.endswith(".exe"):
        name = name[:-4]
    if name == "cargo" or name.startswith("cargo-"):
        return "cargo", 1
    if name == "maturin":
        return "maturin", 1
    if re.fullmatch(r"python[0-9.]*", name) and list(argv[1:3]) == ["-m", "maturin"]:
        return "maturin", 3
    return None, 1


#: The options read, per tool; any other is stepped over.
_COMMON = (
    Option("features", ("--features", "-F")),
    Option("all_features", ("--all-features",), 0),
    Option("no_default_features", ("--no-default-features",), 0),
)
_OPTIONS = {
    "cargo": (
        *_COMMON,
        Option("manifest_path", ("--manifest-path",)),
        Option("packages", ("--package", "-p")),
    ),
    "maturin": (
        *_COMMON,
        Option("manifest_path", ("--manifest-path", "-m")),
        Option("find_interpreter", ("--find-interpreter", "-f"), 0),
        Option("interpreters", ("--interpreter", "-i"), -1),  # -i python3.12 pypy3.10
    ),
}


def parse_command(argv: Sequence[str]) -> BuildCommand:
    """Read the crate-choosing options of a cargo or maturin command line.

    Any other command gives a :class:`BuildCommand` with ``tool=None`` and
    nothing else: its options mean something else.
    """
    tool, start = _tool(argv)
    if tool is None:
        return BuildCommand(start=start)
    args = scan(argv[start:], _OPTIONS[tool], strict=False)
    # The first word (not a +toolchain); the value of an option before it would count.
    subcommand = next((word for word in args.positionals if not word.startswith("+")), None)
    features = [f for value in args.values["features"] for f in re.split(r"[,\s]+", value) if f]
    manifests = args.values["manifest_path"]
    return BuildCommand(
        tool=tool,
        subcommand=subcommand,
        manifest_path=manifests[-1] if manifests else None,
        packages=tuple(args.values.get("packages", ())),
        features=tuple(features),
        all_features="all_features" in args.flags,
        no_default_features="no_default_features" in args.flags,
        interpreters=tuple(args.values.get("interpreters", ())),
        find_interpreter="find_interpreter" in args.flags,
        start=start,
    )
