"""implib fetch: from implib serve, from a static export behind stock web servers,
and from servers that are down, flaky, or send the wrong bytes.

Wrong bytes must never land in the output folder: not the bad file, and not
the good ones fetched with it.
"""

from __future__ import annotations

import contextlib
import errno
import http.server
import json
import math
import os
import random
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from implib.api import generate
from implib.cli import main
from implib.errors import ImplibError, OutputError, ServerError
from implib.exportlists import available_builds
from implib.pythons import parse_python
from implib.service.client import SERVER, FetchError, IntegrityError, fetch
from implib.service.site import write_site
from implib.targets import parse_target

from support import ROOT, answer, free_port, raw_server, require_tool, static_site, trickle

GNU = "x86_64-pc-windows-gnu"
MSVC = "x86_64-pc-windows-msvc"
GNU_312 = f"/v1/{GNU}/3.12/python312.dll.a"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A static export of two targets and three builds (not 3.13: 'not on the server')."""
    root = tmp_path_factory.mktemp("site")
    targets = [parse_target(MSVC), parse_target(GNU)]
    write_site(root, targets, [parse_python(p) for p in ("abi3", "3.12", "pypy3.10")])
    return root


def expected(tmp_path: Path, target: str, python: str) -> dict[str, bytes]:
    """What ``implib gen`` writes for (target, python), by file name (made without the cache)."""
    lib = generate(target, python, tmp_path / "expected" / target / python, use_cache=False)
    return {path.name: path.read_bytes() for path in lib.paths}


def written(folder: Path) -> dict[str, bytes]:
    if not folder.exists():
        return {}
    return {path.name: path.read_bytes() for path in folder.iterdir()}


def wait_for(url: str, process: subprocess.Popen[bytes] | None = None) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            pytest.fail(f"server exited with status {process.returncode}")
        try:
            response = httpx.get(url, timeout=1)
            if response.status_code == 200 and b'"ready": false' not in response.content:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    pytest.fail(f"{url} not ready in 60 s")


@contextlib.contextmanager
def process(command: list[str], ready_url: str, **kwargs: object) -> Iterator[None]:
    """A server process, until the block ends."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, **kwargs
    )
    try:
        wait_for(ready_url, proc)
        yield
    finally:
        proc.terminate()
        proc.wait(timeout=30)


# -- real servers ---------------------------------------------------------------


@pytest.fixture(scope="module")
def implib_server(shared_cache: Path) -> Iterator[str]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "implib", "serve", "--port", str(port), "--no-access-log"]
    with process(command, f"{base}/healthz"):
        yield base


