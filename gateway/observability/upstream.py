"""The hook `WixClient` calls after every attempt: feeds the request scope, metrics and spans.

It runs once per Wix call, so what can be worked out once is: the API of a path template and the
metric children of an (api, method, status) are looked up in dicts instead of by prefix scan and
prometheus-client's label lookup (~3 µs a call).
"""

from __future__ import annotations

import time
from typing import Any

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
# Templates are module constants, so these stay small; the bound is for a caller passing raw paths.
_MEMO_LIMIT = 1024

_api_by_template: dict[str, str] = {}
_calls_counters: dict[tuple[str, str, str], Any] = {}
_latency_histograms: dict[str, Any] = {}


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
    key = (api, method, str(status) if status else "none")
    counter = _calls_counters.get(key)
    if counter is None:
        counter = _calls_counters.setdefault(key, metrics.UPSTREAM_CALLS.labels(*key))
    counter.inc()
    histogram = _latency_histograms.get(api)
    if histogram is None:
        histogram = _latency_histograms.setdefault(api, metrics.UPSTREAM_LATENCY.labels(api))
    histogram.observe(elapsed)
    if tracing.tracing_enabled():
        end_ns = time.time_ns()
        tracing.upstream_span(api, method, template, status, end_ns - int(elapsed * 1e9), end_ns)
