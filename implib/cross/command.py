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
from collections.abc import Iterable, Mapping, Sequence

from ..errors import TargetError

__all__ = ["BuildCommand", "parse_command", "target_from_command"]


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


#: Options that take a value, in each tool's spelling: (long, short).
_VALUE_OPTIONS = {
    "manifest_path": ("--manifest-path", {"cargo": "", "maturin": "-m"}),
    "packages": ("--package", {"cargo": "-p", "maturin": ""}),
    "features": ("--features", {"cargo": "-F", "maturin": "-F"}),
}


def parse_command(argv: Sequence[str]) -> BuildCommand:
    """Read the crate-choosing options of a cargo or maturin command line.

    Any other command gives a :class:`BuildCommand` with ``tool=None`` and
    nothing else: its options mean something else.
    """
    tool, start = _tool(argv)
    if tool is None:
        return BuildCommand(start=start)
    values: dict[str, list[str]] = {"manifest_path": [], "packages": [], "features": []}
    flags = {"all_features": False, "no_default_features": False, "find_interpreter": False}
    interpreters: list[str] = []
    subcommand = None
    args = list(argv[start:])
    index = 0
    while index < len(args):
        arg = args[index]
        index += 1
        if arg == "--":
            break
        if subcommand is None and not arg.startswith(("-", "+")):
            subcommand = arg
            continue
        if arg == "--all-features":
            flags["all_features"] = True
            continue
        if arg == "--no-default-features":
            flags["no_default_features"] = True
            continue
        if tool == "maturin" and arg in ("-f", "--find-interpreter"):
            flags["find_interpreter"] = True
            continue
        interpreter = arg in ("-i", "--interpreter") or arg.startswith("--interpreter=")
        if tool == "maturin" and interpreter:
            if "=" in arg:
                interpreters.append(arg.split("=", 1)[1])
            # -i takes one or more values, up to the next option
            while index < len(args) and not args[index].startswith("-"):
                interpreters.append(args[index])
                index += 1
            continue
        for key, (long, shorts) in _VALUE_OPTIONS.items():
            short = shorts[tool]
            if arg == long or (short and arg == short):
                if index < len(args):
                    values[key].append(args[index])
                    index += 1
                break
            if arg.startswith(long + "="):
                values[key].append(arg.split("=", 1)[1])
                break
            if short and arg.startswith(short) and len(arg) > len(short):
                values[key].append(arg[len(short) :])
                break
    features = [f for value in values["features"] for f in re.split(r"[,\s]+", value) if f]
    manifests = values["manifest_path"]
    return BuildCommand(
        tool=tool,
        subcommand=subcommand,
        manifest_path=manifests[-1] if manifests else None,
        packages=tuple(values["packages"]),
        features=tuple(features),
        interpreters=tuple(interpreters),
        start=start,
        **flags,
    )
