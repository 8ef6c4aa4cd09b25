"""CORS for browser apps on other origins: only the configured origins (`GATEWAY_CORS_ORIGINS`)
may call the gateway from a page; with none configured no CORS headers are sent at all.

A preflight admits the request headers common GraphQL clients send (`ALLOWED_HEADERS`: Apollo
Client's client awareness and CSRF-prevention headers, W3C trace context and baggage, ...) and
those named by `GATEWAY_CORS_HEADERS`; a page sending any other header is refused by its browser.

GraphQL over SSE is an ordinary request (`Accept: text/event-stream`; `Last-Event-ID` when an
`EventSource` reconnects). WebSockets are outside CORS: the same list decides which pages may
open one (`subscriptions_ws`)."""

from __future__ import annotations

from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware

from gateway.config import Settings

ALLOWED_METHODS = ["GET", "POST"]
# What GraphQL clients send: JSON bodies, a token, the gateway's own request headers, and what
# common clients and tracing libraries add.
ALLOWED_HEADERS = [
    "accept",
    "authorization",
    "content-type",
    "x-request-id",
    "x-gateway-debug-upstream",
    "x-visitor-refresh-token",  # an anonymous client's Wix visitor session (gateway.identity)
    "last-event-id",  # sent by a reconnecting EventSource (SSE); the gateway resumes nothing
    # Apollo Client: `clientAwareness` (name, version), CSRF prevention, operation names.
    "apollographql-client-name",
    "apollographql-client-version",
    "apollo-require-preflight",
    "x-apollo-operation-name",
    # W3C Trace Context and Baggage (OpenTelemetry's browser instrumentation).
    "traceparent",
    "tracestate",
    "baggage",
]
EXPOSED_HEADERS = ["x-request-id", "retry-after", "x-visitor-refresh-token"]
PREFLIGHT_MAX_AGE = 600


def cors_middleware(settings: Settings) -> list[Middleware]:
    origins = settings.cors_origin_list
    if not origins:
        return []
    return [
        Middleware(
            CORSMiddleware,
            allow_origins=origins,
            allow_methods=ALLOWED_METHODS,
            allow_headers=allowed_headers(settings),
            expose_headers=EXPOSED_HEADERS,
            max_age=PREFLIGHT_MAX_AGE,
        )
    ]


def allowed_headers(settings: Settings) -> list[str]:
    """The default list and `GATEWAY_CORS_HEADERS`, each name once."""
    return list(dict.fromkeys([*ALLOWED_HEADERS, *settings.cors_header_list]))
