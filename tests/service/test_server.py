"""implib serve: the ASGI app in-process, and the real command on a loopback port.

What is served must be exactly what ``implib gen`` writes; ETag, 304 and HEAD
must behave as HTTP says; and no request, however malformed, may get more
than a 4xx or stop the server (the nastiest are sent over raw sockets, so
that no client library tidies them first).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import importlib.util
import io
import json
import os
import random
import re
import select
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from implib.backends import select_backend
from implib.cli import main
from implib.exportlists import available_builds, definition_for
from implib.pythons import PythonBuild, parse_python
from implib.service import server
from implib.service.layout import Library, build_index, index_bytes
from implib.service.produce import produce
from implib.service.server import AccessLog, ImplibApp, is_loopback
from implib.targets import Target, parse_target, valid_targets

from support import ROOT, free_port, missing, require_tool

MSVC_ABI3 = "/v1/x86_64-pc-windows-msvc/abi3/python3.lib"
SAMPLES = [  # (target, python, file): main names and aliases, every flavour
    ("x86_64-pc-windows-msvc", "abi3", "python3.lib"),
    ("i686-pc-windows-gnu", "3.12", "python3.12.dll.a"),
    ("aarch64-pc-windows-gnullvm", "3.13t", "python313t.dll.a"),
    ("x86_64-pc-windows-msvc", "pypy3.10", "python310.lib"),
]


def gen_bytes(tmp_path: Path, target: str, python: str, name: str) -> bytes:
    """What ``implib gen`` writes for (target, python) under ``name``."""
    out = tmp_path / "gen" / target / python
    result = CliRunner().invoke(main, ["gen", "-t", target, "-p", python, "-o", str(out)])
    assert result.exit_code == 0, result.output
    return (out / name).read_bytes()


# -- in-process, through httpx's ASGI transport --------------------------------


@pytest.fixture(scope="module")
def app() -> ImplibApp:
    return ImplibApp()


def request(app: ImplibApp, path: str, method: str = "GET", **kwargs: Any) -> httpx.Response:
    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://implib.test") as client:
            return await client.request(method, path, **kwargs)

    return asyncio.run(go())


@pytest.mark.parametrize(("target", "python", "name"), SAMPLES)
def test_serves_the_bytes_gen_writes(
    app: ImplibApp, tmp_path: Path, target: str, python: str, name: str
) -> None:
    response = request(app, f"/v1/{target}/{python}/{name}")
    assert response.status_code == 200
    assert response.content == gen_bytes(tmp_path, target, python, name)
    assert response.headers["content-type"] == "application/octet-stream"
    assert response.headers["content-length"] == str(len(response.content))
    assert response.headers["etag"] == f'"{hashlib.sha256(response.content).hexdigest()}"'


def test_etag_and_conditional_requests(app: ImplibApp) -> None:
    etag = request(app, MSVC_ABI3).headers["etag"]
    for header in (etag, f"W/{etag}", f'"nope", {etag}', "*"):
        response = request(app, MSVC_ABI3, headers={"if-none-match": header})
        assert response.status_code == 304, header
        assert response.content == b""
        assert response.headers["etag"] == etag
    assert request(app, MSVC_ABI3, headers={"if-none-match": '"nope"'}).status_code == 200


def test_head_matches_get(app: ImplibApp) -> None:
    for path in (MSVC_ABI3, "/v1/index.json", "/healthz", "/v1/nope"):
        get, head = request(app, path), request(app, path, "HEAD")
        assert head.status_code == get.status_code
        assert head.content == b""
        for name in ("content-type", "content-length", "etag", "cache-control"):
            assert head.headers.get(name) == get.headers.get(name), (path, name)


def uncached(target: Target, build: PythonBuild) -> Library:
    """A library as ``implib gen --no-cache`` makes it, for an index to compare with."""
    backend = select_backend(target)
    data = backend.write_library(definition_for(build), target)
    names = tuple(build.lib_names(target.flavour))
    return Library(target, build, names, build.dll_name, backend.name, data)


def test_index_lists_everything_with_digests(app: ImplibApp) -> None:
    response = request(app, "/v1/index.json")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    index = response.json()
    assert {entry["target"] for entry in index["files"].values()} == set(valid_targets())
    assert {entry["python"] for entry in index["files"].values()} == {
        build.spec for build in available_builds()
    }
    # the index of the same selection, from libraries made without the server's cache
    libraries = [uncached(parse_target(t), b) for t in valid_targets() for b in available_builds()]
    assert response.content == index_bytes(build_index(libraries))
    entry = index["files"]["i686-pc-windows-gnu/3.12/python312.dll.a"]
    served = request(app, "/v1/i686-pc-windows-gnu/3.12/python312.dll.a")
    assert served.headers["etag"] == f'"{entry["sha256"]}"'
    assert len(served.content) == entry["size"]
    etag = response.headers["etag"]
    assert etag == f'"{hashlib.sha256(response.content).hexdigest()}"'
    assert request(app, "/v1/index.json", headers={"if-none-match": etag}).status_code == 304


def test_healthz(app: ImplibApp) -> None:
    response = request(app, "/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.headers["cache-control"] == "no-store"


@pytest.mark.parametrize(
    ("path", "status", "message"),
    [
        ("/v1/win-amd64/abi3/python3.lib", 404, "use x86_64-pc-windows-msvc"),
        ("/v1/x86_64-pc-windows-msvc/cp312/python312.lib", 404, "use 3.12"),
        ("/v1/x86_64-pc-windows-msvc/3.99/python399.lib", 404, "unknown Python build"),
        ("/v1/x86_64-pc-windows-msvc/abi3-3.9/python3.lib", 404, "unknown Python build"),
        ("/v1/sparc-pc-windows-msvc/abi3/python3.lib", 404, "unknown target"),
        ("/v1/x86_64-pc-windows-msvc/abi3/python3.dll.a", 404, "there is python3.lib"),
        ("/v1/x86_64-pc-windows-msvc/abi3/PYTHON3.LIB", 404, "there is python3.lib"),
        ("/v1/x86_64-pc-windows-msvc/abi3/", 404, "not found"),
        ("/v2/index.json", 404, "not found"),
        ("/", 404, "not found"),
        ("/v1/%2e%2e%2f%2e%2e%2fetc%2fpasswd", 400, "bad path"),
        ("/v1/x86_64-pc-windows-msvc/abi3/python3.lib%00", 400, "bad path"),
        ("/v1/x86_64-pc-windows-msvc/abi3/pyth\u00f6n3.lib", 400, "bad path"),
        ("/" + "a" * 600, 414, "longer than"),
    ],
)
def test_bad_paths_are_4xx_with_a_json_error(
    app: ImplibApp, path: str, status: int, message: str
) -> None:
    response = request(app, path)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/json"
    assert message in response.json()["error"]


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE"])
def test_read_only(app: ImplibApp, method: str) -> None:
    response = request(app, MSVC_ABI3, method)
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD"


def test_request_bodies_and_huge_headers_are_refused(app: ImplibApp) -> None:
    assert request(app, "/healthz", content=b"x" * 10).status_code == 413
    many = {f"x-h{i}": "1" for i in range(150)}
    assert request(app, "/healthz", headers=many).status_code == 431
    assert request(app, "/healthz", headers={"x-big": "b" * 9000}).status_code == 431


def test_one_production_however_many_ask(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        time.sleep(0.05)  # long enough for every request to be waiting
        return produce(*args, **kwargs)

    monkeypatch.setattr(server, "produce", counting)
    fresh = ImplibApp()

    async def go() -> list[int]:
        transport = httpx.ASGITransport(app=fresh)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            answers = await asyncio.gather(*(client.get(MSVC_ABI3) for _ in range(20)))
        return [answer.status_code for answer in answers]

    assert asyncio.run(go()) == [200] * 20
    assert len(calls) == 1


def test_a_failing_tool_is_a_500_and_is_retried(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("the tool crashed")

    fresh = ImplibApp()
    monkeypatch.setattr(server, "produce", broken)
    response = request(fresh, MSVC_ABI3)
    assert response.status_code == 500
    assert response.json() == {"error": "internal error", "status": 500}
    monkeypatch.setattr(server, "produce", produce)
    assert request(fresh, MSVC_ABI3).status_code == 200


@pytest.mark.slow
def test_the_index_does_not_wait_for_a_slow_tool(tmp_path: Path) -> None:
    """With GNU dlltool the whole set takes tens of seconds: a 503 that says how far
    along it is, after index_wait, while single libraries are answered meanwhile."""
    require_tool("x86_64-w64-mingw32-dlltool")
    fresh = ImplibApp(tool="dlltool", warm=False, index_wait=1.0)

    async def go() -> tuple[httpx.Response, float, httpx.Response]:
        transport = httpx.ASGITransport(app=fresh)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            started = time.monotonic()
            index = await client.get("/v1/index.json")
            waited = time.monotonic() - started
            library = await client.get("/v1/x86_64-pc-windows-gnu/3.12/python312.dll.a")
        return index, waited, library

    index, waited, library = asyncio.run(go())
    assert index.status_code == 503, index.text
    assert index.headers["retry-after"] == str(server.INDEX_RETRY)
    total = len(set(fresh._routes.values()))
    assert re.fullmatch(
        rf"the index is not ready: \d+ of {total} libraries made; try again",
        index.json()["error"],
    )
    assert 1.0 <= waited < 30
    assert library.status_code == 200
    assert library.headers["etag"] == f'"{hashlib.sha256(library.content).hexdigest()}"'


def test_access_log_is_json_lines() -> None:
    records: list[str] = []
    logged = ImplibApp(access_log=records.append)
    request(logged, MSVC_ABI3, headers={"user-agent": "pytest\nInjected: yes"})
    request(logged, "/v1/x86_64-pc-windows-msvc/abi3/%0a%22", "HEAD")
    first, second = (json.loads(line) for line in records)
    assert first["method"] == "GET"
    assert first["path"] == MSVC_ABI3
    assert first["status"] == 200
    assert first["bytes"] > 100_000
    assert first["client"] == "127.0.0.1:123"
    assert isinstance(first["ms"], float)
    assert first["time"].endswith("Z")
    assert all("\n" not in line for line in records)
    assert (second["method"], second["status"], second["bytes"]) == ("HEAD", 400, 0)


def test_access_log_writes_in_batches_and_flushes_at_shutdown() -> None:
    stream = io.StringIO()
    log = AccessLog(stream, delay=60)
    log("outside a loop: at once")
    assert stream.getvalue() == "outside a loop: at once\n"
    app = ImplibApp(access_log=log, warm=False)

    async def go() -> str:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            for _ in range(3):
                await client.get("/healthz")
        before = stream.getvalue()
        inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        for kind in ("startup", "shutdown"):
            await inbox.put({"type": f"lifespan.{kind}"})

        async def send(message: Any) -> None:
            pass

        await app({"type": "lifespan"}, inbox.get, send)
        return before

    before = asyncio.run(go())
    assert before == "outside a loop: at once\n"  # held back, within the delay
    lines = stream.getvalue().splitlines()[1:]
    assert [json.loads(line)["path"] for line in lines] == ["/healthz"] * 3


@pytest.mark.slow
def test_lifespan_produces_everything_in_the_background() -> None:
    fresh = ImplibApp()

    async def go() -> dict[str, Any]:
        inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        outbox: list[dict[str, Any]] = []

        async def send(message: Any) -> None:
            outbox.append(message)

        await inbox.put({"type": "lifespan.startup"})
        task = asyncio.ensure_future(fresh({"type": "lifespan"}, inbox.get, send))
        transport = httpx.ASGITransport(app=fresh)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            for _ in range(600):  # no one asked for the index: start-up makes it
                health = (await client.get("/healthz")).json()
                if health["ready"]:
                    break
                await asyncio.sleep(0.05)
        await inbox.put({"type": "lifespan.shutdown"})
        await task
        assert [m["type"] for m in outbox] == [
            "lifespan.startup.complete",
            "lifespan.shutdown.complete",
        ]
        return health

    health = asyncio.run(go())
    assert health["ready"] is True
    assert health["libraries"] == len(valid_targets()) * len(available_builds())


def test_cli_does_not_import_the_service_stack() -> None:
    heavy = ("httpx", "uvicorn", "pefile", "implib.service", "implib.api", "implib.coff.writer")
    code = f"import sys, implib.cli; print([m for m in {heavy!r} if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.stdout.strip() == "[]", out.stderr


def test_serve_with_an_unknown_tool_fails_before_listening() -> None:
    result = CliRunner().invoke(main, ["serve", "--tool", "nonesuch"])
    assert result.exit_code == 1
    assert "unknown tool 'nonesuch'" in result.output


def test_serve_on_a_port_in_use_is_one_line_and_exit_1() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "implib", "serve", "--host", "0.0.0.0", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
    assert result.returncode == 1, result
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"Error: cannot listen on 0.0.0.0:{port}: Address already in use"
    ]


def test_serve_on_a_host_that_does_not_resolve_is_one_line_and_exit_1() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "implib", "serve", "--host", "nonexistent.invalid"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 1, result
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith("Error: cannot listen on 'nonexistent.invalid': "), line


@pytest.mark.slow
def test_serve_starts_a_worker_per_cpu_by_default(shared_cache: Path, tmp_path: Path) -> None:
    """As nginx's ``worker_processes auto``: out of the box, every CPU serves."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "IMPLIB_CACHE_DIR": str(shared_cache)}
    log = tmp_path / "serve.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "implib", "serve", "--port", str(port), "--no-access-log"],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )
    try:
        wait_ready(f"http://127.0.0.1:{port}", process, log)
        children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
        if not children.exists():
            pytest.skip("no /proc/PID/task/PID/children here")
        workers = [
            pid
            for pid in children.read_text().split()
            if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()
        ]
        expected = len(os.sched_getaffinity(0))
        assert len(workers) == (expected if expected > 1 else 0), log.read_text()
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_is_loopback() -> None:
    assert all(map(is_loopback, ["127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost"]))
    assert not any(map(is_loopback, ["0.0.0.0", "::", "192.168.1.2", "example.org"]))


