"""``implib gen`` parsed by hand, so that the common call never imports click.

The command runs inside every build; on a cache hit its work takes less
time than importing click does. :func:`gen` understands the options of
``implib gen`` in the forms click accepts (``-t X``, ``-tX``, ``--target X``,
``--target=X``; repeated ``-p``; flags), and does exactly what the click
command does, through the same function (:func:`.generating.generate`).
Whenever it is not sure (``--help``, ``--def``, a value that looks like an
option, an option it does not know) or anything goes wrong, it gives up
before printing anything and the click command runs instead, so that every
message and exit status is the click command's.
"""

from __future__ import annotations

import sys

__all__ = ["gen", "sdk"]

#: Options that take a value: name -> destination.
_VALUES = {
    "-t": "target",
    "--target": "target",
    "--min-python": "min_python",
    "-p": "python",
    "--python": "python",
    "-o": "out_dir",
    "--out-dir": "out_dir",
    "--tool": "tool",
    "--dll-name": "dll_name",
}
_FLAGS = {
    "--abi3": "abi3",
    "--abi3t": "abi3t",
    "--all": "all",
    "--no-cache": "no_cache",
    "--replace": "replace",
}


def _parse(args: list[str]) -> dict[str, object] | None:
    """The options, or None when the click command should parse them."""
    options: dict[str, object] = {"python": [], "out_dir": "."}
    queue = list(args)
    while queue:
        arg = queue.pop(0)
        if arg in _FLAGS:
            options[_FLAGS[arg]] = True
            continue
        name, value = arg, None
        if arg.startswith("--") and "=" in arg:
            name, value = arg.split("=", 1)
        elif arg[:1] == "-" and arg[1:2] != "-" and len(arg) > 2:
            name, value = arg[:2], arg[2:]
        dest = _VALUES.get(name)
        if dest is None:
            return None  # --help, --def, a positional argument, an unknown option
        if value is None:
            if not queue:
                return None
            value = queue.pop(0)
        if not value or value.startswith("-"):
            return None
        if dest == "python":
            options["python"].append(value)  # type: ignore[attr-defined]
        else:
            options[dest] = value
    return options if "target" in options else None


def gen(args: list[str]) -> int | None:
    """Run ``implib gen ARGS``: its exit status, or None to let click run it."""
    from .generating import generate, out_dir_is_usable, report, selected_specs

    options = _parse(args)
    if options is None:
        return None
    out_dir = str(options["out_dir"])
    pythons: list[str] = options["python"]  # type: ignore[assignment]
    try:
        specs = selected_specs(
            bool(options.get("abi3")),
            options.get("min_python"),  # type: ignore[arg-type]
            pythons,
            bool(options.get("all")),
            bool(options.get("abi3t")),
        )
    except ValueError:  # options that do not go together: the click command says so
        return None
    if not specs or not out_dir_is_usable(out_dir):
        return None
    try:
        results = generate(
            str(options["target"]),
            specs,
            None,
            out_dir,
            tool=options.get("tool"),  # type: ignore[arg-type]
            dll_name=options.get("dll_name"),  # type: ignore[arg-type]
            use_cache=not options.get("no_cache"),
            replace=bool(options.get("replace")),
        )
        out, err = report(results)
    except Exception:  # implib's own errors and bugs alike: the click command says them
        return None  # (a KeyboardInterrupt goes on to entry(), which says it)
    return _print(out, err)


def _printable(lines: list[str]) -> bool:
    """Whether click would print ``lines`` as they are: plain ASCII, no escapes to strip."""
    return all(line.isascii() and line.isprintable() for line in lines)


def _print(out: list[str], err: list[str]) -> int | None:
    """Print as ``click.echo`` would; None (let click do it) while nothing is printed yet."""
    if sys.stdout is None or (err and sys.stderr is None) or not _printable(out + err):
        return None  # click's echo deals with missing streams, escapes and encodings
    from .exits import EXIT_BROKEN_PIPE, is_output_error, output_error, silence_stdout

    try:
        sys.stdout.write("".join(line + "\n" for line in out))
        sys.stdout.flush()
        if err:
            sys.stderr.write("".join(line + "\n" for line in err))
            sys.stderr.flush()
    except BrokenPipeError:  # as the click group ends it: quietly
        silence_stdout()
        return EXIT_BROKEN_PIPE
    except OSError as exc:  # a full disk, say: the click group's one line
        if not is_output_error(exc):
            raise
        sys.stderr.write(f"Error: {output_error(exc)}\n")
        return 1
    return 0


#: ``implib sdk``'s options the fast path knows (--json, --tool, --no-cache: the click command).
_SDK_VALUES = {
    "-t": "target",
    "--target": "target",
    "--min-python": "min_python",
    "-p": "python",
    "--python": "python",
    "-o": "out_dir",
    "--out-dir": "out_dir",
    "--include": "include",
}


def sdk(args: list[str]) -> int | None:
    """``implib sdk ARGS`` when its folder is already there (the stamp): 0, else None.

    Only the repeated call is answered here; anything else (a first call, a
    changed request, an option it does not know, any doubt) is the click
    command's, which writes the SDK.
    """
    import os

    options: dict[str, str] = {}
    flags = set()
    queue = list(args)
    while queue:
        arg = queue.pop(0)
        if arg in ("--abi3", "--abi3t"):
            flags.add(arg)
            continue
        name, value = arg, None
        if arg.startswith("--") and "=" in arg:
            name, value = arg.split("=", 1)
        elif arg[:1] == "-" and arg[1:2] != "-" and len(arg) > 2:
            name, value = arg[:2], arg[2:]
        dest = _SDK_VALUES.get(name)
        if dest is None or dest in options:
            return None
        if value is None:
            if not queue:
                return None
            value = queue.pop(0)
        if not value or value.startswith("-"):
            return None
        options[dest] = value
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
    return _print([root], [note + f"({origin}), {count} libraries"])
