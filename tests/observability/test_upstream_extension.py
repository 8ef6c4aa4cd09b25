"""`x-gateway-debug-upstream: 1` lists in `extensions.upstream` the Wix calls an operation made:
method, path template, status and time. The request id of every response."""

from __future__ import annotations

import json

from gateway.sandbox.state import FaultRule
from tests.graphql import create_bookings, next_weekday
from tests.protection import gateway_app, graphql

DEBUG = {"x-gateway-debug-upstream": "1"}
SERVICES_QUERY = "/bookings/v2/services/query"
MY_BOOKINGS = """query MyBookings {
  bookings(first: 20) { nodes { id service { name } form { id } allowedActions { cancel } } }
}"""


async def test_the_upstream_calls_of_an_operation_are_listed_on_request() -> None:
    async with gateway_app() as gateway:
        await create_bookings(gateway.upstream, 6, next_weekday(0))
        gateway.reset_calls()
        body = (await graphql(gateway, MY_BOOKINGS, headers=DEBUG)).json()
        made = gateway.sandbox.request_log()["requests"]
    assert "errors" not in body
    listed = body["extensions"]["upstream"]
    assert sorted((c["method"], c["path"]) for c in listed) == sorted(
        (r["method"], r["route"]) for r in made
    )
    assert all(c["status"] == 200 and c["ms"] >= 0 for c in listed)
    assert set(listed[0]) == {"method", "path", "status", "ms"}


async def test_without_the_header_there_is_no_upstream_extension() -> None:
    async with gateway_app() as gateway:
        for headers in (None, {"x-gateway-debug-upstream": "0"}):
            body = (await graphql(gateway, MY_BOOKINGS, headers=headers)).json()
            assert "upstream" not in (body.get("extensions") or {})


async def test_batched_lookups_show_as_one_call() -> None:
    async with gateway_app() as gateway:
        created = await create_bookings(gateway.upstream, 5, next_weekday(0))
        aliases = " ".join(
            f'b{i}: booking(id: "{b["id"]}") {{ allowedActions {{ cancel }} }}'
            for i, b in enumerate(created)
        )
        body = (await graphql(gateway, f"{{ {aliases} }}", headers=DEBUG)).json()
    paths = [c["path"] for c in body["extensions"]["upstream"]]
    assert paths.count("/_api/bookings-reader/v2/extended-bookings/query") == 1
    assert paths.count("/bookings/v2/bulk/bookings/calculate_allowed_actions") <= 1


async def test_paths_are_templates_so_tokens_never_show() -> None:
    token = "anonymous-token-that-is-a-credential"
    query = f'{{ anonymousBooking(token: "{token}") {{ booking {{ id }} }} }}'
    async with gateway_app() as gateway:
        response = await graphql(gateway, query, headers=DEBUG)
    listed = response.json()["extensions"]["upstream"]
    assert [c["path"] for c in listed] == ["/v1/anonymous-bookings/{token}"]
    assert token not in json.dumps(listed)


async def test_every_response_carries_a_request_id() -> None:
    async with gateway_app() as gateway:
        generated = await graphql(gateway, "{ __typename }")
        kept = await graphql(gateway, "{ __typename }", headers={"x-request-id": "lb-7f3a.1"})
        replaced = await graphql(gateway, "{ __typename }", headers={"x-request-id": "a b" * 40})
        probe = await gateway.http.get("/healthz")
    assert len(generated.headers["x-request-id"]) == 32
    assert kept.headers["x-request-id"] == "lb-7f3a.1"
    assert len(replaced.headers["x-request-id"]) == 32
    assert probe.headers["x-request-id"]


async def test_a_call_cut_by_the_deadline_is_listed_without_status() -> None:
    async with gateway_app(call_deadline=0.2, max_attempts=1) as gateway:
        gateway.sandbox.faults.append(FaultRule(path=SERVICES_QUERY, latency_ms=2000))
        body = (await graphql(gateway, "{ services { nodes { id } } }", headers=DEBUG)).json()
    assert body["errors"][0]["extensions"]["code"] == "UPSTREAM_TIMEOUT"
    [call] = body["extensions"]["upstream"]
    assert (call["method"], call["path"], call["status"]) == ("POST", SERVICES_QUERY, None)
    assert call["ms"] >= 150


def test_the_calls_recorded_for_one_operation_are_bounded() -> None:
    """A subscription is one operation for hours: its call record stops growing."""
    from gateway.observability.scope import (
        MAX_RECORDED_CALLS,
        RequestScope,
        UpstreamCall,
        add_call,
        operation_calls,
        request_scope,
    )

    call = UpstreamCall("bookings", "POST", "/x", 200, 1.0)
    with request_scope(RequestScope("r")) as scope, operation_calls() as calls:
        for _ in range(MAX_RECORDED_CALLS + 500):
            add_call(call)
    assert len(calls) == len(scope.calls) == MAX_RECORDED_CALLS
