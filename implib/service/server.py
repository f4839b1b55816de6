"""``implib serve``: the libraries over HTTP, from a small hand-written ASGI app.

Read-only routes, the same URL space as ``implib export`` writes
(:mod:`implib.service.site`)::

    GET|HEAD /v1/<triple>/<python>/<file>   a library (strong ETag: its sha256)
    GET|HEAD /v1/index.json                 every file with its digest
    GET|HEAD /healthz                       liveness, and whether all is produced

No framework: the routes are a fixed set of names known in advance, so the
router is one dictionary lookup on the raw request path, and a path that is
not in it is never turned into anything (no file system path is ever built
from what a client sends). Libraries come from the cache on first request
and are then held in memory: the set is bounded by the bundled export lists
(about 150 libraries, under 50 MB), not by what clients ask for. Start-up
produces them all in the background, so the index is ready soon and the
first requests do not wait for the whole set.

Bad input gets a 4xx with a JSON body, never more: a path with characters
other than ``A-Z a-z 0-9 . _ - /`` (so no %-escapes, NUL or backslashes),
longer than 512 bytes or with dot segments; a method other than GET and
HEAD; a request body; headers over 8 kB or 100 fields, bounded while they
arrive too. Idle and slow connections are closed, and never lock out real
requests (:mod:`.connections`: ``--header-timeout``, ``--keep-alive``,
``--max-connections``). Each request is one JSON line on stdout
(:class:`AccessLog`).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import hashlib
import json
import logging
import os
import re
import select
import socket
import sys
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping, MutableMapping
from typing import Any, TextIO

from .. import __version__
from ..errors import ListenError, PythonError, TargetError
from ..pythons import PythonBuild, parse_python
from ..targets import Target, parse_target
from .connections import MAX_HEADER_BYTES, Limits, on_rejected, protocol_class
from .layout import API_VERSION, INDEX_NAME, Library, build_index, file_path, index_bytes
from .produce import all_builds, all_targets, produce

__all__ = [
    "MAX_HEADERS",
    "MAX_HEADER_BYTES",
    "MAX_PATH_BYTES",
    "AccessLog",
    "ImplibApp",
    "Limits",
    "cpu_count",
    "create_app",
    "listen",
    "run",
]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
Headers = list[tuple[bytes, bytes]]

#: The longest request path accepted (the longest real one is under 80 bytes).
MAX_PATH_BYTES = 512
#: The headers' count; their size (MAX_HEADER_BYTES) is bounded while they
#: arrive (connections.py) and checked again once whole, since uvicorn's
#: parser enforces it only on what arrives in pieces.
MAX_HEADERS = 100

#: Seconds a request for index.json waits for the libraries before a 503 (see ImplibApp).
INDEX_WAIT = 5.0
#: The Retry-After of that 503, in seconds.
INDEX_RETRY = 5

#: What a pipe writes without interleaving (POSIX's PIPE_BUF is at least 512; Linux's 4096).
_ATOMIC_WRITE = getattr(select, "PIPE_BUF", 512)

_ENV_TOOL = "IMPLIB_SERVE_TOOL"
_ENV_ACCESS_LOG = "IMPLIB_SERVE_ACCESS_LOG"

#: Every real path is made of these; anything else (%, NUL, \, non-ASCII) is refused.
_SAFE_PATH = re.compile(rb"/[A-Za-z0-9._/-]*")
_SEGMENT = re.compile(r"[A-Za-z0-9._-]{1,64}")
_METHODS = ("GET", "HEAD")
_COMMON: Headers = [(b"x-content-type-options", b"nosniff")]

_log = logging.getLogger("implib.server")


def _hint(name: str, known: Mapping[str, object], canonical: Callable[[str], str]) -> str:
    """The canonical name an alias stands for, if known; else every known name."""
    try:
        spelled = canonical(name)
    except (TargetError, PythonError):
        spelled = ""
    return spelled if spelled in known else ", ".join(known)


@dataclasses.dataclass(frozen=True)
class _Response:
    status: int
    headers: Headers
    body: bytes = b""


@dataclasses.dataclass(frozen=True)
class _Resource:
    """A body ready to send, with its headers for 200 and for 304 worked out once."""

    body: bytes
    etag: bytes
    ok: _Response
    not_modified: _Response

    @classmethod
    def make(cls, body: bytes, sha256: str, content_type: bytes, cache_control: bytes) -> _Resource:
        etag = f'"{sha256}"'.encode()
        common = [(b"etag", etag), (b"cache-control", cache_control), *_COMMON]
        ok = _Response(
            200,
            [
                (b"content-type", content_type),
                (b"content-length", str(len(body)).encode()),
                *common,
            ],
            body,
        )
        return cls(body, etag, ok, _Response(304, common))


def _error(status: int, message: str, extra: Headers | None = None) -> _Response:
    body = json.dumps({"error": message, "status": status}).encode() + b"\n"
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"cache-control", b"no-store"),
        *_COMMON,
        *(extra or []),
    ]
    return _Response(status, headers, body)


def _etag_matches(values: Iterable[bytes], etag: bytes) -> bool:
    """If-None-Match's weak comparison: any listed tag, W/ or not, or ``*``."""
    for value in values:
        for part in value.split(b","):
            tag = part.strip()
            if tag == b"*" or tag.removeprefix(b"W/") == etag:
                return True
    return False


