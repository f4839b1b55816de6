"""A repeated ``implib sdk`` answered from its folder's stamp, without click.

A build that runs ``implib sdk`` before each compile should pay for the
interpreter's start-up and little more when the folder is already there.
Only that call is answered here (``implib gen``'s fast path is
:func:`.gen.fast_path`); anything else, an option it does not know or any
doubt, is the click command's, before anything is printed.
"""

from __future__ import annotations

from ..argv import Option, scan

__all__ = ["sdk"]

#: ``implib sdk``'s options the fast path knows (--json, --tool, --no-cache: the click command).
_SDK_OPTIONS = (
    Option("target", ("-t", "--target")),
    Option("min_python", ("--min-python",)),
    Option("python", ("-p", "--python")),
    Option("out_dir", ("-o", "--out-dir")),
    Option("include", ("--include",)),
    Option("--abi3", ("--abi3",), 0),
    Option("--abi3t", ("--abi3t",), 0),
)


def sdk(args: list[str]) -> int | None:
    """``implib sdk ARGS`` when its folder is already there (the stamp): 0, else None.

    Only the repeated call is answered here; anything else (a first call, a
    changed request, an option it does not know, any doubt) is the click
    command's, which writes the SDK.
    """
    import os

    if "--" in args:
        return None
    try:
        scanned = scan(args, _SDK_OPTIONS, strict=True)
    except ValueError:  # an unknown option or a missing value
        return None
    if scanned.positionals:
        return None
    options: dict[str, str] = {}
    for key, values in scanned.values.items():
        if len(values) > 1 or any(not value or value.startswith("-") for value in values):
            return None  # given twice, empty, or a value that looks like an option
        if values:
            options[key] = values[0]
    flags = set(scanned.flags)
    if "target" not in options or "out_dir" not in options or len(flags) > 1:
        return None
    if "python" in options:
        if flags or "min_python" in options:
            return None
        spec = options["python"]
    elif flags:
        spec = flags.pop()[2:] + (f"-{options['min_python']}" if "min_python" in options else "")
    else:
        return None
    try:
        from ..pythons import parse_python
        from ..sdk.stamp import read_stamp, request
        from ..targets import parse_target

        target, build = parse_target(options["target"]), parse_python(spec)
        include = options.get("include")
        root = os.path.abspath(options["out_dir"])
        asked = request(target.triple, build.spec, os.path.abspath(include) if include else None)
        stamp = read_stamp(root, asked)
    except Exception:  # any doubt: the click command
        return None
    if stamp is None:
        return None
    origin = stamp.origin.split(" (")[0]
    count = len(stamp.libraries)
    note = f"implib: {target.triple}, Python {build.spec}: headers of CPython {stamp.headers} "
    from .exits import print_lines

    return print_lines([root], [note + f"({origin}), {count} libraries"])
