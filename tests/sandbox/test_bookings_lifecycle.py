"""Bookings Writer V2 after creation: reschedule, confirm / decline, confirm-or-decline, cancel,
participants, mark as pending, allowed actions and the revision rules
(https://dev.wix.com/docs/api-reference/business-solutions/bookings/bookings/bookings-writer-v2/introduction
and each method's page)."""

from __future__ import annotations

import httpx
import pytest

from gateway.sandbox import seed
from tests.sandbox.booking_helpers import (
    MASSAGE_FORM,
    YOGA_FORM,
    action,
    appointment,
    class_session,
    code,
    confirm_or_decline,
    course,
    create,
    created,
    failure,
    set_clock,
    stored,
)

TUESDAY_11 = {
    "serviceId": seed.SERVICE_HAIRCUT,
    "startDate": "2026-03-03T11:00:00",
    "endDate": "2026-03-03T11:30:00",
    "resource": {"id": seed.STAFF_DAN},
    "location": {"locationType": "OWNER_BUSINESS"},
}


ANY_SERVICE = {"skipPendingApprovalServiceValidation": True}


def massage_tomorrow(**booking: object) -> dict:
    """A massage 25 hours ahead: inside the strict policy's 24-hour window tomorrow morning."""
    return appointment(
        seed.SERVICE_MASSAGE,
        start="2026-03-03T10:00:00",
        end="2026-03-03T11:00:00",
        resource=seed.STAFF_ANNA,
        **booking,
    )


# -- revisions ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("reschedule", {"slot": TUESDAY_11}),
        ("confirm", {}),
        ("decline", {}),
        ("cancel", {}),
        ("mark_booking_as_pending", {"flowControlSettings": ANY_SERVICE}),
    ],
)
async def test_stale_revision_is_409_and_changes_nothing(
    wix: httpx.AsyncClient, name: str, body: dict
) -> None:
    booking = await created(wix, appointment())
    response = await action(wix, booking["id"], name, revision="7", **body)
    assert response.status_code == 409
    assert response.json()["message"] == "entity has already changed since the requested revision"
    assert await stored(wix, booking["id"]) == booking
    missing = await action(wix, booking["id"], name, **body)
    assert missing.status_code == 400
    ok = await action(wix, booking["id"], name, revision="1", **body)
    assert ok.status_code == 200, ok.text
    assert ok.json()["booking"]["revision"] == "2"


# -- reschedule ------------------------------------------------------------------------------


async def test_reschedule_moves_the_booking_and_keeps_its_status(wix: httpx.AsyncClient) -> None:
    booking = await created(wix, appointment(status="CONFIRMED"))
    response = await wix.post(
        f"/bookings/v2/bookings/{booking['id']}/reschedule",
        json={"revision": "1", "slot": TUESDAY_11},
    )
    assert response.status_code == 200, response.text
    moved = response.json()["booking"]
    assert (moved["status"], moved["revision"]) == ("CONFIRMED", "2")
    assert moved["startDate"] == "2026-03-03T11:00:00.000Z"
    assert moved["bookedEntity"]["slot"]["eventId"] != booking["bookedEntity"]["slot"]["eventId"]
    await created(wix, appointment(status="CONFIRMED"))  # 10:00 is free again


async def test_reschedule_ignores_the_booking_itself(wix: httpx.AsyncClient) -> None:
    booking = await created(wix, appointment(status="CONFIRMED"))
    later = {**TUESDAY_11, "startDate": "2026-03-03T10:15:00", "endDate": "2026-03-03T10:45:00"}
    response = await action(wix, booking["id"], "reschedule", revision="1", slot=later)
    assert response.status_code == 200, response.text


async def test_reschedule_to_a_taken_slot_is_428(wix: httpx.AsyncClient) -> None:
    await created(
        wix, appointment(start="2026-03-03T11:00:00", end="2026-03-03T11:30:00", status="CONFIRMED")
    )
    booking = await created(wix, appointment())
    response = await action(wix, booking["id"], "reschedule", revision="1", slot=TUESDAY_11)
    assert failure(response) == (428, "SLOT_NOT_AVAILABLE")
    forced = await action(
        wix,
        booking["id"],
        "reschedule",
        revision="1",
        slot=TUESDAY_11,
        flowControlSettings={"skipAvailabilityValidation": True},
    )
    assert forced.status_code == 200


