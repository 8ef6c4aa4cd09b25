"""Idempotency keys on the creating mutations, cancel and reschedule: one write per key and
input, the same response for every request with it, in process and across replicas (Redis)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from typing import Any

import httpx
import pytest

from gateway.app import create_app
from gateway.clock import Clock
from gateway.config import Settings
from gateway.sandbox import seed
from gateway.sandbox.app import build_sandbox_app
from gateway.sandbox.state import FaultRule, Sandbox
from gateway.state.idempotency import RedisBackend
from tests.conftest import AUTH
from tests.graphql import ADMIN, TEST_ADMIN_KEY, Gateway, gateway, next_weekday
from tests.graphql.mutations import (
    CANCEL,
    CONTACT,
    CREATE_BOOKING,
    GET_SLOT,
    RESCHEDULE,
    appointment_input,
    document,
    haircut_slot,
    mutate,
    stored_bookings,
    yoga_session,
)
from tests.servers import serve

__all__ = ["gateway"]


def new_key() -> str:
    return str(uuid.uuid4())


async def post(http: httpx.AsyncClient, mutation: str, input: dict[str, Any]) -> dict[str, Any]:
    response = await http.post(
        "/graphql", json={"query": document(mutation), "variables": {"input": input}}
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_concurrent_requests_with_one_key_book_once(gateway: Gateway) -> None:
    slot = await haircut_slot(gateway)
    booking = appointment_input(slot, confirm=True, idempotencyKey=new_key())
    gateway.reset_calls()
    responses = await asyncio.gather(
        *(post(gateway.http, "bookAppointment", booking) for _ in range(10))
    )

    assert all("errors" not in r for r in responses)
    assert all(r == responses[0] for r in responses)
    assert responses[0]["data"]["bookAppointment"]["booking"]["status"] == "CONFIRMED"
    assert gateway.calls()[CREATE_BOOKING] == 1
    assert len(stored_bookings(gateway)) == 1


async def test_a_failure_that_wrote_nothing_does_not_keep_the_key(gateway: Gateway) -> None:
    """The slot was found taken before any write: the same request runs again (a failure that
    changed Wix is replayed: `test_idempotency_release`)."""
    slot = await haircut_slot(gateway)
    await mutate(gateway, "bookAppointment", appointment_input(slot, confirm=True))
    late = appointment_input(slot, confirm=True, idempotencyKey=new_key())
    first = await mutate(gateway, "bookAppointment", late)
    gateway.reset_calls()
    again = await mutate(gateway, "bookAppointment", late)

    assert first["__typename"] == "SlotUnavailable"
    assert again == first
    assert gateway.calls()[GET_SLOT] == 1 and CREATE_BOOKING not in gateway.calls()


async def test_the_same_key_with_another_input_is_refused(gateway: Gateway) -> None:
    key = new_key()
    first = await mutate(
        gateway,
        "bookAppointment",
        appointment_input(await haircut_slot(gateway), idempotencyKey=key),
    )
    assert first["__typename"] == "BookingCreated"
    other = appointment_input(await haircut_slot(gateway, index=3), idempotencyKey=key)
    gateway.reset_calls()
    result = await mutate(gateway, "bookAppointment", other)

    assert result == {
        "__typename": "IdempotencyKeyReused",
        "message": "This idempotency key was already used with a different input",
        "key": key,
    }
    assert gateway.calls() == {}
    assert len(stored_bookings(gateway)) == 1


async def test_keys_belong_to_the_caller(gateway: Gateway) -> None:
    booking = appointment_input(await haircut_slot(gateway), idempotencyKey=new_key())
    for caller in ("visitor-token-a", "visitor-token-b"):
        response = await gateway.http.post(
            "/graphql",
            json={"query": document("bookAppointment"), "variables": {"input": booking}},
            headers={"Authorization": caller},
        )
        assert response.json()["data"]["bookAppointment"]["__typename"] == "BookingCreated"
    assert gateway.calls()[CREATE_BOOKING] == 2


async def test_an_upstream_failure_frees_the_key_for_a_retry(gateway: Gateway) -> None:
    booking = appointment_input(await haircut_slot(gateway), idempotencyKey=new_key())
    gateway.sandbox.faults.append(
        FaultRule(path="/_api/bookings-service/v2/bookings", method="POST", status=503, times=1)
    )
    failed = await post(gateway.http, "bookAppointment", booking)
    assert failed["errors"][0]["extensions"]["code"] == "UPSTREAM_UNAVAILABLE"

    retried = await mutate(gateway, "bookAppointment", booking)
    assert retried["__typename"] == "BookingCreated"
    assert len(stored_bookings(gateway)) == 1


@pytest.mark.parametrize("mutation", ["bookClassSession", "bookCourse"])
async def test_class_and_course_bookings_are_idempotent(gateway: Gateway, mutation: str) -> None:
    key = new_key()
    if mutation == "bookClassSession":
        session = await yoga_session(gateway)
        booking: dict[str, Any] = {
            "eventId": session["eventInfo"]["eventId"],
            "formSubmission": {"experience": "beginner"},
        }
    else:
        booking = {"serviceId": seed.SERVICE_PILATES_COURSE}
    booking.update(contact=CONTACT, confirm=True, idempotencyKey=key)
    first = await mutate(gateway, mutation, booking)
    again = await mutate(gateway, mutation, booking)
    reused = await mutate(gateway, mutation, {**booking, "participants": 2})
    assert first["__typename"] == "BookingCreated"
    assert again == first
    assert (reused["__typename"], reused["key"]) == ("IdempotencyKeyReused", key)
    assert gateway.calls()[CREATE_BOOKING] == 1


async def test_cancel_and_reschedule_are_idempotent(gateway: Gateway) -> None:
    made = await mutate(
        gateway, "bookAppointment", appointment_input(await haircut_slot(gateway), confirm=True)
    )
    booking_id = made["booking"]["id"]
    target = await haircut_slot(gateway, index=4)
    move = {
        "bookingId": booking_id,
        "newSlot": {"localStart": target["localStartDate"], "localEnd": target["localEndDate"]},
        "idempotencyKey": new_key(),
    }
    cancel = {"bookingId": booking_id, "idempotencyKey": new_key()}
    moved = [await mutate(gateway, "rescheduleBooking", move) for _ in range(2)]
    canceled = [await mutate(gateway, "cancelBooking", cancel) for _ in range(2)]
    reused = [
        await mutate(gateway, "rescheduleBooking", {**move, "revision": "1"}),
        await mutate(gateway, "cancelBooking", {**cancel, "withRefund": True}),
    ]

    assert moved[0]["__typename"] == "BookingUpdated" and moved[1] == moved[0]
    assert canceled[0]["booking"]["status"] == "CANCELED" and canceled[1] == canceled[0]
    assert [r["__typename"] for r in reused] == ["IdempotencyKeyReused"] * 2
    assert gateway.calls()[RESCHEDULE] == 1
    assert gateway.calls()[CANCEL] == 1


# -- across replicas -------------------------------------------------------------------------


@pytest.fixture
def replica_settings() -> dict[str, Any]:
    """More settings for both replicas (a test may parametrize this)."""
    return {}


@pytest.fixture
async def replicas(
    redis_url: str, clock: Clock, replica_settings: dict[str, Any]
) -> AsyncIterator[tuple[Sandbox, list[httpx.AsyncClient]]]:
    """Two gateway apps sharing one served sandbox, one Redis and the test's clock."""
    sandbox = Sandbox.open(":memory:", clock)
    with serve(build_sandbox_app(sandbox)) as url:
        settings = Settings(
            wix_base_url=url,
            wix_api_key=AUTH["Authorization"],
            wix_site_id=AUTH["wix-site-id"],
            redis_url=redis_url,
            gc_freeze=False,
            admin_keys=TEST_ADMIN_KEY,
            **replica_settings,
        )
        apps = [create_app(settings, clock) for _ in range(2)]
        async with AsyncExitStack() as stack:
            clients = [
                await stack.enter_async_context(
                    httpx.AsyncClient(
                        transport=httpx.ASGITransport(app=app),
                        base_url="http://gateway",
                        headers=ADMIN,
                    )
                )
                for app in apps
            ]
            yield sandbox, clients
        for app in apps:
            await app.state.wix_client.aclose()
            backend = app.state.idempotency.backend
            assert isinstance(backend, RedisBackend)
            await backend.redis.aclose()


