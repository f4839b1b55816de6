"""``implib fetch``: libraries from an implib server or a static export, checked.

A file is put in place only once its bytes hash to the digest the server's
index gives (and to its ETag, where that is a digest), and nothing is written
until every download is checked: a bad download leaves the output folder as
it was. Each request has one deadline, retries included, however slowly the
server sends. A server that cannot be reached (refused, reset, 5xx, too slow)
is retried, then the library is generated locally as ``implib gen`` would
(unless ``fallback=False``), and the server is not asked again in that fetch.
A server that answers wrongly (bytes or an index that do not match, garbage,
bad redirects) is :class:`~implib.errors.ServerError`, never hidden by the
fallback: it serves the wrong thing. Credentials (in the URL, or ``.netrc``'s)
go only to the server named and are never printed (``http://***@host``).
docs/service.md has the whole policy.
"""

from __future__ import annotations

import dataclasses
import hashlib
import math
import os
import re
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .. import __version__
from ..errors import ConfigError, FetchError, IntegrityError, OptionError, ServerError
from ..fileio import write_files
from ..pythons import PythonBuild, lib_names_for, parse_python
from ..targets import Target, parse_target
from .layout import API_VERSION, DIGEST, INDEX_NAME, IndexEntry, file_path, parse_index

if TYPE_CHECKING:
    import httpx

__all__ = ["FetchError", "FetchReport", "Fetched", "IntegrityError", "ServerError", "fetch"]

#: The most an index may weigh (the full index is about 60 kB).
MAX_INDEX_BYTES = 16 * 1024 * 1024
MAX_REDIRECTS = 5
#: The longest --timeout (an hour): a request that takes longer is not coming.
MAX_TIMEOUT = 3600.0
_REDIRECTS = (301, 302, 303, 307, 308)

SERVER, LOCAL, UP_TO_DATE = "server", "local", "up to date"

Say = Callable[[str], None]


class _Unreachable(Exception):
    """Connection errors, timeouts or 5xx answers, still failing after the retries."""


class _Retry(Exception):
    """One attempt failed in a way worth another (the server is slow, or went away)."""


@dataclasses.dataclass(frozen=True)
class Fetched:
    """One library, written under its names, and where its bytes came from."""

    build: PythonBuild
    paths: tuple[Path, ...]
    sha256: str
    source: str  # SERVER, LOCAL or UP_TO_DATE
    reason: str = ""  # why LOCAL
    kept: tuple[Path, ...] = ()  # aliases left alone: they import from another DLL


@dataclasses.dataclass(frozen=True)
class FetchReport:
    server: str  # as shown: without credentials
    out_dir: Path
    results: tuple[Fetched, ...]

    def count(self, source: str) -> int:
        return sum(1 for result in self.results if result.source == source)

    def summary(self) -> str:
        """One line: how many libraries came from where."""
        # a file two builds share (libpypy3-c.lib of PyPy 3.7 and 3.8) is one file
        files = len({path for result in self.results for path in result.paths})
        parts = []
        if self.count(SERVER):
            parts.append(f"{self.count(SERVER)} from {self.server} (sha256 checked)")
        if self.count(LOCAL):
            reasons = sorted({r.reason for r in self.results if r.source == LOCAL})
            parts.append(f"{self.count(LOCAL)} generated locally ({'; '.join(reasons)})")
        if self.count(UP_TO_DATE):
            parts.append(f"{self.count(UP_TO_DATE)} already up to date")
        libraries = len(self.results)
        noun = "library" if libraries == 1 else "libraries"
        files_noun = "file" if files == 1 else "files"
        return f"{libraries} {noun} ({files} {files_noun}) in {self.out_dir}: {', '.join(parts)}"


@dataclasses.dataclass(frozen=True)
class _Server:
    """The server's base URL, for requests, and as it may be shown."""

    url: httpx.URL  # with credentials, if given
    shown: str  # without them
    secrets: tuple[str, ...]  # what must never appear in a message

    def under(self, path: str) -> httpx.URL:
        """The URL of ``path`` (as index.json names it) under the server's API folder."""
        return self.url.join(f"{self.url.path.rstrip('/')}/{API_VERSION}/{path}")

    def clean(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "***")
        return text


