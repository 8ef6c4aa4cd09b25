"""Idempotency as long as the flow: claims are leases renewed while a flow runs, every booking
mutation has a deadline, and a flow that may have written leaves its key ambiguous: the retry
with it resumes (finds the booking the earlier run made, by the key's stamp) instead of booking
again."""

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


def slow_create_booking(seconds: float, when: str = "before") -> FaultRule:
    """Create Booking answers `seconds` late; with `when="after"` it has booked by then."""
    return FaultRule(
        path=CREATE_PATH,
        method="POST",
        latency_ms=seconds * 1000,
        times=1,
        when=when,  # type: ignore[arg-type]
    )


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
async def test_a_flow_past_its_deadline_is_resumed_not_run_again(replicas: Replicas) -> None:
    """Wix books at once but answers 2 s late; the flow may take 1: the gateway gives up (Wix
    may have acted). The retry with the key, on the other replica, finds that booking by the
    key's stamp and answers with it; a third request replays that answer. One booking."""
    sandbox, clients = replicas
    booking = appointment_input(await _first_haircut_slot(clients[0]), idempotencyKey=new_key())
    sandbox.faults.append(slow_create_booking(2.0, when="after"))

    started = time.monotonic()
    timed_out = await post(clients[0], "bookAppointment", booking)
    assert time.monotonic() - started < 1.9
    assert code(timed_out) == "FLOW_TIMEOUT"
    assert timed_out["errors"][0]["extensions"]["deadlineSeconds"] == 1.0
    await asyncio.sleep(1.2)  # the held answer is sent (to nobody)

    sandbox.requests.clear()
    resumed = await post(clients[1], "bookAppointment", booking)
    replayed = await post(clients[0], "bookAppointment", booking)
    assert resumed["data"]["bookAppointment"]["__typename"] == "BookingCreated", resumed
    assert replayed == resumed
    assert CREATE_BOOKING not in sandbox.request_log()["countsByRoute"]
    [stored] = sandbox.store.bookings_where()
    assert resumed["data"]["bookAppointment"]["booking"]["id"] == stored["id"]


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


async def test_in_process_keys_resume_after_the_deadline(quick: Gateway) -> None:
    """Create Booking never got to book (the gateway hung up first): the resumed retry finds
    no booking with the key's stamp and books, once."""
    booking = appointment_input(await haircut_slot(quick), idempotencyKey=new_key())
    quick.sandbox.faults.append(slow_create_booking(3.0))
    first = await quick.post(document("bookAppointment"), {"input": booking})
    quick.reset_calls()
    retry = await quick.post(document("bookAppointment"), {"input": booking})

    assert code(first) == "FLOW_TIMEOUT"
    assert retry["data"]["bookAppointment"]["__typename"] == "BookingCreated"
    assert quick.calls()[CREATE_BOOKING] == 1
    assert len(stored_bookings(quick)) == 1


@pytest.mark.parametrize(
    ("status", "when", "first_answer", "creates"),
    [
        (500, "before", "UPSTREAM_UNAVAILABLE", 2),  # maybe booked: the retry looks, then books
        (504, "after", "BookingCreated", 1),  # booked, answer lost: read back at once
        (429, "before", "RATE_LIMITED", 2),  # a refusal: the key is free again
    ],
)
async def test_what_a_failed_write_does_to_its_key(
    gateway: Gateway, status: int, when: str, first_answer: str, creates: int
) -> None:
    booking = appointment_input(await haircut_slot(gateway), idempotencyKey=new_key())
    gateway.sandbox.faults.append(
        FaultRule(path=CREATE_PATH, method="POST", status=status, times=1, when=when)  # type: ignore[arg-type]
    )
    failed = await gateway.post(document("bookAppointment"), {"input": booking})
    answer = failed["data"]["bookAppointment"]["__typename"] if failed["data"] else code(failed)
    assert answer == first_answer

    retry = await gateway.post(document("bookAppointment"), {"input": booking})
    assert retry["data"]["bookAppointment"]["__typename"] == "BookingCreated"
    assert gateway.calls()[CREATE_BOOKING] == creates
    assert len([b for b in stored_bookings(gateway) if b["status"] == "CREATED"]) == 1


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