_Key = tuple[str, str]  # (triple, python spec)
_INDEX_KEY: _Key = ("", INDEX_NAME)


class ImplibApp:
    """The ASGI application: a fixed route table over produced libraries.

    ``access_log`` receives one line of JSON per request (None: no log);
    :class:`AccessLog` is the one ``implib serve`` uses, a logger's ``info``
    works too.
    ``warm`` produces everything in the background at lifespan start-up.
    ``index_wait``: the seconds a request for the index waits for libraries
    still being produced (an external tool takes a while for the whole set),
    before a 503 with ``Retry-After`` that says how far along it is.
    """

    def __init__(
        self,
        *,
        tool: str | None = None,
        access_log: Callable[[str], object] | None = None,
        warm: bool = True,
        index_wait: float = INDEX_WAIT,
    ) -> None:
        from ..backends import select_backend

        self.tool = tool
        self.warm = warm
        self.index_wait = index_wait
        self._access = access_log
        self._targets: dict[str, Target] = {}
        for target in all_targets():
            if select_backend(target, tool).supports(target):
                self._targets[target.triple] = target
        self._builds: dict[str, PythonBuild] = {build.spec: build for build in all_builds()}
        self._routes: dict[str, _Key] = {}
        for target in self._targets.values():
            for build in self._builds.values():
                for name in build.lib_names(target.flavour):
                    path = f"/{API_VERSION}/{file_path(target, build, name)}"
                    self._routes[path] = (target.triple, build.spec)
        self._index_path = f"/{API_VERSION}/{INDEX_NAME}"
        self._libraries: dict[_Key, Library] = {}
        self._resources: dict[_Key, _Resource] = {}
        self._making: dict[_Key, asyncio.Future[_Resource]] = {}
        self._warming: asyncio.Future[_Resource] | None = None

    # -- ASGI ---------------------------------------------------------------

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind == "http":
            await self._http(scope, send)
        elif kind == "lifespan":
            await self._lifespan(receive, send)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                if self.warm:
                    self._warming = asyncio.ensure_future(self._index())
                    self._warming.add_done_callback(self._warmed)
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                if self._warming is not None:
                    self._warming.cancel()
                if isinstance(self._access, AccessLog):
                    self._access.flush()
                await send({"type": "lifespan.shutdown.complete"})
                return

    def _warmed(self, future: asyncio.Future[_Resource]) -> None:
        if not future.cancelled() and future.exception() is not None:
            _log.error("producing the libraries failed: %s", future.exception())

    async def _http(self, scope: Scope, send: Send) -> None:
        started = time.perf_counter()
        try:
            response = await self._respond(scope)
        except Exception:  # a failing tool or a bug: never caused by the request's text
            _log.exception("error while answering %s", scope.get("path", "")[:MAX_PATH_BYTES])
            response = _error(500, "internal error")
        body = b"" if scope["method"] == "HEAD" else response.body
        await send(
            {"type": "http.response.start", "status": response.status, "headers": response.headers}
        )
        await send({"type": "http.response.body", "body": body})
        if self._access is not None:
            self._access(_access_record(scope, response.status, len(body), started))

    # -- routing ------------------------------------------------------------

    async def _respond(self, scope: Scope) -> _Response:
        raw: bytes = scope.get("raw_path") or scope["path"].encode("utf-8", "surrogateescape")
        if len(raw) > MAX_PATH_BYTES:
            return _error(414, f"path longer than {MAX_PATH_BYTES} bytes")
        if scope.get("http_version", "1.1") not in ("1.0", "1.1"):
            # and close: what follows (HTTP/2's preface, say) is not HTTP/1
            return _error(400, "HTTP/1.0 or HTTP/1.1 only", [(b"connection", b"close")])
        headers: list[tuple[bytes, bytes]] = scope["headers"]
        if not _SAFE_PATH.fullmatch(raw):
            return _error(400, "bad path: only letters, digits and . _ - / are used")
        if scope.get("http_version") == "1.1" and not any(k == b"host" for k, _ in headers):
            return _error(400, "HTTP/1.1 request without a Host header")
        if scope["method"] not in _METHODS:
            return _error(405, "read-only: GET and HEAD only", [(b"allow", b"GET, HEAD")])
        if (
            len(headers) > MAX_HEADERS
            or sum(len(k) + len(v) for k, v in headers) > MAX_HEADER_BYTES
        ):
            return _error(431, "request headers too large")
        if any(
            (k == b"content-length" and v.strip() not in (b"", b"0")) or k == b"transfer-encoding"
            for k, v in headers
        ):
            return _error(413, "request bodies are not accepted")
        path = raw.decode("ascii")
        key = self._routes.get(path)
        if key is not None:
            resource = self._resources.get(key) or await self._resource(key)
        elif path == self._index_path:
            if _INDEX_KEY in self._resources:
                resource = self._resources[_INDEX_KEY]
            else:
                try:  # shielded: production goes on for the next request
                    resource = await asyncio.wait_for(self._index(), self.index_wait)
                except asyncio.TimeoutError:
                    return self._index_not_ready()
        elif path == "/healthz":
            return self._health()
        else:
            return self._not_found(path)
        if _etag_matches((v for k, v in headers if k == b"if-none-match"), resource.etag):
            return resource.not_modified
        return resource.ok

    def _index_not_ready(self) -> _Response:
        total = len(set(self._routes.values()))
        made = len(self._libraries)
        message = f"the index is not ready: {made} of {total} libraries made; try again"
        return _error(503, message, [(b"retry-after", str(INDEX_RETRY).encode())])

    def _health(self) -> _Response:
        ready = _INDEX_KEY in self._resources
        body = json.dumps(
            {
                "status": "ok",
                "ready": ready,
                "libraries": len(self._libraries),
                "version": __version__,
            }
        ).encode()
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"cache-control", b"no-store"),
            *_COMMON,
        ]
        return _Response(200, headers, body)

    def _not_found(self, path: str) -> _Response:
        """A 404 that says what would have worked (only checked, short names echoed)."""
        parts = path.split("/")[1:]
        if "." in parts or ".." in parts:
            return _error(400, "bad path: no . or .. segments")
        layout = f"/{API_VERSION}/<target>/<python>/<file>, listed in {self._index_path}"
        if len(parts) != 4 or parts[0] != API_VERSION or not all(map(_SEGMENT.fullmatch, parts)):
            return _error(404, f"not found; libraries are at {layout}")
        triple, spec, name = parts[1:]
        target = self._targets.get(triple)
        if target is None:
            hint = _hint(triple, self._targets, lambda t: parse_target(t).triple)
            return _error(404, f"unknown target {triple!r}; use {hint}")
        build = self._builds.get(spec)
        if build is None:
            hint = _hint(spec, self._builds, lambda s: parse_python(s).spec)
            return _error(404, f"unknown Python build {spec!r}; use {hint}")
        names = ", ".join(build.lib_names(target.flavour))
        return _error(404, f"no file {name!r} for {spec} on {triple}; there is {names}")

    # -- producing ----------------------------------------------------------

    def _once(
        self, key: _Key, make: Callable[[], Awaitable[_Resource]]
    ) -> asyncio.Future[_Resource]:
        """One producer per key however many requests wait for it; retried after a failure."""
        future = self._making.get(key)
        if future is None:
            future = asyncio.ensure_future(make())
            self._making[key] = future
            future.add_done_callback(lambda _: self._making.pop(key, None))
        return future

    async def _resource(self, key: _Key) -> _Resource:
        # shield: a client that hangs up must not cancel what others wait for
        return await asyncio.shield(self._once(key, lambda: self._make(key)))

    async def _make(self, key: _Key) -> _Resource:
        target, build = self._targets[key[0]], self._builds[key[1]]
        library = await asyncio.to_thread(produce, target, build, tool=self.tool)
        resource = _Resource.make(
            library.data, library.sha256, b"application/octet-stream", b"public, max-age=3600"
        )
        self._libraries[key] = library
        self._resources[key] = resource
        return resource

    async def _index(self) -> _Resource:
        return await asyncio.shield(self._once(_INDEX_KEY, self._make_index))

    async def _make_index(self) -> _Resource:
        keys = sorted(set(self._routes.values()))
        for key in keys:  # one at a time: requests for single files go first
            if key not in self._resources:
                await self._resource(key)
        body = index_bytes(build_index(self._libraries[key] for key in keys))
        sha256 = hashlib.sha256(body).hexdigest()
        resource = _Resource.make(body, sha256, b"application/json", b"no-cache")
        self._resources[_INDEX_KEY] = resource
        return resource


