"""`bookAppointment`: every outcome member, the calls it makes, and what the sandbox stores."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from gateway.sandbox import seed
from gateway.sandbox.state import FaultRule
from tests.graphql import Gateway, gateway, next_weekday
from tests.graphql.mutations import (
    CONFIRM_OR_DECLINE,
    CONTACT,
    CREATE_BOOKING,
    GET_FORM,
    GET_SLOT,
    LIST_SLOTS,
    QUERY_SERVICES,
    appointment_input,
    appointment_slots,
    haircut_slot,
    london,
    mutate,
    stored_bookings,
    wait_for_call,
)

__all__ = ["gateway"]

MASSAGE_FORM = {"phone": "+44 20 7946 0101", "pressure": "medium"}


async def test_books_the_verified_slot_in_one_call_each(gateway: Gateway) -> None:
    slot = await haircut_slot(gateway)
    gateway.reset_calls()
    result = await mutate(gateway, "bookAppointment", appointment_input(slot))

    assert result["__typename"] == "BookingCreated"
    booking = result["booking"]
    assert booking["status"] == "CREATED"
    assert booking["slot"]["resource"] == {"id": seed.STAFF_DAN}
    assert booking["slot"]["location"] == {"id": seed.LOCATION_MAIN, "type": "OWNER_BUSINESS"}
    assert booking["slot"]["timeZone"] == seed.TIME_ZONE
    contact = booking["contact"]
    assert (contact["firstName"], contact["lastName"], contact["email"]) == (
        CONTACT["firstName"],
        CONTACT["lastName"],
        CONTACT["email"],
    )
    assert gateway.calls() == {GET_SLOT: 1, QUERY_SERVICES: 1, GET_FORM: 1, CREATE_BOOKING: 1}
    [stored] = stored_bookings(gateway)
    assert stored["id"] == booking["id"] and stored["status"] == "CREATED"


async def test_confirm_makes_the_booking_confirmed(gateway: Gateway) -> None:
    slot = await haircut_slot(gateway)
    gateway.reset_calls()
    result = await mutate(gateway, "bookAppointment", appointment_input(slot, confirm=True))

    assert result["__typename"] == "BookingCreated"
    assert result["booking"]["status"] == "CONFIRMED"
    assert result["booking"]["revision"] == "2"
    assert gateway.calls()[CONFIRM_OR_DECLINE] == 1
    assert [b["status"] for b in stored_bookings(gateway)] == ["CONFIRMED"]


async def test_manual_approval_ends_pending_at_the_location_asked_for(gateway: Gateway) -> None:
    day = next_weekday(2)
    body = await gateway.upstream.time_slots.list_availability(
        {
            "serviceId": seed.SERVICE_CONSULTATION,
            "fromLocalDate": f"{day}T00:00:00",
            "toLocalDate": f"{day + timedelta(days=1)}T00:00:00",
            "timeZone": seed.TIME_ZONE,
            "bookable": True,
            "locations": [{"id": seed.LOCATION_CITY, "locationType": "BUSINESS"}],
            "includeResourceTypeIds": [seed.STAFF_RESOURCE_TYPE_ID],
        }
    )
    slot = body["timeSlots"][0]
    staff = slot["availableResources"][0]["resources"][0]["id"]
    result = await mutate(
        gateway,
        "bookAppointment",
        appointment_input(
            slot,
            resourceId=staff,
            locationId=seed.LOCATION_CITY,
            confirm=True,
            paymentStatus="PAID",
        ),
    )

    assert result["__typename"] == "BookingCreated"
    assert result["booking"]["status"] == "PENDING"
    assert result["booking"]["paymentStatus"] == "PAID"
    assert result["booking"]["slot"]["location"] == {
        "id": seed.LOCATION_CITY,
        "type": "OWNER_BUSINESS",
    }


async def test_without_a_staff_member_wix_assigns_one_at_confirmation(gateway: Gateway) -> None:
    slot = await haircut_slot(gateway)
    result = await mutate(
        gateway, "bookAppointment", appointment_input(slot, resourceId=None, confirm=True)
    )
    assert result["booking"]["status"] == "CONFIRMED"
    assert result["booking"]["slot"]["resource"]["id"] in (seed.STAFF_DAN, seed.STAFF_ELLA)


async def test_taken_slot_is_unavailable_with_nearest_alternatives(gateway: Gateway) -> None:
    slots = await appointment_slots(gateway, seed.SERVICE_HAIRCUT, next_weekday(2))
    wanted = slots[4]
    first = await mutate(gateway, "bookAppointment", appointment_input(wanted, confirm=True))
    assert first["booking"]["status"] == "CONFIRMED"
    gateway.reset_calls()

    result = await mutate(gateway, "bookAppointment", appointment_input(wanted, confirm=True))

    assert result["__typename"] == "SlotUnavailable"
    alternatives = result["alternatives"]
    assert 1 <= len(alternatives) <= 5
    assert all(a["bookable"] for a in alternatives)
    starts = [a["localStart"] for a in alternatives]
    assert starts == sorted(starts)
    # The same start is still offered with the other staff member (Dan is taken).
    same = [a for a in alternatives if a["localStart"] == wanted["localStartDate"]]
    assert [r["id"] for r in same[0]["resources"]] == [seed.STAFF_ELLA]
    # The nearest ones: each alternative is at most as far as any slot left out.
    requested = wanted["localStartDate"]
    listed = {s["localStartDate"] for s in slots}
    left_out = listed - set(starts)
    far = max(abs(_minutes(s) - _minutes(requested)) for s in starts)
    assert all(abs(_minutes(s) - _minutes(requested)) >= far for s in left_out)
    assert CREATE_BOOKING not in gateway.calls()
    assert gateway.calls()[LIST_SLOTS] == 1
    assert len(stored_bookings(gateway)) == 1


def _minutes(local: str) -> int:
    hours, minutes = local[11:16].split(":")
    return int(local[8:10]) * 1440 + int(hours) * 60 + int(minutes)


async def test_a_time_off_the_grid_is_unavailable(gateway: Gateway) -> None:
    slot = await haircut_slot(gateway, index=2)
    start = datetime.fromisoformat(slot["localStartDate"]) + timedelta(minutes=7)
    off_grid = {
        **slot,
        "localStartDate": start.isoformat(),
        "localEndDate": (start + timedelta(minutes=30)).isoformat(),
    }
    result = await mutate(gateway, "bookAppointment", appointment_input(off_grid))
    assert result["__typename"] == "SlotUnavailable"
    assert result["alternatives"]
    assert stored_bookings(gateway) == []


async def test_form_answers_are_checked_before_anything_is_written(gateway: Gateway) -> None:
    [slot, *_] = await appointment_slots(gateway, seed.SERVICE_MASSAGE, next_weekday(2))
    staff = slot["availableResources"][0]["resources"][0]["id"]
    gateway.reset_calls()
    result = await mutate(
        gateway,
        "bookAppointment",
        appointment_input(
            slot,
            resourceId=staff,
            contact={**CONTACT, "email": "not-an-email"},
            formSubmission={"pressure": "extreme", "favourite_colour": "blue", "injuries": 3},
        ),
    )

    assert result["__typename"] == "FormInvalid"
    errors = {e["target"]: e["message"] for e in result["fieldErrors"]}
    assert errors == {
        "favourite_colour": "is not a field of this form",
        "email": "must be an email address",
        "phone": "is required",
        "pressure": "must be one of: firm, light, medium",
        "injuries": "must be text",
    }
    assert CREATE_BOOKING not in gateway.calls()
    assert stored_bookings(gateway) == []


async def test_form_answer_that_contradicts_the_contact_is_invalid(gateway: Gateway) -> None:
    slot = await haircut_slot(gateway)
    result = await mutate(
        gateway,
        "bookAppointment",
        appointment_input(slot, formSubmission={"email": "someone.else@example.com"}),
    )
    assert result["__typename"] == "FormInvalid"
    assert result["fieldErrors"] == [
        {"target": "email", "message": "conflicts with the contact's email"}
    ]


async def test_form_answers_reach_the_booking(gateway: Gateway) -> None:
    [slot, *_] = await appointment_slots(gateway, seed.SERVICE_MASSAGE, next_weekday(2))
    staff = slot["availableResources"][0]["resources"][0]["id"]
    answers = {"first_name": "Maya", "last_name": "Rosen", "email": "MAYA@example.com"}
    result = await mutate(
        gateway,
        "bookAppointment",
        appointment_input(
            slot, resourceId=staff, formSubmission={**answers, **MASSAGE_FORM}, confirm=True
        ),
    )
    assert result["__typename"] == "BookingCreated"
    assert result["booking"]["contact"]["phone"] == MASSAGE_FORM["phone"]
    [stored] = stored_bookings(gateway)
    submission = gateway.sandbox.store.get("submissions", stored["formSubmissionId"])
    assert submission["submissions"]["pressure"] == "medium"


async def test_too_early_is_a_policy_violation(gateway: Gateway) -> None:
    """The standard policy opens bookings 86,400 minutes (60 days) ahead: a fixed duration, so
    across the spring clock change (this window spans it) it opens at 08:00 UTC, not 09:00."""
    day = next_weekday(2, weeks_ahead=10)
    slot = {
        "serviceId": seed.SERVICE_HAIRCUT,
        "localStartDate": f"{day}T09:00:00",
        "localEndDate": f"{day}T09:30:00",
    }
    result = await mutate(gateway, "bookAppointment", appointment_input(slot))
    assert result["__typename"] == "PolicyViolation"
    assert (result["tooEarly"], result["tooLate"], result["onlineBookingDisabled"]) == (
        True,
        False,
        False,
    )
    opens = london(day, "09:00").astimezone(UTC) - timedelta(minutes=86_400)
    assert result["earliestBookingDate"] == opens.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    assert stored_bookings(gateway) == []


async def test_too_late_is_a_policy_violation(gateway: Gateway) -> None:
    """The standard policy closes bookings an hour before the start."""
    slot = await haircut_slot(gateway)
    start = london(next_weekday(2), slot["localStartDate"][11:16])
    gateway.clock.set(start - timedelta(minutes=30), frozen=True)
    result = await mutate(gateway, "bookAppointment", appointment_input(slot))
    assert result["__typename"] == "PolicyViolation"
    assert result["tooLate"] is True and result["earliestBookingDate"] is None


async def test_online_booking_disabled_is_a_policy_violation(gateway: Gateway) -> None:
    day = next_weekday(1)
    [slot, *_] = await appointment_slots(gateway, seed.SERVICE_SAUNA, day, bookable=False)
    result = await mutate(
        gateway, "bookAppointment", appointment_input(slot, resourceId=seed.STAFF_BEN)
    )
    assert result["__typename"] == "PolicyViolation"
    assert result["onlineBookingDisabled"] is True


async def test_more_participants_than_the_policy_allows_is_not_allowed(gateway: Gateway) -> None:
    """Wix refuses the create (428): an appointment is for one participant."""
    slot = await haircut_slot(gateway)
    result = await mutate(gateway, "bookAppointment", appointment_input(slot, participants=2))
    assert result["__typename"] == "NotAllowed"
    assert (result["code"], result["reason"]) == (
        "VALIDATION_FAILURE",
        "At most 1 participants per booking",
    )
    assert stored_bookings(gateway) == []


async def test_unknown_service_is_not_found(gateway: Gateway) -> None:
    slot = await haircut_slot(gateway)
    missing = "e5000000-0000-4000-8000-0000000000ff"
    result = await mutate(
        gateway, "bookAppointment", appointment_input({**slot, "serviceId": missing})
    )
    assert result == {"__typename": "NotFound", "message": f"No service with id {missing}",
                      "id": missing}  # fmt: skip


async def test_a_class_service_is_bad_input(gateway: Gateway) -> None:
    slot = await haircut_slot(gateway)
    body = await gateway.post(
        "mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { __typename } }",
        {"input": appointment_input({**slot, "serviceId": seed.SERVICE_YOGA})},
    )
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "bookClassSession" in error["message"]


async def test_declined_at_confirmation_is_unavailable(gateway: Gateway) -> None:
    """Two customers pass the slot check; the one confirmed second is declined by Wix."""
    slot = await haircut_slot(gateway)
    gateway.sandbox.faults.append(
        FaultRule(path="/bookings/v2/confirmation/*", latency_ms=400, times=1)
    )
    gateway.reset_calls()
    booking = appointment_input(slot, confirm=True)
    slow = asyncio.create_task(mutate(gateway, "bookAppointment", booking))
    await wait_for_call(gateway, CREATE_BOOKING)
    fast = await mutate(gateway, "bookAppointment", appointment_input(slot, confirm=True))
    late = await slow

    assert fast["booking"]["status"] == "CONFIRMED"
    assert late["__typename"] == "SlotUnavailable"
    assert len(late["alternatives"]) == 5
    assert gateway.calls()[CONFIRM_OR_DECLINE] == 2
    statuses = sorted(b["status"] for b in stored_bookings(gateway))
    assert statuses == ["CONFIRMED", "DECLINED"]


async def test_taken_while_creating_is_unavailable(gateway: Gateway) -> None:
    """Wix refuses the create itself (428 SLOT_NOT_AVAILABLE) when the slot went meanwhile."""
    slot = await haircut_slot(gateway)
    gateway.sandbox.faults.append(
        FaultRule(path="/_api/bookings-service/v2/bookings", method="POST", latency_ms=400,
                  times=1)
    )  # fmt: skip
    gateway.reset_calls()
    slow = asyncio.create_task(mutate(gateway, "bookAppointment", appointment_input(slot)))
    await wait_for_call(gateway, GET_SLOT)
    await asyncio.sleep(0.05)  # the slow request is now waiting in Create Booking
    fast = await mutate(gateway, "bookAppointment", appointment_input(slot, confirm=True))
    late = await slow

    assert fast["booking"]["status"] == "CONFIRMED"
    assert late["__typename"] == "SlotUnavailable"
    assert gateway.calls()[CREATE_BOOKING] == 2  # the slow one was refused
    assert [b["status"] for b in stored_bookings(gateway)] == ["CONFIRMED"]


async def test_an_upstream_failure_is_an_error_and_writes_nothing(gateway: Gateway) -> None:
    slot = await haircut_slot(gateway)
    gateway.sandbox.faults.append(FaultRule(path="/_api/service-availability/*", status=503))
    body = await gateway.post(
        "mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { __typename } }",
        {"input": appointment_input(slot)},
    )
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "UPSTREAM_UNAVAILABLE"
    assert stored_bookings(gateway) == []


async def test_a_failed_confirmation_leaves_no_booking_behind(gateway: Gateway) -> None:
    slot = await haircut_slot(gateway)
    gateway.sandbox.faults.append(FaultRule(path="/bookings/v2/confirmation/*", status=500))
    body = await gateway.post(
        "mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { __typename } }",
        {"input": appointment_input(slot, confirm=True)},
    )
    assert body["errors"][0]["extensions"]["code"] == "UPSTREAM_UNAVAILABLE"
    [stored] = stored_bookings(gateway)
    assert stored["status"] == "CANCELED"