# -- a real server on a loopback port ------------------------------------------


def wait_ready(base: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"server exited: {log.read_text(errors='replace')[-2000:]}")
        try:
            if httpx.get(f"{base}/healthz", timeout=1).json()["ready"]:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    pytest.fail("server not ready in 60 s")


def _require_the_serve_extra() -> None:
    """``implib serve`` runs on httptools and uvloop when they are installed (the extra)."""
    for module in ("httptools", "uvloop"):
        if importlib.util.find_spec(module) is None:
            missing(f"{module} is not installed (a plain install has it where wheels exist)")


@pytest.fixture(scope="module", params=["cli-2-workers", "h11"])
def served(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, shared_cache: Path
) -> Iterator[tuple[str, int, Path]]:
    """``implib serve`` as a plain install runs it on CPython (httptools, uvloop), and as
    one without those wheels runs it (h11 on asyncio)."""
    port = free_port()
    if request.param == "h11":
        code = (
            f"from implib.service.server import run; run(port={port}, http='h11', loop='asyncio')"
        )
        command = [sys.executable, "-c", code]
    else:
        _require_the_serve_extra()
        command = [sys.executable, "-m", "implib", "serve", "--port", str(port), "--workers", "2"]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "IMPLIB_CACHE_DIR": str(shared_cache)}
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_ready(base, process, log)
        yield base, port, log
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.mark.slow
def test_real_server_bytes_etag_head(served: tuple[str, int, Path], tmp_path: Path) -> None:
    base, _, _ = served
    with httpx.Client(base_url=base) as client:
        for target, python, name in SAMPLES:
            path = f"/v1/{target}/{python}/{name}"
            get = client.get(path)
            assert get.status_code == 200
            assert get.content == gen_bytes(tmp_path, target, python, name)
            head = client.head(path)
            assert head.status_code == 200 and head.content == b""
            for header in ("content-length", "content-type", "etag"):
                assert head.headers[header] == get.headers[header]
            again = client.get(path, headers={"if-none-match": get.headers["etag"]})
            assert again.status_code == 304 and again.content == b""
        index = client.get("/v1/index.json").json()
        assert len(index["files"]) == sum(
            len(b.lib_names(parse_target(t).flavour))
            for t in valid_targets()
            for b in available_builds()
        )


