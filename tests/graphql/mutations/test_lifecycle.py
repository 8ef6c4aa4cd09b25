"""Changing bookings: reschedule, cancel, the status changes and participants; revisions."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from gateway.sandbox import seed
from gateway.sandbox.wire import parse_utc
from tests.graphql import Gateway, gateway, next_weekday
from tests.graphql.mutations import (
    CANCEL,
    CONTACT,
    GET_SLOT,
    QUERY_BOOKINGS,
    RESCHEDULE,
    appointment_input,
    appointment_slots,
    haircut_slot,
    mutate,
    selection,
    yoga_session,
)

__all__ = ["gateway"]


async def book_haircut(gateway: Gateway, index: int = 0, confirm: bool = True) -> dict[str, Any]:
    slot = await haircut_slot(gateway, index)
    made = await mutate(gateway, "bookAppointment", appointment_input(slot, confirm=confirm))
    booking: dict[str, Any] = made["booking"]
    return booking


async def book_massage(gateway: Gateway) -> dict[str, Any]:
    [slot, *_] = await appointment_slots(gateway, seed.SERVICE_MASSAGE, next_weekday(2))
    staff = slot["availableResources"][0]["resources"][0]["id"]
    answers = {"phone": "+44 20 7946 0101", "pressure": "firm"}
    made = await mutate(
        gateway,
        "bookAppointment",
        appointment_input(slot, resourceId=staff, formSubmission=answers, confirm=True),
    )
    booking: dict[str, Any] = made["booking"]
    return booking


def stored(gateway: Gateway, booking_id: str) -> dict[str, Any]:
    doc = gateway.sandbox.store.get("bookings", booking_id)
    assert doc is not None
    return doc


def new_slot(slot: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "localStart": slot["localStartDate"],
        "localEnd": slot["localEndDate"],
        "timeZone": seed.TIME_ZONE,
        **extra,
    }


def within_a_day_of(gateway: Gateway, booking: dict[str, Any]) -> None:
    """Move the sandbox clock to 3 hours before the booking's start."""
    start = parse_utc(stored(gateway, booking["id"])["startDate"], "startDate")
    gateway.clock.set(start - timedelta(hours=3), frozen=True)


# -- reschedule ------------------------------------------------------------------------------


async def test_reschedule_reads_the_revision_and_moves_the_booking(gateway: Gateway) -> None:
    booking = await book_haircut(gateway)
    target = await haircut_slot(gateway, index=5)
    gateway.reset_calls()
    result = await mutate(
        gateway, "rescheduleBooking", {"bookingId": booking["id"], "newSlot": new_slot(target)}
    )

    assert result["__typename"] == "BookingUpdated"
    moved = result["booking"]
    assert moved["revision"] == str(int(booking["revision"]) + 1)
    assert moved["status"] == "CONFIRMED"
    assert moved["start"] != booking["start"]
    saved = stored(gateway, booking["id"])
    assert parse_utc(saved["startDate"], "saved") == parse_utc(moved["start"], "moved")
    assert gateway.calls() == {QUERY_BOOKINGS: 1, GET_SLOT: 1, RESCHEDULE: 1}


async def test_a_stale_revision_is_a_conflict_and_changes_nothing(gateway: Gateway) -> None:
    booking = await book_haircut(gateway)
    before = stored(gateway, booking["id"])
    target = await haircut_slot(gateway, index=5)
    result = await mutate(
        gateway,
        "rescheduleBooking",
        {"bookingId": booking["id"], "revision": "1", "newSlot": new_slot(target)},
    )

    assert result["__typename"] == "RevisionConflict"
    assert result["currentRevision"] == booking["revision"] == "2"
    assert result["booking"]["id"] == booking["id"]
    assert result["booking"]["start"] == booking["start"]
    assert gateway.calls()[RESCHEDULE] == 1  # sent once, never retried
    assert stored(gateway, booking["id"]) == before


