"""Helpers for the HTTP protocol tests: a gateway app built with given settings, over ASGI.

Upstream calls are counted from the embedded sandbox's request log, as in `tests.graphql`.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from gateway.clock import Clock
from gateway.config import Settings
from tests.frozen import FROZEN_AT
from tests.graphql import Gateway, open_gateway

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"


@asynccontextmanager
async def running(settings: Settings | None = None) -> AsyncIterator[Gateway]:
    """A fresh gateway (its own embedded sandbox, caches and persisted-query store), on a clock
    frozen at the tests' instant."""
    clock = Clock(frozen_at=FROZEN_AT)
    async with open_gateway(settings or Settings(gc_freeze=False), clock) as gateway:
        yield gateway


def sha256(query: str) -> str:
    return hashlib.sha256(query.encode()).hexdigest()


def persisted(query: str, *, send_query: bool = False, **extra: Any) -> dict[str, Any]:
    """A POST body naming `query` by its hash (and carrying its text with `send_query`)."""
    body: dict[str, Any] = {
        "extensions": {"persistedQuery": {"version": 1, "sha256Hash": sha256(query)}},
        **extra,
    }
    if send_query:
        body["query"] = query
    return body


def total_calls(gateway: Gateway) -> int:
    return sum(gateway.calls().values())
