"""OpenTelemetry spans, when the optional extra `otel` is installed and `GATEWAY_TRACING` is on.

One span per GraphQL operation and one per upstream call attempt, never one per resolved field:
a page of 50 bookings would otherwise make hundreds of spans that say nothing the upstream spans
don't. Without the extra every function here is a no-op, so callers never check.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

trace: Any
try:
    from opentelemetry import trace as _otel_trace

    trace = _otel_trace
except ImportError:  # the `otel` extra is not installed
    trace = None

logger = logging.getLogger("gateway.tracing")

TRACER_NAME = "gateway"
_tracer: Any = None  # an opentelemetry Tracer while tracing is on


def tracing_available() -> bool:
    return trace is not None


def tracing_enabled() -> bool:
    """Whether spans are being emitted (callers skip the work of timestamps when not)."""
    return _tracer is not None


def enable_tracing(tracer_provider: Any = None) -> bool:
    """Start emitting spans through `tracer_provider` (default: the global one, set up with an
    OTLP exporter if nobody configured one). False when the extra is missing."""
    global _tracer
    if trace is None:
        logger.warning("GATEWAY_TRACING is on but OpenTelemetry is not installed (extra `otel`)")
        return False
    if tracer_provider is None:
        tracer_provider = _global_provider()
    _tracer = tracer_provider.get_tracer(TRACER_NAME)
    return True


def disable_tracing() -> None:
    global _tracer
    _tracer = None


@contextmanager
def operation_span() -> Iterator[Any]:
    """The current span while one GraphQL operation runs (upstream call spans become its
    children); its name is only known once the document is parsed (`describe_operation`)."""
    if _tracer is None:
        yield None
        return
    with _tracer.start_as_current_span("graphql operation") as span:
        yield span


def describe_operation(span: Any, name: str | None, operation_type: str | None) -> None:
    if span is None:
        return
    kind = operation_type or "operation"
    span.update_name(f"graphql {kind} {name}" if name else f"graphql {kind}")
    if name:
        span.set_attribute("graphql.operation.name", name)
    if operation_type:
        span.set_attribute("graphql.operation.type", operation_type)


def upstream_span(
    api: str, method: str, path: str, status: int | None, start_ns: int, end_ns: int
) -> None:
    """Record a finished upstream call as a client span, child of the current operation."""
    if _tracer is None:
        return
    span = _tracer.start_span(
        f"{method} {path}",
        kind=trace.SpanKind.CLIENT,
        start_time=start_ns,
        attributes={
            "http.request.method": method,
            "url.template": path,  # never the raw path: anonymous tokens travel in it
            "wix.api": api,
            **({"http.response.status_code": status} if status is not None else {}),
        },
    )
    if status is None or status >= 500:
        span.set_status(trace.Status(trace.StatusCode.ERROR))
    span.end(end_time=end_ns)


def _global_provider() -> Any:
    """The global provider; when still the default no-op one and the SDK is installed, an SDK
    provider exporting over OTLP/HTTP (configured by the standard `OTEL_*` variables)."""
    provider = trace.get_tracer_provider()
    try:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import BatchSpanProcessor
    except ImportError:
        return provider
    if isinstance(provider, TracerProvider):
        return provider
    sdk_provider = TracerProvider()
    sdk_provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(sdk_provider)
    return trace.get_tracer_provider()
