"""A gateway that embeds the sandbox serves its controls at `/_sandbox/...` (clock, faults,
requests, reset, member tokens, webhooks, the webhook key, OpenAPI): `curl -X POST
localhost:8000/_sandbox/clock ...` moves the business time of the gateway and its sandbox
together. In `wix` mode there is no sandbox, and no such path."""

from __future__ import annotations

from datetime import timedelta

import httpx

from gateway.app import create_app
from gateway.clock import Clock
from gateway.config import Settings
from gateway.sandbox import seed
from tests.frozen import FROZEN_AT, FROZEN_AT_WIRE
from tests.graphql import Gateway, gateway
from tests.graphql.mutations import QUERY_SERVICES, create_booking, sandbox_slot

__all__ = ["gateway"]

NEXT_HAIRCUT = """{
  timeSlots(serviceId: "e5000000-0000-4000-8000-000000000002", bookable: true, first: 1) {
    nodes { localStart }
  }
}"""
MY_BOOKINGS = "{ bookings(first: 10) { nodes { id } } }"


async def test_the_clock_moves_the_gateway_and_its_sandbox(gateway: Gateway, clock: Clock) -> None:
    http = gateway.http
    assert (await http.get("/_sandbox/clock")).json() == {"now": FROZEN_AT_WIRE, "frozen": True}
    before = (await gateway.data(NEXT_HAIRCUT))["timeSlots"]["nodes"][0]["localStart"]
    assert before.startswith("2026-03-02T")

    moved = await http.post("/_sandbox/clock", json={"advanceMinutes": 7 * 24 * 60})
    assert moved.status_code == 200
    assert moved.json() == {"now": "2026-03-09T09:00:00Z", "frozen": True}
    assert clock.now() == FROZEN_AT + timedelta(days=7)
    after = (await gateway.data(NEXT_HAIRCUT))["timeSlots"]["nodes"][0]["localStart"]
    assert after.startswith("2026-03-09T")

    refused = await http.post("/_sandbox/clock", json={"now": "yesterday"})
    assert refused.status_code == 400
    assert clock.now() == FROZEN_AT + timedelta(days=7)


async def test_faults_and_the_request_log(gateway: Gateway) -> None:
    http = gateway.http
    assert (await http.delete("/_sandbox/requests")).json()["total"] == 0
    await gateway.data("{ services(first: 1) { nodes { id } } }")
    log = (await http.get("/_sandbox/requests")).json()
    assert log["countsByRoute"] == {QUERY_SERVICES: 1}

    fault = {"path": "/_api/bookings-reader/*", "status": 500, "times": 1}
    added = await http.post("/_sandbox/faults", json=fault)
    assert added.status_code == 200 and len(added.json()["rules"]) == 1
    failed = await gateway.post(MY_BOOKINGS)
    assert failed["errors"][0]["extensions"]["httpStatus"] == 500
    assert (await http.delete("/_sandbox/faults")).json() == {"rules": []}
    assert (await gateway.data(MY_BOOKINGS))["bookings"]["nodes"] == []


async def test_reset_wipes_the_bookings(gateway: Gateway) -> None:
    await create_booking(gateway, sandbox_slot())
    assert len((await gateway.data(MY_BOOKINGS))["bookings"]["nodes"]) == 1
    reset = await gateway.http.post("/_sandbox/reset")
    assert reset.status_code == 200 and reset.json()["reset"] is True
    assert (await gateway.data(MY_BOOKINGS))["bookings"]["nodes"] == []


async def test_a_member_token_from_the_controls_reads_as_that_member(gateway: Gateway) -> None:
    maya = {"first_name": "Maya", "last_name": "Patel", "email": seed.EMAIL_MAYA}
    mine = await create_booking(gateway, sandbox_slot(), maya)
    other = sandbox_slot(start="2026-03-03T11:00:00", end="2026-03-03T11:30:00")
    await create_booking(gateway, other)  # someone else's
    tokens = await gateway.http.post("/_sandbox/member-tokens", json={"memberId": seed.MEMBER_MAYA})
    assert tokens.status_code == 200
    response = await gateway.send(
        MY_BOOKINGS, headers={"authorization": f"Bearer {tokens.json()['access_token']}"}
    )
    assert [b["id"] for b in response.json()["data"]["bookings"]["nodes"]] == [mine["id"]]


async def test_webhook_targets_key_and_openapi(gateway: Gateway) -> None:
    http = gateway.http
    targets = (await http.get("/_sandbox/webhooks")).json()
    assert targets == {"targets": [], "localTargets": 1}  # the gateway's own, in process
    key = (await http.get("/_sandbox/webhook-public-key")).json()["publicKey"]
    assert key == gateway.sandbox.webhooks.public_key_pem
    openapi = (await http.get("/_sandbox/openapi.json")).json()
    assert "/_api/bookings-service/v2/bookings" in openapi["paths"]


async def test_wix_mode_serves_no_sandbox_controls(clock: Clock) -> None:
    settings = Settings(
        upstream="wix",
        wix_api_key="key",
        wix_site_id="site",
        wix_base_url="http://127.0.0.1:9",
    )
    app = create_app(settings, clock)
    assert app.state.sandbox is None
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as http:
        for method, path in (("GET", "/_sandbox/clock"), ("POST", "/_sandbox/reset")):
            assert (await http.request(method, path)).status_code == 404
    await app.state.wix_client.aclose()