def fetch_cli(base: str, out: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["fetch", "--server", base, "-o", str(out), *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.slow
def test_from_implib_serve(implib_server: str, tmp_path: Path) -> None:
    out = tmp_path / "libs"
    status, stdout, stderr = fetch_cli(implib_server, out, "-t", GNU, "--abi3", "-p", "3.12")
    assert status == 0, stdout + stderr
    assert written(out) == {**expected(tmp_path, GNU, "abi3"), **expected(tmp_path, GNU, "3.12")}
    assert stdout == (f"2 libraries (3 files) in {out}: 2 from {implib_server} (sha256 checked)\n")
    assert "python312.dll.a, python3.12.dll.a: from server (" in stderr
    # again: nothing to download
    status, stdout, _ = fetch_cli(implib_server, out, "-t", GNU, "--abi3", "-p", "3.12", "-q")
    assert status == 0
    assert stdout.endswith(": 2 already up to date\n")


def test_from_a_static_export_behind_python_http_server(site: Path, tmp_path: Path) -> None:
    with static_site(site) as base:
        status, stdout, stderr = fetch_cli(
            base, tmp_path / "libs", "-t", "win-amd64", "-p", "pypy3.10"
        )
    assert status == 0, stdout + stderr
    assert written(tmp_path / "libs") == expected(tmp_path, MSVC, "pypy3.10")
    assert f"1 from {base}" in stdout


NGINX_CONF = """\
{user}
worker_processes 1;
pid {prefix}/nginx.pid;
events {{ worker_connections 64; }}
http {{
    access_log {prefix}/access.log;
    types {{ application/json json; }}
    default_type application/octet-stream;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    server {{
        listen 127.0.0.1:{port};
        root {root};
    }}
}}
"""


def test_from_a_static_export_behind_nginx(site: Path, tmp_path: Path) -> None:
    nginx = require_tool("nginx")
    port = free_port()
    prefix = tmp_path / "nginx"
    prefix.mkdir()
    conf = prefix / "nginx.conf"
    # as root, nginx's workers would drop to nobody, who cannot enter pytest's folders
    user = "user root;" if os.geteuid() == 0 else ""
    conf.write_text(NGINX_CONF.format(user=user, prefix=prefix, port=port, root=site))
    command = [nginx, "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "error.log")]
    base = f"http://127.0.0.1:{port}"
    out = tmp_path / "libs"
    with process([*command, "-g", "daemon off;"], f"{base}/v1/index.json"):
        status, stdout, stderr = fetch_cli(base, out, "-t", GNU, "-p", "abi3,3.12,pypy3.10")
        assert status == 0, stdout + stderr
        assert stdout.endswith(f": 3 from {base} (sha256 checked)\n")
        status, stdout, _ = fetch_cli(base, out, "-t", GNU, "--all", "-q")
    assert status == 0
    # With --all, python310.dll.a is CPython 3.10's (lib_names_for): PyPy 3.10's
    # alias of that name, fetched before, is left to CPython's generated one.
    others = len(available_builds()) - 3
    assert stdout.endswith(
        f": {others} generated locally (not on the server), 3 already up to date\n"
    )
    want: dict[str, bytes] = {}
    for python in ("abi3", "3.12", "pypy3.10"):
        want.update(expected(tmp_path, GNU, python))
    want["python310.dll.a"] = expected(tmp_path, GNU, "3.10")["python310.dll.a"]
    assert {name: data for name, data in written(out).items() if name in want} == want


@pytest.mark.slow
def test_server_down_falls_back_and_no_fallback_fails(tmp_path: Path) -> None:
    base = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    out = tmp_path / "libs"
    status, stdout, stderr = fetch_cli(base, out, "-t", MSVC, "--abi3", "--retries", "1")
    assert status == 0, stdout + stderr
    assert written(out) == expected(tmp_path, MSVC, "abi3")
    assert "1 generated locally (server unreachable)" in stdout
    assert f"cannot reach {base}" in stderr

    out = tmp_path / "strict"
    status, stdout, stderr = fetch_cli(
        base, out, "-t", MSVC, "--abi3", "--no-fallback", "--retries", "2"
    )
    assert status == 1
    assert "index.json: attempt 1 of 3 failed (ConnectError" in stderr  # progress shown
    error = stderr.splitlines()[-1]
    assert error.startswith(f"Error: cannot reach {base} (ConnectError")
    assert re.search(r"3 attempts in [\d.]+ s\); no fallback asked for$", error)
    assert "Traceback" not in stderr
    assert not out.exists()


# -- a misbehaving server ---------------------------------------------------------


class Misbehaving(http.server.ThreadingHTTPServer):
    """Serves an export, but can fail, stall, or damage what it sends."""

    def __init__(self, site: Path) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.site = site
        self.failures = 0  # this many 500s first
        self.mode = "ok"
        self.damage = GNU_312  # the file damaged in the damaging modes
        self.hits: list[str] = []
        self.authorization: list[str | None] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that gave up on a stalled answer: expected here


class _Handler(http.server.BaseHTTPRequestHandler):
    server: Misbehaving
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        server = self.server
        server.hits.append(self.path)
        server.authorization.append(self.headers.get("Authorization"))
        if server.failures > 0 or (server.mode == "file-500" and self.path == server.damage):
            server.failures -= 1
            self._send(500, b"oops")
            return
        path = server.site / self.path.lstrip("/")
        if not path.is_file() or not path.resolve().is_relative_to(server.site):
            self._send(404, b"no")
            return
        data = path.read_bytes()
        headers = {}
        if self.path == server.damage:
            if server.mode == "slow":
                time.sleep(2)
            elif server.mode == "corrupt":
                middle = len(data) // 2
                data = data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1 :]
            elif server.mode == "truncate":
                data = data[: len(data) // 2]
            elif server.mode == "long":
                data += b"trailing junk"
            elif server.mode == "etag":
                headers["ETag"] = '"' + "0" * 64 + '"'
            elif server.mode == "gzip-plain":  # says gzip, sends the plain bytes
                headers["Content-Encoding"] = "gzip"
            elif server.mode == "cut":  # a full Content-Length, half the body, hang up
                self.send_response(200)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data[: len(data) // 2])
                self.close_connection = True
                return
        self._send(200, data, headers)

    def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def flaky(site: Path) -> Iterator[Misbehaving]:
    server = Misbehaving(site)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def quick_fetch(server: Misbehaving, out: Path, *builds: str, **options: object) -> str:
    """The API with short back-off; the summary line."""
    kwargs: dict = {"backoff": 0.01, "retries": 3, **options}
    return fetch(server.url, GNU, list(builds), out, **kwargs).summary()


def test_500_then_200_is_retried(flaky: Misbehaving, tmp_path: Path) -> None:
    flaky.failures = 2
    summary = quick_fetch(flaky, tmp_path / "libs", "3.12", fallback=False)
    assert "1 from " in summary
    assert flaky.hits[:3] == ["/v1/index.json"] * 3
    assert written(tmp_path / "libs") == expected(tmp_path, GNU, "3.12")


def test_lasting_5xx_falls_back_or_fails(flaky: Misbehaving, tmp_path: Path) -> None:
    flaky.failures = 1000
    summary = quick_fetch(flaky, tmp_path / "a", "abi3")
    assert "1 generated locally (server unreachable)" in summary
    assert flaky.hits == ["/v1/index.json"] * 4  # bounded: 1 + 3 retries
    with pytest.raises(FetchError, match=r"HTTP 500, 4 attempts in [\d.]+ s\); no fallback"):
        quick_fetch(flaky, tmp_path / "b", "abi3", fallback=False)
    assert not (tmp_path / "b").exists()


def test_a_file_that_keeps_failing_is_generated_locally(flaky: Misbehaving, tmp_path: Path) -> None:
    flaky.mode = "file-500"
    summary = quick_fetch(flaky, tmp_path / "libs", "abi3", "3.12", retries=1)
    assert "1 from " in summary
    assert re.search(
        r"1 generated locally \(download failed: HTTP 500, 2 attempts in [\d.]+ s\)", summary
    )
    assert written(tmp_path / "libs") == {
        **expected(tmp_path, GNU, "abi3"),
        **expected(tmp_path, GNU, "3.12"),
    }


@pytest.mark.parametrize(
    ("mode", "message"),
    [
        ("corrupt", "with sha256 "),
        ("truncate", r"got \d+ bytes with sha256 \w+, expected \d+ bytes"),
        ("long", "more than the expected"),
        ("etag", "ETag 0000"),
    ],
)
def test_wrong_bytes_are_rejected_and_nothing_is_written(
    flaky: Misbehaving, tmp_path: Path, mode: str, message: str
) -> None:
    flaky.mode = mode
    out = tmp_path / "libs"
    # abi3 comes first and is fine, 3.12 is damaged: neither may be written
    with pytest.raises(IntegrityError, match=message):
        quick_fetch(flaky, out, "abi3", "3.12")  # even with the fallback allowed
    assert written(out) == {}
    assert flaky.hits.count(GNU_312) == 1  # wrong bytes are not a reason to retry


def test_wrong_bytes_through_the_command(flaky: Misbehaving, tmp_path: Path) -> None:
    flaky.mode = "corrupt"
    out = tmp_path / "libs"
    out.mkdir()
    (out / "python312.dll.a").write_bytes(b"the old one")
    status, _, stderr = fetch_cli(flaky.url, out, "-t", GNU, "-p", "3.12")
    assert status == 1
    error = stderr.splitlines()[-1]
    assert error.startswith(f"Error: {flaky.url}{GNU_312}: got ")
    assert error.endswith("nothing written")
    assert written(out) == {"python312.dll.a": b"the old one"}


def test_a_broken_connection_is_retried_then_falls_back(flaky: Misbehaving, tmp_path: Path) -> None:
    flaky.mode = "cut"
    with pytest.raises(FetchError, match=r"cannot download .*RemoteProtocolError"):
        quick_fetch(flaky, tmp_path / "a", "3.12", fallback=False, retries=1)
    assert written(tmp_path / "a") == {}
    summary = quick_fetch(flaky, tmp_path / "b", "3.12", retries=1)
    assert "generated locally (download failed: RemoteProtocolError" in summary
    assert written(tmp_path / "b") == expected(tmp_path, GNU, "3.12")


def test_a_stalled_server_times_out(flaky: Misbehaving, tmp_path: Path) -> None:
    flaky.mode = "slow"
    started = time.monotonic()
    summary = quick_fetch(flaky, tmp_path / "libs", "3.12", timeout=0.3, retries=0)
    # no timed promise (the machine may be busy): given up on, not waited out
    assert time.monotonic() - started < 10
    assert "generated locally (download failed: ReadTimeout" in summary
    assert written(tmp_path / "libs") == expected(tmp_path, GNU, "3.12")


def test_a_build_the_server_lacks(flaky: Misbehaving, tmp_path: Path) -> None:
    summary = quick_fetch(flaky, tmp_path / "a", "3.13")
    assert "1 generated locally (not on the server)" in summary
    assert written(tmp_path / "a") == expected(tmp_path, GNU, "3.13")
    with pytest.raises(FetchError, match=f"has no {GNU}/3.13/python313.dll.a"):
        quick_fetch(flaky, tmp_path / "b", "3.13", fallback=False)
    assert written(tmp_path / "b") == {}


def test_not_an_implib_server(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "bad" / "v1").mkdir(parents=True)
    (tmp_path / "bad" / "v1" / "index.json").write_text('{"files": "nope", "format": 1}')
    (tmp_path / "huge" / "v1").mkdir(parents=True)
    entry = {"sha256": "0" * 64, "size": 10**12}
    (tmp_path / "huge" / "v1" / "index.json").write_text(
        json.dumps({"format": 1, "files": {f"{GNU}/abi3/python3.dll.a": entry}})
    )
    for folder, message in (
        ("empty", "HTTP 404; is "),
        ("bad", "is not an implib index: 'files' is the string 'nope', expected an object"),
        ("huge", r"\['size'\] is 1000000000000 bytes, expected 1 to"),
    ):
        server = Misbehaving(tmp_path / folder)
        thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
        thread.start()
        try:
            with pytest.raises(FetchError, match=message):
                quick_fetch(server, tmp_path / "libs", "abi3")
        finally:
            server.shutdown()
            server.server_close()
    assert written(tmp_path / "libs") == {}


@pytest.mark.parametrize("url", ["ftp://example.org", "example.org", "http://", ""])
def test_bad_server_urls(url: str, tmp_path: Path) -> None:
    status, _, stderr = fetch_cli(url, tmp_path, "-t", GNU, "--abi3")
    assert status == 1
    assert "bad server URL" in stderr


def test_says_what_to_fetch(tmp_path: Path) -> None:
    status, _, stderr = fetch_cli("http://127.0.0.1:9", tmp_path, "-t", GNU)
    assert status == 2
    assert "say what to fetch" in stderr


# -- servers that answer slowly or wrongly, over raw sockets ------------------------


def index_of(site: Path) -> bytes:
    return (site / "v1" / "index.json").read_bytes()


@pytest.mark.parametrize("part", ["head", "body"])
def test_a_server_sending_a_byte_a_second_is_given_up_on_in_time(
    site: Path, tmp_path: Path, part: str
) -> None:
    index = answer("200 OK", index_of(site))
    split = index.index(b"\r\n\r\n") + 4

    def respond(_: bytes) -> Iterator[tuple[bytes, float]]:
        if part == "body":
            yield index[:split], 0
            yield from trickle(index[split:], 0.2)
        else:
            yield from trickle(index, 0.2)  # each byte well within any read timeout

    out = tmp_path / "libs"
    with raw_server(respond) as server:
        started = time.monotonic()
        with pytest.raises(FetchError, match=r"no complete answer within 0.5 s, 2 attempts"):
            fetch(
                server.url, GNU, ["abi3"], out, timeout=0.5, retries=1, backoff=0.01, fallback=False
            )
        assert time.monotonic() - started < 10  # (retries + 1) x timeout, not the trickle's hours
        messages: list[str] = []
        started = time.monotonic()
        report = fetch(
            server.url,
            GNU,
            ["abi3"],
            out,
            timeout=0.5,
            retries=1,
            backoff=0.01,
            progress=messages.append,
        )
        assert time.monotonic() - started < 30  # and the local fallback
    assert report.summary().endswith("1 generated locally (server unreachable)")
    assert messages[0].startswith("index.json: attempt 1 of 2 failed (")
    assert written(out) == expected(tmp_path, GNU, "abi3")


@pytest.mark.slow
def test_a_byte_a_second_through_the_command(site: Path, tmp_path: Path) -> None:
    """The issue's case: --timeout 3 --retries 2 used to wait for hours; now 9 s, then the fallback."""
    with raw_server(lambda _: trickle(answer("200 OK", index_of(site)))) as server:
        started = time.monotonic()
        status, stdout, stderr = fetch_cli(
            server.url, tmp_path / "libs", "-t", GNU, "--abi3", "--timeout", "3", "--retries", "2"
        )
        elapsed = time.monotonic() - started
    assert status == 0, stderr
    assert 8.5 < elapsed < 60  # waited the deadline out (3 s x 3 attempts), then gave up
    assert (
        "index.json: attempt 1 of 3 failed (ReadTimeout: no complete answer within 3.0 s)" in stderr
    )
    assert "attempt 2 of 3 failed" in stderr
    assert stdout.endswith("1 generated locally (server unreachable)\n")
    assert written(tmp_path / "libs") == expected(tmp_path, GNU, "abi3")


GARBAGE = [
    b"HELLO\r\n\r\n",
    b"HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\n",
    b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello",
    b"HTTP/1.1 2000 OK\r\n\r\n",
    b"\x16\x03\x01\x00\x05hello",
    b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
    b"HTTP/1.1 200 OK\r\nX: \x00\r\nContent-Length: 0\r\n\r\n",
]


@pytest.mark.parametrize("garbage", GARBAGE)
def test_protocol_garbage_is_a_wrong_answer_not_unreachable(tmp_path: Path, garbage: bytes) -> None:
    with raw_server(lambda _: iter([(garbage, 0)])) as server:
        status, stdout, stderr = fetch_cli(server.url, tmp_path / "libs", "-t", GNU, "--abi3")
        assert len(server.requests) == 1  # not retried, not papered over by the fallback
    assert status == 1, stdout + stderr
    assert stderr.startswith(f"Error: {server.url}/v1/index.json: not an HTTP answer (")
    assert len(stderr.splitlines()) == 1
    assert written(tmp_path / "libs") == {}


def redirect_to(location: str) -> Callable[[bytes], Iterator[tuple[bytes, float]]]:
    return lambda _: iter([(answer("302 Found", Location=location), 0)])


@pytest.mark.parametrize(
    ("location", "message"),
    [
        ("file:///etc/passwd", "redirect to 'file:///etc/passwd': only http(s) is followed"),
        ("ftp://127.0.0.1/v1/index.json", "only http(s) is followed"),
        ("/v1/index.json", "redirect loop (back to http://127.0.0.1:"),
        ("http://[::1", "Invalid URL in location header"),
    ],
)
def test_bad_redirects_are_wrong_answers(tmp_path: Path, location: str, message: str) -> None:
    with raw_server(redirect_to(location)) as server:
        status, _, stderr = fetch_cli(server.url, tmp_path / "libs", "-t", GNU, "--abi3")
    assert status == 1
    assert stderr.startswith(f"Error: {server.url}/v1/index.json: ")
    assert message in stderr
    assert "Traceback" not in stderr
    assert written(tmp_path / "libs") == {}


def test_a_redirect_chain_is_bounded(tmp_path: Path) -> None:
    def respond(head: bytes) -> Iterator[tuple[bytes, float]]:
        last = head.split(b" ")[1].rsplit(b"/", 1)[-1]
        hop = int(last[3:]) if last.startswith(b"hop") else 0
        yield answer("307 Temporary Redirect", Location=f"/hop{hop + 1}"), 0

    with raw_server(respond) as server:
        with pytest.raises(ServerError, match="more than 5 redirects"):
            fetch(server.url, GNU, ["abi3"], tmp_path / "libs")
        assert len(server.requests) == 6


def test_a_redirect_to_another_host_is_followed_without_the_credentials(
    flaky: Misbehaving, tmp_path: Path
) -> None:
    """A CDN in front of an export: followed, checked by digest, the password not passed on."""
    with raw_server(
        lambda head: iter(
            [(answer("301 Moved", Location=flaky.url + head.split(b" ")[1].decode()), 0)]
        )
    ) as front:
        base = front.url.replace("http://", "http://user:s3cret@")
        report = fetch(base, GNU, ["3.12"], tmp_path / "libs")
        assert b"\r\nAuthorization: Basic dXNlcjpzM2NyZXQ=\r\n" in front.requests[0]
    assert report.count(SERVER) == 1
    assert written(tmp_path / "libs") == expected(tmp_path, GNU, "3.12")
    assert flaky.authorization == [None, None]  # index, file: never sent to the other host
    assert report.server == front.url.replace("http://", "http://***@")


def test_gzip_said_plain_sent_is_a_wrong_answer(flaky: Misbehaving, tmp_path: Path) -> None:
    flaky.mode = "gzip-plain"
    status, _, stderr = fetch_cli(flaky.url, tmp_path / "libs", "-t", GNU, "-p", "3.12")
    assert status == 1
    error = stderr.splitlines()[-1]
    assert error.startswith(
        f"Error: {flaky.url}{GNU_312}: the body does not decode as its Content-Encoding 'gzip' says"
    )
    assert written(tmp_path / "libs") == {}
    assert flaky.hits.count(GNU_312) == 1


def mock(routes: dict[str, httpx.Response]) -> httpx.MockTransport:
    """An injected transport: answers by path, 404 otherwise."""
    return httpx.MockTransport(lambda request: routes.get(request.url.path, httpx.Response(404)))


def deep(depth: int) -> bytes:
    return b'{"format": 1, "files": ' + b"[" * depth + b"]" * depth + b"}"


ENTRY = {"sha256": "a" * 64, "size": 100}


@pytest.mark.parametrize(
    ("index", "message"),
    [
        (b'{"format": 1, "files": []}', "'files' is a list, expected an object"),
        (b'{"format": 1}', "'files' is missing, expected an object"),
        (b'{"files": {}}', "no 'format'"),
        (b'{"format": "1", "files": {}}', "'format' is the string '1', expected 1"),
        (b'{"format": true, "files": {}}', "'format' is true, expected 1"),
        (b"[1, 2]", "the document is a list, expected an object"),
        (b"not json", "not JSON (Expecting value: line 1 column 1"),
        (b"\xff\xfe{", "not "),
        (deep(100_000), "JSON nested too deeply"),
        (
            json.dumps({"format": 1, "files": {"a": {**ENTRY, "size": True}}}).encode(),
            "files['a']['size'] is true, expected a whole number of bytes",
        ),
        (
            json.dumps({"format": 1, "files": {"a": {**ENTRY, "size": 1.5}}}).encode(),
            "files['a']['size'] is the number 1.5",
        ),
        (
            json.dumps({"format": 1, "files": {"a": {**ENTRY, "size": 0}}}).encode(),
            "files['a']['size'] is 0 bytes, expected 1 to",
        ),
        (
            json.dumps({"format": 1, "files": {"a": {**ENTRY, "sha256": None}}}).encode(),
            "files['a']['sha256'] is null, expected 64 hex digits",
        ),
        (
            json.dumps({"format": 1, "files": {"a": {**ENTRY, "sha256": "A" * 64}}}).encode(),
            "expected 64 hex digits",
        ),
        (
            json.dumps({"format": 1, "files": {"a": [ENTRY]}}).encode(),
            "files['a'] is a list, expected an object",
        ),
        (
            b'{"format": 1, "files": {"a": {"sha256": "'
            + b"a" * 64
            + b'", "size": '
            + b"9" * 5000
            + b"}}}",
            "not JSON",
        ),
    ],
)
def test_an_index_malformed_in_type_says_what_is_wrong(
    tmp_path: Path, index: bytes, message: str
) -> None:
    transport = mock({"/v1/index.json": httpx.Response(200, content=index)})
    with pytest.raises(ServerError) as caught:
        fetch("http://implib.test", GNU, ["abi3"], tmp_path / "libs", transport=transport)
    assert str(caught.value).startswith("http://implib.test/v1/index.json is not an implib index: ")
    assert message in str(caught.value)
    assert written(tmp_path / "libs") == {}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--server", "http://[::1"],
            "Error: bad server URL 'http://[::1'; expected http://HOST[:PORT][/PATH]",
        ),
        (["--server", "http://host:99999"], "Error: bad server URL"),
        (["--server", "http://u:secret@[::1"], "Error: bad server URL 'http://***@[::1'"),
        (
            ["--server", "http://127.0.0.1:9", "--timeout", "inf"],
            "Invalid value for '--timeout': inf is not in the range",
        ),
        (
            ["--server", "http://127.0.0.1:9", "--timeout", "nan"],
            "Invalid value for '--timeout': not a number of seconds",
        ),
    ],
)
def test_bad_urls_and_limits_are_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(main, ["fetch", *args, "-t", GNU, "--abi3", "-o", str(tmp_path)])
    assert result.exit_code in (1, 2)
    assert message in result.stderr
    assert "secret" not in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)
    with pytest.raises(ValueError):  # the API checks them too
        fetch("http://127.0.0.1:9", GNU, ["abi3"], tmp_path, timeout=math.inf)


