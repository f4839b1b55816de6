"""``implib fetch``: libraries from an implib server or a static export, checked.

The server's index names every file with its sha256; a file is only put in
place once its bytes hash to that digest (and to the server's ETag, where
that is a digest). Nothing is written until every download has been checked,
so a bad download leaves the output folder as it was.

Failures are of two kinds, treated differently on purpose:

* the server cannot be reached (connection refused, timeouts, broken
  connections, 5xx): retried a few times with back-off, then the library is
  generated locally, as ``implib gen`` would, unless ``fallback=False``;
* the server answers, but wrongly (bytes that do not match the index, an
  index that is not one): an error, never papered over by a fallback, since
  it means the server, or something between, serves the wrong thing.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..errors import FetchError, IntegrityError
from ..pythons import PythonBuild, lib_names_for, parse_python
from ..targets import Target, parse_target
from .layout import API_VERSION, INDEX_FORMAT, INDEX_NAME, file_path

if TYPE_CHECKING:
    import httpx

__all__ = ["FetchError", "FetchReport", "Fetched", "IntegrityError", "fetch"]

#: The most an index, and a library, may weigh (the full index is about 60 kB,
#: the largest library about 400 kB): a server's word is not enough to read more.
MAX_INDEX_BYTES = 16 * 1024 * 1024
MAX_LIBRARY_BYTES = 64 * 1024 * 1024
_DIGEST = re.compile(r"[0-9a-f]{64}")

SERVER, LOCAL, UP_TO_DATE = "server", "local", "up to date"


class _Unreachable(Exception):
    """Connection errors or 5xx answers, still failing after the retries."""


@dataclasses.dataclass(frozen=True)
class Fetched:
    """One library, written under its names, and where its bytes came from."""

    build: PythonBuild
    paths: tuple[Path, ...]
    sha256: str
    source: str  # SERVER, LOCAL or UP_TO_DATE
    reason: str = ""  # why LOCAL


@dataclasses.dataclass(frozen=True)
class FetchReport:
    server: str
    out_dir: Path
    results: tuple[Fetched, ...]

    def count(self, source: str) -> int:
        return sum(1 for result in self.results if result.source == source)

    def summary(self) -> str:
        """One line: how many libraries came from where."""
        files = sum(len(result.paths) for result in self.results)
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
        return f"{libraries} {noun} ({files} files) in {self.out_dir}: {', '.join(parts)}"


def _base_url(server: str) -> str:
    base = server.strip().rstrip("/")
    if not re.match(r"https?://[^/\s]+", base):
        raise FetchError(f"bad server URL {server!r}; expected http://HOST[:PORT][/PATH]")
    return base


def _describe(exc: Exception) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


class _Downloader:
    """GET with bounded retries and back-off, and a size bound on what is read."""

    def __init__(self, client: httpx.Client, retries: int, backoff: float) -> None:
        self.client = client
        self.retries = retries
        self.backoff = backoff

    def get(self, url: str, limit: int) -> tuple[int, httpx.Headers, bytes]:
        import httpx

        last = ""
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(min(self.backoff * 2 ** (attempt - 1), 10.0))
            try:
                with self.client.stream("GET", url) as response:
                    if response.status_code >= 500:
                        last = f"HTTP {response.status_code}"
                        continue
                    if response.status_code != 200:
                        return response.status_code, response.headers, b""
                    data = bytearray()
                    for chunk in response.iter_bytes():
                        data += chunk
                        if len(data) > limit:
                            raise IntegrityError(f"{url}: more than the expected {limit} bytes")
                    return 200, response.headers, bytes(data)
            except httpx.TransportError as exc:
                last = _describe(exc)
        attempts = self.retries + 1
        raise _Unreachable(f"{last}, {attempts} attempt{'s' if attempts > 1 else ''}")


def _check_etag(url: str, headers: httpx.Headers, sha256: str) -> None:
    """A strong ETag that is a digest (implib serve's) must be this one."""
    tag = headers.get("etag", "").strip('"')
    if _DIGEST.fullmatch(tag) and tag != sha256:
        raise IntegrityError(f"{url}: ETag {tag} differs from the expected sha256 {sha256}")


def _read_index(downloader: _Downloader, base: str) -> dict[str, dict[str, Any]]:
    url = f"{base}/{API_VERSION}/{INDEX_NAME}"
    status, headers, data = downloader.get(url, MAX_INDEX_BYTES)
    if status != 200:
        raise FetchError(f"{url}: HTTP {status}; is {base} an implib server or export?")
    _check_etag(url, headers, hashlib.sha256(data).hexdigest())
    try:
        index = json.loads(data)
        files = index["files"]
        if not isinstance(files, dict) or index["format"] != INDEX_FORMAT:
            raise ValueError(f"format {index['format']!r}, expected {INDEX_FORMAT}")
        for entry in files.values():
            size = entry["size"]
            if not (_DIGEST.fullmatch(entry["sha256"]) and isinstance(size, int)):
                raise ValueError("an entry without a valid sha256 and size")
            if not 0 < size <= MAX_LIBRARY_BYTES:
                raise ValueError(f"an entry of {size} bytes")
    except (ValueError, KeyError, TypeError) as exc:
        raise FetchError(f"{url} is not an implib index ({exc})") from None
    return files


def _up_to_date(paths: Sequence[Path], sha256: str) -> bool:
    try:
        return all(hashlib.sha256(path.read_bytes()).hexdigest() == sha256 for path in paths)
    except OSError:
        return False


@dataclasses.dataclass
class _Plan:
    build: PythonBuild
    names: list[str]
    sha256: str = ""
    data: bytes | None = None  # downloaded and checked
    reason: str = ""  # set: generate locally


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
    progress: Callable[[str], None] | None = None,
) -> FetchReport:
    """Fetch the libraries of ``builds`` for ``target`` from ``server`` into ``out_dir``.

    ``server`` is the base URL of ``implib serve`` or of a static export
    (the folder holding ``v1/``). ``tool`` is the backend of the local
    fallback. Raises FetchError (IntegrityError for wrong bytes).
    """
    import httpx

    say = progress or (lambda _: None)
    base = _base_url(server)
    target = target if isinstance(target, Target) else parse_target(target)
    parsed = [b if isinstance(b, PythonBuild) else parse_python(b) for b in builds]
    out = Path(out_dir)
    plans = [
        _Plan(build, names) for build, names in zip(parsed, lib_names_for(parsed, target.flavour))
    ]
    headers = {"user-agent": f"implib/{__version__}", "accept-encoding": "identity"}
    timeouts = httpx.Timeout(timeout)
    with httpx.Client(timeout=timeouts, headers=headers, follow_redirects=True) as client:
        downloader = _Downloader(client, retries, backoff)
        try:
            files: dict[str, dict[str, Any]] | None = _read_index(downloader, base)
            say(f"index: {len(files or {})} files at {base}")
        except _Unreachable as exc:
            if not fallback:
                raise FetchError(f"cannot reach {base} ({exc}); no fallback asked for") from None
            say(f"cannot reach {base} ({exc}); generating locally")
            files = None
        # lib_names_for gave each file name to one build (CPython 3.10 keeps
        # python310 over PyPy 3.10's alias), so any file up to date is skipped.
        for plan in plans:
            _download(plan, files, downloader, base, target, out, fallback, say)
    return FetchReport(base, out, tuple(_write(plans, target, out, tool, say)))


