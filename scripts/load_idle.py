"""Load test: ``implib serve`` with idle and half-sent connections held open (slowloris).

Starts ``implib serve`` (this checkout) on a free loopback port, opens
``--idle`` connections that send nothing and ``--slow`` ones that send a
request head a byte now and then, then times ``--requests`` normal
``GET /healthz`` on fresh connections. Prints their statuses and latency, and
how many of the held connections the server closed after its header timeout.

    python scripts/load_idle.py                          # 600 idle + 600 slow
    python scripts/load_idle.py --idle 3000 --slow 0 --max-connections 1000

Exit status 1 if a request was not answered 200 within a second.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def healthz(port: int) -> tuple[str, float]:
    started = time.perf_counter()
    try:
        with socket.create_connection((HOST, port), timeout=5) as sock:
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            data = b""
            while chunk := sock.recv(65536):
                data += chunk
        status = data[9:12].decode("ascii", "replace") or "closed"
    except OSError as exc:
        status = type(exc).__name__
    return status, time.perf_counter() - started


def ready(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://{HOST}:{port}/healthz", timeout=2) as answer:
            return b'"ready": true' in answer.read()
    except OSError:
        return False


def closed(sock: socket.socket) -> bool:
    sock.setblocking(False)
    try:
        return sock.recv(1) == b""
    except BlockingIOError:
        return False
    except OSError:
        return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--idle", type=int, default=600)
    parser.add_argument("--slow", type=int, default=600)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--header-timeout", type=float, default=3.0)
    parser.add_argument("--max-connections", type=int, default=1000)
    args = parser.parse_args()
    held = args.idle + args.slow
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < held + 256:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, held + 256), hard))
    port = free_port()
    command = [sys.executable, "-m", "implib", "serve", "--port", str(port), "--no-access-log"]
    command += ["--header-timeout", str(args.header_timeout)]
    command += ["--max-connections", str(args.max_connections)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    socks: list[socket.socket] = []
    try:
        deadline = time.monotonic() + 60
        while not ready(port):
            if time.monotonic() > deadline:
                raise SystemExit("implib serve did not become ready in 60 s")
            time.sleep(0.1)
        socks = [socket.create_connection((HOST, port)) for _ in range(args.idle)]
        slow = []
        for _ in range(args.slow):
            sock = socket.create_connection((HOST, port))
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            slow.append(sock)
        socks += slow
        started = time.monotonic()
        results = []
        for _ in range(args.requests):
            results.append(healthz(port))
            for sock in slow[:100]:
                with contextlib.suppress(OSError):
                    sock.send(b"z")
        times = sorted(seconds for _, seconds in results)
        statuses = sorted({status for status, _ in results})
        print(f"{held} held ({args.idle} idle, {args.slow} slow); {args.requests} GET /healthz: "
              f"statuses {statuses}, p50 {times[len(times) // 2] * 1000:.1f} ms, "
              f"max {times[-1] * 1000:.1f} ms")  # fmt: skip
        time.sleep(max(0.0, args.header_timeout + 0.5 - (time.monotonic() - started)))
        print(f"closed by the server after the {args.header_timeout:g} s header timeout: "
              f"{sum(map(closed, socks))} of {held}")  # fmt: skip
        return 0 if statuses == ["200"] and times[-1] < 1.0 else 1
    finally:
        for sock in socks:
            sock.close()
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