def test_credentials_are_sent_and_never_shown(flaky: Misbehaving, tmp_path: Path) -> None:
    base = flaky.url.replace("http://", "http://builder:s3cret@")
    flaky.mode = "file-500"
    status, stdout, stderr = fetch_cli(
        base, tmp_path / "a", "-t", GNU, "-p", "abi3,3.12", "--retries", "1"
    )
    assert status == 0, stderr
    assert "generated locally (download failed: HTTP 500" in stdout
    flaky.failures = 1000
    failed = fetch_cli(base, tmp_path / "b", "-t", GNU, "--abi3", "--retries", "0", "--no-fallback")
    assert failed[0] == 1
    shown = flaky.url.replace("http://", "http://***@")
    assert shown in stdout and shown in stderr and shown in failed[2]
    for text in (stdout, stderr, *failed[1:]):
        assert "s3cret" not in text and "builder" not in text
    assert set(flaky.authorization) == {"Basic YnVpbGRlcjpzM2NyZXQ="}  # builder:s3cret


def test_netrc_gives_the_credentials_a_url_has_not(
    flaky: Misbehaving, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As curl and httpx read it: $NETRC, the host's machine entry; the URL's own win."""
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login builder password s3cret\n")
    monkeypatch.setenv("NETRC", str(netrc))
    flaky.mode = "file-500"
    status, stdout, stderr = fetch_cli(flaky.url, tmp_path / "a", "-t", GNU, "-p", "abi3,3.12")
    assert status == 0, stderr
    assert set(flaky.authorization) == {"Basic YnVpbGRlcjpzM2NyZXQ="}  # builder:s3cret
    assert "s3cret" not in stdout + stderr and "builder" not in stdout + stderr
    flaky.authorization.clear()
    base = flaky.url.replace("http://", "http://ci:t0ken@")
    assert fetch_cli(base, tmp_path / "b", "-t", GNU, "--abi3")[0] == 0
    assert set(flaky.authorization) == {"Basic Y2k6dDBrZW4="}  # ci:t0ken
    flaky.authorization.clear()
    netrc.write_text("machine elsewhere.example login builder password s3cret\n")
    assert fetch_cli(flaky.url, tmp_path / "c", "-t", GNU, "--abi3")[0] == 0
    assert set(flaky.authorization) == {None}


def test_a_netrc_named_by_netrc_that_does_not_parse_is_one_line(
    flaky: Misbehaving, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1\n  login builder\n  passwrd s3cret\n")
    monkeypatch.setenv("NETRC", str(netrc))
    status, stdout, stderr = fetch_cli(flaky.url, tmp_path / "a", "-t", GNU, "--abi3")
    assert status == 1 and stdout == ""
    assert stderr.startswith(f"Error: $NETRC: {netrc}:3: bad follower token 'passwrd'"), stderr
    assert len(stderr.splitlines()) == 1 and "s3cret" not in stderr
    assert flaky.hits == []  # nothing asked of the server, nothing written
    assert not (tmp_path / "a").exists()


def test_a_netrc_named_by_netrc_that_does_not_exist_is_one_line(
    flaky: Misbehaving, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As curl --netrc-file: a file named on purpose and missing is a mistake to say."""
    monkeypatch.setenv("NETRC", str(tmp_path / "nonexistent"))
    status, stdout, stderr = fetch_cli(flaky.url, tmp_path / "a", "-t", GNU, "--abi3")
    assert (status, stdout) == (1, "")
    assert stderr == f"Error: $NETRC: {tmp_path / 'nonexistent'} does not exist\n"
    assert flaky.hits == []
    assert not (tmp_path / "a").exists()


@pytest.mark.parametrize("problem", ["readable by others", "does not parse"])
def test_a_home_netrc_python_refuses_is_said_and_not_used(
    flaky: Misbehaving, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, problem: str
) -> None:
    """~/.netrc is read whole and may be for other hosts: a fetch that needs no login works."""
    home = tmp_path / "home"
    home.mkdir()
    netrc = home / ".netrc"
    if problem == "readable by others":
        netrc.write_text("machine 127.0.0.1 login builder password s3cret\n")
        netrc.chmod(0o644)
        said = "~/.netrc access too permissive"
    else:
        netrc.write_text("machine git.example port 22 login builder password s3cret\n")
        netrc.chmod(0o600)
        said = f"{netrc}:1: bad follower token 'port'"
    monkeypatch.delenv("NETRC")
    monkeypatch.setenv("HOME", str(home))
    status, stdout, stderr = fetch_cli(flaky.url, tmp_path / "b", "-t", GNU, "--abi3")
    assert status == 0, stderr
    line = next(line for line in stderr.splitlines() if "netrc" in line)
    assert line.startswith("implib fetch: ~/.netrc not used, no login sent: "), stderr
    assert said in line  # (Python 3.10 puts the file and line before the permission check's)
    assert "s3cret" not in stdout + stderr
    assert set(flaky.authorization) == {None}
    assert written(tmp_path / "b") == expected(tmp_path, GNU, "abi3")


def test_env_with_a_server_fetches_and_never_shows_credentials(
    flaky: Misbehaving, tmp_path: Path
) -> None:
    """The GitHub Actions recipe: IMPLIB_SERVER set, implib env --abi3 on a GNU target."""
    server = flaky.url.replace("http://", "http://ci:t0ken@")
    out = tmp_path / "libs"
    result = CliRunner(env={"IMPLIB_SERVER": server}).invoke(
        main, ["env", "--target", GNU, "--abi3", "-o", str(out), "--format", "json"]
    )
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["env"]["PYO3_CROSS_LIB_DIR"] == str(out)
    assert written(out) == expected(tmp_path, GNU, "abi3")
    assert "1 from http://***@127.0.0.1:" in result.stderr
    assert "t0ken" not in result.output and "ci:" not in result.output
    # a server that cannot be reached: the local fallback, one note, no traceback
    dead = CliRunner(env={"IMPLIB_SERVER": f"http://127.0.0.1:{free_port()}"}).invoke(
        main, ["env", "--target", GNU, "--abi3", "-o", str(tmp_path / "dead")]
    )
    assert dead.exit_code == 0, dead.stderr
    assert "generated locally (server unreachable)" in dead.stderr
    assert written(tmp_path / "dead") == expected(tmp_path, GNU, "abi3")


def test_a_server_that_failed_once_is_not_asked_again(flaky: Misbehaving, tmp_path: Path) -> None:
    """Each library waiting its own deadline on a dead server would multiply the wait."""
    flaky.mode = "file-500"
    flaky.damage = f"/v1/{GNU}/abi3/python3.dll.a"
    summary = quick_fetch(flaky, tmp_path / "libs", "abi3", "3.12", "3.13", retries=1)
    assert "3 generated locally (download failed: HTTP 500, 2 attempts in" in summary
    assert flaky.hits == ["/v1/index.json", flaky.damage, flaky.damage]


def test_the_transport_is_injected(site: Path, tmp_path: Path) -> None:
    """Any httpx transport drives the client: here, one that reads the export's files."""

    def handler(request: httpx.Request) -> httpx.Response:
        path = site / request.url.path.lstrip("/")
        return (
            httpx.Response(200, content=path.read_bytes())
            if path.is_file()
            else httpx.Response(404)
        )

    report = fetch(
        "http://export.test/",
        GNU,
        ["3.12"],
        tmp_path / "libs",
        transport=httpx.MockTransport(handler),
    )
    assert report.summary().endswith("1 from http://export.test (sha256 checked)")
    assert written(tmp_path / "libs") == expected(tmp_path, GNU, "3.12")


# -- fuzzing: answers mutated on the wire -------------------------------------------


def mutate(rng: random.Random, data: bytes) -> bytes:
    """One to three random edits, most in the head (where the parsing is)."""
    buf = bytearray(data)
    head = data.find(b"\r\n\r\n") + 4
    for _ in range(rng.randint(1, 3)):
        at = rng.randrange(head if rng.random() < 0.8 else len(buf) + 1)
        edit = rng.randrange(5)
        if edit == 0 and at < len(buf):
            buf[at] ^= 1 << rng.randrange(8)
        elif edit == 1:
            buf[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 6)))
        elif edit == 2:
            del buf[at : at + rng.randint(1, 12)]
        elif edit == 3:
            buf[at:at] = rng.choice(
                [b"\r\n", b"\0", b"Content-Length: 7\r\n", b"Transfer-Encoding: chunked\r\n",
                 b"Content-Encoding: gzip\r\n", b"Location: file:///etc/passwd\r\n", b"HTTP/1.1 302 x\r\n"]
            )  # fmt: skip
        else:
            del buf[at:]
    return bytes(buf)


