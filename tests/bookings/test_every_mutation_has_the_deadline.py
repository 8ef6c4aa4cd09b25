"""Every booking mutation runs within `GATEWAY_FLOW_DEADLINE_SECONDS`, those without an
idempotency key too (status changes, package membership, anonymous links)."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

import pytest

from gateway.clock import Clock
from gateway.config import Settings
from gateway.sandbox.state import FaultRule
from tests.graphql import Gateway, open_gateway
from tests.graphql.mutations import appointment_input, haircut_slot, mutate

CONFIRM = "/_api/bookings-service/v2/bookings/*/confirm"
TOKEN = "/v1/anonymous-bookings/*/token"


@pytest.fixture
async def quick(clock: Clock) -> AsyncIterator[Gateway]:
    async with open_gateway(Settings(flow_deadline=0.5), clock) as opened:
        yield opened


@pytest.mark.parametrize(
    ("path", "document"),
    [
        (CONFIRM, "mutation($id: ID!) { confirmBooking(input: {bookingId: $id}) { __typename } }"),
        (TOKEN, "mutation($id: ID!) { createAnonymousLink(bookingId: $id) { __typename } }"),
    ],
    ids=["confirmBooking", "createAnonymousLink"],
)
async def test_a_mutation_without_a_key_is_cut_off_at_the_deadline(
    quick: Gateway, path: str, document: str
) -> None:
    made = await mutate(quick, "bookAppointment", appointment_input(await haircut_slot(quick)))
    quick.sandbox.faults.append(FaultRule(path=path, latency_ms=3000, times=1))
    started = time.monotonic()
    body = await quick.post(document, {"id": made["booking"]["id"]})
    assert time.monotonic() - started < 2.0
    assert body["errors"][0]["extensions"]["code"] == "FLOW_TIMEOUT"