_second = (0, "")


def _timestamp() -> str:
    """UTC, to the millisecond; the part up to the second is formatted once a second."""
    global _second
    now = time.time()
    whole = int(now)
    if whole != _second[0]:
        text = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(whole))
        _second = (whole, text)
    return f"{_second[1]}.{int((now - whole) * 1000):03d}Z"


def _access_record(scope: Scope, status: int, sent: int, started: float) -> str:
    """One access-log line: what was asked, by whom, and how it went."""
    raw = scope.get("raw_path") or scope.get("path", "").encode("utf-8", "surrogateescape")
    client = scope.get("client")
    agent = next((v for k, v in scope.get("headers", ()) if k == b"user-agent"), b"")
    record = {
        "time": _timestamp(),
        "client": f"{client[0]}:{client[1]}" if client else None,
        "method": scope.get("method"),
        "path": raw[:MAX_PATH_BYTES].decode("ascii", "backslashreplace"),
        "status": status,
        "bytes": sent,
        "ms": round((time.perf_counter() - started) * 1000, 3),
        "user_agent": agent[:200].decode("ascii", "backslashreplace"),
    }
    return json.dumps(record)


def _rejected_record(client: Any, status: int, sent: int, error: str) -> str:
    """The access-log line of a request the HTTP parser refused: nothing of it is trusted."""
    record = {
        "time": _timestamp(),
        "client": f"{client[0]}:{client[1]}" if client else None,
        "method": None,
        "path": None,
        "status": status,
        "bytes": sent,
        "ms": 0.0,
        "user_agent": None,
        "error": error,
    }
    return json.dumps(record)


