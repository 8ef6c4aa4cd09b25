"""The hook `WixClient` calls after every attempt: feeds the request scope, metrics and spans.

It runs once per Wix call, so the API of a path template is remembered instead of found again by
prefix scan, and the metric children through `metrics.child`.
"""

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
# Templates are module constants, so this stays small; the bound is for a caller passing raw paths.
_MEMO_LIMIT = 1024

_api_by_template: dict[str, str] = {}


def api_of(template: str) -> str:
    api = _api_by_template.get(template)
    if api is None:
        api = next((api for prefix, api in API_PREFIXES if template.startswith(prefix)), "other")
        if len(_api_by_template) < _MEMO_LIMIT:
            _api_by_template[template] = api
    return api


def record_upstream_call(method: str, template: str, status: int | None, started: float) -> None:
    """`started` is the attempt's `time.perf_counter()`; `template` the path before expansion."""
    elapsed = time.perf_counter() - started
    api = api_of(template)
    add_call(UpstreamCall(api, method, template, status, round(elapsed * 1000, 1)))
    metrics.child(metrics.UPSTREAM_CALLS, api, method, str(status) if status else "none").inc()
    metrics.child(metrics.UPSTREAM_LATENCY, api).observe(elapsed)
    if tracing.tracing_enabled():
        end_ns = time.time_ns()
        tracing.upstream_span(api, method, template, status, end_ns - int(elapsed * 1e9), end_ns)