async def test_reschedule_policy_window(wix: httpx.AsyncClient) -> None:
    """The strict policy stops rescheduling within 24 hours of the start."""
    booking = await created(wix, massage_tomorrow(), form=MASSAGE_FORM)
    await set_clock(wix, "2026-03-02T11:00:00Z")
    later = {**TUESDAY_11, "serviceId": seed.SERVICE_MASSAGE, "endDate": "2026-03-03T12:00:00",
             "resource": {"id": seed.STAFF_ANNA}}  # fmt: skip
    response = await action(wix, booking["id"], "reschedule", revision="1", slot=later)
    assert failure(response) == (403, "BOOKING_POLICY_VIOLATION")
    flow = {"ignoreReschedulePolicy": True}
    forced = await action(
        wix, booking["id"], "reschedule", revision="1", slot=later, flowControlSettings=flow
    )
    assert forced.status_code == 200, forced.text


async def test_reschedule_new_slot_must_respect_the_booking_policy(wix: httpx.AsyncClient) -> None:
    booking = await created(wix, appointment())
    soon = {**TUESDAY_11, "startDate": "2026-03-02T09:30:00", "endDate": "2026-03-02T10:00:00"}
    response = await action(wix, booking["id"], "reschedule", revision="1", slot=soon)
    assert failure(response) == (403, "BOOKING_POLICY_VIOLATION")


async def test_course_bookings_cannot_be_rescheduled(wix: httpx.AsyncClient) -> None:
    booking = await created(wix, course())
    response = await action(wix, booking["id"], "reschedule", revision="1", slot=TUESDAY_11)
    assert failure(response) == (428, "FAILED_PRECONDITION")


# -- confirm, decline ------------------------------------------------------------------------


async def test_confirm_assigns_a_resource_and_an_event(wix: httpx.AsyncClient) -> None:
    booking = await created(wix, appointment(resource=None))
    response = await action(wix, booking["id"], "confirm", revision="1", paymentStatus="EXEMPT")
    confirmed = response.json()["booking"]
    assert (confirmed["status"], confirmed["paymentStatus"]) == ("CONFIRMED", "EXEMPT")
    assert confirmed["bookedEntity"]["slot"]["resource"]["id"] == seed.STAFF_DAN
    assert confirmed["bookedEntity"]["slot"]["eventId"]
    again = await action(wix, booking["id"], "confirm", revision="2")
    assert failure(again) == (428, "INVALID_BOOKING_STATUS")


async def test_confirm_can_mark_a_double_booking_only_when_checking(wix: httpx.AsyncClient) -> None:
    await created(wix, appointment(status="CONFIRMED"))
    first = await created(
        wix, appointment(), flowControlSettings={"skipAvailabilityValidation": True}
    )
    second = await created(
        wix, appointment(), flowControlSettings={"skipAvailabilityValidation": True}
    )
    plain = (await action(wix, first["id"], "confirm", revision="1")).json()["booking"]
    assert "doubleBooked" not in plain
    flow = {"checkAvailabilityValidation": True}
    checked = await action(wix, second["id"], "confirm", revision="1", flowControlSettings=flow)
    assert checked.json()["booking"]["doubleBooked"] is True


async def test_decline_only_from_an_open_status(wix: httpx.AsyncClient) -> None:
    booking = await created(wix, appointment())
    declined = await wix.post(
        f"/bookings/v2/bookings/{booking['id']}/decline", json={"revision": "1"}
    )
    assert declined.json()["booking"]["status"] == "DECLINED"
    again = await action(wix, booking["id"], "decline", revision="2")
    assert failure(again) == (428, "INVALID_BOOKING_STATUS")


# -- confirm or decline --------------------------------------------------------------------


async def test_confirm_or_decline_free_conflict_is_declined(wix: httpx.AsyncClient) -> None:
    first, second = [await created(wix, appointment()) for _ in range(2)]
    assert (await confirm_or_decline(wix, first["id"])).json()["booking"]["status"] == "CONFIRMED"
    declined = (await confirm_or_decline(wix, second["id"])).json()["booking"]
    assert (declined["status"], declined["revision"]) == ("DECLINED", "2")


async def test_confirm_or_decline_paid_conflict_is_double_booked(wix: httpx.AsyncClient) -> None:
    first, second = [await created(wix, appointment()) for _ in range(2)]
    await confirm_or_decline(wix, first["id"], paymentStatus="PAID")
    response = await confirm_or_decline(wix, second["id"], paymentStatus="PAID")
    booking = response.json()["booking"]
    assert (booking["status"], booking["doubleBooked"], booking["paymentStatus"]) == (
        "CONFIRMED",
        True,
        "PAID",
    )
    found = await wix.post("/_api/bookings-reader/v2/extended-bookings/query",
                           json={"query": {"filter": {"doubleBooked": True}}})  # fmt: skip
    assert [e["booking"]["id"] for e in found.json()["extendedBookings"]] == [second["id"]]


