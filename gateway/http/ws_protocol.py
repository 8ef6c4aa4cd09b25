"""The graphql-transport-ws conversation of one socket (`subscriptions_ws` mounts it): Strawberry's
handler, with the gateway's callers, per-operation contexts and admission, coded errors, and
the keep-alive and idle timers.

- `connection_init` identifies the caller as an HTTP request would be: `authorization` (any
  case) and `x-visitor-refresh-token` from its payload, else from the upgrade request's headers.
  A new visitor session comes back in the `connection_ack` payload. Wix refusing a visitor token
  closes the socket with 4503 (4504 on a timeout), the reason starting with the error code.
- Each `subscribe` (subscriptions, and queries and mutations too) is one operation with a
  context of its own, as an HTTP request: rate limit, persisted query and safelist, then the
  schema's protections, before anything runs. Refusals and errors are `error` messages whose
  every error has `extensions.code`; only protocol violations close the socket.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections.abc import Mapping
from contextlib import suppress
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from starlette.websockets import WebSocket
from strawberry.asgi import ASGIWebSocketAdapter
from strawberry.http.exceptions import WebSocketDisconnected
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
    Operation,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.types import (
    ConnectionInitMessage,
    Message,
    SubscribeMessage,
)
from strawberry.utils.aio import aclosing

from gateway.graphql.context import Context
from gateway.http.context import VISITOR_SESSION_HEADER, context_for
from gateway.http.execution import error_body
from gateway.http.params import OperationParams, ProtocolError
from gateway.http.params import _operation as operation_params
from gateway.http.streams import (
    ALL_OPERATIONS,
    TOO_MANY_SUBSCRIPTIONS,
    Refusal,
    internal_error,
    new_request,
)
from gateway.observability.scope import RequestScope, request_scope
from gateway.protection.errors import RATE_LIMITED
from gateway.upstream.errors import UPSTREAM_TIMEOUT, UPSTREAM_UNAVAILABLE, UpstreamError

if TYPE_CHECKING:
    from gateway.http.subscriptions_ws import GraphQLWebSocket


@dataclass(frozen=True, slots=True)
class Credentials:
    """What identifies the caller of a socket (never logged)."""

    authorization: str | None
    visitor_refresh: str | None

    @classmethod
    def of(cls, payload: Mapping[str, object], headers: Mapping[str, str]) -> Credentials:
        """From the `connection_init` payload (keys in any case), else the upgrade headers."""
        fields = {str(key).lower(): value for key, value in payload.items()}
        found: list[str | None] = []
        for name in ("authorization", VISITOR_SESSION_HEADER):
            value = fields.get(name)
            if value is None:
                value = headers.get(name)
            if value is not None and not isinstance(value, str):
                raise ValueError(f"`{name}` must be a string")
            found.append(value)
        return cls(*found)

    def client_key(self, websocket: WebSocket) -> str:
        """The rate-limit bucket, as `RateLimitMiddleware` keys HTTP requests."""
        if self.authorization:
            return "auth:" + hashlib.sha256(self.authorization.encode()).hexdigest()[:32]
        client = websocket.client
        return f"ip:{client.host if client else 'unknown'}"


class Operations(dict[str, Operation[None, None]]):
    """The socket's operations in flight, and since when there are none (monotonic time)."""

    def __init__(self) -> None:
        super().__init__()
        self.idle_since: float | None = time.monotonic()
        self.changed = asyncio.Event()

    def __setitem__(self, key: str, value: Operation[None, None]) -> None:
        super().__setitem__(key, value)
        self._update()

    def __delitem__(self, key: str) -> None:
        super().__delitem__(key)
        self._update()

    def pop(self, key: str, *default: Any) -> Any:
        value = super().pop(key, *default)
        self._update()
        return value

    def _update(self) -> None:
        busy = bool(self)
        if busy == (self.idle_since is None):
            return
        self.idle_since = None if busy else time.monotonic()
        self.changed.set()


