"""The webhooks of the methods that change several bookings: one event per booking they change
(multi-service bookings, bulk create, bulk confirm-or-decline), none when they refuse."""

from __future__ import annotations

from typing import Any

import httpx

from gateway.sandbox.state import Sandbox
from tests.sandbox.booking_helpers import FORM, appointment, created
from tests.sandbox.package_helpers import (
    ADD,
    FACIAL,
    HAIRCUT,
    MASSAGE,
    REMOVE,
    THURSDAY,
    act,
    at,
    bookings_of,
    infos,
    members,
    package,
)
from tests.sandbox.webhook_helpers import Receiver, received

Json = dict[str, Any]


def moved(booking: Json, start: str, end: str) -> Json:
    """A rescheduleBookingsInfo item: same service and staff, Thursday at new local times."""
    slot = booking["bookedEntity"]["slot"]
    new = at(slot["serviceId"], start, end, slot["resource"]["id"], THURSDAY)
    return {"bookingId": booking["id"], "revision": booking["revision"],
            "slot": new["bookedEntity"]["slot"]}  # fmt: skip


def by_type(deliveries: list[Any]) -> list[tuple[str, str]]:
    """(slug, booking id) of each delivery, in the order they arrived."""
    return [(d.event["slug"], d.event["entityId"]) for d in deliveries]


async def test_a_package_emits_created_per_booking_then_one_event_per_changed_booking(
    wix: httpx.AsyncClient, sandbox: Sandbox, receiver: Receiver
) -> None:
    msb = await package(wix, [HAIRCUT, MASSAGE])
    haircut, massage = bookings_of(msb)
    assert by_type(await received(sandbox, receiver)) == [
        ("created", haircut["id"]),
        ("created", massage["id"]),
    ]
    receiver.tokens.clear()
    moves = [moved(haircut, "14:00", "14:30"), moved(massage, "14:30", "15:30")]
    assert (await act(wix, msb, "reschedule", rescheduleBookingsInfo=moves)).status_code == 200
    rescheduled = await received(sandbox, receiver)
    assert by_type(rescheduled) == [("rescheduled", haircut["id"]), ("rescheduled", massage["id"])]
    assert rescheduled[0].body["previousStartDate"] == haircut["startDate"]
    assert rescheduled[0].body["booking"]["startDate"] == "2026-03-05T14:00:00.000Z"
    receiver.tokens.clear()
    paid = [{**info, "revision": "2"} for info in infos(msb, paymentStatus="PAID")]
    assert (await act(wix, msb, "confirm", confirmBookingsInfo=paid)).status_code == 200
    confirmed = await received(sandbox, receiver)
    assert by_type(confirmed) == [("confirmed", haircut["id"]), ("confirmed", massage["id"])]
    assert {d.body["previousPaymentStatus"] for d in confirmed} == {"UNDEFINED"}
    assert all("doubleBooked" not in d.body for d in confirmed)
    receiver.tokens.clear()
    flow = {"ignoreCancellationPolicy": True}
    assert (await act(wix, msb, "cancel", flowControlSettings=flow)).status_code == 200
    canceled = await received(sandbox, receiver)
    assert by_type(canceled) == [("canceled", haircut["id"]), ("canceled", massage["id"])]
    assert {d.body["previousStatus"] for d in canceled} == {"CONFIRMED"}
    assert canceled[0].body["flowControlSettings"] == flow
    sequences = [d.event["entityEventSequence"] for d in canceled]
    assert sequences == ["4", "4"]  # created, rescheduled, confirmed, canceled


async def test_a_refused_package_change_emits_nothing(
    wix: httpx.AsyncClient, sandbox: Sandbox, receiver: Receiver
) -> None:
    msb = await package(wix, [HAIRCUT, MASSAGE])
    await sandbox.webhooks.drain()
    receiver.tokens.clear()
    partial = await act(wix, msb, "confirm", confirmBookingsInfo=infos(msb)[:1])
    stale = await act(wix, msb, "decline", declineBookingsInfo=infos(msb, revision="9"))
    assert (partial.status_code, stale.status_code) == (400, 409)
    assert await received(sandbox, receiver) == []


async def test_add_and_remove_emit_updated_for_the_bookings_they_move(
    wix: httpx.AsyncClient, sandbox: Sandbox, receiver: Receiver
) -> None:
    msb = await package(wix, [HAIRCUT, MASSAGE])
    facial = await created(wix, FACIAL)
    await sandbox.webhooks.drain()
    receiver.tokens.clear()
    assert (await wix.post(ADD, json=members(msb, facial))).status_code == 200
    (joined,) = await received(sandbox, receiver)
    assert (joined.event_type, joined.body["id"]) == (
        "wix.bookings.v2.booking_updated",
        facial["id"],
    )
    assert joined.body["multiServiceBookingInfo"]["id"] == msb["id"]
    receiver.tokens.clear()
    removed = {**facial, "revision": "2"}
    assert (await wix.post(REMOVE, json=members(msb, removed))).status_code == 200
    (left,) = await received(sandbox, receiver)
    assert (left.event["slug"], left.body["id"]) == ("updated", facial["id"])
    assert "multiServiceBookingInfo" not in left.body
    assert left.event["updatedEvent"] == {"currentEntity": left.body}


async def test_bulk_create_emits_created_for_the_bookings_it_made(
    wix: httpx.AsyncClient, sandbox: Sandbox, receiver: Receiver
) -> None:
    free = appointment(status="CONFIRMED")
    taken = appointment(status="CONFIRMED")  # the same slot: refused once the first holds it
    items = [{"booking": b, "formSubmission": FORM} for b in (free, taken)]
    body = {"createBookingsInfo": items, "returnFullEntity": True}
    response = await wix.post("/bookings/v2/bulk/bookings/create", json=body)
    results = response.json()["results"]
    assert [r["itemMetadata"]["success"] for r in results] == [True, False]
    (made,) = await received(sandbox, receiver)
    assert made.event["createdEvent"] == {"entity": results[0]["item"]}


async def test_bulk_confirm_or_decline_emits_per_decided_booking(
    wix: httpx.AsyncClient, sandbox: Sandbox, receiver: Receiver
) -> None:
    first, second = [await created(wix, appointment()) for _ in range(2)]
    await sandbox.webhooks.drain()
    receiver.tokens.clear()
    details = [{"bookingId": first["id"], "paymentStatus": "PAID"},
               {"bookingId": second["id"], "paymentStatus": "PAID"},
               {"bookingId": "00000000-0000-4000-8000-00000000dead"}]  # fmt: skip
    response = await wix.post("/bookings/v2/bulk/bookings/confirmOrDecline",
                              json={"details": details})  # fmt: skip
    assert response.json()["bulkActionMetadata"]["totalSuccesses"] == 2
    plain, double = await received(sandbox, receiver)
    assert by_type([plain, double]) == [("confirmed", first["id"]), ("confirmed", second["id"])]
    assert "doubleBooked" not in plain.body and double.body["doubleBooked"] is True
    assert double.body["previousPaymentStatus"] == "UNDEFINED"