def raw(port: int, data: bytes, timeout: float = 5.0) -> bytes:
    """Send bytes as they are; what came back before the server closed (or timed out)."""
    received = []
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        with contextlib.suppress(OSError):  # closed on us mid-send: read what it said
            sock.sendall(data)
        with contextlib.suppress(OSError):
            while chunk := sock.recv(65536):
                received.append(chunk)
    return b"".join(received)


NASTY = [
    b"GET /v1/../../../../etc/passwd HTTP/1.1",
    b"GET /v1/x86_64-pc-windows-msvc/abi3/../../../../../etc/passwd HTTP/1.1",
    b"GET /v1/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd HTTP/1.1",
    b"GET /v1/x86_64-pc-windows-msvc/abi3/..%2f..%2f..%2fetc%2fpasswd HTTP/1.1",
    b"GET /v1/%252e%252e%252fetc HTTP/1.1",
    b"GET /v1/x86_64-pc-windows-msvc/abi3/python3.lib%00.txt HTTP/1.1",
    b"GET /v1/x86_64-pc-windows-msvc/abi3/python3.lib\x00 HTTP/1.1",
    b"GET /v1/\x00/../etc/passwd HTTP/1.1",
    b"GET /v1\\..\\..\\etc\\passwd HTTP/1.1",
    b"GET //etc/passwd HTTP/1.1",
    b"GET /v1/x86_64-pc-windows-msvc/abi3/python3.lib/ HTTP/1.1",
    b"GET /v1/x86_64-pc-windows-msvc/abi3/\xc3\xa9 HTTP/1.1",
    b"GET /" + b"a" * 2000 + b" HTTP/1.1",
    b"GET /" + b"a/" * 50_000 + b" HTTP/1.1",
    b"GET /v1/x86_64-pc-windows-msvc/3.99/python399.lib HTTP/1.1",
    b"GET /v1/x86_64-pc-windows-msvc/abi3/python3.dll HTTP/1.1",
    b"GET /v1/x86_64-pc-windows-msvc/abi3/.. HTTP/1.1",
    b"GET /v1/index.json.. HTTP/1.1",
    b"POST /v1/index.json HTTP/1.1\r\nContent-Length: 4\r\n\r\nabcd",
    b"PUT /v1/x86_64-pc-windows-msvc/abi3/python3.lib HTTP/1.1\r\nContent-Length: 1\r\n\r\nx",
    b"DELETE /v1/index.json HTTP/1.1",
    b"OPTIONS * HTTP/1.1",
    b"TRACE / HTTP/1.1",
    b"CONNECT 127.0.0.1:22 HTTP/1.1",
    b"BREW /healthz HTTP/1.1",
    b"GET /healthz HTTP/1.1\r\nContent-Length: 99999999999",
    b"GET /healthz HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n",
    b"GET /healthz HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2",
    b"GET /healthz HTTP/1.1\r\n" + b"".join(b"X-%d: 1\r\n" % i for i in range(300)),
    b"GET /healthz HTTP/1.1\r\nX-Big: " + b"b" * 20_000,
    b"GET /healthz HTTP/9.9",
    b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + bytes(range(32)),
    b"\xff\xfe\xfd",
]


