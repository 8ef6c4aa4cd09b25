"""Prometheus metrics of the gateway, and the `/metrics` endpoint that exposes them.

With several uvicorn workers each process counts on its own; set `PROMETHEUS_MULTIPROC_DIR` to an
empty directory before start-up and `/metrics` (served by any worker) adds up the files every
worker writes there (prometheus-client's multiprocess mode). Operation names come from clients, so
only the first `MAX_OPERATION_LABELS` distinct names get a label of their own per process.
"""

from __future__ import annotations

import os
import re
import threading
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.multiprocess import MultiProcessCollector
from starlette.requests import Request
from starlette.responses import Response

MAX_OPERATION_LABELS = 200
OTHER = "other"
ANONYMOUS = "anonymous"
# Paths with a label of their own; anything else (scanners, typos) is counted as "other".
KNOWN_PATHS = frozenset({"/graphql", "/healthz", "/readyz", "/metrics"})
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
BATCH_BUCKETS = (1, 2, 5, 10, 20, 50, 100)

HTTP_REQUESTS = Counter(
    "gateway_http_requests", "HTTP requests served", ["path", "method", "status"]
)
HTTP_LATENCY = Histogram(
    "gateway_http_request_duration_seconds",
    "Time to answer an HTTP request",
    ["path"],
    buckets=LATENCY_BUCKETS,
)
OPERATIONS = Counter(
    "gateway_graphql_operations",
    "GraphQL operations by name and outcome (ok, error: the result has errors)",
    ["operation", "outcome"],
)
OPERATION_LATENCY = Histogram(
    "gateway_graphql_operation_duration_seconds",
    "Time to run one GraphQL operation",
    ["operation"],
    buckets=LATENCY_BUCKETS,
)
UPSTREAM_CALLS = Counter(
    "gateway_upstream_calls",
    "Wix calls (each attempt) by API, method and HTTP status (none: no response)",
    ["api", "method", "status"],
)
UPSTREAM_LATENCY = Histogram(
    "gateway_upstream_call_duration_seconds",
    "Time of one Wix call attempt",
    ["api"],
    buckets=LATENCY_BUCKETS,
)
LOADER_BATCH_SIZE = Histogram(
    "gateway_loader_batch_size",
    "Keys per DataLoader batch (one upstream read per batch)",
    ["loader"],
    buckets=BATCH_BUCKETS,
)
CACHE_LOOKUPS = Counter(
    "gateway_cache_lookups",
    "Reference-data cache lookups by kind and result (hit, miss)",
    ["kind", "result"],
)
RATE_LIMITED = Counter("gateway_rate_limited", "Requests refused by the per-client rate limit")
WEBHOOK_DELIVERIES = Counter(
    "gateway_webhook_deliveries",
    "Wix webhook deliveries by outcome (accepted, duplicate, unverified, malformed, unavailable)",
    ["outcome"],
)
LIVE_SUBSCRIBERS = Gauge(
    "gateway_live_subscribers",
    "Subscriptions listening to Wix events",
    multiprocess_mode="livesum",
)


_children: dict[tuple[Counter | Histogram, tuple[str, ...]], Any] = {}


def child(metric: Counter | Histogram, *labels: str) -> Any:
    """`metric.labels(*labels)`, remembered: prometheus-client validates and joins the values
    on every lookup (~1.5 µs), and the hot paths (every upstream call, every HTTP request) ask
    for the same few children again and again."""
    key = (metric, labels)
    found = _children.get(key)
    if found is None:
        found = _children.setdefault(key, metric.labels(*labels))
    return found


# A GraphQL Name (https://spec.graphql.org/October2021/#Name), the only operation names there are.
_GRAPHQL_NAME = re.compile(r"[_A-Za-z][_0-9A-Za-z]*")


class _OperationLabels:
    """Bounded label values for client-chosen operation names."""

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._seen: set[str] = set()
        self._lock = threading.Lock()

    def __call__(self, name: str | None) -> str:
        if not name:
            return ANONYMOUS
        if not _GRAPHQL_NAME.fullmatch(name):  # no operation has it; may not even be UTF-8
            return OTHER
        if name in self._seen:
            return name
        with self._lock:
            if len(self._seen) < self._limit:
                self._seen.add(name)
                return name
        return OTHER


operation_label = _OperationLabels(MAX_OPERATION_LABELS)


def path_label(path: str) -> str:
    return path if path in KNOWN_PATHS else OTHER


async def metrics_endpoint(request: Request) -> Response:
    """`GET /metrics` in the Prometheus text format."""
    registry = REGISTRY
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
