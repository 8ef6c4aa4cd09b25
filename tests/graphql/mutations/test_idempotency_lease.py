"""Idempotency as long as the flow: claims are leases renewed while a flow runs, every booking
mutation has a deadline, and a flow that may have written leaves its key ambiguous (a retry with
it gets `IDEMPOTENCY_OUTCOME_UNKNOWN` and writes nothing) instead of releasing it."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
import pytest

from gateway.clock import Clock
from gateway.config import ConfigurationError, Settings
from gateway.sandbox.state import FaultRule, Sandbox
from tests.graphql import Gateway, gateway, open_gateway
from tests.graphql.mutations import (
    CREATE_BOOKING,
    appointment_input,
    document,
    haircut_slot,
    stored_bookings,
)
from tests.graphql.mutations.test_idempotency import (
    _first_haircut_slot,
    new_key,
    post,
    replica_settings,
    replicas,
)

__all__ = ["gateway", "replica_settings", "replicas"]

Replicas = tuple[Sandbox, list[httpx.AsyncClient]]
CREATE_PATH = "/_api/bookings-service/v2/bookings"


def slow_create_booking(seconds: float) -> FaultRule:
    return FaultRule(path=CREATE_PATH, method="POST", latency_ms=seconds * 1000, times=1)


def code(response: dict[str, Any]) -> str:
    return str(response["errors"][0]["extensions"]["code"])


@pytest.mark.parametrize("replica_settings", [{"idempotency_lease": 1.0, "flow_deadline": 4.0}])
async def test_a_flow_longer_than_its_lease_keeps_the_key_on_every_replica(
    replicas: Replicas,
) -> None:
    """Create Booking takes 2.5 s, the lease is 1 s: renewal keeps the second replica waiting
    (it asks after 1.5 s, when an unrenewed claim would have expired) instead of booking again."""
    sandbox, clients = replicas
    booking = appointment_input(await _first_haircut_slot(clients[0]), idempotencyKey=new_key())
    sandbox.requests.clear()
    sandbox.faults.append(slow_create_booking(2.5))

    async def later() -> dict[str, Any]:
        await asyncio.sleep(1.5)
        return await post(clients[1], "bookAppointment", booking)

    started = time.monotonic()
    first, second = await asyncio.gather(post(clients[0], "bookAppointment", booking), later())

    assert time.monotonic() - started >= 2.5
    assert first["data"]["bookAppointment"]["__typename"] == "BookingCreated"
    assert second == first
    assert sandbox.request_log()["countsByRoute"][CREATE_BOOKING] == 1
    assert len(sandbox.store.bookings_where()) == 1


@pytest.mark.parametrize("replica_settings", [{"flow_deadline": 1.0}])
async def test_a_flow_past_its_deadline_is_not_run_again_with_its_key(replicas: Replicas) -> None:
    """Create Booking takes 2 s, the flow may take 1: the gateway gives up (Wix may have acted),
    and a retry with the key, on either replica, is told the outcome is unknown without any
    call to Wix."""
    sandbox, clients = replicas
    booking = appointment_input(await _first_haircut_slot(clients[0]), idempotencyKey=new_key())
    sandbox.faults.append(slow_create_booking(2.0))

    started = time.monotonic()
    timed_out = await post(clients[0], "bookAppointment", booking)
    assert time.monotonic() - started < 1.9
    assert code(timed_out) == "FLOW_TIMEOUT"
    assert timed_out["errors"][0]["extensions"]["deadlineSeconds"] == 1.0

    sandbox.requests.clear()
    retries = [await post(client, "bookAppointment", booking) for client in clients]
    assert [code(r) for r in retries] == ["IDEMPOTENCY_OUTCOME_UNKNOWN"] * 2
    assert sandbox.request_log()["countsByRoute"] == {}
    assert sandbox.store.bookings_where() == []


@pytest.fixture
async def quick(clock: Clock) -> Any:
    """The gateway (in-process idempotency) with a half-second flow deadline."""
    async with open_gateway(Settings(flow_deadline=0.5), clock) as opened:
        yield opened


async def test_every_booking_mutation_has_the_deadline(quick: Gateway) -> None:
    """Without a key too: the whole flow is bounded, not just each Wix call (15 s)."""
    booking = appointment_input(await haircut_slot(quick))
    quick.sandbox.faults.append(slow_create_booking(3.0))
    started = time.monotonic()
    response = await quick.post(document("bookAppointment"), {"input": booking})

    assert code(response) == "FLOW_TIMEOUT"
    assert time.monotonic() - started < 2.0
    assert stored_bookings(quick) == []


async def test_in_process_keys_become_ambiguous_after_the_deadline(quick: Gateway) -> None:
    booking = appointment_input(await haircut_slot(quick), idempotencyKey=new_key())
    quick.sandbox.faults.append(slow_create_booking(3.0))
    first = await quick.post(document("bookAppointment"), {"input": booking})
    quick.reset_calls()
    retry = await quick.post(document("bookAppointment"), {"input": booking})

    assert code(first) == "FLOW_TIMEOUT"
    assert code(retry) == "IDEMPOTENCY_OUTCOME_UNKNOWN"
    assert retry["errors"][0]["extensions"]["idempotencyKey"] == booking["idempotencyKey"]
    assert quick.calls() == {}


@pytest.mark.parametrize(
    ("status", "error", "retried"),
    [
        (500, "UPSTREAM_UNAVAILABLE", "IDEMPOTENCY_OUTCOME_UNKNOWN"),  # Wix may have booked
        (504, "UPSTREAM_UNAVAILABLE", "IDEMPOTENCY_OUTCOME_UNKNOWN"),
        (429, "RATE_LIMITED", "BookingCreated"),  # a refusal: the key is free again
    ],
)
async def test_what_a_failed_write_does_to_its_key(
    gateway: Gateway, status: int, error: str, retried: str
) -> None:
    booking = appointment_input(await haircut_slot(gateway), idempotencyKey=new_key())
    gateway.sandbox.faults.append(
        FaultRule(path=CREATE_PATH, method="POST", status=status, times=1)
    )
    failed = await gateway.post(document("bookAppointment"), {"input": booking})
    assert code(failed) == error

    retry = await gateway.post(document("bookAppointment"), {"input": booking})
    outcome = retry["data"]["bookAppointment"]["__typename"] if retry["data"] else code(retry)
    assert outcome == retried
    assert gateway.calls()[CREATE_BOOKING] == (2 if retried == "BookingCreated" else 1)


@pytest.mark.parametrize(
    "name", ["GATEWAY_FLOW_DEADLINE_SECONDS", "GATEWAY_IDEMPOTENCY_LEASE_SECONDS"]
)
@pytest.mark.parametrize("raw", ["0", "-1"])
def test_the_deadline_and_the_lease_must_be_positive(name: str, raw: str) -> None:
    with pytest.raises(ConfigurationError, match=f"{name} must be greater than 0"):
        Settings.from_env({name: raw})


def test_the_deadline_and_the_lease_are_read_from_the_environment() -> None:
    defaults = Settings.from_env({})
    assert (defaults.flow_deadline, defaults.idempotency_lease) == (30.0, 60.0)
    settings = Settings.from_env(
        {"GATEWAY_FLOW_DEADLINE_SECONDS": "2.5", "GATEWAY_IDEMPOTENCY_LEASE_SECONDS": "1.5"}
    )
    assert (settings.flow_deadline, settings.idempotency_lease) == (2.5, 1.5)
    with pytest.raises(ConfigurationError, match="GATEWAY_FLOW_DEADLINE_SECONDS must be a number"):
        Settings.from_env({"GATEWAY_FLOW_DEADLINE_SECONDS": "soon"})