async def test_reschedule_to_a_taken_slot_is_unavailable(gateway: Gateway) -> None:
    slots = await appointment_slots(gateway, seed.SERVICE_HAIRCUT, next_weekday(2))
    mine, other = [
        (await mutate(gateway, "bookAppointment", appointment_input(slot, confirm=True)))["booking"]
        for slot in (slots[0], slots[3])
    ]
    gateway.reset_calls()
    result = await mutate(
        gateway,
        "rescheduleBooking",
        {"bookingId": mine["id"], "newSlot": new_slot(slots[3], resourceId=seed.STAFF_DAN)},
    )

    assert result["__typename"] == "SlotUnavailable"
    assert 1 <= len(result["alternatives"]) <= 5
    assert RESCHEDULE not in gateway.calls()
    assert stored(gateway, mine["id"])["revision"] == mine["revision"]
    assert other["slot"]["resource"] == {"id": seed.STAFF_DAN}


async def test_reschedule_outside_the_policy_window_is_not_allowed(gateway: Gateway) -> None:
    """The massage policy forbids changes within 24 hours of the start."""
    booking = await book_massage(gateway)
    within_a_day_of(gateway, booking)
    target = (await appointment_slots(gateway, seed.SERVICE_MASSAGE, next_weekday(2, 2)))[0]
    gateway.reset_calls()
    request = {"bookingId": booking["id"], "newSlot": new_slot(target)}
    result = await mutate(gateway, "rescheduleBooking", request)

    assert result["__typename"] == "NotAllowed"
    assert result["code"] == "RESCHEDULE_NOT_ALLOWED"
    assert "reschedule policy" in result["reason"]
    assert gateway.calls() == {QUERY_BOOKINGS: 1}


async def test_reschedule_of_a_course_is_not_allowed(gateway: Gateway) -> None:
    made = await mutate(
        gateway, "bookCourse", {"serviceId": seed.SERVICE_PILATES_COURSE, "contact": CONTACT}
    )
    target = await haircut_slot(gateway)
    result = await mutate(
        gateway,
        "rescheduleBooking",
        {"bookingId": made["booking"]["id"], "newSlot": new_slot(target)},
    )
    assert (result["__typename"], result["code"]) == ("NotAllowed", "RESCHEDULE_NOT_ALLOWED")


async def test_a_course_is_not_rescheduled_even_with_the_override(gateway: Gateway) -> None:
    made = await mutate(
        gateway, "bookCourse", {"serviceId": seed.SERVICE_PILATES_COURSE, "contact": CONTACT}
    )
    target = await haircut_slot(gateway)
    gateway.reset_calls()
    result = await mutate(
        gateway,
        "rescheduleBooking",
        {
            "bookingId": made["booking"]["id"],
            "newSlot": new_slot(target),
            "ignoreReschedulePolicy": True,
        },
    )
    assert (result["__typename"], result["code"]) == ("NotAllowed", "COURSE_NOT_RESCHEDULABLE")
    assert RESCHEDULE not in gateway.calls()


async def test_reschedule_too_far_ahead_is_a_policy_violation(gateway: Gateway) -> None:
    booking = await book_haircut(gateway)
    day = next_weekday(2, weeks_ahead=10)
    far = {"localStart": f"{day}T09:00:00", "localEnd": f"{day}T09:30:00"}
    result = await mutate(
        gateway, "rescheduleBooking", {"bookingId": booking["id"], "newSlot": far}
    )
    assert (result["__typename"], result["tooEarly"]) == ("PolicyViolation", True)


async def test_a_class_booking_moves_to_another_session(gateway: Gateway) -> None:
    session = await yoga_session(gateway)
    later = await yoga_session(gateway, days_ahead=14)
    made = await mutate(
        gateway,
        "bookClassSession",
        {"eventId": session["eventInfo"]["eventId"], "contact": CONTACT,
         "formSubmission": {"experience": "advanced"}, "confirm": True},
    )  # fmt: skip
    event_id = later["eventInfo"]["eventId"]
    result = await mutate(
        gateway,
        "rescheduleBooking",
        {"bookingId": made["booking"]["id"], "newSlot": {"eventId": event_id}},
    )
    assert result["__typename"] == "BookingUpdated"
    assert result["booking"]["slot"]["eventId"] == event_id


async def test_reschedule_of_an_unknown_booking_is_not_found(gateway: Gateway) -> None:
    target = await haircut_slot(gateway)
    missing = "00000000-0000-4000-8000-00000000beef"
    result = await mutate(
        gateway, "rescheduleBooking", {"bookingId": missing, "newSlot": new_slot(target)}
    )
    assert (result["__typename"], result["id"]) == ("NotFound", missing)


