"""The parts of uvicorn that implib/service/connections.py builds on, which are private.

``_Guard`` subclasses uvicorn's two HTTP protocols and relies on their
attributes (``cycle`` and its ``response_complete``, ``server_state``,
``connections``, ``transport``, ``loop``, ``client``) and methods
(``on_response_complete``, ``send_400_response``, the parser callbacks).
pyproject.toml bounds uvicorn to the tested minor series; these tests are
what fails first on a release that changes any of those parts: each drives
the real protocol over a real loopback socket, in-process.
"""

from __future__ import annotations

import asyncio
import inspect
import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import pytest
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.server import ServerState

from implib.service import connections
from implib.service.connections import _IDLE, GuardedH11Protocol

PROTOCOLS: list[Any] = [GuardedH11Protocol]
if connections.HttpToolsProtocol is not None:
    PROTOCOLS.append(connections.GuardedHttpToolsProtocol)

Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]


async def _hello(scope: MutableMapping[str, Any], receive: Receive, send: Send) -> None:
    await send(
        {"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"2")]}
    )
    await send({"type": "http.response.body", "body": b"hi"})


def test_the_methods_overridden_keep_their_signatures() -> None:
    bases = [H11Protocol]
    if connections.HttpToolsProtocol is not None:
        bases.append(connections.HttpToolsProtocol)
    for base in bases:
        for name, parameters in {
            "connection_made": ["self", "transport"],
            "data_received": ["self", "data"],
            "connection_lost": ["self", "exc"],
            "on_response_complete": ["self"],
            "send_400_response": ["self", "msg"],
            "pause_writing": ["self"],
            "resume_writing": ["self"],
        }.items():
            method = getattr(base, name, None)
            assert method is not None, f"{base.__name__}.{name} is gone"
            assert list(inspect.signature(method).parameters) == parameters, (base, name)
    if connections.HttpToolsProtocol is not None:
        for name in ("on_message_begin", "on_headers_complete"):
            assert list(
                inspect.signature(getattr(connections.HttpToolsProtocol, name)).parameters
            ) == ["self"]


async def _exchange(protocol: Any, requests: list[bytes]) -> tuple[list[bytes], list[Any], Any]:
    config = uvicorn.Config(_hello, http=protocol, lifespan="off", log_level="critical")
    config.load()
    state = ServerState()
    made: list[Any] = []

    def factory() -> asyncio.Protocol:
        instance = protocol(config=config, server_state=state, app_state={})
        made.append(instance)
        return instance  # type: ignore[no-any-return]

    server = await asyncio.get_running_loop().create_server(factory, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    answers = []
    try:
        for data in requests:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(data)
            answers.append(await asyncio.wait_for(reader.read(), 10))
            writer.close()
    finally:
        server.close()
    return answers, made, state


@pytest.mark.parametrize("protocol", PROTOCOLS, ids=lambda p: p.__name__)
def test_a_request_runs_through_the_parts_the_guard_uses(
    protocol: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    rejected: list[tuple[Any, int, int, str]] = []
    monkeypatch.setattr(connections, "_rejected", None)
    connections.on_rejected(lambda *args: rejected.append(args))
    good = b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    bad = b"GET / HTTP/1.1\r\nHost: x\x00\r\n\r\n"

    answers, made, state = asyncio.run(_exchange(protocol, [good, bad]))

    assert answers[0].startswith(b"HTTP/1.1 200") and answers[0].endswith(b"hi")
    # the cycle the guard reads to tell busy from idle, completed through on_response_complete
    assert made[0].cycle is not None and made[0].cycle.response_complete is True
    assert state.total_requests >= 1  # on_response_complete ran: uvicorn's counts it
    assert made[0].server_state is state and made[0].connections is state.connections
    assert isinstance(made[0].loop, asyncio.AbstractEventLoop)
    assert made[0].client[0] == "127.0.0.1"
    # a request the parser refuses reaches send_400_response, which the guard answers
    head, _, body = answers[1].partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400 Bad Request")
    assert json.loads(body) == {"error": "malformed HTTP request", "status": 400}
    assert [(r[1], r[3]) for r in rejected] == [(400, "malformed HTTP request")]
    assert rejected[0][0] == made[1].client
    # the idle set is keyed by uvicorn's server state
    assert state in _IDLE
