"""How long, and how many, connections ``implib serve`` keeps open.

uvicorn closes an idle keep-alive connection, but not one that sends nothing
or sends its head a byte at a time, nor one whose client stops reading an
answer; and past ``limit_concurrency`` it answers 503 however many of the open
connections are idle, so idle and slow clients could lock out real requests.
Its two HTTP protocols (httptools, h11) are subclassed here to add, per worker,
the bounds of :class:`Limits`: a header timeout, a send timeout, and a
connection bound that makes room by closing the longest-idle connection (a new
one gets 503 only when every connection is busy answering). A worker reads its
limits from the environment (:meth:`Limits.from_env`): uvicorn starts each
worker process afresh. docs/service.md says what each bound is for.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import dataclasses
import json
import os
import struct
import sys
import weakref
from collections.abc import Callable
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

__all__ = ["GuardedH11Protocol", "Limits", "on_rejected", "protocol_class"]

try:  # httptools' parser is uvicorn's fast one, but it buffers headers without a limit
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
except ImportError:  # no httptools: h11, whose limit uvicorn enforces (run() sets it)
    HttpToolsProtocol = None  # type: ignore[assignment,misc]

#: The request head's size bound (request line and headers), in bytes.
MAX_HEADER_BYTES = 8 * 1024

if sys.platform == "linux":  # the bytes in a socket's send queue, not yet acknowledged
    import fcntl
    import termios

    _OUTQ: int | None = termios.TIOCOUTQ  # = SIOCOUTQ for sockets
else:
    _OUTQ = None

_ENV = "IMPLIB_SERVE_LIMITS"


@dataclasses.dataclass(frozen=True)
class Limits:
    """The connection limits of one worker."""

    header_timeout: float = 10.0  # seconds for a request's head to arrive whole
    keep_alive: float = 5.0  # seconds an idle connection is kept after a response
    max_connections: int = 1000  # open at once, per worker
    send_timeout: float = 30.0  # seconds a client may leave a full send buffer unread

    def to_env(self) -> dict[str, str]:
        """The environment that hands these limits to the worker processes."""
        return {_ENV: json.dumps(dataclasses.asdict(self))}

    @classmethod
    def from_env(cls) -> Limits:
        text = os.environ.get(_ENV)
        return cls(**json.loads(text)) if text else cls()


_limits: Limits | None = None


def _current() -> Limits:
    global _limits
    if _limits is None:
        _limits = Limits.from_env()
    return _limits


#: Per server (one per worker): its idle connections, the longest idle first.
_IDLE: weakref.WeakKeyDictionary[Any, collections.OrderedDict[_Guard, None]] = (
    weakref.WeakKeyDictionary()
)

#: Told of each request refused before it reaches the app (a malformed one): with the
#: client's address, the status, the body's size and what was wrong. The app sets it
#: (server.create_app), so that such requests get an access-log line too.
Rejected = Callable[[Any, int, int, str], object]
_rejected: Rejected | None = None

_REASONS = {400: b"Bad Request", 431: b"Request Header Fields Too Large"}


def on_rejected(hook: Rejected | None) -> None:
    """Call ``hook`` for every request refused by the protocol (not the app)."""
    global _rejected
    _rejected = hook


def _rejection(status: int, message: str) -> tuple[bytes, int]:
    """A whole JSON error response that closes the connection, and its body's size."""
    body = json.dumps({"error": message, "status": status}).encode() + b"\n"
    head = (
        b"HTTP/1.1 %d %s\r\ncontent-type: application/json\r\ncontent-length: %d\r\n"
        b"cache-control: no-store\r\nx-content-type-options: nosniff\r\n"
        b"connection: close\r\n\r\n" % (status, _REASONS[status], len(body))
    )
    return head + body, len(body)


_REFUSAL = json.dumps({"error": "too many connections, all busy", "status": 503}).encode() + b"\n"
_REFUSAL_RESPONSE = (
    b"HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\n"
    b"content-length: %d\r\nconnection: close\r\n\r\n%s" % (len(_REFUSAL), _REFUSAL)
)