async def test_a_new_slot_needs_an_event_or_times(gateway: Gateway) -> None:
    booking = await book_haircut(gateway)
    body = await gateway.post(
        "mutation($input: RescheduleBookingInput!) { rescheduleBooking(input: $input) "
        "{ __typename } }",
        {"input": {"bookingId": booking["id"], "newSlot": {"timeZone": seed.TIME_ZONE}}},
    )
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


# -- cancel ----------------------------------------------------------------------------------


async def test_cancel_passes_the_flags(gateway: Gateway) -> None:
    booking = await book_haircut(gateway)
    gateway.reset_calls()
    result = await mutate(
        gateway,
        "cancelBooking",
        {"bookingId": booking["id"], "withRefund": True, "waiveCancellationFee": True},
    )
    assert result["__typename"] == "BookingUpdated"
    assert result["booking"]["status"] == "CANCELED"
    flags = stored(gateway, booking["id"])["flowControlSettings"]
    assert flags == {"withRefund": True, "waiveCancellationFee": True}
    assert gateway.calls() == {QUERY_BOOKINGS: 1, CANCEL: 1}


async def test_cancel_outside_the_policy_needs_the_override(gateway: Gateway) -> None:
    booking = await book_massage(gateway)
    within_a_day_of(gateway, booking)
    refused = await mutate(gateway, "cancelBooking", {"bookingId": booking["id"]})
    assert refused["__typename"] == "NotAllowed"
    assert refused["code"] == "CANCEL_NOT_ALLOWED"
    assert stored(gateway, booking["id"])["status"] == "CONFIRMED"

    forced = await mutate(
        gateway, "cancelBooking", {"bookingId": booking["id"], "ignoreCancellationPolicy": True}
    )
    assert forced["booking"]["status"] == "CANCELED"


async def test_a_canceled_booking_cannot_be_canceled_again(gateway: Gateway) -> None:
    booking = await book_haircut(gateway)
    await mutate(gateway, "cancelBooking", {"bookingId": booking["id"]})
    again = await mutate(gateway, "cancelBooking", {"bookingId": booking["id"]})
    assert again["__typename"] == "NotAllowed"
    assert again["reason"] == "The booking is CANCELED"
    forced = await mutate(
        gateway, "cancelBooking", {"bookingId": booking["id"], "ignoreCancellationPolicy": True}
    )
    assert forced["__typename"] == "NotAllowed"
    assert forced["reason"] == "Booking is already CANCELED"  # Wix's own refusal (428)


async def test_cancel_of_an_unknown_booking_is_not_found(gateway: Gateway) -> None:
    missing = "00000000-0000-4000-8000-00000000beef"
    result = await mutate(gateway, "cancelBooking", {"bookingId": missing})
    assert (result["__typename"], result["id"]) == ("NotFound", missing)


async def test_cancel_with_a_stale_revision_is_a_conflict(gateway: Gateway) -> None:
    booking = await book_haircut(gateway)
    result = await mutate(gateway, "cancelBooking", {"bookingId": booking["id"], "revision": "1"})
    assert (result["__typename"], result["currentRevision"]) == ("RevisionConflict", "2")
    assert result["booking"]["status"] == "CONFIRMED"
    assert stored(gateway, booking["id"])["status"] == "CONFIRMED"


# -- status changes and participants ---------------------------------------------------------


async def test_confirm_and_decline(gateway: Gateway) -> None:
    first = await book_haircut(gateway, index=0, confirm=False)
    second = await book_haircut(gateway, index=1, confirm=False)
    confirmed = await mutate(
        gateway, "confirmBooking", {"bookingId": first["id"], "paymentStatus": "EXEMPT"}
    )
    assert confirmed["booking"]["status"] == "CONFIRMED"
    assert confirmed["booking"]["paymentStatus"] == "EXEMPT"
    declined = await mutate(
        gateway, "declineBooking", {"bookingId": second["id"], "revision": second["revision"]}
    )
    assert declined["booking"]["status"] == "DECLINED"

    again = await mutate(gateway, "confirmBooking", {"bookingId": first["id"]})
    assert again["__typename"] == "NotAllowed"
    assert again["reason"] == "A CONFIRMED booking can't be confirmed"