class AccessLog:
    """JSON lines to a stream, written in batches and flushed within a second.

    Going through :mod:`logging` and flushing every line cost about as much
    as the rest of a request; an event loop worker owns its log, so a plain
    buffer does. Each write is whole lines of at most PIPE_BUF bytes (lines
    are ASCII and far shorter), so that the workers sharing one pipe or file
    never interleave within a line.
    """

    def __init__(self, stream: TextIO, *, delay: float = 1.0) -> None:
        self._stream = stream
        self._delay = delay
        self._pending: list[str] = []

    def __call__(self, line: str) -> None:
        self._pending.append(line + "\n")
        if len(self._pending) == 1:
            try:
                asyncio.get_running_loop().call_later(self._delay, self.flush)
            except RuntimeError:  # no event loop: write at once
                self.flush()

    def flush(self) -> None:
        lines, self._pending = self._pending, []
        chunk: list[str] = []
        size = 0
        for line in lines:
            if chunk and size + len(line) > _ATOMIC_WRITE:
                self._write("".join(chunk))
                chunk, size = [], 0
            chunk.append(line)
            size += len(line)
        if chunk:
            self._write("".join(chunk))

    def _write(self, text: str) -> None:
        self._stream.write(text)
        self._stream.flush()


def create_app() -> ImplibApp:
    """The app for uvicorn's ``--factory``: its options come from the environment.

    Each uvicorn worker process calls this, so ``run`` passes the options
    through environment variables that the workers inherit.
    """
    tool = os.environ.get(_ENV_TOOL) or None
    access = AccessLog(sys.stdout) if os.environ.get(_ENV_ACCESS_LOG, "1") != "0" else None
    if access is not None:
        on_rejected(lambda *rejected: access(_rejected_record(*rejected)))
    return ImplibApp(tool=tool, access_log=access)