def test_fuzzed_answers_give_implib_errors_or_the_right_bytes(site: Path, tmp_path: Path) -> None:
    """300 fetches, each against an answer (index or file) mutated on the wire, seeded.

    Only implib's own errors come out, nothing hangs (each fetch is bounded
    by its deadline), and a fetch either writes exactly the right library
    or nothing.
    """
    rng = random.Random(12)
    want = expected(tmp_path, GNU, "abi3")
    index = answer("200 OK", index_of(site))
    library = answer("200 OK", (site / "v1" / GNU / "abi3" / "python3.dll.a").read_bytes())
    plan: dict[str, bytes] = {}

    def respond(head: bytes) -> Iterator[tuple[bytes, float]]:
        path = head.split(b" ")[1].decode("ascii", "replace") if b" " in head else ""
        yield plan.get(path, answer("404 Not Found")), 0

    outcomes: dict[str, int] = {}
    started = time.monotonic()
    with raw_server(respond) as server:
        for run in range(300):
            out = tmp_path / "fuzz" / str(run)
            damaged = rng.random() < 0.5
            plan["/v1/index.json"] = mutate(rng, index) if damaged else index
            plan[f"/v1/{GNU}/abi3/python3.dll.a"] = library if damaged else mutate(rng, library)
            try:
                fetch(server.url, GNU, ["abi3"], out, fallback=False, timeout=0.5, retries=0)
            except ImplibError as exc:
                outcomes[type(exc).__name__] = outcomes.get(type(exc).__name__, 0) + 1
                assert written(out) == {}, (run, exc)
            else:
                outcomes["ok"] = outcomes.get("ok", 0) + 1
                assert written(out) == want, run
    assert time.monotonic() - started < 60
    assert outcomes.get("ServerError", 0) > 10 and outcomes.get("FetchError", 0) > 10, outcomes


