"""The HTTP transport of ``implib fetch``: httpx's interface, with a deadline per request.

httpx's timeouts bound each socket operation (a connect, a read, a write),
so a server that sends one byte a second never trips them and keeps a
client busy for hours. :class:`DeadlineTransport` is an
:class:`httpx.BaseTransport` (the interface httpx's own transports, its
``MockTransport`` and tests' fakes share) over httpcore, whose network
backend gives every connect, read and write only what is left of the
request's deadline: the ``deadline`` request extension, a
:func:`time.monotonic` value, covering the response's body too.

It also does what ``httpx.Client(trust_env=True)`` would otherwise do with a
transport of its own, bypassing the deadline: it reads ``HTTP(S)_PROXY`` and
``NO_PROXY`` (HTTP(S) proxies only), and ``SSL_CERT_FILE``/``SSL_CERT_DIR``.
"""

from __future__ import annotations

import ssl
import threading
import time
import urllib.request
from collections.abc import Iterable, Iterator
from typing import Any

import httpcore
import httpx

from ..errors import OptionError

__all__ = ["DEADLINE", "DeadlineTransport"]

#: The request extension holding the deadline (``time.monotonic()`` seconds).
DEADLINE = "deadline"

#: httpcore's errors as httpx's (as httpx's own transport maps them), most specific first.
_ERRORS: tuple[tuple[type[Exception], type[httpx.TransportError]], ...] = (
    (httpcore.ConnectTimeout, httpx.ConnectTimeout),
    (httpcore.ReadTimeout, httpx.ReadTimeout),
    (httpcore.WriteTimeout, httpx.WriteTimeout),
    (httpcore.PoolTimeout, httpx.PoolTimeout),
    (httpcore.TimeoutException, httpx.TimeoutException),
    (httpcore.ConnectError, httpx.ConnectError),
    (httpcore.ReadError, httpx.ReadError),
    (httpcore.WriteError, httpx.WriteError),
    (httpcore.NetworkError, httpx.NetworkError),
    (httpcore.ProxyError, httpx.ProxyError),
    (httpcore.UnsupportedProtocol, httpx.UnsupportedProtocol),
    (httpcore.RemoteProtocolError, httpx.RemoteProtocolError),
    (httpcore.LocalProtocolError, httpx.LocalProtocolError),
    (httpcore.ProtocolError, httpx.ProtocolError),
)


_CORE_ERRORS = (
    httpcore.TimeoutException,
    httpcore.NetworkError,
    httpcore.ProtocolError,
    httpcore.ProxyError,
    httpcore.UnsupportedProtocol,
)


def _as_httpx(exc: Exception, request: httpx.Request) -> httpx.TransportError:
    for core, mapped in _ERRORS:
        if isinstance(exc, core):
            return mapped(str(exc) or type(exc).__name__, request=request)
    return httpx.TransportError(str(exc), request=request)


class _Clock(threading.local):
    """The deadline of the request the current thread is making (None: none)."""

    deadline: float | None = None

    def clip(self, timeout: float | None, exc: type[Exception]) -> float | None:
        """``timeout``, or less if the deadline is nearer; ``exc`` once it has passed."""
        if self.deadline is None:
            return timeout
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise exc("the deadline passed")
        return left if timeout is None else min(timeout, left)


