"""Subscribing in process: the real schema and a context built as the transports build it,
the results read by one task (as a transport's per-operation task reads them)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncGenerator, AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from graphql import GraphQLError
from starlette.applications import Starlette

from gateway.graphql.schema import schema
from gateway.http.context import context_for

WAIT_SECONDS = 3.0


class Stream:
    def __init__(self) -> None:
        self.results: asyncio.Queue[dict[str, Any]] = asyncio.Queue()

    async def next(self, seconds: float = WAIT_SECONDS) -> dict[str, Any]:
        """The next result as a client sees it (`data` / `errors` with their extensions)."""
        return await asyncio.wait_for(self.results.get(), seconds)

    async def nothing_within(self, seconds: float) -> bool:
        """True when no result arrives within `seconds`."""
        try:
            await asyncio.wait_for(self.results.get(), seconds)
        except TimeoutError:
            return True
        return False


def _as_client_sees(result: Any) -> dict[str, Any]:
    answer: dict[str, Any] = {"data": result.data}
    if result.errors:
        answer["errors"] = [
            {"message": error.message, "extensions": error.extensions} for error in result.errors
        ]
    return answer


async def settled(app: Starlette) -> None:
    """Until the embedded sandbox's webhooks so far are delivered and dispatched."""
    await app.state.sandbox.webhooks.drain()
    await app.state.live.settled()


@asynccontextmanager
async def subscription(
    app: Starlette,
    query: str,
    variables: dict[str, Any] | None = None,
    authorization: str | None = None,
) -> AsyncIterator[Stream]:
    stream = Stream()

    async def read() -> None:
        context = await context_for(app.state, authorization, None)
        try:
            subscribed = await schema.subscribe(
                query, variable_values=variables, context_value=context
            )
            if not isinstance(subscribed, AsyncGenerator):  # refused before it started
                await stream.results.put(_as_client_sees(subscribed))
                return
            async for result in subscribed:
                await stream.results.put(_as_client_sees(result))
        except GraphQLError as error:  # refused by a schema extension, as transports report it
            await stream.results.put({"data": None, "errors": [error.formatted]})

    reader = asyncio.create_task(read())
    await asyncio.sleep(0.05)  # it reaches its hub before the test makes changes
    try:
        yield stream
    finally:
        reader.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await reader
