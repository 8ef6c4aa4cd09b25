"""Helpers for the subscription transport tests: a small schema with subscriptions, mounted on
the real gateway app (its middleware, callers and settings), served by uvicorn, and a
graphql-transport-ws client over the `websockets` library.

The schema has the production schema's extensions (query protections, visitor-only fields,
masking, observability), so the transports are tested as the real `Subscription` type will be
served.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

import httpx
import strawberry
from graphql import GraphQLError
from starlette.applications import Starlette
from strawberry.schema.config import StrawberryConfig
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from gateway.app import create_app
from gateway.clock import Clock
from gateway.config import Settings
from gateway.graphql.context import Info
from gateway.graphql.execution import LeanExecutionContext
from gateway.graphql.schema import GatewaySchema
from gateway.graphql.schema import schema as gateway_schema
from gateway.http.graphql_endpoint import graphql_routes
from gateway.http.persisted_queries import persisted_queries_from
from gateway.identity.visitor_fields import visitor_safe
from gateway.protection.rate_limit import buckets_from
from tests.frozen import FROZEN_AT
from tests.graphql import TEST_ADMIN_KEY
from tests.servers import serve

PROTOCOL = "graphql-transport-ws"
ADMIN_AUTHORIZATION = f"Bearer {TEST_ADMIN_KEY}"
SECRET = "a secret the client must never see"


@dataclasses.dataclass
class Tracker:
    """What the schema's generators did, read by the tests (one server thread writes)."""

    started: int = 0
    closed: int = 0
    produced: int = 0


TRACK = Tracker()


@strawberry.type
class Node:
    n: int

    @strawberry.field
    def child(self) -> Node:
        return Node(n=self.n + 1)


def _caller_kind(info: Info) -> str:
    caller = info.context.caller
    return caller.kind.value if caller else "none"


@strawberry.type
class Query:
    @strawberry.field(metadata=visitor_safe())
    def hello(self) -> str:
        return "world"

    @strawberry.field(metadata=visitor_safe())
    def caller_kind(self, info: Info) -> str:
        return _caller_kind(info)


@strawberry.type
class Mutation:
    @strawberry.mutation(metadata=visitor_safe())
    def echo(self, text: str) -> str:
        return text


@strawberry.type
class Subscription:
    @strawberry.subscription(metadata=visitor_safe())
    async def count(self, to: int, pause: float = 0.0) -> AsyncGenerator[int, None]:
        for n in range(1, to + 1):
            yield n
            await asyncio.sleep(pause)

    @strawberry.subscription(metadata=visitor_safe())
    async def caller(self, info: Info) -> AsyncGenerator[str, None]:
        yield _caller_kind(info)
        yield info.context.caller.scope if info.context.caller else "none"

    @strawberry.subscription(metadata=visitor_safe())
    async def failing(self) -> AsyncGenerator[int, None]:
        yield 1
        raise GraphQLError("The event source broke", extensions={"code": "SOURCE_FAILED"})

    @strawberry.subscription(metadata=visitor_safe())
    async def broken(self) -> AsyncGenerator[int, None]:
        yield 1
        raise RuntimeError(SECRET)

    @strawberry.subscription(metadata=visitor_safe())
    async def forever(self) -> AsyncGenerator[int, None]:
        TRACK.started += 1
        try:
            yield 0
            await asyncio.Event().wait()  # until cancelled or closed
        finally:
            TRACK.closed += 1

    @strawberry.subscription(metadata=visitor_safe())
    async def flood(self, size: int) -> AsyncGenerator[str, None]:
        payload = "x" * size
        while True:
            TRACK.produced += 1
            yield payload
            await asyncio.sleep(0)

    @strawberry.subscription(metadata=visitor_safe())
    async def tree(self) -> AsyncGenerator[Node, None]:
        yield Node(n=0)

    @strawberry.subscription  # not visitor-safe: refused to anonymous callers on the API key
    async def admin_only(self) -> AsyncGenerator[int, None]:
        yield 1


SCHEMA = GatewaySchema(
    query=Query,
    mutation=Mutation,
    subscription=Subscription,
    config=StrawberryConfig(),
    execution_context_class=LeanExecutionContext,
    extensions=gateway_schema.extensions,
)


def settings_for(**values: Any) -> Settings:
    return Settings(**({"gc_freeze": False, "admin_keys": TEST_ADMIN_KEY} | values))


def subscription_app(settings: Settings | None = None) -> Starlette:
    """`create_app`, with `/graphql` (HTTP, SSE and WebSocket) serving `SCHEMA`."""
    settings = settings or settings_for()
    clock = Clock(frozen_at=FROZEN_AT)
    app = create_app(settings, clock)
    rate = settings.rate_limit_per_second
    buckets = buckets_from(rate, settings.rate_limit_burst, None, clock) if rate else None
    persisted = persisted_queries_from(settings, None, clock)
    routes = graphql_routes(SCHEMA, settings, persisted, buckets)
    others = [route for route in app.router.routes if getattr(route, "path", "") != "/graphql"]
    app.router.routes = [*routes, *others]
    return app