def cpu_count() -> int:
    """The CPUs this process may run on (its affinity), at most 64: serve's default workers."""
    try:
        count = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        count = os.cpu_count() or 1
    return max(1, min(count, 64))


def is_loopback(host: str) -> bool:
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _raise_file_limit(wanted: int) -> None:
    """Let the process hold ``wanted`` connections (a soft RLIMIT_NOFILE of 1024 is common)."""
    try:
        import resource
    except ImportError:  # Windows: no such limit
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    goal = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < goal:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (goal, hard))


def listen(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port``, or one line saying why there is none.

    Bound here, before uvicorn starts, so that a port in use or a host that
    does not resolve is an :class:`ListenError` (exit 1, nothing printed
    before), not uvicorn's log lines and exit status 3.
    """
    try:
        infos = socket.getaddrinfo(
            host.strip("[]"), port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )
    except (socket.gaierror, UnicodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise ListenError(f"cannot listen on {host[:200]!r}: {reason}") from exc
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(2048)  # uvicorn's default backlog
    except OSError as exc:
        sock.close()
        reason = exc.strerror or str(exc)
        raise ListenError(f"cannot listen on {host}:{port}: {reason}") from exc
    sock.set_inheritable(True)  # the workers share it
    return sock


def run(
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    tool: str | None = None,
    workers: int = 1,
    access_log: bool = True,
    log_level: str = "info",
    http: str = "auto",
    loop: str = "auto",
    limits: Limits | None = None,
    sock: socket.socket | None = None,
) -> None:
    """Serve until interrupted, with the limits above and :class:`Limits`.

    uvicorn's fast parts are used when installed (httptools, uvloop, which a
    plain install has where wheels exist): on files of a few hundred kB they
    make a worker two to three times as fast as h11 on asyncio. ``http="h11"``
    forces h11, ``loop="asyncio"`` asyncio's event loop. ``sock`` is a socket
    from :func:`listen`; without it ``host:port`` is bound first.
    """
    sock = sock or listen(host, port)
    import uvicorn

    limits = limits or Limits()
    os.environ[_ENV_TOOL] = tool or ""
    os.environ[_ENV_ACCESS_LOG] = "1" if access_log else "0"
    os.environ.update(limits.to_env())
    _raise_file_limit(limits.max_connections + 256)  # the rest: the app's own files, pipes
    config = uvicorn.Config(
        "implib.service.server:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        http=protocol_class(http),
        h11_max_incomplete_event_size=MAX_HEADER_BYTES,
        loop=loop,  # auto: uvloop if installed
        ws="none",
        lifespan="on",
        access_log=False,  # ours is structured, see ImplibApp
        server_header=False,
        proxy_headers=False,
        limit_concurrency=None,  # connections are bounded by the protocol (connections.py)
        timeout_keep_alive=limits.keep_alive,  # type: ignore[arg-type]
        log_level=log_level,
    )
    # What uvicorn.run does, on the socket bound above (uvicorn's own binding
    # would fail with its log lines and exit status 3).
    try:
        if workers > 1:
            from uvicorn.supervisors import Multiprocess

            Multiprocess(config, sockets=[sock]).run()
        else:
            server = uvicorn.Server(config)
            try:
                server.run(sockets=[sock])
            except KeyboardInterrupt:
                return
            if not server.started:  # the app failed to start: uvicorn logged why
                raise SystemExit(1)
    finally:
        sock.close()
