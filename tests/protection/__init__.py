"""Helpers for the protection, cache and observability tests: the gateway app built with chosen
settings on its embedded sandbox, queried over ASGI, its upstream calls counted from the sandbox's
request log (the `Gateway` of tests.graphql)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx

from gateway.clock import Clock
from gateway.config import Settings
from tests.frozen import FROZEN_AT
from tests.graphql import Gateway, open_gateway

JSON = {"accept": "application/json"}


@asynccontextmanager
async def gateway_app(**settings: Any) -> AsyncIterator[Gateway]:
    clock = Clock(frozen_at=FROZEN_AT)
    async with open_gateway(Settings(gc_freeze=False, **settings), clock, JSON) as gateway:
        yield gateway


async def graphql(
    gateway: Gateway,
    query: str,
    variables: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    """POST one operation; the response whatever its status."""
    body = {"query": query, "variables": variables}
    return await gateway.http.post("/graphql", json=body, headers=headers)


def error_of(response: httpx.Response) -> dict[str, Any]:
    """The only error of a refused operation, which ran nothing (no data)."""
    body = response.json()
    assert body.get("data") is None, body
    [error] = body["errors"]
    return error
