"""ASGI middleware applying the per-client rate limit to `/graphql` (one token per HTTP request;
a batch is one request, bounded by the maximum batch size).

A client is its `Authorization` header (hashed: the bucket key is stored, maybe in Redis), or its
IP address without one. Behind a proxy, the IP is the proxy's unless uvicorn trusts it
(`FORWARDED_ALLOW_IPS`), in which case uvicorn puts the client's address from `X-Forwarded-For` in
its place. A refusal is HTTP 429 with `Retry-After` and a GraphQL error `RATE_LIMITED`.
"""

from __future__ import annotations

import hashlib
import math

from starlette.types import ASGIApp, Receive, Scope, Send

from gateway.observability.metrics import RATE_LIMITED as RATE_LIMITED_COUNT
from gateway.observability.responses import send_error
from gateway.protection.errors import RATE_LIMITED
from gateway.protection.rate_limit import Buckets

LIMITED_PATHS = frozenset({"/graphql"})


class RateLimitMiddleware:
    def __init__(self, app: ASGIApp, buckets: Buckets | None) -> None:
        self.app = app
        self.buckets = buckets  # None: no limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            self.buckets is None
            or scope["type"] != "http"
            or scope["path"] not in LIMITED_PATHS
            or scope["method"] == "OPTIONS"  # CORS preflights carry no credentials
        ):
            await self.app(scope, receive, send)
            return
        wait = await self.buckets.take(client_key(scope))
        if wait <= 0:
            await self.app(scope, receive, send)
            return
        RATE_LIMITED_COUNT.inc()
        await _too_many_requests(send, math.ceil(wait))


def client_key(scope: Scope) -> str:
    for name, value in scope.get("headers", []):
        if name == b"authorization" and value:
            return "auth:" + hashlib.sha256(value).hexdigest()[:32]
    client = scope.get("client")
    return f"ip:{client[0] if client else 'unknown'}"


async def _too_many_requests(send: Send, retry_after: int) -> None:
    await send_error(
        send,
        429,
        f"Too many requests: retry in {retry_after} s",
        {"code": RATE_LIMITED, "retryAfter": retry_after},
        [(b"retry-after", str(retry_after).encode())],
    )