@pytest.mark.slow
def test_nasty_requests_are_4xx_and_the_server_keeps_serving(
    served: tuple[str, int, Path],
) -> None:
    base, port, log = served
    for line in NASTY:
        if b"\r\n" not in line:
            line += b"\r\nHost: x"
        answer = raw(port, line + b"\r\nConnection: close\r\n\r\n")
        assert answer.startswith(b"HTTP/1.1 4"), (line[:80], answer[:200])
    # a client that sends headers forever is cut off, not buffered
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Endless: ")
        sent = 0
        with pytest.raises(OSError):
            while sent < 256 * 1024 * 1024:
                sock.sendall(b"z" * 65536)
                sent += 65536
        assert sent < 64 * 1024 * 1024
    # still serving, and the right bytes
    response = httpx.get(f"{base}{MSVC_ABI3}")
    assert response.status_code == 200
    assert response.headers["etag"] == f'"{hashlib.sha256(response.content).hexdigest()}"'
    assert httpx.get(f"{base}/healthz").json()["status"] == "ok"
    # never a 5xx, and every access-log line is one JSON object; each worker
    # flushes its lines within a second
    time.sleep(1.5)
    statuses = [
        json.loads(line)["status"]
        for line in log.read_text(errors="replace").splitlines()
        if line.startswith("{")
    ]
    assert len(statuses) >= len(NASTY) // 2
    assert max(statuses) < 500