async def test_confirm_or_decline_again_is_status_already_set(wix: httpx.AsyncClient) -> None:
    booking = await created(wix, appointment())
    await confirm_or_decline(wix, booking["id"])
    response = await confirm_or_decline(wix, booking["id"])
    assert response.status_code == 428
    error = response.json()["details"]["applicationError"]
    assert error["code"] == "INVALID_BOOKING_STATUS"
    assert error["data"] == {"currentBookingStatus": "CONFIRMED"}
    assert response.json()["message"] == "Booking.status is already set to CONFIRMED"


async def test_confirm_or_decline_manual_approval_is_pending(wix: httpx.AsyncClient) -> None:
    consultation = appointment(seed.SERVICE_CONSULTATION, end="2026-03-03T10:45:00", resource=None)
    booking = await created(wix, consultation)
    pending = (await confirm_or_decline(wix, booking["id"])).json()["booking"]
    assert pending["status"] == "PENDING"
    assert pending["bookedEntity"]["slot"]["resource"]["id"]  # PENDING holds a staff member
    again = await confirm_or_decline(wix, booking["id"])
    assert code(again) == "INVALID_BOOKING_STATUS"


async def test_confirm_or_decline_forced_or_skipped_never_declines(wix: httpx.AsyncClient) -> None:
    waiting = await created(wix, appointment())
    await created(wix, appointment(status="CONFIRMED"))
    flow = {"skipAvailabilityValidation": True}
    skipped = await created(wix, appointment(), flowControlSettings=flow)
    assert (await confirm_or_decline(wix, skipped["id"])).json()["booking"]["status"] == "CONFIRMED"
    forced = (await confirm_or_decline(wix, waiting["id"], flowControlSettings=flow)).json()
    assert forced["booking"]["status"] == "CONFIRMED"
    assert forced["booking"]["flowControlSettings"] == flow


async def test_confirm_or_decline_full_class_declines(wix: httpx.AsyncClient) -> None:
    for _ in range(2):
        await created(wix, class_session(totalParticipants=4, status="CONFIRMED"), form=YOGA_FORM)
    fits = await created(wix, class_session(totalParticipants=2), form=YOGA_FORM)
    late = await created(wix, class_session(totalParticipants=1), form=YOGA_FORM)
    assert (await confirm_or_decline(wix, fits["id"])).json()["booking"]["status"] == "CONFIRMED"
    assert (await confirm_or_decline(wix, late["id"])).json()["booking"]["status"] == "DECLINED"


async def test_bulk_confirm_or_decline(wix: httpx.AsyncClient) -> None:
    first, second = [await created(wix, appointment()) for _ in range(2)]
    details = [{"bookingId": first["id"]}, {"bookingId": second["id"]},
               {"bookingId": "f9000000-0000-4000-8000-000000000000"}]  # fmt: skip
    response = await wix.post(
        "/bookings/v2/bulk/bookings/confirmOrDecline",
        json={"details": details, "returnFullEntity": True},
    )
    results = response.json()["results"]
    assert [r["item"]["status"] for r in results[:2]] == ["CONFIRMED", "DECLINED"]
    assert results[2]["itemMetadata"]["error"]["code"] == "BOOKING_NOT_FOUND"
    assert response.json()["bulkActionMetadata"]["totalSuccesses"] == 2
    too_many = await wix.post("/bookings/v2/bulk/bookings/confirmOrDecline",
                              json={"details": details * 101})  # fmt: skip
    assert too_many.status_code == 400


# -- cancel --------------------------------------------------------------------------------


async def test_cancel_frees_the_slot_and_echoes_flags(wix: httpx.AsyncClient) -> None:
    booking = await created(wix, appointment(status="CONFIRMED"))
    flow = {"withRefund": True, "waiveCancellationFee": True}
    response = await action(wix, booking["id"], "cancel", revision="1", flowControlSettings=flow)
    canceled = response.json()["booking"]
    assert (canceled["status"], canceled["revision"]) == ("CANCELED", "2")
    assert canceled["flowControlSettings"] == flow
    await created(wix, appointment(status="CONFIRMED"))
    again = await action(wix, booking["id"], "cancel", revision="2")
    assert failure(again) == (428, "FAILED_PRECONDITION")


