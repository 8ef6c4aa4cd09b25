"""`bookClassSession`: joining a yoga session (10 places, up to 4 per booking, waitlist of 5)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from gateway.sandbox import seed
from tests.graphql import Gateway, gateway
from tests.graphql.mutations import (
    CONFIRM_OR_DECLINE,
    CONTACT,
    CREATE_BOOKING,
    GET_EVENT,
    GET_FORM,
    QUERY_SERVICES,
    mutate,
    stored_bookings,
    yoga_session,
)

__all__ = ["gateway"]

YOGA_FORM = {"experience": "beginner"}


def session_input(session: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "eventId": session["eventInfo"]["eventId"],
        "contact": CONTACT,
        "formSubmission": YOGA_FORM,
        **extra,
    }


async def test_joins_the_session_with_the_party(gateway: Gateway) -> None:
    session = await yoga_session(gateway)
    gateway.reset_calls()
    result = await mutate(
        gateway, "bookClassSession", session_input(session, participants=3, confirm=True)
    )

    assert result["__typename"] == "BookingCreated"
    booking = result["booking"]
    assert (booking["status"], booking["participants"]) == ("CONFIRMED", 3)
    assert booking["slot"]["eventId"] == session["eventInfo"]["eventId"]
    assert booking["slot"]["serviceId"] == seed.SERVICE_YOGA
    assert gateway.calls() == {
        GET_EVENT: 1,
        QUERY_SERVICES: 1,
        GET_FORM: 1,
        CREATE_BOOKING: 1,
        CONFIRM_OR_DECLINE: 1,
    }
    after = await gateway.upstream.time_slots.get_event(session["eventInfo"]["eventId"])
    assert after["timeSlot"]["remainingCapacity"] == 7


async def test_without_confirm_the_booking_is_created(gateway: Gateway) -> None:
    session = await yoga_session(gateway)
    result = await mutate(gateway, "bookClassSession", session_input(session))
    assert result["booking"]["status"] == "CREATED"


async def test_a_party_larger_than_the_spots_left_is_class_full(gateway: Gateway) -> None:
    session = await yoga_session(gateway)
    for party in (4, 4, 1):
        made = await mutate(
            gateway, "bookClassSession", session_input(session, participants=party, confirm=True)
        )
        assert made["booking"]["status"] == "CONFIRMED"
    gateway.reset_calls()

    result = await mutate(
        gateway, "bookClassSession", session_input(session, participants=2, confirm=True)
    )

    assert result == {
        "__typename": "ClassFull",
        "message": "The class session has 1 open spot(s) left",
        "remaining": 1,
        "waitingListAvailable": True,
    }
    assert CREATE_BOOKING not in gateway.calls()
    assert len(stored_bookings(gateway)) == 3


async def test_form_answers_are_checked(gateway: Gateway) -> None:
    session = await yoga_session(gateway)
    result = await mutate(
        gateway,
        "bookClassSession",
        session_input(session, formSubmission={"mat_rental": "yes"}),
    )
    assert result["__typename"] == "FormInvalid"
    assert {e["target"]: e["message"] for e in result["fieldErrors"]} == {
        "experience": "is required",
        "mat_rental": "must be true or false",
    }
    assert stored_bookings(gateway) == []


async def test_too_early_is_a_policy_violation(gateway: Gateway) -> None:
    """Class bookings open 30 days ahead."""
    session = await yoga_session(gateway, days_ahead=40)
    result = await mutate(gateway, "bookClassSession", session_input(session))
    assert result["__typename"] == "PolicyViolation"
    assert result["tooEarly"] is True
    assert result["earliestBookingDate"] is not None
    assert stored_bookings(gateway) == []


async def test_after_the_start_is_too_late(gateway: Gateway) -> None:
    session = await yoga_session(gateway)
    in_utc = await gateway.upstream.time_slots.get_event(session["eventInfo"]["eventId"], "UTC")
    start = datetime.fromisoformat(in_utc["timeSlot"]["localStartDate"]).replace(tzinfo=UTC)
    gateway.clock.set(start + timedelta(minutes=5), frozen=True)
    result = await mutate(gateway, "bookClassSession", session_input(session))
    assert (result["__typename"], result["tooLate"]) == ("PolicyViolation", True)


async def test_more_than_the_policy_allows_per_booking_is_not_allowed(gateway: Gateway) -> None:
    session = await yoga_session(gateway)
    result = await mutate(gateway, "bookClassSession", session_input(session, participants=5))
    assert result["__typename"] == "NotAllowed"
    assert result["reason"] == "At most 4 participants per booking"
    assert result["code"] == "VALIDATION_FAILURE"
    assert stored_bookings(gateway) == []


async def test_unknown_session_is_not_found(gateway: Gateway) -> None:
    missing = "57000000-0000-4000-8000-000000000006-20300101T180000Z"
    result = await mutate(gateway, "bookClassSession", {"eventId": missing, "contact": CONTACT})
    assert (result["__typename"], result["id"]) == ("NotFound", missing)


async def test_participants_must_be_positive(gateway: Gateway) -> None:
    session = await yoga_session(gateway)
    body = await gateway.post(
        "mutation($input: BookClassSessionInput!) { bookClassSession(input: $input) "
        "{ __typename } }",
        {"input": session_input(session, participants=0)},
    )
    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "argument": "participants"}
