"""Confirm Or Decline's request has no `revision` (Wix's SDK types): a revision the caller gives
is checked against the booking as it is, and never sent."""

from __future__ import annotations

from tests.graphql import Gateway, gateway
from tests.graphql.mutations import appointment_input, document, haircut_slot, mutate

__all__ = ["gateway"]


async def created_booking(gateway: Gateway) -> dict[str, object]:
    slot = await haircut_slot(gateway)
    made = await mutate(gateway, "bookAppointment", appointment_input(slot))
    booking: dict[str, object] = made["booking"]
    return booking


async def test_a_stale_revision_is_a_conflict_and_nothing_is_written(gateway: Gateway) -> None:
    booking = await created_booking(gateway)
    gateway.reset_calls()
    stale = {"bookingId": booking["id"], "revision": str(int(str(booking["revision"])) + 5)}
    result = await mutate(gateway, "confirmOrDeclineBooking", stale)
    assert result["__typename"] == "RevisionConflict"
    assert result["currentRevision"] == booking["revision"]
    assert all("confirmOrDecline" not in route for route in gateway.calls())


async def test_the_current_revision_confirms(gateway: Gateway) -> None:
    booking = await created_booking(gateway)
    current = {"bookingId": booking["id"], "revision": booking["revision"]}
    body = await gateway.post(document("confirmOrDeclineBooking"), {"input": current})
    outcome = body["data"]["confirmOrDeclineBooking"]
    assert outcome["__typename"] == "BookingUpdated" and outcome["booking"]["status"] == "CONFIRMED"
