"""GraphQL over Server-Sent Events: the "distinct connections" mode of the graphql-sse protocol
(https://github.com/enisdenjo/graphql-sse/blob/master/PROTOCOL.md).

A request to `/graphql` that accepts `text/event-stream` (POST with a JSON body, or GET with the
operation in the query string, queries and subscriptions only) carries one operation. Its answer
is `event: next` with one execution result per event, then `event: complete`; a query or a
mutation sends one `next`. Until the stream starts, errors are answered as the rest of the
endpoint answers them: JSON with a 4xx status (the persisted-query misses keep Apollo's 200), or
503 `TOO_MANY_SUBSCRIPTIONS` when the process has `GATEWAY_SUBSCRIPTION_MAX_CONNECTIONS` streams
open. A comment (`:`) every `GATEWAY_SUBSCRIPTION_KEEPALIVE_SECONDS` keeps proxies from closing a
quiet stream; when the client goes away, the operation is cancelled and its generator closed.

(Strawberry's own SSE transport reports a refused operation inside a stream already started,
and knows neither persisted queries nor the safelist: hence this one.)
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncGenerator, Callable

from starlette.types import Message, Receive, Scope, Send
from strawberry.utils.aio import aclosing

from gateway.http.streams import StreamItem, encode_json, internal_error

logger = logging.getLogger("gateway.subscriptions")

HEADERS = [
    (b"content-type", b"text/event-stream; charset=utf-8"),
    # Never cached, never compressed or buffered on the way (Nginx honours X-Accel-Buffering).
    (b"cache-control", b"no-cache, no-transform"),
    (b"x-accel-buffering", b"no"),
]
KEEP_ALIVE = b":\n\n"
COMPLETE = b"event: complete\ndata:\n\n"


def next_event(payload: dict[str, object]) -> bytes:
    return b"event: next\ndata: " + encode_json(payload) + b"\n\n"


class EventStream:
    """The answer of one admitted operation. `results` is started (and always closed) inside
    one task of this response; `release` runs once the response is over."""

    def __init__(
        self,
        results: Callable[[], AsyncGenerator[StreamItem, None]],
        keepalive_seconds: float,
        release: Callable[[], None],
        headers: list[tuple[bytes, bytes]] | None = None,
    ) -> None:
        self._results = results
        self._keepalive = keepalive_seconds
        self._release = release
        self._headers = [*HEADERS, *(headers or [])]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await send({"type": "http.response.start", "status": 200, "headers": self._headers})
            if await self._stream(receive, send):
                await send({"type": "http.response.body", "body": b"", "more_body": False})
        except OSError:  # the client went away while we wrote
            pass
        finally:
            self._release()

    async def _stream(self, receive: Receive, send: Send) -> bool:
        """Forward events until `complete` (True) or until the client disconnects (False).
        A one-slot queue: a client that reads slowly holds its own operation back, nothing
        else, and nothing piles up in memory."""
        queue: asyncio.Queue[bytes] = asyncio.Queue(maxsize=1)
        pump = asyncio.create_task(self._pump(queue))
        gone = asyncio.create_task(_disconnected(receive))
        try:
            while True:
                getter = asyncio.create_task(queue.get())
                done, _ = await asyncio.wait(
                    {getter, gone}, timeout=self._keepalive, return_when=asyncio.FIRST_COMPLETED
                )
                if getter not in done:
                    getter.cancel()
                    if gone in done:
                        return False
                    await send(_body(KEEP_ALIVE))
                    continue
                chunk = getter.result()
                await send(_body(chunk))
                if chunk is COMPLETE:
                    return True
        finally:
            pump.cancel()
            gone.cancel()
            await asyncio.gather(pump, gone, return_exceptions=True)

    async def _pump(self, queue: asyncio.Queue[bytes]) -> None:
        try:
            async with aclosing(self._results()) as results:
                async for item in results:
                    await queue.put(next_event(item.payload))
        except Exception as error:  # results() answers the schema's failures; this is a bug
            await queue.put(next_event({"errors": [internal_error(error)]}))
        await queue.put(COMPLETE)


def _body(chunk: bytes) -> Message:
    return {"type": "http.response.body", "body": chunk, "more_body": True}


async def _disconnected(receive: Receive) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass
