"""Load test: ``implib serve`` against nginx serving ``implib export``'s files.

Both run on loopback ports picked free, one after the other, and are driven
by the same client: a few processes, each holding keep-alive connections and
sending GETs for every file of the index in a shuffled order, bounded by a
request count and a time limit. Each response's status and length are
checked. Prints requests/s, p50/p99 latency and errors for both, and the
ratio of their throughputs.

    python scripts/load_serve.py                      # both as they start by default
    python scripts/load_serve.py --workers 4 --connections 64 --duration 10

By default both servers run as they start out of the box: ``implib serve``
with no options (a worker per CPU, httptools and uvloop where installed),
nginx with ``worker_processes auto`` (a worker per CPU, as Debian's
configuration has it); ``--workers N`` gives both N.

Exit status 1 if any request failed. nginx missing: only implib is measured.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib.util
import json
import multiprocessing
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

HOST = "127.0.0.1"  # loopback only
ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def wait_until(url: str, ready: str = "", timeout: float = 60.0) -> None:
    """Poll ``url`` until it answers 200 (and its body contains ``ready``)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if ready in response.read().decode():
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise SystemExit(f"{url} did not become ready in {timeout:.0f} s")
        time.sleep(0.1)


@contextlib.contextmanager
def implib_serve(port: int, workers: int | None, log: Path) -> Iterator[subprocess.Popen[bytes]]:
    command = [sys.executable, "-m", "implib", "serve", "--host", HOST, "--port", str(port)]
    if workers is not None:
        command += ["--workers", str(workers)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}  # this checkout's implib
    with open(log, "wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
    try:
        # each worker warms up on its own: poll until the index is ready
        wait_until(f"http://{HOST}:{port}/healthz", '"ready": true')
        for _ in range(4 * (workers or os.cpu_count() or 1)):
            wait_until(f"http://{HOST}:{port}/v1/index.json")
        yield process
    finally:
        process.terminate()
        process.wait(timeout=30)


NGINX_CONF = """\
{user}
worker_processes {workers};
pid {prefix}/nginx.pid;
events {{ worker_connections 4096; }}
http {{
    access_log {prefix}/access.log;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    types {{ application/json json; }}
    default_type application/octet-stream;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    server {{
        listen {host}:{port};
        root {root};
    }}
}}
"""


@contextlib.contextmanager
def nginx(
    root: Path, port: int, workers: int | None, prefix: Path
) -> Iterator[subprocess.Popen[bytes]]:
    prefix.mkdir(parents=True, exist_ok=True)
    conf = prefix / "nginx.conf"
    user = "user root;" if os.geteuid() == 0 else ""  # workers must read root's temp files
    conf.write_text(
        NGINX_CONF.format(
            user=user, workers=workers or "auto", prefix=prefix, host=HOST, port=port, root=root
        )
    )
    command = ["nginx", "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "error.log")]
    process = subprocess.Popen([*command, "-g", "daemon off;"])
    try:
        wait_until(f"http://{HOST}:{port}/v1/index.json", timeout=15)
        yield process
    finally:
        process.terminate()
        process.wait(timeout=30)


class _Client(asyncio.BufferedProtocol):
    """A lean HTTP/1.1 keep-alive client: reads into one buffer, counts body bytes.

    It copies nothing it does not need, so that the client's own cost, which
    shares the machine with the servers, stays small and the same for both.
    """

    def __init__(self) -> None:
        self.buffer = bytearray(1 << 18)
        self.head = bytearray()
        self.remaining = -1  # body bytes still to come; -1: in the headers
        self.response: asyncio.Future[tuple[int, int, bool]] | None = None
        self.status = self.length = 0
        self.close = False
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def request(self, data: bytes) -> asyncio.Future[tuple[int, int, bool]]:
        self.response = asyncio.get_running_loop().create_future()
        self.head.clear()
        self.remaining = -1
        assert self.transport is not None
        self.transport.write(data)
        return self.response

    def get_buffer(self, sizehint: int) -> bytearray:
        return self.buffer

    def buffer_updated(self, nbytes: int) -> None:
        if self.remaining < 0:
            end = self.buffer.find(b"\r\n\r\n", 0, nbytes)
            if end < 0:
                self.head += self.buffer[:nbytes]
                end = self.head.find(b"\r\n\r\n")
                if end < 0:
                    return
                body = len(self.head) - end - 4
                head = bytes(self.head[:end])
            else:
                head = bytes(self.head) + bytes(self.buffer[:end])
                body = nbytes - end - 4
            self._parse(head)
            self.remaining = self.length - body
        else:
            self.remaining -= nbytes
        if self.remaining <= 0 and self.response is not None and not self.response.done():
            self.response.set_result((self.status, self.length, self.close))

    def _parse(self, head: bytes) -> None:
        lines = head.split(b"\r\n")
        self.status = int(lines[0][9:12])
        self.length, self.close = 0, False
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                self.length = int(value)
            elif name == b"connection":
                self.close = value.strip().lower() == b"close"

    def connection_lost(self, exc: Exception | None) -> None:
        if self.response is not None and not self.response.done():
            self.response.set_exception(exc or ConnectionResetError("connection closed"))


async def _connection(
    port: int,
    paths: list[tuple[bytes, int]],
    deadline: float,
    budget: list[int],
    stats: dict[str, Any],
) -> None:
    """One keep-alive connection sending GETs until the budget or the time is spent."""
    loop = asyncio.get_running_loop()
    host = f"{HOST}:{port}".encode()
    rng = random.Random()
    client: _Client | None = None
    while budget[0] > 0 and time.monotonic() < deadline:
        budget[0] -= 1
        path, size = paths[rng.randrange(len(paths))]
        started = time.perf_counter()
        try:
            if client is None:
                _, client = await loop.create_connection(_Client, HOST, port)
            request = b"GET " + path + b" HTTP/1.1\r\nHost: " + host + b"\r\n\r\n"
            status, length, close = await asyncio.wait_for(client.request(request), 30)
            stats["latencies"].append(time.perf_counter() - started)
            stats["bytes"] += length
            if status != 200 or length != size:
                stats["errors"] += 1
                stats["examples"].append(f"{path.decode()}: HTTP {status}, {length} bytes")
            if close:
                assert client.transport is not None
                client.transport.close()
                client = None
        except (OSError, asyncio.TimeoutError, ValueError) as exc:
            stats["errors"] += 1
            stats["examples"].append(f"{path.decode()}: {type(exc).__name__}: {exc}")
            if client is not None and client.transport is not None:
                client.transport.close()
            client = None
    if client is not None and client.transport is not None:
        client.transport.close()


def _drive(args: tuple[int, list[tuple[bytes, int]], float, int, int]) -> dict[str, Any]:
    """One client process: ``connections`` connections sharing a request budget."""
    port, paths, duration, connections, requests = args
    stats: dict[str, Any] = {"latencies": [], "errors": 0, "bytes": 0, "examples": []}
    budget = [requests]

    async def main() -> float:
        started = time.perf_counter()
        deadline = time.monotonic() + duration
        await asyncio.gather(
            *(_connection(port, paths, deadline, budget, stats) for _ in range(connections))
        )
        return time.perf_counter() - started

    stats["elapsed"] = asyncio.run(main())
    stats["examples"] = stats["examples"][:5]
    return stats


def load(port: int, paths: list[tuple[bytes, int]], options: argparse.Namespace) -> dict[str, Any]:
    processes = options.clients
    per_process = (
        port,
        paths,
        options.duration,
        max(1, options.connections // processes),
        max(1, options.requests // processes),
    )
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        results = pool.map(_drive, [per_process] * processes)
    latencies = sorted(x for r in results for x in r["latencies"])
    elapsed = max(r["elapsed"] for r in results)
    count = len(latencies)
    return {
        "requests": count,
        "errors": sum(r["errors"] for r in results),
        "rps": count / elapsed if elapsed else 0.0,
        "mbps": sum(r["bytes"] for r in results) / elapsed / 1e6 if elapsed else 0.0,
        "p50": latencies[count // 2] * 1000 if count else 0.0,
        "p99": latencies[min(count - 1, int(count * 0.99))] * 1000 if count else 0.0,
        "examples": [e for r in results for e in r["examples"]][:5],
    }


def report(name: str, result: dict[str, Any]) -> None:
    print(
        f"{name:<16} {result['requests']:>8} req  {result['rps']:>9.0f} req/s  "
        f"{result['mbps']:>7.0f} MB/s  p50 {result['p50']:>7.2f} ms  "
        f"p99 {result['p99']:>7.2f} ms  errors {result['errors']}"
    )
    for example in result["examples"]:
        print(f"    {example}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per server")
    parser.add_argument("--requests", type=int, default=200_000, help="at most, per server")
    parser.add_argument("--connections", type=int, default=32, help="concurrent, in all")
    parser.add_argument("--clients", type=int, default=2, help="client processes")
    parser.add_argument(
        "--workers", type=int, default=None, help="workers of both (default: each one's own)"
    )
    parser.add_argument("--rounds", type=int, default=3, help="alternating, per server")
    parser.add_argument(
        "--select", choices=["all", "abi3"], default="all", help="which files to request"
    )
    options = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    from implib.service.site import write_site

    with tempfile.TemporaryDirectory(prefix="implib-load-") as tmp:
        work = Path(tmp)
        work.chmod(0o755)
        site = work / "site"
        write_site(site)  # every target x every build
        index = json.loads((site / "v1" / "index.json").read_text())
        paths = [
            (f"/v1/{path}".encode(), entry["size"])
            for path, entry in index["files"].items()
            if options.select == "all" or entry["python"] == "abi3"
        ]
        average = sum(size for _, size in paths) / len(paths)
        print(
            f"{len(paths)} files (average {average / 1024:.0f} KiB), "
            f"{options.connections} connections from {options.clients} client processes, "
            f"{options.workers or 'default'} server workers, at most {options.requests} requests "
            f"or {options.duration:.0f} s a round, on {HOST}"
        )
        fast = [name for name in ("httptools", "uvloop") if importlib.util.find_spec(name)]
        print(f"implib serve on uvicorn with {', '.join(fast) or 'h11 and asyncio'}")
        servers: dict[str, int] = {}
        with contextlib.ExitStack() as stack:
            servers["implib serve"] = free_port()
            stack.enter_context(
                implib_serve(servers["implib serve"], options.workers, work / "serve.log")
            )
            if shutil.which("nginx") is None:
                print("nginx not found (apt-get install nginx): not compared")
            else:
                servers["nginx"] = free_port()
                stack.enter_context(nginx(site, servers["nginx"], options.workers, work / "nginx"))
            warm_up = argparse.Namespace(**{**vars(options), "duration": 1.0})
            for port in servers.values():
                load(port, paths, warm_up)
            # rounds alternate between the servers, so that noise on a shared
            # machine falls on both; the round with the median throughput counts
            rounds: dict[str, list[dict[str, Any]]] = {name: [] for name in servers}
            for number in range(1, options.rounds + 1):
                for name, port in servers.items():
                    rounds[name].append(load(port, paths, options))
                    report(f"{name} #{number}", rounds[name][-1])
        print("median round:")
        results = {}
        for name, runs in rounds.items():
            results[name] = sorted(runs, key=lambda r: r["rps"])[len(runs) // 2]
            results[name]["errors"] = sum(r["errors"] for r in runs)  # every error counts
            report(name, results[name])
        if "nginx" in results:
            ratio = results["implib serve"]["rps"] / results["nginx"]["rps"]
            verdict = "met" if ratio >= 0.5 else "NOT met"
            print(f"implib serve / nginx throughput: {ratio:.2f} (goal >= 0.50: {verdict})")
        errors = sum(result["errors"] for result in results.values())
        return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