@contextmanager
def served(settings: Settings | None = None) -> Iterator[str]:
    """The app served by uvicorn on loopback; yields its base URL (`http://127.0.0.1:port`)."""
    with serve(subscription_app(settings)) as url:
        yield url


def ws_url(base: str) -> str:
    return base.replace("http://", "ws://") + "/graphql"


class Socket:
    """A graphql-transport-ws client on one connection."""

    def __init__(self, connection: ClientConnection) -> None:
        self.connection = connection

    async def send(self, message: dict[str, Any]) -> None:
        await self.connection.send(json.dumps(message))

    async def receive(self, seconds: float = 5.0, *, pings: bool = False) -> dict[str, Any]:
        """The next message (server `ping`s skipped unless `pings`)."""
        while True:
            message = json.loads(await asyncio.wait_for(self.connection.recv(), seconds))
            if pings or message.get("type") != "ping":
                return message

    async def init(self, payload: dict[str, Any] | None = None) -> dict[str, Any]:
        await self.send({"type": "connection_init", **({"payload": payload} if payload else {})})
        ack = await self.receive()
        assert ack["type"] == "connection_ack", ack
        return ack

    async def subscribe(self, operation_id: str, query: str | None, **payload: Any) -> None:
        body = {"query": query, **payload} if query is not None else payload
        await self.send({"id": operation_id, "type": "subscribe", "payload": body})

    async def run(self, query: str, operation_id: str = "1", **payload: Any) -> list[Any]:
        """Subscribe and collect until `complete` (the `next` payloads) or `error` (raised)."""
        await self.subscribe(operation_id, query, **payload)
        return await self.collect(operation_id)

    async def collect(self, operation_id: str) -> list[Any]:
        payloads = []
        while True:
            message = await self.receive()
            assert message.get("id") == operation_id, message
            if message["type"] == "complete":
                return payloads
            if message["type"] == "error":
                raise Refused(message["payload"])
            assert message["type"] == "next", message
            payloads.append(message["payload"])

    async def closed(self, seconds: float = 5.0) -> tuple[int, str]:
        """The close code and reason, once the server closes the connection."""
        try:
            while True:
                await asyncio.wait_for(self.connection.recv(), seconds)
        except ConnectionClosed as closed:
            assert closed.rcvd is not None, "closed without a close frame"
            return closed.rcvd.code, closed.rcvd.reason


class Refused(Exception):
    """An `error` message: its payload (a list of GraphQL errors)."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__(errors)
        self.errors = errors

    @property
    def codes(self) -> list[str]:
        return [error["extensions"]["code"] for error in self.errors]


@asynccontextmanager
async def socket(
    base: str,
    *,
    init: dict[str, Any] | bool = True,
    headers: dict[str, str] | None = None,
    origin: str | None = None,
    subprotocols: list[str] | None = None,
    **options: Any,
) -> AsyncIterator[Socket]:
    """A connection to `base`'s `/graphql`, acknowledged (`init`: its payload, or False);
    `options` go to `websockets`' `connect`."""
    async with connect(
        ws_url(base),
        subprotocols=subprotocols or [PROTOCOL],  # type: ignore[list-item]
        additional_headers=headers,
        origin=origin,  # type: ignore[arg-type]
        open_timeout=5,
        close_timeout=2,
        **options,
    ) as connection:
        opened = Socket(connection)
        if init is not False:
            await opened.init(init if isinstance(init, dict) else None)
        yield opened


async def until(condition: Callable[[], bool], seconds: float = 3.0) -> None:
    """Wait for `condition` (something the served app does in its own thread)."""
    deadline = asyncio.get_running_loop().time() + seconds
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.01)


SSE = {"accept": "text/event-stream"}


async def sse_events(response: httpx.Response) -> AsyncIterator[tuple[str, Any]]:
    """The events of a `text/event-stream` answer as `(event, data)`: `("next", payload)`,
    `("complete", None)`, and `("comment", text)` for keep-alive lines."""
    event: str | None = None
    data: list[str] = []
    async for line in response.aiter_lines():
        if line == "":
            if event is not None:
                text = "\n".join(data)
                yield event, json.loads(text) if text else None
            event, data = None, []
        elif line.startswith(":"):
            yield "comment", line[1:]
        elif line.startswith("event:"):
            event = line.removeprefix("event:").strip()
        elif line.startswith("data:"):
            data.append(line.removeprefix("data:").removeprefix(" "))


async def sse_all(response: httpx.Response) -> list[tuple[str, Any]]:
    """Every event until the stream ends (keep-alive comments left out)."""
    return [event async for event in sse_events(response) if event[0] != "comment"]