def _parse_server(server: str) -> _Server:
    """The base URL, checked: http(s), a host, a valid port; OptionError otherwise."""
    import httpx

    text = server.strip().rstrip("/")
    try:
        url = httpx.URL(text)
        valid = url.scheme in ("http", "https") and bool(url.host) and "://" in text
        valid = valid and (url.port is None or 0 < url.port < 65536)
    except (httpx.InvalidURL, ValueError, TypeError):
        valid = False
    if not valid or re.search(r"\s", text):
        shown = re.sub(r"//[^/@]*@", "//***@", text)
        raise OptionError(f"bad server URL {shown!r}; expected http://HOST[:PORT][/PATH]")
    secrets = tuple(s for s in (url.password, url.username) if s)
    userinfo = url.userinfo.decode("ascii", "replace")
    if userinfo:
        secrets = (userinfo, *secrets)
    shown = str(url.copy_with(username=None, password=None))
    if userinfo:
        shown = shown.replace("://", "://***@", 1)
    return _Server(url, shown.rstrip("/"), secrets)


def _with_netrc(server: _Server, say: Say) -> _Server:
    """``server`` with the login ``.netrc`` gives its host, when its URL has none.

    As curl and httpx read it: the file ``$NETRC`` names, else ``~/.netrc``.
    Python's :mod:`netrc` reads the whole file, and wants ``~/.netrc`` to be
    the user's own and private; a ``~/.netrc`` it refuses is said and left
    unused (the server may need no login), and no ``~/.netrc`` is no login; a
    file ``$NETRC`` names that is missing or refused is an error.
    """
    import netrc

    if server.url.userinfo:
        return server
    path = os.environ.get("NETRC")
    try:
        entry = netrc.netrc(path).authenticators(server.url.host)
    except FileNotFoundError as exc:
        if path:  # named, and not there: as curl --netrc-file, not a silent "no login"
            raise ConfigError(f"$NETRC: {path} does not exist") from exc
        return server
    except (netrc.NetrcParseError, OSError) as exc:
        if isinstance(exc, netrc.NetrcParseError):
            where = f"{exc.filename}:{exc.lineno}: " if exc.filename else ""
            reason = where + exc.msg  # the permission check's message names ~/.netrc
        else:
            reason = f"cannot read {exc.filename or path}: {exc.strerror}"
        if path:
            raise ConfigError(f"$NETRC: {reason}") from exc
        say(f"~/.netrc not used, no login sent: {reason}")
        return server
    if entry is None:
        return server
    login, _, password = entry
    if not login and not password:
        return server
    url = server.url.copy_with(username=login, password=password or None)
    secrets = tuple(secret for secret in (password, login) if secret)
    return _Server(url, server.shown, secrets + server.secrets)


def _describe(exc: BaseException) -> str:
    """The exception's name and message, the message cut short (it may quote the server)."""
    text = str(exc).strip()
    text = text if len(text) <= 200 else text[:200] + "..."
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _is_garbage(exc: httpx.RemoteProtocolError) -> bool:
    """Whether the server sent something that is not HTTP, rather than stopping mid-way.

    h11 (under httpcore) raises for both a malformed answer and a body cut
    short; a connection closed before or during an answer is the server
    going away (unreachable), anything else h11 rejects is garbage.
    """
    import h11

    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, h11.RemoteProtocolError):
            return not str(cause).startswith("peer closed connection")
        cause = cause.__cause__ or cause.__context__
    return "disconnected" not in str(exc) and "closed" not in str(exc)


@dataclasses.dataclass(frozen=True)
class _Answer:
    status: int
    headers: httpx.Headers
    data: bytes
    url: str  # the URL that answered, as shown


