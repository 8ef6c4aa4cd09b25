"""`bookCourse`: the Pilates course (8 places, up to 4 per booking, 6 sessions from next week)."""

from __future__ import annotations

import asyncio
from typing import Any

from gateway.sandbox import seed
from gateway.sandbox.state import FaultRule
from gateway.sandbox.wire import parse_utc
from tests.graphql import Gateway, gateway
from tests.graphql.mutations import (
    CONFIRM_OR_DECLINE,
    CONTACT,
    CREATE_BOOKING,
    GET_FORM,
    QUERY_BOOKINGS,
    QUERY_SERVICES,
    mutate,
    stored_bookings,
    wait_for_call,
)

__all__ = ["gateway"]

COURSE_SCHEDULE = seed.SERVICE_PILATES_COURSE.replace("e5", "57", 1)


def course_input(**extra: Any) -> dict[str, Any]:
    return {"serviceId": seed.SERVICE_PILATES_COURSE, "contact": CONTACT, **extra}


async def book(gateway: Gateway, **extra: Any) -> dict[str, Any]:
    return await mutate(gateway, "bookCourse", course_input(**extra))


async def test_books_the_whole_course(gateway: Gateway) -> None:
    result = await book(gateway, participants=2, confirm=True)

    assert result["__typename"] == "BookingCreated"
    booking = result["booking"]
    assert (booking["status"], booking["participants"]) == ("CONFIRMED", 2)
    assert booking["schedule"] == {"scheduleId": COURSE_SCHEDULE}
    assert booking["slot"] is None
    assert gateway.calls() == {
        QUERY_SERVICES: 1,
        QUERY_BOOKINGS: 1,
        GET_FORM: 1,
        CREATE_BOOKING: 1,
        CONFIRM_OR_DECLINE: 1,
    }


async def test_places_are_counted_from_place_holding_bookings(gateway: Gateway) -> None:
    """Confirmed bookings hold places; a CREATED (unconfirmed) one doesn't."""
    for party, confirm in ((4, True), (1, False), (3, True)):
        made = await book(gateway, participants=party, confirm=confirm)
        assert made["__typename"] == "BookingCreated"
    gateway.reset_calls()

    full = await book(gateway, participants=2)
    assert full == {
        "__typename": "CourseFull",
        "message": "The course has 1 of 8 place(s) left",
        "capacity": 8,
        "remaining": 1,
    }
    assert CREATE_BOOKING not in gateway.calls()

    last = await book(gateway, participants=1, confirm=True)
    assert last["booking"]["status"] == "CONFIRMED"
    assert await book(gateway) == {**full, "message": "The course has 0 of 8 place(s) left",
                                   "remaining": 0}  # fmt: skip


async def test_declined_at_confirmation_is_course_full(gateway: Gateway) -> None:
    """Two parties of 4 pass the count while a third waits for its confirmation."""
    gateway.sandbox.faults.append(
        FaultRule(path="/bookings/v2/confirmation/*", latency_ms=400, times=1)
    )
    slow = asyncio.create_task(book(gateway, participants=4, confirm=True))
    await wait_for_call(gateway, CREATE_BOOKING)
    for _ in range(2):
        made = await book(gateway, participants=4, confirm=True)
        assert made["booking"]["status"] == "CONFIRMED"
    late = await slow

    assert (late["__typename"], late["remaining"]) == ("CourseFull", 0)
    statuses = sorted(b["status"] for b in stored_bookings(gateway))
    assert statuses == ["CONFIRMED", "CONFIRMED", "DECLINED"]


async def test_form_answers_are_checked(gateway: Gateway) -> None:
    result = await book(gateway, contact={"firstName": "Maya"})
    assert result["__typename"] == "FormInvalid"
    assert [e["target"] for e in result["fieldErrors"]] == ["last_name", "email"]
    assert stored_bookings(gateway) == []


async def test_after_the_course_started_is_a_policy_violation(gateway: Gateway) -> None:
    """Wix refuses the create (403 BOOKING_POLICY_VIOLATION): courses have no slot to check."""
    [schedule] = [s for s in gateway.sandbox.store.all("schedules") if s["id"] == COURSE_SCHEDULE]
    first_start = parse_utc(schedule["sessions"][0]["start"], "start")
    gateway.clock.set(first_start, frozen=True)
    result = await book(gateway)
    assert result["__typename"] == "PolicyViolation"
    assert (result["tooLate"], result["tooEarly"]) == (True, False)
    assert stored_bookings(gateway) == []


async def test_more_than_the_policy_allows_per_booking_is_not_allowed(gateway: Gateway) -> None:
    result = await book(gateway, participants=5)
    assert (result["__typename"], result["code"]) == ("NotAllowed", "VALIDATION_FAILURE")
    assert stored_bookings(gateway) == []


async def test_unknown_service_is_not_found(gateway: Gateway) -> None:
    missing = "e5000000-0000-4000-8000-0000000000ff"
    result = await book(gateway, serviceId=missing)
    assert (result["__typename"], result["id"]) == ("NotFound", missing)


async def test_a_service_that_is_not_a_course_is_bad_input(gateway: Gateway) -> None:
    body = await gateway.post(
        "mutation($input: BookCourseInput!) { bookCourse(input: $input) { __typename } }",
        {"input": course_input(serviceId=seed.SERVICE_HAIRCUT)},
    )
    [error] = body["errors"]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "argument": "serviceId"}
