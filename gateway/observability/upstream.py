"""The hook `WixClient` calls after every attempt: feeds the request scope, metrics and spans."""

from __future__ import annotations

import time

from gateway.observability import metrics, tracing
from gateway.observability.scope import UpstreamCall, add_call

# Path template prefix -> the Wix API it belongs to (metrics label); the first match wins.
API_PREFIXES: tuple[tuple[str, str], ...] = (
    ("/bookings/v2/services", "services"),
    ("/bookings/v1/booking-policies", "booking-policies"),
    ("/site-properties/", "site-properties"),
    ("/form-schema-service/", "forms"),
    ("/_api/service-availability/", "time-slots"),
    ("/_api/bookings-reader/", "bookings-reader"),
    ("/_api/bookings-service/v2/multi_service_bookings", "multi-service-bookings"),
    ("/_api/bookings-service/", "bookings-writer"),
    ("/bookings/v2/", "bookings-writer"),
    ("/v1/anonymous-bookings", "anonymous-bookings"),
)


def api_of(template: str) -> str:
    for prefix, api in API_PREFIXES:
        if template.startswith(prefix):
            return api
    return "other"


def record_upstream_call(method: str, template: str, status: int | None, started: float) -> None:
    """`started` is the attempt's `time.perf_counter()`; `template` the path before expansion."""
    elapsed = time.perf_counter() - started
    api = api_of(template)
    add_call(UpstreamCall(api, method, template, status, round(elapsed * 1000, 1)))
    metrics.UPSTREAM_CALLS.labels(api, method, str(status) if status else "none").inc()
    metrics.UPSTREAM_LATENCY.labels(api).observe(elapsed)
    end_ns = time.time_ns()
    tracing.upstream_span(api, method, template, status, end_ns - int(elapsed * 1e9), end_ns)