class _Downloader:
    """GET with one deadline per request (retries included), redirects checked by hand."""

    def __init__(
        self,
        client: httpx.Client,
        server: _Server,
        *,
        timeout: float,
        retries: int,
        backoff: float,
        say: Say,
    ) -> None:
        self.client = client
        self.server = server
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.say = say
        self.down = ""  # set: the server failed once; not asked again

    def get(self, url: httpx.URL, what: str, limit: int) -> _Answer:
        """The answer to GET ``url``; _Unreachable after the retries, ServerError if wrong."""
        if self.down:
            raise _Unreachable(self.down)
        attempts = self.retries + 1
        started = time.monotonic()
        deadline = started + self.timeout * attempts
        last = ""
        for attempt in range(1, attempts + 1):
            left = deadline - time.monotonic()
            if left <= 0:
                break
            try:
                answer = self._attempt(url, min(self.timeout, left), limit)
            except _Retry as exc:
                last = self.server.clean(str(exc))
            else:
                if answer.status < 500:
                    return answer
                last = f"HTTP {answer.status}"
            pause = min(self.backoff * 2 ** (attempt - 1), 10.0)
            if attempt < attempts and deadline - time.monotonic() > pause:
                self.say(f"{what}: attempt {attempt} of {attempts} failed ({last}); "
                         f"again in {pause:g} s")  # fmt: skip
                time.sleep(pause)
            elif attempt < attempts:
                break  # no time left for another attempt
        spent = time.monotonic() - started
        self.down = f"{last}, {attempt} attempt{'s' * (attempt > 1)} in {spent:.1f} s"
        raise _Unreachable(self.down)

    def _attempt(self, url: httpx.URL, seconds: float, limit: int) -> _Answer:
        """One attempt, redirects followed, within ``seconds``."""
        import httpx

        from .transport import DEADLINE

        deadline = time.monotonic() + seconds
        seen = [url]
        while True:
            shown = self.server.clean(str(url))
            try:
                with self.client.stream(
                    "GET", url, extensions={DEADLINE: deadline}, timeout=seconds
                ) as response:
                    if response.status_code in _REDIRECTS and "location" in response.headers:
                        url = self._redirect(seen, response, shown)
                        continue
                    if response.status_code != 200:
                        return _Answer(response.status_code, response.headers, b"", shown)
                    data = self._body(response, shown, deadline, seconds, limit)
                    return _Answer(200, response.headers, data, shown)
            except httpx.TimeoutException as exc:
                raise _Retry(
                    f"{type(exc).__name__}: no complete answer within {seconds:.1f} s"
                ) from exc
            except httpx.RemoteProtocolError as exc:
                if _is_garbage(exc):
                    raise ServerError(f"{shown}: not an HTTP answer ({_describe(exc)})") from exc
                raise _Retry(_describe(exc)) from exc
            except (httpx.NetworkError, httpx.ProxyError) as exc:
                raise _Retry(_describe(exc)) from exc
            except httpx.HTTPError as exc:  # anything else httpx refuses: a wrong answer
                raise ServerError(f"{shown}: {self.server.clean(_describe(exc))}") from exc

    @staticmethod
    def _body(
        response: httpx.Response, shown: str, deadline: float, seconds: float, limit: int
    ) -> bytes:
        """The decoded body, at most ``limit`` bytes, complete before ``deadline``."""
        import httpx

        data = bytearray()
        try:
            for chunk in response.iter_bytes():
                data += chunk
                if len(data) > limit:
                    raise IntegrityError(f"{shown}: more than the expected {limit} bytes")
                if time.monotonic() > deadline:
                    raise _Retry(f"no complete answer within {seconds:.1f} s "
                                 f"({len(data):,} bytes so far)")  # fmt: skip
        except httpx.DecodingError as exc:
            encoding = response.headers.get("content-encoding", "")
            raise ServerError(
                f"{shown}: the body does not decode as its Content-Encoding "
                f"{encoding[:40]!r} says ({_describe(exc)})"
            ) from exc
        return bytes(data)

    def _redirect(self, seen: list[httpx.URL], response: httpx.Response, shown: str) -> httpx.URL:
        """Where a redirect leads, if it may be followed; ServerError if not."""
        import httpx

        location = response.headers["location"]
        try:
            target = response.url.join(location)
        except (httpx.InvalidURL, ValueError) as exc:
            raise ServerError(f"{shown}: redirect to a bad URL {location[:200]!r}") from exc
        where = self.server.clean(str(target))
        if target.scheme not in ("http", "https"):
            said = self.server.clean(location[:200])
            raise ServerError(f"{shown}: redirect to {said!r}: only http(s) is followed")
        if response.url.scheme == "https" and target.scheme == "http":
            raise ServerError(f"{shown}: redirect from https to http ({where[:200]})")
        if target in seen:
            raise ServerError(f"{shown}: redirect loop (back to {where[:200]})")
        if len(seen) > MAX_REDIRECTS:
            raise ServerError(f"{shown}: more than {MAX_REDIRECTS} redirects")
        if target.host != self.server.url.host or target.port != self.server.url.port:
            target = target.copy_with(username=None, password=None)
        seen.append(target)
        return target


def _check_etag(url: str, headers: httpx.Headers, sha256: str) -> None:
    """A strong ETag that is a digest (implib serve's) must be this one."""
    tag = headers.get("etag", "").strip('"')
    if DIGEST.fullmatch(tag) and tag != sha256:
        raise IntegrityError(f"{url}: ETag {tag} differs from the expected sha256 {sha256}")


