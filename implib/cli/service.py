"""``implib serve``, ``implib export`` and ``implib fetch``: the libraries as a service.

Everything heavy (uvicorn, httpx, the server) is imported inside the command
functions, so that ``implib gen`` does not pay for them at start-up.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import click

from .gen import selected_specs
from .options import (
    CONTEXT,
    counted,
    out_dir_option,
    python_options,
    server_option,
    target_option,
    tool_option,
)

__all__ = ["export", "fetch", "serve"]


def _builds(abi3: bool, pythons: Sequence[str], all_: bool, abi3t: bool = False) -> list[Any]:
    """The bundled builds asked for, checked and without repeats, abi3 first."""
    from ..pythons import parse_python
    from ..service.produce import all_builds

    known = {build.spec: build for build in all_builds()}
    chosen = []
    for spec in selected_specs(abi3, None, pythons, all_, abi3t):
        build = parse_python(spec)
        if build.spec not in known:
            raise click.BadParameter(
                f"no bundled export list for {spec!r}; known: {', '.join(known)}",
                param_hint="'--python'",
            )
        if known[build.spec] not in chosen:
            chosen.append(known[build.spec])
    return chosen


@click.command(context_settings=CONTEXT)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; loopback unless told otherwise (0.0.0.0: everywhere).",
)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@tool_option()
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    help="Processes. [default: one per CPU, as nginx's 'worker_processes auto']",
)
@click.option(
    "--access-log/--no-access-log",
    default=True,
    show_default=True,
    help="One JSON line per request on stdout.",
)
@click.option(
    "--header-timeout",
    default=10.0,
    show_default=True,
    type=click.FloatRange(0.1, 3600),
    help="Seconds a request's line and headers may take to arrive; then the connection is closed.",
)
@click.option(
    "--keep-alive",
    default=5.0,
    show_default=True,
    type=click.FloatRange(0.1, 3600),
    help="Seconds an idle connection is kept open after a response.",
)
@click.option(
    "--max-connections",
    default=1000,
    show_default=True,
    type=click.IntRange(1, 100_000),
    help="Open connections per worker; past it the longest-idle one is closed for a new one.",
)
@click.option(
    "--send-timeout",
    default=30.0,
    show_default=True,
    type=click.FloatRange(0.1, 3600),
    help="Seconds a client may leave an answer unread (no byte taken); then it is dropped.",
)
def serve(
    host: str,
    port: int,
    tool: str | None,
    workers: int | None,
    access_log: bool,
    header_timeout: float,
    keep_alive: float,
    max_connections: int,
    send_timeout: float,
) -> None:
    """Serve the libraries over HTTP, read-only.

    \b
    Routes:
      GET /v1/index.json                   every file and its sha256
      GET /v1/<target>/<python>/<file>     e.g. /v1/x86_64-pc-windows-msvc/3.12/python312.lib
      GET /healthz
    \b
    Example:
      implib serve --port 8000
      implib fetch --server http://127.0.0.1:8000 --target win-amd64 --abi3
    """
    from ..backends import select_backend

    try:
        from ..service.server import Limits, cpu_count, is_loopback, listen, run
    except ImportError as exc:  # a dependency, but an install can lose it
        message = f"implib serve needs uvicorn (pip install uvicorn): {exc}"
        raise click.ClickException(message) from exc
    from ..targets import parse_target

    if tool:
        backend = select_backend(parse_target("x86_64-pc-windows-msvc"), tool)
        info = backend.info()
        if not info.found:
            raise click.ClickException(f"tool {tool!r} not found: {info.note}".rstrip(": "))
    sock = listen(host, port)  # a port in use: one line, before anything is printed
    bound_host, bound_port = sock.getsockname()[:2]
    where = f"[{bound_host}]" if ":" in bound_host else bound_host
    beyond = "" if is_loopback(host) else ", beyond this machine"
    click.echo(f"implib serve: listening on http://{where}:{bound_port}/{beyond}", err=True)
    limits = Limits(header_timeout, keep_alive, max_connections, send_timeout)
    workers = workers or cpu_count()
    run(host, port, tool=tool, workers=workers, access_log=access_log, limits=limits, sock=sock)


@click.command(context_settings=CONTEXT)
@click.argument("directory", type=click.Path(file_okay=False))
@target_option(multiple=True, required=False, default_help="every target.")
@python_options(min_python=False)
@tool_option()
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    metavar="N",
    help="Processes that make the libraries (default: one per CPU).",
)
def export(
    directory: str,
    targets: tuple[str, ...],
    abi3: bool,
    abi3t: bool,
    pythons: tuple[str, ...],
    all_: bool,
    tool: str | None,
    jobs: int | None,
) -> None:
    """Write what 'implib serve' serves as static files, for nginx, a bucket or a CDN.

    DIRECTORY gets v1/index.json and v1/<target>/<python>/<file>: serve
    DIRECTORY as the web root and 'implib fetch' works against it.

    \b
    Examples:
      implib export site --all
      implib export site -t x86_64-pc-windows-msvc -t x86_64-pc-windows-gnu --abi3 -p 3.12
    """
    from ..service.site import write_site
    from ..targets import parse_target

    chosen_targets = []
    for name in targets:
        target = parse_target(name)
        if target not in chosen_targets:
            chosen_targets.append(target)
    builds = _builds(abi3, pythons, all_, abi3t)
    if not builds:
        raise click.UsageError("say what to export: --all, --abi3, --abi3t or --python VERSION")
    result = write_site(
        directory,
        chosen_targets or None,
        builds,
        tool=tool,
        made=_Progress("implib export"),
        jobs=jobs,
    )
    libraries = counted(len(result.libraries), "library", "libraries")
    files = counted(result.file_count, "file", "files")
    click.echo(
        f"{libraries} ({files}, {result.total_bytes:,} bytes) and v1/index.json"
        f" written to {directory}"
    )


class _Progress:
    """``N of M libraries made`` on stderr, once a second, when the work takes longer
    than a second (an external tool): a quick export stays quiet."""

    def __init__(self, prefix: str, every: float = 1.0) -> None:
        import time

        self._clock = time.monotonic
        self._prefix, self._every = prefix, every
        self._next = self._clock() + every

    def __call__(self, done: int, total: int, library: Any) -> None:
        now = self._clock()
        last = done == total and self._said  # the end, once anything was said
        if now < self._next and not last:
            return
        self._next = now + self._every
        self._said = True
        where = f"{library.target.triple} {library.build.spec}, {library.backend}"
        click.echo(f"{self._prefix}: {done} of {total} libraries made ({where})", err=True)

    _said = False


def _finite(ctx: click.Context, param: click.Parameter, value: float) -> float:
    if value != value:  # nan passes FloatRange's comparisons
        raise click.BadParameter("not a number of seconds")
    return value


@click.command(context_settings=CONTEXT)
@server_option(
    required=True,
    help_text="Base URL of 'implib serve' or of a static export (the folder holding v1/).",
)
@target_option()
@python_options()
@out_dir_option()
@click.option(
    "--no-fallback", is_flag=True, help="Fail, instead of generating locally, without the server."
)
@tool_option(
    "The tool of the local fallback; default as for gen (builtin, unless ZIG_COMMAND or"
    " PYO3_MINGW_DLLTOOL says otherwise: 'implib tools -t TARGET')."
)
@click.option(
    "--timeout",
    default=10.0,
    show_default=True,
    type=click.FloatRange(0.1, 3600),
    callback=_finite,
    help="Seconds for each attempt, from connecting to the last byte.",
)
@click.option(
    "--retries",
    default=3,
    show_default=True,
    type=click.IntRange(0, 10),
    help="Retries on connection errors, timeouts and 5xx, with back-off; "
    "(retries + 1) x timeout bounds each request.",
)
@click.option("-q", "--quiet", is_flag=True, help="Only the summary line.")
def fetch(
    server: str,
    target: str,
    abi3: bool,
    abi3t: bool,
    min_python: str | None,
    pythons: tuple[str, ...],
    all_: bool,
    out_dir: str,
    no_fallback: bool,
    tool: str | None,
    timeout: float,
    retries: int,
    quiet: bool,
) -> None:
    """Download libraries from an implib server or export, sha256-checked.

    Files are checked against the server's index before they are put in
    place; when the server cannot be reached in time they are generated
    locally (unless --no-fallback). A server that answers wrongly (wrong
    bytes, not HTTP, a redirect loop or to another scheme) is an error.
    Progress goes to stderr, a summary to stdout.

    \b
    Examples:
      implib fetch --server http://127.0.0.1:8000 --target win-amd64 --abi3 -o libs
      implib fetch --server https://example.org/implib -t x86_64-pc-windows-gnu -p 3.12
    """
    from ..pythons import parse_python
    from ..service.client import fetch as run_fetch

    try:
        specs = selected_specs(abi3, min_python, pythons, all_, abi3t)
    except ValueError as exc:  # options that do not go together, as for gen
        raise click.UsageError(str(exc)) from None
    builds = [parse_python(spec) for spec in specs]
    if not builds:
        raise click.UsageError("say what to fetch: --abi3, --abi3t, --python VERSION or --all")

    def progress(message: str) -> None:
        if not quiet:
            click.echo(f"implib fetch: {message}", err=True)

    report = run_fetch(
        server,
        target,
        builds,
        out_dir,
        fallback=not no_fallback,
        tool=tool,
        timeout=timeout,
        retries=retries,
        progress=progress,
    )
    click.echo(report.summary())
