"""The gateway's Starlette app: `/graphql`, `/healthz`, `/readyz`, `/metrics` over one `WixClient`.

With `GATEWAY_UPSTREAM=sandbox` (the default when no Wix variable is set) the upstream is the
embedded sandbox, reached through an in-process ASGI transport, so `python -m gateway` needs no
second port and no network; its `/_sandbox/...` controls (clock, faults, reset...) are served
here too. With `wix` the sandbox package is never imported.
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

import httpx
from redis.asyncio import Redis
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route

from gateway import observability
from gateway.bookings.outbox import SqliteOutbox, outbox_from
from gateway.bookings.reconciler import Reconciler
from gateway.cache.backends import cache_from
from gateway.cache.client import CachingWixClient, fresh_reads
from gateway.clock import Clock
from gateway.config import ENV_NAMES, ConfigurationError, Settings
from gateway.graphql.loaders import Loaders
from gateway.graphql.schema import schema
from gateway.http.app_page import app_page_routes
from gateway.http.cors import cors_middleware
from gateway.http.graphiql import GraphiQL
from gateway.http.graphql_endpoint import graphql_routes
from gateway.http.limits import BodySizeLimitMiddleware
from gateway.http.persisted_queries import persisted_queries_from
from gateway.http.webhooks import WixWebhookEndpoint
from gateway.identity.callers import AdminKeys, Callers
from gateway.identity.visitor_sessions import VisitorSessions
from gateway.live.changes import STALE_CACHE_KINDS
from gateway.live.deliveries import seen_events_from
from gateway.live.events import WixEvent
from gateway.live.hub import LiveHub
from gateway.live.webhooks import WebhookVerifier
from gateway.observability.metrics import metrics_endpoint
from gateway.observability.middleware import ObservabilityMiddleware
from gateway.protection.rate_limit import buckets_from
from gateway.protection.rate_limit_middleware import RateLimitMiddleware
from gateway.state.idempotency import idempotency_from
from gateway.upstream import Upstream, UpstreamError, WixClient
from gateway.upstream.oauth import OAuthApi

if TYPE_CHECKING:
    from gateway.sandbox.state import Sandbox

# Generation-0 threshold once start-up objects are frozen. A GraphQL response allocates many
# short-lived objects; with the default (700) the collector took about a third of the CPU at
# 64 clients (perf notes).
GC_GEN0_THRESHOLD = 50_000


async def healthz(request: Request) -> JSONResponse:
    """The process is up (no upstream call)."""
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> JSONResponse:
    """Wix (or the sandbox) answers Get Site Properties with our credentials (never cached)."""
    try:
        with fresh_reads():
            await Upstream(request.app.state.wix_client).services.get_site_properties()
    except UpstreamError as error:
        return JSONResponse({"status": "unavailable", "code": error.code}, 503)
    return JSONResponse({"status": "ready"})


def create_app(settings: Settings | None = None, clock: Clock | None = None) -> Starlette:
    """Build the app; also the import-string factory that each `--workers` process calls.

    `clock` is the business time of the gateway and of the embedded sandbox (real time unless a
    test gives a frozen one)."""
    settings = settings or Settings.from_env()
    clock = clock or Clock()
    sandbox: Sandbox | None = None
    transport: httpx.AsyncBaseTransport | None = None
    sandbox_controls: list[BaseRoute] = []  # `/_sandbox/...`, in sandbox mode only
    if settings.uses_embedded_sandbox:
        from gateway.sandbox.app import build_sandbox_app, control_routes
        from gateway.sandbox.state import Sandbox

        demo_bookings = settings.sandbox_demo_bookings
        sandbox = Sandbox.open(settings.sandbox_db, clock, demo_bookings=demo_bookings)
        transport = httpx.ASGITransport(app=build_sandbox_app(sandbox))
        sandbox_controls = control_routes(sandbox)
    observability.configure(settings)
    # One Redis connection pool for everything shared by replicas (cache, persisted queries,
    # rate limits, idempotency keys); None keeps all of them in process.
    redis = Redis.from_url(settings.redis_url) if settings.redis_url else None
    cache = cache_from(redis, settings.cache_max_entries, clock)
    client = CachingWixClient(settings, cache, transport=transport)
    rate = settings.rate_limit_per_second
    buckets = buckets_from(rate, settings.rate_limit_burst, redis, clock) if rate else None
    persisted = persisted_queries_from(settings, redis, clock)

    outbox = outbox_from(settings, redis)
    reconciler = Reconciler(outbox, Upstream(client), clock)
    live = live_hub(redis, client)
    webhooks = WixWebhookEndpoint(
        webhook_verifier(settings, sandbox, clock), seen_events_from(redis, clock), live
    )

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if settings.gc_freeze:
            _freeze_startup_garbage()
        reconciling = asyncio.create_task(reconciler.run_forever(settings.reconcile_seconds))
        await live.start(wait=False)
        try:
            yield
        finally:
            reconciling.cancel()
            await live.aclose()
            if sandbox is not None:
                await sandbox.webhooks.aclose()
            if isinstance(outbox, SqliteOutbox):
                outbox.close()
            await client.aclose()
            if redis is not None:
                await redis.aclose()

    graphiql = GraphiQL()  # the page at GET /graphql (browsers) and its files
    app = Starlette(
        routes=[
            *graphql_routes(schema, settings, persisted, buckets, graphiql),  # HTTP, SSE, WS
            *graphiql.routes(),
            Route("/webhooks/wix", webhooks),
            Route("/healthz", healthz, methods=["GET"]),
            Route("/readyz", readyz, methods=["GET"]),
            Route("/metrics", metrics_endpoint, methods=["GET"]),
            *app_page_routes(),  # the reference booking app, /app/ (`make web` builds it)
            *sandbox_controls,
        ],
        # Outermost first: every request gets its id and log line, refused ones included;
        # refusals carry CORS headers so that browser apps can read them.
        middleware=[
            Middleware(ObservabilityMiddleware),
            *cors_middleware(settings),
            Middleware(RateLimitMiddleware, buckets=buckets),
            Middleware(BodySizeLimitMiddleware, max_body_bytes=settings.max_body_bytes),
        ],
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.clock = clock
    app.state.wix_client = client
    app.state.sandbox = sandbox
    app.state.idempotency = idempotency_from(redis, clock, settings.idempotency_lease)
    app.state.callers = callers_from(settings, client, clock)
    app.state.outbox = outbox
    app.state.reconciler = reconciler
    app.state.live = live
    if sandbox is not None:
        app.state.sandbox_webhook_target = _delivered_in_process(app)
        sandbox.webhooks.add_local_target(app.state.sandbox_webhook_target)
    return app


def _delivered_in_process(app: Starlette) -> Callable[[str], Awaitable[int]]:
    """How the embedded sandbox sends its webhooks: a POST to this app's `/webhooks/wix`
    through the whole middleware stack, in process (no port, no configuration)."""
    transport = httpx.ASGITransport(app=app)

    async def send(token: str) -> int:
        async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as http:
            headers = {"content-type": "text/plain"}
            response = await http.post("/webhooks/wix", content=token, headers=headers)
        return response.status_code

    return send


def live_hub(redis: Redis | None, client: CachingWixClient) -> LiveHub:
    """The hub of Wix events; each event first drops the cached reads it made stale."""
    business = Upstream(client)
    hub = LiveHub(redis, lambda: Loaders(business).site_time_zone())

    async def invalidate_caches(event: WixEvent) -> None:
        await client.invalidate(STALE_CACHE_KINDS.get(event.entity_fqdn, ()))

    hub.observe(invalidate_caches)
    return hub


def webhook_verifier(
    settings: Settings, sandbox: Sandbox | None, clock: Clock
) -> WebhookVerifier | None:
    """Verifies with `WIX_WEBHOOK_PUBLIC_KEY`, or the embedded sandbox's own key; None: no key,
    every delivery refused."""
    key = settings.wix_webhook_public_key
    if sandbox is not None:
        key = sandbox.webhooks.public_key_pem
    if not key:
        return None
    try:
        return WebhookVerifier(key, clock)
    except ValueError as error:
        raise ConfigurationError(
            f"{ENV_NAMES['wix_webhook_public_key']} is not an RSA public key in PEM: {error}"
        ) from None


def callers_from(settings: Settings, client: WixClient, clock: Clock) -> Callers:
    """Admin keys, and visitor sessions when a Wix Headless client id is configured."""
    visitors = None
    if settings.wix_client_id:
        visitors = VisitorSessions(OAuthApi(client), settings.wix_client_id, clock)
    return Callers(AdminKeys(settings.admin_key_list), visitors)


def _freeze_startup_garbage() -> None:
    """Move everything alive after start-up out of the collector's sight, then collect rarely."""
    gc.collect()
    gc.freeze()
    _, gen1, gen2 = gc.get_threshold()
    gc.set_threshold(GC_GEN0_THRESHOLD, gen1, gen2)