async def test_a_status_change_with_a_stale_revision_is_a_conflict(gateway: Gateway) -> None:
    booking = await book_haircut(gateway, confirm=False)
    await mutate(gateway, "confirmBooking", {"bookingId": booking["id"]})  # revision 2
    result = await mutate(gateway, "declineBooking", {"bookingId": booking["id"], "revision": "1"})
    assert result["__typename"] == "RevisionConflict"
    assert (result["currentRevision"], result["booking"]["status"]) == ("2", "CONFIRMED")


async def test_confirm_or_decline_needs_no_revision(gateway: Gateway) -> None:
    booking = await book_haircut(gateway, confirm=False)
    gateway.reset_calls()
    result = await mutate(gateway, "confirmOrDeclineBooking", {"bookingId": booking["id"]})
    assert result["booking"]["status"] == "CONFIRMED"
    assert QUERY_BOOKINGS not in gateway.calls()


async def test_mark_as_pending_is_for_services_that_need_approval(gateway: Gateway) -> None:
    booking = await book_haircut(gateway, confirm=False)
    result = await mutate(gateway, "markBookingAsPending", {"bookingId": booking["id"]})
    assert result["__typename"] == "NotAllowed"
    assert result["reason"] == "The service doesn't require manual approval"

    [slot, *_] = await appointment_slots(gateway, seed.SERVICE_CONSULTATION, next_weekday(2))
    staff = slot["availableResources"][0]["resources"][0]["id"]
    made = await mutate(gateway, "bookAppointment", appointment_input(slot, resourceId=staff))
    pending = await mutate(gateway, "markBookingAsPending", {"bookingId": made["booking"]["id"]})
    assert pending["booking"]["status"] == "PENDING"


async def test_participants_change_for_classes_only(gateway: Gateway) -> None:
    session = await yoga_session(gateway)
    made = await mutate(
        gateway,
        "bookClassSession",
        {"eventId": session["eventInfo"]["eventId"], "contact": CONTACT,
         "formSubmission": {"experience": "beginner"}, "confirm": True},
    )  # fmt: skip
    more = await mutate(
        gateway,
        "updateNumberOfParticipants",
        {"bookingId": made["booking"]["id"], "participants": 3},
    )
    assert more["booking"]["participants"] == 3

    haircut = await book_haircut(gateway)
    refused = await mutate(
        gateway, "updateNumberOfParticipants", {"bookingId": haircut["id"], "participants": 2}
    )
    assert refused["__typename"] == "NotAllowed"


async def test_status_change_of_an_unknown_booking_is_not_found(gateway: Gateway) -> None:
    missing = "00000000-0000-4000-8000-00000000beef"
    result = await mutate(gateway, "confirmBooking", {"bookingId": missing})
    assert (result["__typename"], result["id"]) == ("NotFound", missing)
    result = await mutate(gateway, "confirmOrDeclineBooking", {"bookingId": missing})
    assert (result["__typename"], result["id"]) == ("NotFound", missing)


async def test_two_changes_in_one_request_each_read_the_current_revision(
    gateway: Gateway,
) -> None:
    """Mutations run in order; the second must not reuse the revision read before the first."""
    booking = await book_haircut(gateway, confirm=False)
    status = selection(("BookingUpdated", "RevisionConflict", "NotAllowed", "NotFound"))
    cancel = selection(("BookingUpdated", "RevisionConflict", "NotAllowed", "NotFound",
                        "IdempotencyKeyReused"))  # fmt: skip
    data = await gateway.data(
        f"""mutation($id: ID!) {{
          confirm: confirmBooking(input: {{bookingId: $id}}) {{ {status} }}
          cancel: cancelBooking(input: {{bookingId: $id}}) {{ {cancel} }}
        }}""",
        {"id": booking["id"]},
    )
    assert data["confirm"]["booking"]["status"] == "CONFIRMED"
    assert data["cancel"]["__typename"] == "BookingUpdated"
    assert data["cancel"]["booking"]["status"] == "CANCELED"
    assert data["cancel"]["booking"]["revision"] == "3"