def _write(
    plans: Sequence[_Plan], target: Target, out: Path, tool: str | None, say: Callable[[str], None]
) -> list[Fetched]:
    """Put every planned library in place, once every download has been checked."""
    from ..api import Producer, write_outputs

    results = []
    producer: Producer | None = None
    for plan in plans:
        if plan.reason:
            producer = producer or Producer.for_target(target, tool=tool)
            lib = producer.write(plan.build, out, plan.names)
            results.append(Fetched(plan.build, lib.paths, lib.sha256, LOCAL, plan.reason))
            say(f"{', '.join(plan.names)}: generated locally ({plan.reason})")
        elif plan.data is None:
            paths = tuple(out / name for name in plan.names)
            results.append(Fetched(plan.build, paths, plan.sha256, UP_TO_DATE))
        else:
            paths = write_outputs(plan.data, out, plan.names)
            results.append(Fetched(plan.build, paths, plan.sha256, SERVER))
    return results


def _download(
    plan: _Plan,
    files: dict[str, dict[str, Any]] | None,
    downloader: _Downloader,
    base: str,
    target: Target,
    out: Path,
    fallback: bool,
    say: Callable[[str], None],
) -> None:
    """Fill ``plan`` with checked bytes, or with the reason to generate locally."""
    if files is None:
        plan.reason = "server unreachable"
        return
    rel_paths = [file_path(target, plan.build, name) for name in plan.names]
    entries = [files.get(path) for path in rel_paths]
    if any(entry is None for entry in entries):
        if not fallback:
            raise FetchError(f"{base} has no {rel_paths[0]}; no fallback asked for")
        plan.reason = "not on the server"
        return
    digests = {(entry["sha256"], entry["size"]) for entry in entries if entry is not None}
    if len(digests) != 1:  # every name of a library is the same bytes
        raise IntegrityError(f"{base}'s index lists different bytes for {', '.join(rel_paths)}")
    ((sha256, size),) = digests
    plan.sha256 = sha256
    names = ", ".join(plan.names)
    if _up_to_date([out / name for name in plan.names], sha256):
        say(f"{names}: up to date")
        return
    url = f"{base}/{API_VERSION}/{rel_paths[0]}"
    try:
        status, headers, data = downloader.get(url, size)
    except _Unreachable as exc:
        if not fallback:
            raise FetchError(f"cannot download {url} ({exc}); no fallback asked for") from None
        plan.reason = f"download failed: {exc}"
        return
    if status != 200:
        raise FetchError(f"{url}: HTTP {status}, although the index lists it")
    _check_etag(url, headers, sha256)
    actual = hashlib.sha256(data).hexdigest()
    if actual != sha256:
        raise IntegrityError(
            f"{url}: got {len(data)} bytes with sha256 {actual}, expected {size} bytes "
            f"with sha256 {sha256}; nothing written"
        )
    plan.data = data
    say(f"{names}: from server ({len(data):,} bytes, sha256 ok)")