class TransportWSHandler(BaseGraphQLTransportWSHandler[None, None]):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.operations: Operations = Operations()
        self.gateway = cast("GraphQLWebSocket", self.view)
        self.socket = cast(ASGIWebSocketAdapter, self.websocket).ws
        self.credentials = Credentials(None, None)
        self.timer: asyncio.Task[None] | None = None

    def on_request_accepted(self) -> None:
        super().on_request_accepted()
        self.timer = asyncio.create_task(self._keep_alive_until_idle())

    async def shutdown(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
            with suppress(asyncio.CancelledError):
                await self.timer
        await super().shutdown()

    async def handle_message(self, message: Message) -> None:
        if not isinstance(message, dict) or not isinstance(message.get("type"), str):
            await self.handle_invalid_message("A message must be a JSON object with a `type`")
            return
        await super().handle_message(message)

    async def handle_connection_init(self, message: ConnectionInitMessage) -> None:
        if self.connection_timed_out:
            return
        if self.connection_init_timeout_task:
            self.connection_init_timeout_task.cancel()
        payload = message.get("payload") or {}
        if not isinstance(payload, dict):
            await self.websocket.close(4400, "Invalid connection init payload")
            return
        if self.connection_init_received:
            await self.websocket.close(4429, "Too many initialisation requests")
            return
        self.connection_init_received = True
        try:
            credentials = Credentials.of(payload, self.socket.headers)
        except ValueError as error:
            await self.websocket.close(4400, str(error))
            return
        try:
            context = await self._context(credentials)
        except UpstreamError as error:
            timeout = error.code == UPSTREAM_TIMEOUT
            code = UPSTREAM_TIMEOUT if timeout else UPSTREAM_UNAVAILABLE
            reason = f"{code}: Could not start a Wix visitor session"
            await self.websocket.close(4504 if timeout else 4503, reason)
            return
        session = context.caller.visitor_refresh_token if context.caller else None
        # Later operations stay the same Wix visitor.
        self.credentials = Credentials(credentials.authorization, session or None)
        if session:
            ack: Message = {"type": "connection_ack", "payload": {VISITOR_SESSION_HEADER: session}}
        else:
            ack = {"type": "connection_ack"}
        await self.send_message(ack)
        self.connection_acknowledged = True

    async def handle_subscribe(self, message: SubscribeMessage) -> None:
        if not self.connection_acknowledged:
            await self.websocket.close(4401, "Unauthorized")
            return
        operation_id, payload = message.get("id"), message.get("payload")
        if not isinstance(operation_id, str) or not isinstance(payload, dict):
            await self.websocket.close(4400, "A subscribe message needs an `id` and a `payload`")
            return
        if operation_id in self.operations:
            await self.websocket.close(4409, f"Subscriber for {operation_id} already exists")
            return
        limit = self.max_subscriptions_per_connection
        if limit is not None and len(self.operations) >= limit:
            message_text = f"At most {limit} operations may run at once on one connection"
            await self._refuse(operation_id, error_body(message_text, TOO_MANY_SUBSCRIPTIONS))
            return
        try:
            params = operation_params(payload)
        except ProtocolError as error:
            await self._refuse(operation_id, error_body(error.message, error.code))
            return
        operation: Operation[None, None] = Operation(
            self, operation_id, params.query or "", params.variables, params.operation_name
        )
        operation.task = asyncio.create_task(self._run(operation, params))
        operation.task.add_done_callback(self._task_done)
        self.operations[operation_id] = operation

    async def _run(self, operation: Operation[None, None], params: OperationParams) -> None:
        request = new_request()
        try:
            admitted = await self._admit(operation, params, request)
            if admitted is None:
                return
            query, context = admitted
            runner = self.gateway.runner
            results = runner.results(query, params, context, ALL_OPERATIONS, request)
            async with aclosing(results):
                async for item in results:
                    kind = "error" if item.refused else "next"
                    body = item.payload["errors"] if item.refused else item.payload
                    await operation.send_operation_message(
                        cast(Message, {"id": operation.id, "type": kind, "payload": body})
                    )
                    if item.refused:
                        return
            await operation.send_operation_message({"id": operation.id, "type": "complete"})
        except WebSocketDisconnected:
            pass  # the socket is gone: shutdown() cancels and awaits the rest
        except Exception as error:  # a bug of ours
            with request_scope(request), suppress(Exception):
                body = [internal_error(error)]
                await operation.send_operation_message(
                    {"id": operation.id, "type": "error", "payload": cast(Any, body)}
                )
        finally:
            if self.operations.get(operation.id) is operation:
                self.operations.pop(operation.id)

    async def _admit(
        self, operation: Operation[None, None], params: OperationParams, request: RequestScope
    ) -> tuple[str, Context] | None:
        """The document and context to run with, or None once a refusal is sent: the rate
        limit (one token per operation, as one per HTTP request), the caller's context, then
        the persisted query and the schema's checks."""
        with request_scope(request):
            buckets = self.gateway.buckets
            if buckets is not None:
                wait = await buckets.take(self.credentials.client_key(self.socket))
                if wait > 0:
                    retry = max(1, int(wait + 0.999))
                    body = error_body(f"Too many requests: retry in {retry} s", RATE_LIMITED)
                    body["errors"][0]["extensions"]["retryAfter"] = retry
                    await self._send_errors(operation, body["errors"])
                    return None
            try:
                context = await self._context(self.credentials)
            except UpstreamError as error:
                timeout = error.code == UPSTREAM_TIMEOUT
                code = UPSTREAM_TIMEOUT if timeout else UPSTREAM_UNAVAILABLE
                message = f"Could not start a Wix visitor session: {error.message}"
                await self._send_errors(operation, error_body(message, code)["errors"])
                return None
            admitted = await self.gateway.runner.admit(params, context, ALL_OPERATIONS)
            if isinstance(admitted, Refusal):
                await self._send_errors(operation, admitted.errors)
                return None
            return admitted, context

    async def _context(self, credentials: Credentials) -> Context:
        """The caller's context, built as for an HTTP request: per operation, so each has its
        own loaders and a visitor token refreshed when it nears expiry."""
        state = self.socket.app.state
        return await context_for(state, credentials.authorization, credentials.visitor_refresh)

    async def _send_errors(
        self, operation: Operation[None, None], errors: list[dict[str, Any]]
    ) -> None:
        await operation.send_operation_message(
            {"id": operation.id, "type": "error", "payload": cast(Any, errors)}
        )

    async def _refuse(self, operation_id: str, body: dict[str, Any]) -> None:
        """An `error` for an operation that never started (so was never registered)."""
        await self.send_message(
            {"id": operation_id, "type": "error", "payload": cast(Any, body["errors"])}
        )

    async def _keep_alive_until_idle(self) -> None:
        """Ping every keep-alive interval; close the socket once it has had no operation for
        the idle timeout. Monotonic time: timeouts, not business time."""
        idle = self.gateway.settings.subscription_idle_seconds
        keepalive = self.gateway.settings.subscription_keepalive_seconds
        next_ping = time.monotonic() + keepalive
        try:
            while True:
                now = time.monotonic()
                idle_since = self.operations.idle_since
                if idle_since is not None and now - idle_since >= idle:
                    await self.websocket.close(1000, f"No operation for {idle:g} s")
                    return
                if now >= next_ping:
                    if self.connection_acknowledged:
                        await self.send_message({"type": "ping"})
                    next_ping = now + keepalive
                wake = next_ping if idle_since is None else min(next_ping, idle_since + idle)
                self.operations.changed.clear()
                with suppress(TimeoutError):  # not wait_for: it can swallow a cancellation
                    async with asyncio.timeout(max(wake - now, 0)):
                        await self.operations.changed.wait()
        except WebSocketDisconnected:
            return  # the socket is closing