MALFORMED = [  # refused by the HTTP parser itself (h11 or httptools), or by the app
    b"GET /healthz HTTP/1.1\r\nHost: x\x00y\r\n\r\n",
    b"GET /healthz\x00 HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET /healthz HTTP/1.1\r\n\r\n",  # no Host
    b"GET /v1/\xff\xfe HTTP/1.1\r\nHost: x\r\n\r\n",  # not UTF-8
    b"GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
    b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",  # HTTP/2's preface
]


@pytest.mark.slow
def test_malformed_requests_get_a_json_4xx_and_a_log_line(
    served: tuple[str, int, Path],
) -> None:
    base, port, log = served
    before = len(log.read_text(errors="replace").splitlines())
    for data in MALFORMED:
        answer = raw(port, data)
        head, _, body = answer.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 4"), (data, answer[:200])
        assert b"content-type: application/json" in head.lower(), (data, head)
        error = json.loads(body)
        assert error["status"] == int(head[9:12]) and error["error"], (data, body)
    assert httpx.get(f"{base}/healthz").json()["status"] == "ok"
    time.sleep(1.5)  # each worker flushes its lines within a second
    lines = log.read_text(errors="replace").splitlines()[before:]
    records = [json.loads(line) for line in lines if line.startswith("{")]
    refused = [r for r in records if 400 <= r["status"] < 500]
    assert len(refused) == len(MALFORMED), lines


