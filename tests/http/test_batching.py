"""Query batching: a JSON array of operations in one POST gets an array of results, and all the
operations share one set of DataLoaders (one Wix call per kind, not per operation)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from gateway.config import Settings
from gateway.sandbox import seed
from tests.graphql import Gateway, create_bookings, gateway, next_weekday
from tests.http import persisted, running, total_calls

__all__ = ["gateway"]

QUERY_BOOKINGS = "POST /_api/bookings-reader/v2/extended-bookings/query"
ALLOWED_ACTIONS = "POST /bookings/v2/bulk/bookings/calculate_allowed_actions"

# A mobile home screen: four reads the app makes when it opens.
HOME_SCREEN = {
    "services": "services(first: 10) { nodes { id name form { id } } }",
    "bookings": "bookings(first: 5) { nodes { id service { name } allowedActions { cancel } } }",
    "count": "bookingsCount",
    "slots": f'timeSlots(serviceId: "{seed.SERVICE_HAIRCUT}", first: 5) '
    "{ nodes { localStart service { name } } }",
}


async def post_batch(gateway: Gateway, operations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    response = await gateway.http.post("/graphql", json=operations)
    assert response.status_code == 200, response.text
    results = response.json()
    assert isinstance(results, list) and len(results) == len(operations)
    return results


async def test_a_batch_gets_one_result_per_operation_in_order(gateway: Gateway) -> None:
    results = await post_batch(
        gateway,
        [
            {
                "query": "query($id: ID!) { service(id: $id) { name } }",
                "variables": {"id": seed.SERVICE_YOGA},
            },
            {"query": "{ nope }"},
            {"query": 'query Two { service(id: "missing") { name } }', "operationName": "Two"},
        ],
    )
    assert results[0] == {"data": {"service": {"name": "Vinyasa Yoga"}}}
    assert results[1]["data"] is None
    assert "nope" in results[1]["errors"][0]["message"]
    assert results[2] == {"data": {"service": None}}


async def test_five_operations_on_bookings_make_one_allowed_actions_call(gateway: Gateway) -> None:
    bookings = await create_bookings(gateway.upstream, 5, next_weekday(0))
    gateway.reset_calls()
    operations = [
        {
            "query": "query($id: ID!) { booking(id: $id) { id allowedActions { cancel } } }",
            "variables": {"id": booking["id"]},
        }
        for booking in bookings
    ]
    results = await post_batch(gateway, operations)
    assert [r["data"]["booking"]["id"] for r in results] == [b["id"] for b in bookings]
    assert all(r["data"]["booking"]["allowedActions"] == {"cancel": True} for r in results)
    assert gateway.calls() == {QUERY_BOOKINGS: 1, ALLOWED_ACTIONS: 1}


async def _home_screen_calls(batched: bool) -> tuple[Counter[str], dict[str, Any]]:
    """Upstream calls of the home screen on a fresh gateway (no warm cache), and its data."""
    async with running(Settings(gc_freeze=False)) as gateway:
        await create_bookings(gateway.upstream, 6, next_weekday(0))
        gateway.reset_calls()
        if batched:
            results = await post_batch(
                gateway, [{"query": f"{{ {f} }}"} for f in HOME_SCREEN.values()]
            )
            assert all("errors" not in r for r in results), results
            data = {k: v for r in results for k, v in r["data"].items()}
        else:
            data = await gateway.data("{ " + " ".join(HOME_SCREEN.values()) + " }")
        return gateway.calls(), data


async def test_a_home_screen_batch_costs_no_more_calls_than_one_operation() -> None:
    batch_calls, batch_data = await _home_screen_calls(batched=True)
    single_calls, single_data = await _home_screen_calls(batched=False)
    assert (
        batch_data.keys()
        == single_data.keys()
        == {"services", "bookings", "bookingsCount", "timeSlots"}
    )
    assert batch_data["bookingsCount"] == single_data["bookingsCount"] == 6
    assert sum(batch_calls.values()) <= sum(single_calls.values())
    # Per kind too: the batch shares the services loader between its operations.
    assert all(batch_calls[route] <= count for route, count in single_calls.items())
    assert batch_calls.keys() <= single_calls.keys()


async def test_batch_size_is_limited_before_any_call() -> None:
    async with running(Settings(gc_freeze=False, max_batch_size=3)) as gateway:
        gateway.reset_calls()
        operations = [{"query": f'{{ service(id: "{seed.SERVICE_YOGA}") {{ name }} }}'}] * 4
        response = await gateway.http.post("/graphql", json=operations)
        assert response.status_code == 400
        error = response.json()["errors"][0]
        assert error["extensions"]["code"] == "BATCH_TOO_LARGE"
        assert "at most 3" in error["message"]
        assert total_calls(gateway) == 0
        assert len(await post_batch(gateway, operations[:3])) == 3


async def test_an_empty_batch_is_a_bad_request(gateway: Gateway) -> None:
    response = await gateway.http.post("/graphql", json=[])
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


async def test_a_malformed_entry_refuses_the_whole_batch(gateway: Gateway) -> None:
    gateway.reset_calls()
    operations = [{"query": f'{{ service(id: "{seed.SERVICE_YOGA}") {{ name }} }}'}, "nope"]
    response = await gateway.http.post("/graphql", json=operations)
    assert response.status_code == 400
    assert total_calls(gateway) == 0


async def test_each_operation_resolves_its_own_persisted_query(gateway: Gateway) -> None:
    known = "{ services(first: 1) { nodes { id } } }"
    unknown = "{ bookingsCount }"
    registered = await post_batch(gateway, [persisted(known, send_query=True)])
    assert registered[0]["data"]["services"]["nodes"]
    results = await post_batch(gateway, [persisted(known), persisted(unknown)])
    assert results[0] == registered[0]
    assert results[1]["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    assert "data" not in results[1]


async def test_mutations_run_in_a_batch(gateway: Gateway) -> None:
    """A batch is a POST, so it may hold mutations (each with its own outcome)."""
    results = await post_batch(
        gateway,
        [
            {"query": 'mutation { cancelBooking(input: {bookingId: "missing"}) { __typename } }'},
            {"query": "{ bookingsCount }"},
        ],
    )
    assert results[0]["data"]["cancelBooking"]["__typename"] == "NotFound"
    assert results[1] == {"data": {"bookingsCount": 0}}
