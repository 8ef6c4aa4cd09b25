"""Subscribing in process: the real schema, a context built as the transports build it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from starlette.applications import Starlette

from gateway.graphql.schema import schema
from gateway.http.context import context_for

WAIT_SECONDS = 3.0


class Stream:
    def __init__(self, results: AsyncGenerator[Any, None]) -> None:
        self._results = results

    async def next(self, timeout: float = WAIT_SECONDS) -> dict[str, Any]:
        """The next result as a client sees it (`data` / `errors` with codes)."""
        result = await asyncio.wait_for(anext(self._results), timeout)
        answer: dict[str, Any] = {"data": result.data}
        if result.errors:
            answer["errors"] = [
                {"message": e.message, "extensions": e.extensions} for e in result.errors
            ]
        return answer

    async def nothing_within(self, seconds: float) -> bool:
        """True when no result arrives within `seconds`."""
        try:
            await asyncio.wait_for(anext(self._results), seconds)
        except TimeoutError:
            return True
        return False


@asynccontextmanager
async def subscription(
    app: Starlette,
    query: str,
    variables: dict[str, Any] | None = None,
    authorization: str | None = None,
) -> AsyncIterator[Stream]:
    context = await context_for(app.state, authorization, None)
    subscribed = await schema.subscribe(query, variable_values=variables, context_value=context)
    if isinstance(subscribed, AsyncGenerator):
        results = subscribed
    else:  # refused before it started (validation, `VisitorFieldsOnly`): one result

        async def once() -> AsyncGenerator[Any, None]:
            yield subscribed

        results = once()
    # Start it (it reaches its hub) before the test makes changes.
    first = asyncio.ensure_future(anext(results))
    await asyncio.sleep(0.05)

    async def chained() -> AsyncGenerator[Any, None]:
        yield await first
        async for item in results:
            yield item

    stream = Stream(chained())
    try:
        yield stream
    finally:
        first.cancel()
        await results.aclose()
