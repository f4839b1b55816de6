"""The one argv scanner: every spelling the drop-ins and the build commands use."""

from __future__ import annotations

import pytest

from implib.argv import Option, scan
from implib.errors import OptionError

DLLTOOL = (
    Option("def", ("-d", "--input-def")),
    Option("as_flags", ("-f", "--as-flags")),
    Option("kill_at", ("-k", "--kill-at"), 0),
)
MATURIN = (Option("interpreters", ("--interpreter", "-i"), -1), Option("release", ("-r",), 0))


@pytest.mark.parametrize(
    "argv",
    [["-d", "x.def"], ["-dx.def"], ["--input-def", "x.def"], ["--input-def=x.def"]],
)
def test_value_spellings(argv: list[str]) -> None:
    assert scan(argv, DLLTOOL, strict=True).values["def"] == ["x.def"]


def test_a_value_may_start_with_a_dash() -> None:
    """rustc passes ``-f --64``: the table says -f takes a value, so --64 is it."""
    args = scan(["-f", "--64", "-k", "--as-flags=--32"], DLLTOOL, strict=True)
    assert args.values["as_flags"] == ["--64", "--32"]
    assert args.last("as_flags") == "--32"
    assert args.flags == {"kill_at"}


def test_strict_refuses_unknown_and_missing() -> None:
    with pytest.raises(OptionError, match=r"^unknown option --kill$"):
        scan(["--kill"], DLLTOOL, strict=True)
    with pytest.raises(OptionError, match=r"^option -d needs a value$"):
        scan(["-k", "-d"], DLLTOOL, strict=True)


def test_lenient_steps_over_unknown_and_stops_at_dashes() -> None:
    args = scan(["build", "--color", "x", "-dA", "--", "-dB"], DLLTOOL, strict=False)
    assert args.values["def"] == ["A"]
    assert args.positionals == ("build", "x")


def test_several_values_up_to_the_next_option() -> None:
    args = scan(["-i", "python3.12", "pypy3.10", "-r", "-i", "-r"], MATURIN, strict=False)
    assert args.values["interpreters"] == ["python3.12", "pypy3.10"]
    assert args.flags == {"release"}


def test_lib_spellings_fold_case() -> None:
    lib = (Option("def", ("/def:", "-def:")), Option("nologo", ("/nologo",), 0))
    args = scan(["/DEF:a.def", "-Def:b.def", "/NoLogo", "/OUT:x"], lib, strict=True, fold=True)
    assert args.values["def"] == ["a.def", "b.def"]
    assert args.flags == {"nologo"}
    assert args.positionals == ("/OUT:x",)  # "/" starts paths too: the caller judges
