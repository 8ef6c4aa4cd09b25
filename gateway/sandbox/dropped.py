"""Closing a client's connection without any answer (the `drop` fault, a test control).

ASGI has no "abort" message: an app that raises, or returns without answering, makes uvicorn
answer 500. So `SandboxApp`, the outermost app, keeps the server's own `receive` and `send` in the
scope, and `DroppedAnswer` closes the socket behind them (uvicorn's `send` is a method of its
request cycle, which holds the connection's transport), then waits for the server's
`http.disconnect`: uvicorn then sends nothing and logs no error. Without a reachable transport
(httpx's in-process `ASGITransport`) it raises `AnswerDropped` instead: that transport hands the
app's exception to the client as is, and `AnswerDropped` is the `httpx.RemoteProtocolError` an
HTTP client sees for a connection closed without an answer, so callers handle both alike.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any, Protocol

import httpx
from starlette.applications import Starlette
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

logger = logging.getLogger("gateway.sandbox")
_CONNECTION = "gateway.sandbox.connection"
# How long to wait for the server to notice the closed connection (it takes one loop turn).
DISCONNECT_WAIT_SECONDS = 5.0


class AnswerDropped(httpx.RemoteProtocolError):
    """Raised to an in-process client in place of the answer a `drop` fault swallowed."""

    def __init__(self) -> None:
        super().__init__("Server disconnected without sending a response (sandbox drop fault).")


class _Transport(Protocol):
    def close(self) -> None: ...


@dataclass(frozen=True)
class _Connection:
    receive: Receive
    send: Send

    def transport(self) -> _Transport | None:
        """The socket's transport when the server is uvicorn (any of its HTTP/1.1 protocols)."""
        transport: Any = getattr(getattr(self.send, "__self__", None), "transport", None)
        return transport if callable(getattr(transport, "close", None)) else None


class SandboxApp(Starlette):
    """Starlette, keeping the server's `receive`/`send` in the scope for `DroppedAnswer`."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            scope[_CONNECTION] = _Connection(receive, send)
        await super().__call__(scope, receive, send)


class DroppedAnswer(Response):
    """No answer: the client's connection is closed instead (see the module docstring)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        connection = scope.get(_CONNECTION)
        if not isinstance(connection, _Connection) or (transport := connection.transport()) is None:
            raise AnswerDropped()
        transport.close()
        try:
            async with asyncio.timeout(DISCONNECT_WAIT_SECONDS):
                while (await connection.receive())["type"] != "http.disconnect":
                    pass  # the rest of a request body nobody reads any more
        except TimeoutError:
            logger.warning("dropped an answer, but the server did not report the disconnect")