async def test_replicas_share_keys_through_redis(
    replicas: tuple[Sandbox, list[httpx.AsyncClient]],
) -> None:
    sandbox, clients = replicas
    slot = await _first_haircut_slot(clients[0])
    booking = appointment_input(slot, confirm=True, idempotencyKey=new_key())
    sandbox.requests.clear()
    responses = await asyncio.gather(
        *(post(clients[i % 2], "bookAppointment", booking) for i in range(10))
    )

    assert all(r == responses[0] for r in responses)
    assert responses[0]["data"]["bookAppointment"]["__typename"] == "BookingCreated"
    assert sandbox.request_log()["countsByRoute"][CREATE_BOOKING] == 1
    assert len(sandbox.store.bookings_where()) == 1

    changed = await post(clients[1], "bookAppointment", {**booking, "participants": 2})
    assert changed["data"]["bookAppointment"]["__typename"] == "IdempotencyKeyReused"


SLOTS = """query($service: ID!, $from: LocalDateTime!, $zone: TimeZone!) {
  timeSlots(serviceId: $service, from: $from, timeZone: $zone, bookable: true, first: 1) {
    nodes { localStart localEnd }
  }
}"""


async def _first_haircut_slot(http: httpx.AsyncClient) -> dict[str, Any]:
    """A bookable haircut slot, read through the gateway itself."""
    variables = {
        "service": seed.SERVICE_HAIRCUT,
        "from": f"{next_weekday(2)}T00:00:00",
        "zone": seed.TIME_ZONE,
    }
    response = await http.post("/graphql", json={"query": SLOTS, "variables": variables})
    [node] = response.json()["data"]["timeSlots"]["nodes"]
    return {
        "serviceId": seed.SERVICE_HAIRCUT,
        "localStartDate": node["localStart"],
        "localEndDate": node["localEnd"],
    }