def _read_index(downloader: _Downloader) -> dict[str, IndexEntry]:
    server = downloader.server
    url = server.under(INDEX_NAME)
    answer = downloader.get(url, INDEX_NAME, MAX_INDEX_BYTES)
    if answer.status != 200:
        raise ServerError(
            f"{answer.url}: HTTP {answer.status}; is {server.shown} an implib server or export?"
        )
    _check_etag(answer.url, answer.headers, hashlib.sha256(answer.data).hexdigest())
    return parse_index(answer.data, answer.url)


def _up_to_date(paths: Sequence[Path], sha256: str) -> bool:
    try:
        return all(
            path.is_file() and hashlib.sha256(path.read_bytes()).hexdigest() == sha256
            for path in paths
        )
    except OSError:
        return False


@dataclasses.dataclass
class _Plan:
    build: PythonBuild
    names: list[str]  # those to write (aliases of another DLL's file left out)
    kept: list[str] = dataclasses.field(default_factory=list)
    sha256: str = ""
    data: bytes | None = None  # downloaded and checked
    reason: str = ""  # set: generate locally


def _check_limits(timeout: float, retries: int, backoff: float) -> None:
    if not (isinstance(timeout, (int, float)) and math.isfinite(timeout)):
        raise OptionError(f"timeout {timeout!r}: expected a number of seconds")
    if not 0 < timeout <= MAX_TIMEOUT:
        raise OptionError(f"timeout {timeout:g} s: expected more than 0, at most {MAX_TIMEOUT:g}")
    if isinstance(retries, bool) or not isinstance(retries, int) or not 0 <= retries <= 100:
        raise OptionError(f"retries {retries!r}: expected a whole number from 0 to 100")
    if not (math.isfinite(backoff) and 0 <= backoff <= MAX_TIMEOUT):
        raise OptionError(f"backoff {backoff!r}: expected a number of seconds")


def fetch(
    server: str,
    target: str | Target,
    builds: Sequence[str | PythonBuild],
    out_dir: str | os.PathLike[str] = ".",
    *,
    fallback: bool = True,
    tool: str | None = None,
    timeout: float = 10.0,
    retries: int = 3,
    backoff: float = 0.5,
    progress: Say | None = None,
    transport: httpx.BaseTransport | None = None,
) -> FetchReport:
    """Fetch the libraries of ``builds`` for ``target`` from ``server`` into ``out_dir``.

    ``server`` is the base URL of ``implib serve`` or of a static export
    (the folder holding ``v1/``). ``timeout`` bounds each attempt, from
    connecting to the last byte; ``retries`` more attempts follow failures
    to reach the server. ``tool`` is the backend of the local fallback.
    ``transport`` replaces the HTTP transport (any :class:`httpx.BaseTransport`;
    default :class:`~implib.service.transport.DeadlineTransport`).
    Raises FetchError when the server cannot be used and no fallback may be,
    ServerError (IntegrityError for wrong bytes) when it answers wrongly,
    OptionError for a bad URL or limit.
    """
    try:
        import httpx

        from .transport import DeadlineTransport
    except ImportError as exc:  # a dependency, but an install can lose it
        raise FetchError(f"fetching needs httpx and httpcore (pip install httpx): {exc}") from exc

    say = progress or (lambda _: None)
    _check_limits(timeout, retries, backoff)
    base = _with_netrc(_parse_server(server), say)
    target = target if isinstance(target, Target) else parse_target(target)
    parsed = [b if isinstance(b, PythonBuild) else parse_python(b) for b in builds]
    out = Path(out_dir)
    plans = [
        _Plan(build, names) for build, names in zip(parsed, lib_names_for(parsed, target.flavour))
    ]
    headers = {"user-agent": f"implib/{__version__}", "accept-encoding": "identity"}
    own = transport is None
    used = transport if transport is not None else DeadlineTransport()
    client = httpx.Client(
        transport=used, headers=headers, follow_redirects=False, trust_env=False, timeout=timeout
    )
    try:
        downloader = _Downloader(
            client, base, timeout=timeout, retries=retries, backoff=backoff, say=say
        )
        files: dict[str, IndexEntry] | None
        try:
            files = _read_index(downloader)
            say(f"index: {len(files)} files at {base.shown}")
        except _Unreachable as exc:
            if not fallback:
                message = f"cannot reach {base.shown} ({exc}); no fallback asked for"
                raise FetchError(message) from None
            say(f"cannot reach {base.shown} ({exc}); generating locally")
            files = None
        # lib_names_for gave each file name to one build (CPython 3.10 keeps
        # python310 over PyPy 3.10's alias), so any file up to date is skipped.
        for plan in plans:
            _download(plan, files, downloader, target, out, fallback, say)
    finally:
        client.close()
        if own:
            used.close()
    return FetchReport(base.shown, out, tuple(_write(plans, target, out, tool, say)))