def test_without_httpx_fetch_is_one_line(tmp_path: Path) -> None:
    """An install that lost httpx (a dependency): env with IMPLIB_SERVER says so, no traceback."""
    code = "import sys; sys.modules['httpx'] = None\nfrom implib.cli import main\nmain()\n"
    env = {**os.environ, "IMPLIB_SERVER": "http://127.0.0.1:9", "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", code, "env", "--target", GNU, "--abi3", "-o", str(tmp_path)],
        capture_output=True, text=True, env=env,
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stderr.startswith("Error: fetching needs httpx and httpcore (pip install httpx)")
    assert len(result.stderr.splitlines()) == 1


def test_fetch_leaves_another_dlls_library_under_an_alias(
    flaky: Misbehaving, tmp_path: Path
) -> None:
    """CPython 3.10's python310.dll.a, written before, stays when PyPy 3.10 (whose alias it is) is fetched."""
    out = tmp_path / "libs"
    generate(GNU, "3.10", out)
    cpython = (out / "python310.dll.a").read_bytes()
    messages: list[str] = []
    report = fetch(flaky.url, GNU, ["pypy3.10"], out, progress=messages.append)
    (result,) = report.results
    assert result.paths == (out / "libpypy3.10-c.dll.a",)
    assert result.kept == (out / "python310.dll.a",)
    assert (out / "python310.dll.a").read_bytes() == cpython
    assert (out / "libpypy3.10-c.dll.a").read_bytes() == expected(tmp_path, GNU, "pypy3.10")[
        "libpypy3.10-c.dll.a"
    ]
    assert (
        f"{out / 'python310.dll.a'} left as it is: it imports from another DLL than libpypy3.10-c.dll"
        in messages
    )
    again = fetch(
        flaky.url, GNU, ["pypy3.10"], out
    )  # and then it is up to date, not downloaded again
    assert again.count("up to date") == 1