class _Stream(httpcore.NetworkStream):
    def __init__(self, stream: httpcore.NetworkStream, clock: _Clock) -> None:
        self._stream = stream
        self._clock = clock

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, self._clock.clip(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, self._clock.clip(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        clipped = self._clock.clip(timeout, httpcore.ConnectTimeout)
        return _Stream(self._stream.start_tls(ssl_context, server_hostname, clipped), self._clock)

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class _Backend(httpcore.NetworkBackend):
    """httpcore's own sync backend, each operation bounded by the clock's deadline."""

    def __init__(self, clock: _Clock) -> None:
        self._backend = httpcore.SyncBackend()
        self._clock = clock

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        clipped = self._clock.clip(timeout, httpcore.ConnectTimeout)
        stream = self._backend.connect_tcp(host, port, clipped, local_address, socket_options)
        return _Stream(stream, self._clock)

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        clipped = self._clock.clip(timeout, httpcore.ConnectTimeout)
        stream = self._backend.connect_unix_socket(path, clipped, socket_options)
        return _Stream(stream, self._clock)

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


class _Body(httpx.SyncByteStream):
    """A response body whose reads keep the deadline and raise httpx's errors."""

    def __init__(self, stream: Iterable[bytes], request: httpx.Request, clock: _Clock) -> None:
        self._stream = stream
        self._request = request
        self._clock = clock
        self._deadline = clock.deadline

    def __iter__(self) -> Iterator[bytes]:
        self._clock.deadline = self._deadline
        try:
            yield from self._stream
        except _CORE_ERRORS as exc:
            raise _as_httpx(exc, self._request) from exc

    def close(self) -> None:
        close = getattr(self._stream, "close", None)
        if close is not None:
            close()


def _proxy_for(url: httpx.URL) -> str | None:
    """The proxy the environment names for ``url``, or None (``NO_PROXY`` honoured)."""
    proxies = urllib.request.getproxies_environment()
    proxy = proxies.get(url.scheme) or proxies.get("all")
    if not proxy or urllib.request.proxy_bypass(url.host):
        return None
    return proxy


class DeadlineTransport(httpx.BaseTransport):
    """HTTP/1.1 over httpcore; each request bounded by its ``deadline`` extension."""

    def __init__(self, *, proxies_from_env: bool = True) -> None:
        self._clock = _Clock()
        self._backend = _Backend(self._clock)
        self._ssl: ssl.SSLContext | None = None  # made on first use: loading CAs costs
        self._proxies_from_env = proxies_from_env
        self._pools: dict[str | None, httpcore.ConnectionPool | httpcore.HTTPProxy] = {}

    def _pool(self, proxy: str | None) -> httpcore.ConnectionPool | httpcore.HTTPProxy:
        pool = self._pools.get(proxy)
        if pool is not None:
            return pool
        if self._ssl is None:
            self._ssl = httpx.create_ssl_context()
        common: dict[str, Any] = {
            "ssl_context": self._ssl,
            "max_connections": 4,
            "keepalive_expiry": 5.0,
            "network_backend": self._backend,
        }
        if proxy is None:
            pool = httpcore.ConnectionPool(**common)
        else:
            url = httpx.URL(proxy if "://" in proxy else "http://" + proxy)
            if url.scheme not in ("http", "https"):
                raise OptionError(f"proxy {url.host!r}: only http:// and https:// proxies work")
            auth = (url.username, url.password) if url.username else None
            pool = httpcore.HTTPProxy(
                proxy_url=httpcore.URL(
                    scheme=url.raw_scheme, host=url.raw_host, port=url.port, target=b"/"
                ),
                proxy_auth=auth,
                **common,
            )
        self._pools[proxy] = pool
        return pool

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        deadline = request.extensions.get(DEADLINE)
        self._clock.deadline = float(deadline) if deadline is not None else None
        proxy = _proxy_for(request.url) if self._proxies_from_env else None
        core_request = httpcore.Request(
            method=request.method,
            url=httpcore.URL(
                scheme=request.url.raw_scheme,
                host=request.url.raw_host,
                port=request.url.port,
                target=request.url.raw_path,
            ),
            headers=request.headers.raw,
            content=request.stream,
            extensions=request.extensions,
        )
        try:
            response = self._pool(proxy).handle_request(core_request)
        except _CORE_ERRORS as exc:
            raise _as_httpx(exc, request) from exc
        assert isinstance(response.stream, Iterable)
        return httpx.Response(
            status_code=response.status,
            headers=response.headers,
            stream=_Body(response.stream, request, self._clock),
            extensions=response.extensions,
        )

    def close(self) -> None:
        for pool in self._pools.values():
            pool.close()
        self._pools.clear()
