"""DeadlineTransport: httpx's interface, one deadline per request, the environment's proxies."""

from __future__ import annotations

import http.server
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from implib.service.transport import DEADLINE, DeadlineTransport

from support import answer, raw_server, require_tool, trickle

BODY = b"x" * 15


def slowly(_: bytes) -> Iterator[tuple[bytes, float]]:
    yield from trickle(answer("200 OK", BODY), 0.03)  # each read well within any read timeout


def test_without_a_deadline_the_bytes_may_keep_coming() -> None:
    """Why the deadline exists: a 0.3 s timeout (each read), and a 1.7 s answer that trips it never."""
    client = httpx.Client(transport=DeadlineTransport(), timeout=0.3)
    with raw_server(slowly) as server, client:
        started = time.monotonic()
        assert client.get(server.url).content == BODY
        assert time.monotonic() - started > 1.0


@pytest.mark.parametrize("stage", ["head", "body"])
def test_the_deadline_bounds_the_whole_answer(stage: str) -> None:
    def respond(_: bytes) -> Iterator[tuple[bytes, float]]:
        data = answer("200 OK", BODY)
        if stage == "body":
            yield data[: -len(BODY)], 0
            data = BODY
        yield from trickle(data, 0.1)

    client = httpx.Client(transport=DeadlineTransport(), timeout=0.3)
    # the answer takes 1.7 s and no read waits 0.3 s: only the deadline raises
    with raw_server(respond) as server, client, pytest.raises(httpx.ReadTimeout):
        client.get(server.url, extensions={DEADLINE: time.monotonic() + 0.6})


def test_errors_are_httpx_errors_with_their_cause() -> None:
    cut = b"HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nabc"
    client = httpx.Client(transport=DeadlineTransport())
    raises = pytest.raises(httpx.RemoteProtocolError)
    with raw_server(lambda _: iter([(cut, 0)])) as server, client, raises as caught:
        client.get(server.url)
    assert "peer closed connection" in str(caught.value)
    assert caught.value.__cause__ is not None
    with httpx.Client(transport=DeadlineTransport()) as client, pytest.raises(httpx.ConnectError):
        client.get(f"http://127.0.0.1:{_closed_port()}/")


def _closed_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_the_environments_proxy_is_used_and_no_proxy_honoured(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with raw_server(lambda _: iter([(answer("200 OK", b"via proxy"), 0)])) as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        monkeypatch.setenv("NO_PROXY", "direct.invalid")
        with httpx.Client(transport=DeadlineTransport()) as client:
            assert client.get("http://libs.invalid/v1/index.json").content == b"via proxy"
            assert proxy.requests[0].startswith(
                b"GET http://libs.invalid/v1/index.json HTTP/1.1\r\n"
            )
            with pytest.raises(httpx.ConnectError):  # not proxied: the name does not resolve
                client.get("http://direct.invalid/")
        assert len(proxy.requests) == 1


def test_https_with_the_environments_certificates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """TLS goes through the same deadline-keeping streams (start_tls), trusting SSL_CERT_FILE."""
    openssl = require_tool("openssl")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Hello)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    url = f"https://127.0.0.1:{server.server_address[1]}/"
    try:
        with (
            httpx.Client(transport=DeadlineTransport()) as client,
            pytest.raises(httpx.ConnectError),
        ):
            client.get(url)  # not trusted: a self-signed certificate
        monkeypatch.setenv("SSL_CERT_FILE", str(cert))
        with httpx.Client(transport=DeadlineTransport()) as client:
            response = client.get(url, extensions={DEADLINE: time.monotonic() + 5})
        assert response.content == b"hello over tls"
    finally:
        server.shutdown()
        server.server_close()


class _Hello(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", "14")
        self.end_headers()
        self.wfile.write(b"hello over tls")

    def log_message(self, format: str, *args: object) -> None:
        pass
