"""OpenTelemetry (extra `otel`): one span per operation, one per upstream call as its child,
never one per resolved field."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from gateway.observability import tracing
from tests.graphql import BOOKED_SERVICES, create_bookings, next_weekday
from tests.protection import gateway_app, graphql

MY_BOOKINGS = """query MyBookings {
  bookings(first: 20) { nodes { id status service { name } form { fields { target } } } }
}"""


@pytest.fixture
def exporter() -> Iterator[Any]:
    """Spans kept in memory (the SDK's exporter); skipped without the `otel` extra."""
    sdk_trace = pytest.importorskip("opentelemetry.sdk.trace", reason="the `otel` extra")
    export = pytest.importorskip("opentelemetry.sdk.trace.export")
    in_memory = pytest.importorskip("opentelemetry.sdk.trace.export.in_memory_span_exporter")
    spans = in_memory.InMemorySpanExporter()
    provider = sdk_trace.TracerProvider()
    provider.add_span_processor(export.SimpleSpanProcessor(spans))
    assert tracing.enable_tracing(provider)
    try:
        yield spans
    finally:
        tracing.disable_tracing()


async def test_one_span_per_operation_and_per_upstream_call(exporter: Any) -> None:
    async with gateway_app() as gateway:
        await create_bookings(gateway.upstream, 9, next_weekday(0))
        gateway.reset_calls()
        exporter.clear()
        body = (await graphql(gateway, MY_BOOKINGS)).json()
        upstream_calls = gateway.sandbox.request_log()["requests"]
    assert "errors" not in body and len(body["data"]["bookings"]["nodes"]) == 9

    spans = exporter.get_finished_spans()
    [operation] = [s for s in spans if s.name.startswith("graphql")]
    calls = [s for s in spans if s is not operation]
    assert operation.name == "graphql query MyBookings"
    assert operation.attributes["graphql.operation.name"] == "MyBookings"
    # Nothing per field: 9 bookings with 4 fields each would be dozens of spans.
    # The page, one services batch, one Get Form per distinct form.
    assert len(calls) == len(upstream_calls) == 2 + len(BOOKED_SERVICES)
    assert sorted(s.name for s in calls) == sorted(
        f"{r['method']} {r['route']}" for r in upstream_calls
    )
    for call in calls:
        assert call.parent is not None and call.parent.span_id == operation.context.span_id
        assert call.attributes["http.response.status_code"] == 200
        assert operation.start_time <= call.start_time <= call.end_time <= operation.end_time


async def test_without_tracing_no_span_is_made(exporter: Any) -> None:
    tracing.disable_tracing()
    async with gateway_app() as gateway:
        await graphql(gateway, "{ services(first: 2) { nodes { id } } }")
    assert exporter.get_finished_spans() == ()


async def test_without_the_extra_tracing_is_off_and_the_gateway_works(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(tracing, "trace", None)  # as if `opentelemetry` were not installed
    assert tracing.enable_tracing() is False
    async with gateway_app(tracing=True) as gateway:
        body = (await graphql(gateway, "{ services(first: 1) { nodes { id } } }")).json()
    assert "errors" not in body