async def test_cancellation_policy_window(wix: httpx.AsyncClient) -> None:
    booking = await created(wix, massage_tomorrow(), form=MASSAGE_FORM)
    await set_clock(wix, "2026-03-02T11:00:00Z")
    response = await action(wix, booking["id"], "cancel", revision="1")
    assert failure(response) == (403, "BOOKING_POLICY_VIOLATION")
    assert (await stored(wix, booking["id"]))["status"] == "CREATED"
    flow = {"ignoreCancellationPolicy": True}
    forced = await action(wix, booking["id"], "cancel", revision="1", flowControlSettings=flow)
    assert forced.json()["booking"]["status"] == "CANCELED"


# -- participants, mark as pending -----------------------------------------------------------


async def test_update_number_of_participants(wix: httpx.AsyncClient) -> None:
    booking = await created(wix, class_session(status="CONFIRMED"), form=YOGA_FORM)
    path = f"/bookings/v2/bookings/{booking['id']}/update_number_of_participants"
    response = await wix.post(path, json={"revision": "1", "totalParticipants": 3})
    assert (
        response.json()["booking"]["totalParticipants"],
        response.json()["booking"]["revision"],
    ) == (3, "2")
    too_many = await wix.post(path, json={"revision": "2", "totalParticipants": 5})
    assert failure(too_many) == (428, "FAILED_PRECONDITION")
    for others in (4, 3):  # 3 + 4 + 3 = 10 places taken
        await created(
            wix, class_session(totalParticipants=others, status="CONFIRMED"), form=YOGA_FORM
        )
    full = await wix.post(path, json={"revision": "2", "totalParticipants": 4})
    assert failure(full) == (428, "FAILED_PRECONDITION")
    appointment_booking = await created(wix, appointment())
    fixed = await action(wix, appointment_booking["id"], "update_number_of_participants",
                         revision="1", totalParticipants=2)  # fmt: skip
    assert failure(fixed) == (428, "FAILED_PRECONDITION")


async def test_mark_as_pending_blocks_the_slot(wix: httpx.AsyncClient) -> None:
    consultation = appointment(
        seed.SERVICE_CONSULTATION, end="2026-03-03T10:45:00", resource=seed.STAFF_ANNA
    )
    booking = await created(wix, consultation)
    response = await action(
        wix, booking["id"], "mark_booking_as_pending", revision="1", paymentStatus="NOT_PAID"
    )
    assert response.json()["booking"]["status"] == "PENDING"
    taken = await create(wix, {**consultation, "status": "CONFIRMED"})
    assert code(taken) == "SLOT_NOT_AVAILABLE"
    again = await action(wix, booking["id"], "mark_booking_as_pending", revision="2")
    assert failure(again) == (428, "BOOKING_MARK_BOOKING_AS_PENDING")


async def test_mark_as_pending_needs_manual_approval_unless_skipped(wix: httpx.AsyncClient) -> None:
    booking = await created(wix, appointment())
    response = await action(wix, booking["id"], "mark_booking_as_pending", revision="1")
    assert failure(response) == (
        428,
        "NOT_PENDING_APPROVAL_SERVICE",
    )
    flow = {"skipPendingApprovalServiceValidation": True, "checkAvailabilityValidation": True}
    ok = await action(
        wix, booking["id"], "mark_booking_as_pending", revision="1", flowControlSettings=flow
    )
    assert (
        ok.json()["booking"]["status"] == "PENDING" and "doubleBooked" not in ok.json()["booking"]
    )


# -- allowed actions -----------------------------------------------------------------------


async def test_bulk_calculate_allowed_actions(wix: httpx.AsyncClient) -> None:
    haircut = await created(wix, appointment())
    massage = await created(wix, massage_tomorrow(), form=MASSAGE_FORM)
    pilates = await created(wix, course())
    canceled = await created(
        wix, appointment(start="2026-03-03T11:00:00", end="2026-03-03T11:30:00")
    )
    await action(wix, canceled["id"], "cancel", revision="1")
    await set_clock(wix, "2026-03-02T11:00:00Z")
    ids = [haircut["id"], massage["id"], pilates["id"], canceled["id"], "unknown"]
    response = await wix.post(
        "/bookings/v2/bulk/bookings/calculate_allowed_actions", json={"bookingIds": ids}
    )
    results = response.json()["results"]
    assert [r.get("item") for r in results[:4]] == [
        {"cancel": True, "reschedule": True},
        {"cancel": False, "reschedule": False},  # within the strict policy's 24 hours
        {"cancel": True, "reschedule": False},  # courses can't be rescheduled
        {"cancel": False, "reschedule": False},
    ]
    assert results[4]["itemMetadata"]["success"] is False
    assert results[4]["itemMetadata"]["error"]["code"] == "NOT_FOUND"