class _Guard:
    """The limits, over either of uvicorn's HTTP protocols (put first in the bases)."""

    # what uvicorn's protocols have
    transport: asyncio.Transport
    loop: asyncio.AbstractEventLoop
    cycle: Any
    connections: set[Any]
    server_state: Any

    _head_timer: asyncio.TimerHandle | None = None
    _send_timer: asyncio.TimerHandle | None = None
    _send_left = 0  # bytes buffered when the send timer was armed

    def _idle(self) -> collections.OrderedDict[_Guard, None]:
        idle = _IDLE.get(self.server_state)
        if idle is None:
            idle = _IDLE[self.server_state] = collections.OrderedDict()
        return idle

    def _busy(self) -> bool:
        """Whether a request's head has arrived whose response is not yet sent."""
        return self.cycle is not None and not self.cycle.response_complete

    def _arm(self) -> None:
        self._disarm()
        self._head_timer = self.loop.call_later(_current().header_timeout, self._head_timed_out)

    def _disarm(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_timed_out(self) -> None:
        self._head_timer = None
        if not self._busy() and not self.transport.is_closing():
            self.transport.close()

    def _unsent(self) -> int:
        """The bytes of answers the client has not taken: the transport's buffer, and on
        Linux the kernel's send queue (the buffer alone shrinks only when about half
        of that queue has gone, so a slow reader would look stalled)."""
        unsent = self.transport.get_write_buffer_size()
        sock = self.transport.get_extra_info("socket")
        if _OUTQ is not None and sock is not None:
            with contextlib.suppress(OSError, ValueError):  # closed meanwhile
                unsent += struct.unpack("i", fcntl.ioctl(sock.fileno(), _OUTQ, b"\0" * 4))[0]
        return unsent

    def _stalled(self) -> None:
        if self._send_timer is None:
            self._send_left = self._unsent()
            self._send_timer = self.loop.call_later(_current().send_timeout, self._send_checked)

    def _send_checked(self) -> None:
        """The send timeout passed: wait again if the client took something, else abort."""
        self._send_timer = None
        if not self.transport.get_write_buffer_size():
            return  # all handed to the kernel (resume_writing follows)
        if self._unsent() < self._send_left:
            self._stalled()
        else:
            self.transport.abort()

    def _stop_send(self) -> None:
        if self._send_timer is not None:
            self._send_timer.cancel()
            self._send_timer = None

    def pause_writing(self) -> None:  # bytes wait in the transport: the client reads slowly
        super().pause_writing()  # type: ignore[misc]
        self._stalled()

    def resume_writing(self) -> None:  # the buffer has drained
        super().resume_writing()  # type: ignore[misc]
        self._stop_send()

    def send_400_response(self, msg: str) -> None:
        """uvicorn's answer to a request its parser refuses, in JSON, with a log line."""
        self._refuse(400, "malformed HTTP request")

    def _refuse(self, status: int, message: str) -> None:
        response, size = _rejection(status, message)
        if not self.transport.is_closing():
            self.transport.write(response)
            self.transport.close()
        if _rejected is not None:
            _rejected(getattr(self, "client", None), status, size, message)

    def _evict(self) -> None:
        self._idle().pop(self, None)
        self._disarm()
        if self.transport.get_write_buffer_size():  # an answer nobody reads: room now
            self.transport.abort()
        elif not self.transport.is_closing():
            self.transport.close()

    def connection_made(self, transport: Any) -> None:  # an asyncio.Transport
        super().connection_made(transport)  # type: ignore[misc]
        # Paused as soon as a byte waits in the transport, resumed once all is sent: so
        # every answer (uvicorn's own closes included) is under the send timeout.
        transport.set_write_buffer_limits(high=0)
        idle = self._idle()
        if len(self.connections) > _current().max_connections:
            # the longest idle, one with an answer still being sent only if none is free
            victim = next((c for c in idle if not c.transport.get_write_buffer_size()), None)
            victim = victim or next(iter(idle), None)
            if victim is None:  # every connection is answering a request: turn this one away
                transport.write(_REFUSAL_RESPONSE)
                transport.close()
                return
            victim._evict()
        idle[self] = None
        self._arm()

    def data_received(self, data: bytes) -> None:
        cycle = self.cycle
        super().data_received(data)  # type: ignore[misc]
        if self.cycle is not cycle:  # a request's head is complete: busy until answered
            self._disarm()
            self._idle().pop(self, None)
        elif self._head_timer is None and not self._busy() and not self.transport.is_closing():
            self._arm()  # the first bytes of the next request

    def on_response_complete(self) -> None:
        super().on_response_complete()  # type: ignore[misc]
        if not self._busy() and not self.transport.is_closing():
            idle = self._idle()
            idle[self] = None
            idle.move_to_end(self)

    def connection_lost(self, exc: Exception | None) -> None:
        super().connection_lost(exc)  # type: ignore[misc]
        self._disarm()
        self._stop_send()
        self._idle().pop(self, None)


class GuardedH11Protocol(_Guard, H11Protocol):
    """uvicorn's h11 protocol with the limits."""


if HttpToolsProtocol is not None:

    class GuardedHttpToolsProtocol(_Guard, HttpToolsProtocol):
        """uvicorn's httptools protocol with the limits, and a bound on the head's size.

        httptools gathers a header until it is complete, however long, so the
        bound is counted on the bytes received while a request's head is
        unfinished: a client that sends headers forever is cut off after
        MAX_HEADER_BYTES (give or take one read), not buffered.
        """

        _in_head = True  # a new connection starts with a request's head
        _head_bytes = 0

        def on_message_begin(self) -> None:
            self._in_head, self._head_bytes = True, 0
            super().on_message_begin()

        def on_headers_complete(self) -> None:
            self._in_head = False
            super().on_headers_complete()

        def data_received(self, data: bytes) -> None:
            was_in_head = self._in_head
            super().data_received(data)
            if was_in_head and self._in_head and not self.transport.is_closing():
                self._head_bytes += len(data)
                if self._head_bytes > MAX_HEADER_BYTES:
                    self._refuse(431, "request headers too large")


def protocol_class(http: str = "auto") -> type[asyncio.Protocol]:
    """The protocol ``run`` gives uvicorn: httptools when installed (``auto``), else h11."""
    if http == "auto" and HttpToolsProtocol is not None:
        return GuardedHttpToolsProtocol
    return GuardedH11Protocol