def test_many_concurrent_clients(served: tuple[str, int, Path]) -> None:
    base, _, _ = served
    paths = [f"/v1/{t}/{p}/{n}" for t, p, n in SAMPLES] * 10

    async def go() -> list[httpx.Response]:
        async with httpx.AsyncClient(base_url=base) as client:
            return await asyncio.gather(*(client.get(path) for path in paths))

    responses = asyncio.run(go())
    assert [r.status_code for r in responses] == [200] * len(paths)
    digests = {p: r.headers["etag"] for p, r in zip(paths, responses)}
    for path, response in zip(paths, responses):
        assert f'"{hashlib.sha256(response.content).hexdigest()}"' == digests[path]


def test_parse_python_round_trips_every_served_name() -> None:
    for build in available_builds():
        assert parse_python(build.spec) == build


# -- idle and slow clients: the connection limits ----------------------------------


def _more_files(count: int) -> None:
    """Let this process hold ``count`` more sockets (a soft limit of 1024 is common)."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = count + 256
    if soft != resource.RLIM_INFINITY and soft < wanted:
        if hard != resource.RLIM_INFINITY and hard < wanted:
            pytest.skip(f"the hard limit on open files ({hard}) is below {wanted}")
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))


HEADER_TIMEOUT, KEEP_ALIVE = 2.0, 1.0
SEND_TIMEOUT, STALLING_MAX = 1.0, 8
LARGEST = ("i686-pc-windows-gnu", "3.15t", "libpython3.15t.dll.a")  # 463 kB


#: How the servers under test run: as with the serve extra, and as a plain install.
STACKS = ["httptools+uvloop", "h11+asyncio"]


def _limited_server(
    stack: str, log: Path, shared_cache: Path, *, send_timeout: float, max_connections: int
) -> Iterator[int]:
    """``implib serve`` with short limits (so that a test can wait them out)."""
    port = free_port()
    if stack == "h11+asyncio":
        limits = f"Limits({HEADER_TIMEOUT}, {KEEP_ALIVE}, {max_connections}, {send_timeout})"
        code = (
            "from implib.service.server import Limits, run; "
            f"run(port={port}, http='h11', loop='asyncio', access_log=False, limits={limits})"
        )
        command = [sys.executable, "-c", code]
    else:
        _require_the_serve_extra()
        command = [sys.executable, "-m", "implib", "serve", "--port", str(port), "--no-access-log"]
        command += ["--header-timeout", str(HEADER_TIMEOUT), "--keep-alive", str(KEEP_ALIVE)]
        command += ["--send-timeout", str(send_timeout), "--max-connections", str(max_connections)]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "IMPLIB_CACHE_DIR": str(shared_cache)}
    with open(log, "wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
    try:
        wait_ready(f"http://127.0.0.1:{port}", process, log)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture(scope="module", params=STACKS)
def limited(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, shared_cache: Path
) -> Iterator[int]:
    """Short header and keep-alive limits, on both stacks."""
    log = tmp_path_factory.mktemp("limited") / "serve.log"
    yield from _limited_server(
        request.param, log, shared_cache, send_timeout=30.0, max_connections=1000
    )


@pytest.fixture(scope="module", params=STACKS)
def stalling(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, shared_cache: Path
) -> Iterator[int]:
    """A short send timeout and few connections, on both stacks."""
    log = tmp_path_factory.mktemp("stalling") / "serve.log"
    yield from _limited_server(
        request.param, log, shared_cache, send_timeout=SEND_TIMEOUT, max_connections=STALLING_MAX
    )


def _get_healthz(port: int) -> tuple[bytes, float]:
    started = time.perf_counter()
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    return data, time.perf_counter() - started


def _closed(sock: socket.socket) -> bool:
    """Whether the server has closed this connection (EOF or reset), without waiting."""
    sock.setblocking(False)
    try:
        return sock.recv(1) == b""
    except BlockingIOError:
        return False
    except OSError:
        return True


@pytest.mark.slow
def test_1200_idle_and_slow_connections_do_not_lock_out_requests(limited: int) -> None:
    """600 clients that connect and say nothing, 600 that send a request head a byte at a time.

    Before, /healthz answered 503 to everyone else while they stayed, and
    none was ever closed. Now normal requests are answered within a second
    (the server closes the longest-idle connections past --max-connections),
    and every idle or slow one is closed after the header timeout.
    """
    port = limited
    _more_files(1300)
    idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(600)]
    slow = []
    for _ in range(600):
        sock = socket.create_connection(("127.0.0.1", port))
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        slow.append(sock)
    try:
        latencies = []
        for _ in range(20):
            data, seconds = _get_healthz(port)
            assert data.startswith(b"HTTP/1.1 200 "), data[:200]
            latencies.append(seconds)
            for sock in slow[:100]:  # slow, not silent: a byte now and then
                with contextlib.suppress(OSError):
                    sock.send(b"z")
        assert max(latencies) < 1.0, latencies
        # a head that arrives in pieces, but within the timeout, is answered
        with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
            for piece in (b"GET /heal", b"thz HTTP/1.1\r\n", b"Host: x\r\n", b"\r\n"):
                sock.sendall(piece)
                time.sleep(0.2)
            assert sock.recv(65536).startswith(b"HTTP/1.1 200 ")
            time.sleep(KEEP_ALIVE + 0.5)  # then idle on keep-alive: closed
            assert _closed(sock)
        time.sleep(HEADER_TIMEOUT + 0.5)
        assert sum(map(_closed, idle + slow)) == 1200
        assert _get_healthz(port)[0].startswith(b"HTTP/1.1 200 ")
    finally:
        for sock in idle + slow:
            sock.close()


def _stalled_reader(port: int, path: str) -> socket.socket:
    """A client that asks for ``path`` and reads nothing, over a small window and segments.

    On loopback the server's kernel would take a whole library into its
    send buffer (64 kB segments); with the segments of a real network
    (here 536 bytes) most of the answer waits in the server's own buffer.
    """
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG, 536)
    sock.connect(("127.0.0.1", port))
    sock.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    return sock


def _read_to_the_end(sock: socket.socket) -> int:
    """The bytes that arrive before the server closes or resets the connection."""
    sock.settimeout(10)
    total = 0
    with contextlib.suppress(ConnectionResetError):
        while chunk := sock.recv(65536):
            total += len(chunk)
    return total


def _wait_for_answers(socks: list[socket.socket]) -> None:
    """Until each socket has the first bytes of its answer."""
    for sock in socks:
        readable, _, _ = select.select([sock], [], [], 30)
        assert readable, "no answer in 30 s"


@pytest.mark.slow
def test_a_slow_reader_keeps_its_connection(stalling: int, tmp_path: Path) -> None:
    """A client taking ~25 kB/s, slower than the server's buffer drains, across several send
    timeouts, while new connections past --max-connections evict the free ones first:
    it is never cut off (measured by what the client took, the kernel's queue included),
    and then gets the whole library. Before, the eviction aborted it."""
    port = stalling
    target, python, name = LARGEST
    expected = gen_bytes(tmp_path, target, python, name)
    reader = _stalled_reader(port, f"/v1/{target}/{python}/{name}")
    silent: list[socket.socket] = []
    try:
        _wait_for_answers([reader])
        silent = [socket.create_connection(("127.0.0.1", port)) for _ in range(STALLING_MAX * 2)]
        reader.settimeout(5)
        data, started = b"", time.monotonic()
        while time.monotonic() - started < SEND_TIMEOUT * 3.5:
            chunk = reader.recv(2048)  # a reset would raise here
            assert chunk, f"closed after {len(data)} bytes"
            data += chunk
            time.sleep(0.08)
        head, _, body = data.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 200 ") and len(body) > 20_000
        while len(body) < len(expected):  # then the rest, at full speed
            chunk = reader.recv(65536)
            assert chunk, f"closed after {len(body)} of {len(expected)} bytes"
            body += chunk
        assert body == expected
    finally:
        reader.close()
        for sock in silent:
            sock.close()


@pytest.mark.slow
def test_clients_that_stop_reading_are_dropped_after_the_send_timeout(
    stalling: int, tmp_path: Path
) -> None:
    """Before, a client that asked for a library and read nothing kept its connection, and
    the ~400 kB of the answer the server's buffer held, for ever (closing a connection
    waits for its buffer to drain); past --max-connections they were closed that way,
    lingered, and new requests were answered 503 once no idle connection was left."""
    port = stalling
    target, python, name = LARGEST
    path = f"/v1/{target}/{python}/{name}"
    expected = gen_bytes(tmp_path, target, python, name)
    size = len(expected)
    stalled = [_stalled_reader(port, path) for _ in range(STALLING_MAX * 2)]
    try:
        _wait_for_answers(stalled)
        for _ in range(STALLING_MAX * 2):  # each makes room by evicting a stalled one
            data, _ = _get_healthz(port)
            assert data.startswith(b"HTTP/1.1 200 "), data[:200]
        time.sleep(SEND_TIMEOUT * 2 + 1)
        received = [_read_to_the_end(sock) for sock in stalled]
        assert all(count < size for count in received), (received, size)
        # a client that reads, even in small bites, gets all of it
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            sock.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
            data = b""
            while chunk := sock.recv(8192):
                data += chunk
                time.sleep(0.001)
        assert data.startswith(b"HTTP/1.1 200 ")
        assert data.split(b"\r\n\r\n", 1)[1] == expected
    finally:
        for sock in stalled:
            sock.close()


# -- fuzzing: raw requests, as a hostile client sends them --------------------------

SEEDS = [
    b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n",
    b'GET /v1/index.json HTTP/1.1\r\nHost: x\r\nIf-None-Match: "abc"\r\n\r\n',
    b"HEAD " + MSVC_ABI3.encode() + b" HTTP/1.1\r\nHost: x\r\nUser-Agent: fuzz\r\n\r\n",
    b"GET /v1/x86_64-pc-windows-msvc/3.99/python399.lib HTTP/1.0\r\n\r\n",
]


def mutate(rng: random.Random, data: bytes) -> bytes:
    """One to four random edits: flip, insert, delete, repeat, or splice in a special byte."""
    buf = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        at = rng.randrange(len(buf) + 1)
        edit = rng.randrange(6)
        if edit == 0 and buf:
            buf[min(at, len(buf) - 1)] ^= 1 << rng.randrange(8)
        elif edit == 1:
            buf[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
        elif edit == 2:
            del buf[at : at + rng.randint(1, 16)]
        elif edit == 3:
            buf[at:at] = buf[at : at + rng.randint(1, 64)] * rng.randint(2, 50)
        elif edit == 4:
            buf[at:at] = rng.choice(
                [b"\r\n", b"\0", b"%", b"..", b"/", b":", b" ", b"\xff", b"\r\n\r\n"]
            )
        else:
            buf[at:at] = rng.choice(SEEDS)
    return bytes(buf)


async def _send_raw(port: int, data: bytes, wait: float) -> bytes:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(data)
        with contextlib.suppress(OSError):
            await writer.drain()
        with contextlib.suppress(asyncio.TimeoutError, OSError):
            return await asyncio.wait_for(reader.read(4096), wait)
        return b""
    finally:
        writer.close()
        with contextlib.suppress(OSError):
            await writer.wait_closed()


@pytest.mark.slow
def test_fuzzed_requests_get_4xx_or_less_and_the_server_keeps_serving(
    served: tuple[str, int, Path],
) -> None:
    """300 mutated requests at once (seeded, so a failure repeats): never a 5xx, never a hang."""
    base, port, log = served
    rng = random.Random(12)
    requests = [mutate(rng, rng.choice(SEEDS)) for _ in range(300)]

    async def go() -> list[bytes]:
        return await asyncio.gather(*(_send_raw(port, data, 1.5) for data in requests))

    started = time.monotonic()
    answers = asyncio.run(go())
    assert time.monotonic() - started < 20
    answered = [a for a in answers if a]
    assert len(answered) > 100  # most mutations still make a request, or a bad one
    for data, answer in zip(requests, answers):
        if answer:
            assert answer.startswith((b"HTTP/1.1 ", b"HTTP/1.0 ")), (data[:120], answer[:120])
            status = int(answer.split(b" ", 2)[1])
            assert status < 500, (data[:120], answer[:200])
    assert httpx.get(f"{base}/healthz").json()["status"] == "ok"
    assert httpx.get(f"{base}{MSVC_ABI3}").status_code == 200
    time.sleep(1.5)  # access-log lines are flushed within a second
    assert "Traceback" not in log.read_text(errors="replace")


def test_credentials_of_a_client_never_reach_the_access_log(
    served: tuple[str, int, Path], tmp_path: Path
) -> None:
    from implib.service.client import fetch

    base, _, log = served
    with_credentials = base.replace("http://", "http://builder:s3cret@")
    report = fetch(with_credentials, "x86_64-pc-windows-msvc", ["abi3"], tmp_path / "libs")
    assert report.count("server") == 1
    time.sleep(1.2)  # each worker flushes its lines within a second
    text = log.read_text(errors="replace")
    assert '"path": "/v1/x86_64-pc-windows-msvc/abi3/python3.lib"' in text
    assert "s3cret" not in text and "builder" not in text and "YnVpbGRlcjpzM2NyZXQ" not in text
