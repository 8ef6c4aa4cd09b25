"""GraphQL over WebSocket at `/graphql`: the graphql-transport-ws protocol of the `graphql-ws`
library (https://github.com/enisdenjo/graphql-ws/blob/master/PROTOCOL.md), on Strawberry's own
handler (`ws_protocol` holds the conversation). The legacy `graphql-ws` subprotocol is not
offered (closed with 4406).

- The upgrade is refused (HTTP, JSON body with `extensions.code`) for a browser page on an
  origin that is neither this host nor in `GATEWAY_CORS_ORIGINS` (403 `ORIGIN_NOT_ALLOWED`;
  requests without `Origin` are not from browsers and pass), and when the process already has
  `GATEWAY_SUBSCRIPTION_MAX_CONNECTIONS` streams open (503 `TOO_MANY_SUBSCRIPTIONS`).
- Limits: `GATEWAY_SUBSCRIPTION_MAX_PER_CONNECTION` operations in flight (then an `error`
  `TOO_MANY_SUBSCRIPTIONS`), messages of at most `GATEWAY_MAX_BODY_BYTES` (close 1009),
  `connection_init` within `GATEWAY_SUBSCRIPTION_INIT_TIMEOUT_SECONDS` (close 4408), and a
  socket without an operation for `GATEWAY_SUBSCRIPTION_IDLE_SECONDS` is closed (1000). A `ping`
  message every `GATEWAY_SUBSCRIPTION_KEEPALIVE_SECONDS` keeps proxies from closing it.

Every socket sends from its own tasks: a client that stops reading holds back its own
operations only (and, through the hub's bounded queues, nothing else).
"""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator, Mapping
from contextlib import suppress
from datetime import timedelta
from typing import Any, cast

import orjson
import strawberry
from starlette.responses import Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState
from starlette.websockets import WebSocketDisconnected as ClosedAlready
from strawberry.asgi import ASGIWebSocketAdapter, GraphQL
from strawberry.http.exceptions import (
    NonJsonMessageReceived,
    NonTextMessageReceived,
    WebSocketDisconnected,
)
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL

from gateway.config import Settings
from gateway.http.execution import error_body
from gateway.http.persisted_queries import PersistedQueries
from gateway.http.streams import (
    FULL_RETRY_AFTER_SECONDS,
    TOO_MANY_SUBSCRIPTIONS,
    StreamRunner,
    StreamSlots,
    encode_json,
    internal_error,
)
from gateway.http.ws_protocol import TransportWSHandler
from gateway.protection.rate_limit import Buckets

ORIGIN_NOT_ALLOWED = "ORIGIN_NOT_ALLOWED"
MAX_CLOSE_REASON_BYTES = 123  # what a WebSocket close frame can carry


class FrameAdapter(ASGIWebSocketAdapter):
    """Strawberry's adapter, with the request size limit applied to every message, and a
    socket closed already (by either side) reported as disconnected, never as a crash."""

    async def iter_json(
        self, *, ignore_parsing_errors: bool = False
    ) -> AsyncGenerator[object, None]:
        limit = cast(GraphQLWebSocket, self.view).settings.max_body_bytes
        try:
            while self.ws.application_state != WebSocketState.DISCONNECTED:
                text = await self.ws.receive_text()
                if len(text) > limit or (len(text) * 4 > limit and len(text.encode()) > limit):
                    await self.close(1009, f"A message may be at most {limit} bytes")
                    return
                try:
                    yield self.view.decode_json(text)
                except (json.JSONDecodeError, RecursionError) as error:
                    if not ignore_parsing_errors:
                        raise NonJsonMessageReceived from error
        except KeyError as error:  # a binary frame
            raise NonTextMessageReceived from error
        except WebSocketDisconnect:
            pass

    async def send_json(self, message: Mapping[str, object]) -> None:
        try:
            await super().send_json(message)
        except ClosedAlready as error:
            raise WebSocketDisconnected from error

    async def close(self, code: int, reason: str) -> None:
        if self.ws.application_state == WebSocketState.DISCONNECTED:
            return
        reason = reason.encode()[:MAX_CLOSE_REASON_BYTES].decode(errors="ignore")
        with suppress(WebSocketDisconnect, ClosedAlready):
            await self.ws.close(code, reason)


class GraphQLWebSocket(GraphQL[None, None]):
    """The ASGI app of the `/graphql` WebSocket route."""

    graphql_transport_ws_handler_class = TransportWSHandler
    websocket_adapter_class = FrameAdapter

    def __init__(
        self,
        schema: strawberry.Schema,
        settings: Settings,
        persisted: PersistedQueries,
        slots: StreamSlots,
        buckets: Buckets | None = None,
    ) -> None:
        super().__init__(
            schema,
            graphql_ide=None,
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
            connection_init_wait_timeout=timedelta(seconds=settings.subscription_init_timeout),
            max_subscriptions_per_connection=settings.subscription_max_per_connection,
            allowed_origins=settings.cors_origin_list,
        )
        self.settings = settings
        self.runner = StreamRunner(schema, persisted)
        self.slots = slots
        self.buckets = buckets

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        websocket = WebSocket(scope, receive, send)
        if not self._check_websocket_origin(websocket):
            await self.reject_websocket(websocket)
            return
        if not self.slots.take():
            message = "This gateway has as many subscriptions open as it serves; try again later"
            retry = {"retry-after": str(FULL_RETRY_AFTER_SECONDS)}
            await _refuse(websocket, 503, message, TOO_MANY_SUBSCRIPTIONS, retry)
            return
        try:
            await self.run(websocket)
        except Exception as error:  # a bug of ours: the log has it, the client a close code
            internal_error(error)
            with suppress(Exception):
                await websocket.close(4500, "Internal server error")
        finally:
            self.slots.give_back()

    async def reject_websocket(self, request: WebSocket) -> WebSocket:
        message = "Pages on this origin may not open WebSockets to this gateway"
        await _refuse(request, 403, message, ORIGIN_NOT_ALLOWED)
        return request

    async def get_context(self, request: Any, response: Any) -> None:
        """None: each operation gets its own context (`TransportWSHandler._context`)."""
        return None

    def encode_json(self, data: object) -> str:
        return encode_json(data).decode()

    def decode_json(self, data: str | bytes) -> object:
        """orjson: its `JSONDecodeError` is `json`'s, and nesting has a limit."""
        return orjson.loads(data)


async def _refuse(
    websocket: WebSocket,
    status: int,
    message: str,
    code: str,
    headers: Mapping[str, str] | None = None,
) -> None:
    """Refuse the upgrade with an HTTP answer clients can read, where the server supports it
    (uvicorn does); else close before accepting, which servers answer with 403."""
    if "websocket.http.response" in websocket.scope.get("extensions", {}):
        body = encode_json(error_body(message, code))
        response = Response(body, status, dict(headers or {}), "application/json")
        await websocket.send_denial_response(response)
    else:
        await websocket.close(1008 if status == 403 else 1013)
