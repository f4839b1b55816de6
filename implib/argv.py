"""One scanner for the command lines implib reads by hand.

Two kinds: the build commands ``implib run`` looks into (cargo, maturin:
read what matters, step over the rest) and the drop-in tools (dlltool,
lib: every option known, anything else refused). Both spell options the
same few ways — ``--name value``, ``--name=value``, ``-n value``, ``-nvalue``,
lib's ``/name:value`` — so one table-driven scanner reads them all, and a
value that starts with a dash (rustc passes dlltool ``-f --64``) is a value
because the table says the option takes one. implib's own ``gen`` and
``sdk`` read their common call with it too (:func:`click_values`), from the
table their click command is built from, so that the two cannot drift.
"""

from __future__ import annotations

from .errors import OptionError
from .records import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

__all__ = ["Option", "Scanned", "click_defaults", "click_values", "scan"]


class Option(Record):
    """One option: its spellings, the key its values go under, and how many values it takes.

    ``values`` is 0 for a flag, 1 for an option with a value, -1 for one
    value or more, up to the next argument that starts with a dash
    (maturin's ``-i python3.12 pypy3.10``). ``required``, ``multiple`` (every
    value kept, a tuple) and ``default`` (the value when not given) are what
    click makes of an option of implib's own commands; :func:`scan` ignores them.
    """

    key: str
    names: tuple[str, ...]
    values: int = 1
    required: bool = False
    multiple: bool = False
    default: str | None = None


class Scanned(Record):
    """What a command line said: values by key (in order), flags set, positional arguments."""

    flags: frozenset[str]
    positionals: tuple[str, ...]
    values: dict[str, list[str]]

    def last(self, key: str) -> str | None:
        """The value given last (a repeated option overrides, as the tools do), or None."""
        values = self.values.get(key)
        return values[-1] if values else None


def _match(arg: str, option: Option, fold: bool) -> tuple[bool, str | None]:
    """Whether ``arg`` spells ``option``, and the value it carries itself."""
    text = arg.lower() if fold else arg
    for name in option.names:
        spelled = name.lower() if fold else name
        if text == spelled:
            return True, None
        if not option.values:
            continue
        if spelled.endswith(":") and text.startswith(spelled):  # lib's /def:FILE
            return True, arg[len(name) :]
        if len(spelled) > 2 and text.startswith(spelled + "="):  # --name=value, -target=T
            return True, arg[len(name) + 1 :]
        if len(spelled) == 2 and spelled[0] == "-" and text.startswith(spelled):
            return True, arg[2:]  # -dFILE
    return False, None


def scan(
    argv: Sequence[str],
    options: Sequence[Option],
    *,
    strict: bool,
    fold: bool = False,
    stop_at_dashes: bool = True,
) -> Scanned:
    """Read ``argv`` (without the program name) against ``options``.

    ``strict`` refuses an unknown option and a missing value with an
    :class:`~implib.errors.OptionError` naming it; otherwise they are
    stepped over (a build command has many options implib does not read).
    ``fold`` matches spellings case-insensitively (lib.exe). A ``--`` ends
    the options: what follows goes to another program and is not read.
    Options are tried in order, so a longer spelling listed first wins.
    """
    values: dict[str, list[str]] = {option.key: [] for option in options if option.values}
    flags: set[str] = set()
    positionals: list[str] = []
    index = 0
    while index < len(argv):
        arg = argv[index]
        index += 1
        if arg == "--" and stop_at_dashes:
            break
        for option in options:
            matched, attached = _match(arg, option, fold)
            if not matched:
                continue
            if not option.values:
                flags.add(option.key)
            elif attached is not None:
                values[option.key].append(attached)
            elif option.values < 0:  # values up to the next option
                while index < len(argv) and not argv[index].startswith("-"):
                    values[option.key].append(argv[index])
                    index += 1
            elif index < len(argv):  # the next argument, whatever it starts with
                values[option.key].append(argv[index])
                index += 1
            elif strict:
                raise OptionError(f"option {arg} needs a value")
            break
        else:
            if arg.startswith("-") and arg != "-" and strict:
                raise OptionError(f"unknown option {arg}")
            if not arg.startswith("-") or arg == "-":
                positionals.append(arg)
    return Scanned(frozenset(flags), tuple(positionals), values)


def click_defaults(options: Sequence[Option]) -> dict[str, Any]:
    """The values click passes a command for its options not given."""
    return {option.key: _unset(option) for option in options}


def _unset(option: Option) -> object:
    if option.default is not None:
        return option.default
    if option.multiple:
        return ()
    return None if option.values else False


def click_values(args: Sequence[str], options: Sequence[Option]) -> dict[str, Any] | None:
    """The values click would pass the command ``options`` describe, or None when click should
    read ``args`` itself, to say what is wrong (or print the help) in its own words."""
    if "--" in args:
        return None  # what follows is positional: click's message
    try:
        scanned = scan(args, options, strict=True)
    except ValueError:  # an unknown option (--help too) or a missing value
        return None
    given = [value for found in scanned.values.values() for value in found]
    if scanned.positionals or any(not value or value.startswith("-") for value in given):
        return None  # an empty value, or one that looks like an option: click's checks
    values = click_defaults(options)
    for option in options:
        found = scanned.values.get(option.key)
        if not option.values:
            values[option.key] = option.key in scanned.flags
        elif found:
            values[option.key] = tuple(found) if option.multiple else found[-1]
        elif option.required:
            return None
    return values