def _write(
    plans: Sequence[_Plan], target: Target, out: Path, tool: str | None, say: Say
) -> list[Fetched]:
    """Put every planned library in place, once every download has been checked.

    All files of the run are written at once, or none (a full disk leaves the
    folder as it was, see fileio.write_files).
    """
    from ..api import Producer
    from ..cache import Cache

    results = []
    files: list[tuple[str, bytes]] = []
    producer: Producer | None = None
    for plan in plans:
        if plan.reason:
            producer = producer or Producer.for_target(target, tool=tool, cache=Cache())
            planned = producer.plan(plan.build, out, plan.names + plan.kept)
            lib = planned.library
            files += [(name, planned.data) for name in planned.names]
            fetched = Fetched(plan.build, lib.paths, lib.sha256, LOCAL, plan.reason, lib.kept)
        else:
            paths = tuple(out / name for name in plan.names)
            kept = tuple(out / name for name in plan.kept)
            origin = UP_TO_DATE if plan.data is None else SERVER
            files += [(name, plan.data) for name in plan.names if plan.data is not None]
            fetched = Fetched(plan.build, paths, plan.sha256, origin, kept=kept)
        results.append(fetched)
    write_files(out, files)
    for plan, fetched in zip(plans, results):
        if plan.reason:
            say(f"{', '.join(p.name for p in fetched.paths)}: generated locally ({plan.reason})")
        for path in fetched.kept:
            say(f"{path} left as it is: it imports from another DLL than {plan.build.dll_name}")
    return results


def _download(
    plan: _Plan,
    files: dict[str, IndexEntry] | None,
    downloader: _Downloader,
    target: Target,
    out: Path,
    fallback: bool,
    say: Say,
) -> None:
    """Fill ``plan`` with checked bytes, or with the reason to generate locally."""
    from ..api import foreign_aliases

    server = downloader.server
    if files is None:
        plan.reason = "server unreachable"
        return
    rel_paths = [file_path(target, plan.build, name) for name in plan.names]
    entries = [files.get(path) for path in rel_paths]
    if any(entry is None for entry in entries):
        if not fallback:
            raise FetchError(f"{server.shown} has no {rel_paths[0]}; no fallback asked for")
        plan.reason = "not on the server"
        return
    if len(set(entries)) != 1:  # every name of a library is the same bytes
        raise IntegrityError(
            f"{server.shown}'s index lists different bytes for {', '.join(rel_paths)}"
        )
    entry = entries[0]
    assert entry is not None
    plan.sha256 = entry.sha256
    dll = plan.build.dll_name
    kept = foreign_aliases(out, plan.names, dll, own_dll=dll)
    plan.kept = [name for name in plan.names if name in kept]
    plan.names = [name for name in plan.names if name not in kept]
    names = ", ".join(plan.names)
    if _up_to_date([out / name for name in plan.names], entry.sha256):
        say(f"{names}: up to date")
        return
    url = server.under(rel_paths[0])
    shown = server.clean(str(url))
    try:
        answer = downloader.get(url, plan.names[0], entry.size)
    except _Unreachable as exc:
        if not fallback:
            raise FetchError(f"cannot download {shown} ({exc}); no fallback asked for") from None
        plan.reason = f"download failed: {exc}"
        return
    if answer.status != 200:
        raise ServerError(f"{answer.url}: HTTP {answer.status}, although the index lists it")
    _check_etag(answer.url, answer.headers, entry.sha256)
    actual = hashlib.sha256(answer.data).hexdigest()
    if actual != entry.sha256:
        raise IntegrityError(
            f"{answer.url}: got {len(answer.data)} bytes with sha256 {actual}, expected "
            f"{entry.size} bytes with sha256 {entry.sha256}; nothing written"
        )
    plan.data = answer.data
    say(f"{names}: from server ({len(answer.data):,} bytes, sha256 ok)")
