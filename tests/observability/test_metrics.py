"""`/metrics`: requests and latency by operation, upstream calls by API, method and status,
DataLoader batch sizes and cache lookups, in the Prometheus text format."""

from __future__ import annotations

from collections.abc import Mapping

from prometheus_client.parser import text_string_to_metric_families

from gateway.observability.metrics import _OperationLabels
from gateway.sandbox import seed
from tests.graphql import BOOKED_SERVICES, Gateway, create_bookings, next_weekday
from tests.protection import gateway_app, graphql

MY_BOOKINGS = "query MyBookings { bookings(first: 30) { nodes { id service { name } } } }"
Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


async def scrape(gateway: Gateway) -> Samples:
    response = await gateway.http.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def value(samples: Samples, name: str, labels: Mapping[str, str]) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def grew(before: Samples, after: Samples, name: str, **labels: str) -> float:
    return value(after, name, labels) - value(before, name, labels)


async def test_an_operation_shows_in_every_family() -> None:
    async with gateway_app() as gateway:
        await create_bookings(gateway.upstream, 6, next_weekday(0))
        before = await scrape(gateway)
        for _ in range(2):
            body = (await graphql(gateway, MY_BOOKINGS)).json()
            assert "errors" not in body
        after = await scrape(gateway)

    assert grew(before, after, "gateway_graphql_operations_total",
                operation="MyBookings", outcome="ok") == 2  # fmt: skip
    assert grew(before, after, "gateway_graphql_operation_duration_seconds_count",
                operation="MyBookings") == 2  # fmt: skip
    assert grew(before, after, "gateway_http_requests_total",
                path="/graphql", method="POST", status="200") == 2  # fmt: skip
    reader = {"api": "bookings-reader", "method": "POST", "status": "200"}
    assert grew(before, after, "gateway_upstream_calls_total", **reader) == 2
    assert grew(before, after, "gateway_upstream_call_duration_seconds_count",
                api="bookings-reader") == 2  # fmt: skip
    # The services of the page: one batch with every distinct service, once (then cached).
    assert grew(before, after, "gateway_loader_batch_size_count", loader="services") == 2
    assert grew(before, after, "gateway_loader_batch_size_sum", loader="services") == 2 * len(
        BOOKED_SERVICES
    )
    assert grew(before, after, "gateway_cache_lookups_total", kind="services", result="miss") == 1
    assert grew(before, after, "gateway_cache_lookups_total", kind="services", result="hit") == 1


async def test_refused_and_failing_operations_count_as_errors() -> None:
    async with gateway_app(max_query_cost=5) as gateway:
        before = await scrape(gateway)
        await graphql(gateway, "query TooBig { bookings(first: 50) { nodes { form { id } } } }")
        await graphql(gateway, f'query Missing {{ service(id: "{seed.SERVICE_YOGA}x") {{ id }} }}')
        after = await scrape(gateway)
    assert grew(before, after, "gateway_graphql_operations_total",
                operation="TooBig", outcome="error") == 1  # fmt: skip
    assert grew(before, after, "gateway_graphql_operations_total",
                operation="Missing", outcome="ok") == 1  # fmt: skip


def test_client_chosen_operation_names_are_bounded() -> None:
    label = _OperationLabels(limit=2)
    assert [label(n) for n in ("A", "B", "C", "A", None)] == ["A", "B", "other", "A", "anonymous"]