def test_fetch_on_a_full_disk_leaves_no_half_set(
    flaky: Misbehaving, tmp_path: Path, mount_of: Callable[[int], Path]
) -> None:
    """3.12 from the server, 3.13 made here: room for one file, so none is written, no folder."""
    size = len(expected(tmp_path, GNU, "3.12")["python312.dll.a"])
    disk = mount_of(size * 3 // 2)
    with pytest.raises(OutputError) as caught:
        quick_fetch(flaky, disk / "new" / "libs", "3.12", "3.13")
    assert caught.value.errno == errno.ENOSPC
    assert list(disk.iterdir()) == []


def test_fetch_refuses_a_set_written_for_another_dll(flaky: Misbehaving, tmp_path: Path) -> None:
    """An earlier `gen --dll-name` set: fetch would mix two DLLs in it; refused, nothing fetched."""
    out = tmp_path / "libs"
    generate(GNU, "3.12", out, dll_name="libpython3.12.dll")
    before = written(out)
    hits = len(flaky.hits)
    with pytest.raises(OutputError, match=r"an earlier run wrote this set for libpython3\.12\.dll"):
        quick_fetch(flaky, out, "3.12")
    assert written(out) == before
    assert not [hit for hit in flaky.hits[hits:] if hit.endswith(".dll.a")]
