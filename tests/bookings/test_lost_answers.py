"""Wix did it but the gateway never heard (sandbox faults `when: after`): the customer is told
what Wix holds, and nothing is left that the customer was not told about."""

from __future__ import annotations

from collections import Counter

from gateway.sandbox.faults import FaultRule
from tests.graphql import Gateway, gateway
from tests.graphql.mutations import (
    appointment_input,
    document,
    haircut_slot,
    stored_bookings,
)
from tests.graphql.mutations.package_helpers import booked

__all__ = ["gateway"]

CREATE = "/_api/bookings-service/v2/bookings"
CONFIRM_OR_DECLINE = "/bookings/v2/confirmation/*"
QUERY = "/_api/bookings-reader/v2/extended-bookings/query"
CREATE_PACKAGE = "/_api/bookings-service/v2/multi_service_bookings"


def lose_answer(gateway: Gateway, path: str, **fault: object) -> None:
    """The next request to `path` is done by the sandbox, but its answer is replaced."""
    gateway.sandbox.faults.append(FaultRule(path=path, when="after", times=1, **fault))  # type: ignore[arg-type]


async def book(gateway: Gateway, key: str | None = None, **extra: object) -> dict[str, object]:
    slot = await haircut_slot(gateway)
    variables = {"input": appointment_input(slot, idempotencyKey=key, **extra)}
    return await gateway.post(document("bookAppointment"), variables)


def statuses(gateway: Gateway) -> Counter[str]:
    return Counter(booking["status"] for booking in stored_bookings(gateway))


async def test_a_lost_create_answer_is_read_back(gateway: Gateway) -> None:
    for fault in ({"status": 504}, {"drop": True}):
        gateway.sandbox.reset()
        lose_answer(gateway, CREATE, **fault)
        body = await book(gateway)
        assert body["data"]["bookAppointment"]["__typename"] == "BookingCreated", body
        [stored] = stored_bookings(gateway)
        assert body["data"]["bookAppointment"]["booking"]["id"] == stored["id"]


async def test_a_lost_confirm_answer_tells_the_customer_it_is_confirmed(gateway: Gateway) -> None:
    """The old behaviour: UPSTREAM_TIMEOUT for a CONFIRMED booking, then a stale-revision
    cancel that failed, then SlotUnavailable on retry. Now: one booking, and the same answer."""
    lose_answer(gateway, CONFIRM_OR_DECLINE, status=504)
    first = await book(gateway, key="lost-confirm", confirm=True)
    outcome = first["data"]["bookAppointment"]
    assert outcome["__typename"] == "BookingCreated"
    assert outcome["booking"]["status"] == "CONFIRMED"
    again = await book(gateway, key="lost-confirm", confirm=True)
    assert again == first
    assert statuses(gateway) == {"CONFIRMED": 1}


async def test_a_create_lost_and_unreadable_is_cancelled_by_the_reconciler(
    gateway: Gateway,
) -> None:
    """The answer is lost and the read-back fails too: the customer gets an error, and the
    booking they were not told about is cancelled by the next reconciliation."""
    lose_answer(gateway, CREATE, status=500)
    gateway.sandbox.faults.append(FaultRule(path=QUERY, status=503, times=3))
    body = await book(gateway)
    assert body["errors"][0]["extensions"]["code"] == "UPSTREAM_UNAVAILABLE"
    assert statuses(gateway) == {"CREATED": 1}
    assert await gateway.app.state.reconciler.run_once() == 1
    assert statuses(gateway) == {"CANCELED": 1}


async def test_a_lost_package_create_answer_is_read_back(gateway: Gateway) -> None:
    lose_answer(gateway, CREATE_PACKAGE, drop=True)
    result = await booked(gateway)
    package = result["multiServiceBooking"]
    assert statuses(gateway) == {"CREATED": 2}
    assert sorted(package["bookingIds"]) == sorted(b["id"] for b in stored_bookings(gateway))


CANCEL = "/_api/bookings-service/v2/bookings/*/cancel"


async def test_a_lost_cancel_answer_is_read_back(gateway: Gateway) -> None:
    """Wix cancelled, its answer was lost: the customer is told the booking is cancelled (one
    revision past theirs), and a retry with the key replays that."""
    made = await book(gateway, confirm=True)
    booking = made["data"]["bookAppointment"]["booking"]
    lose_answer(gateway, CANCEL, drop=True)
    cancel = {"bookingId": booking["id"], "revision": booking["revision"], "idempotencyKey": "c1"}
    first = await gateway.post(document("cancelBooking"), {"input": cancel})
    outcome = first["data"]["cancelBooking"]
    assert outcome["__typename"] == "BookingUpdated", first
    assert outcome["booking"]["status"] == "CANCELED"
    assert await gateway.post(document("cancelBooking"), {"input": cancel}) == first
    assert statuses(gateway) == {"CANCELED": 1}


async def test_a_cancel_that_never_reached_wix_keeps_its_error(gateway: Gateway) -> None:
    made = await book(gateway, confirm=True)
    booking = made["data"]["bookAppointment"]["booking"]
    gateway.sandbox.faults.append(FaultRule(path=CANCEL, drop=True, times=1))  # before the write
    cancel = {"bookingId": booking["id"], "revision": booking["revision"]}
    body = await gateway.post(document("cancelBooking"), {"input": cancel})
    [error] = body["errors"]
    assert error["extensions"]["code"] == "UPSTREAM_UNAVAILABLE"
    assert error["extensions"]["bookingId"] == booking["id"]
    assert statuses(gateway) == {"CONFIRMED": 1}
