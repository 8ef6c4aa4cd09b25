"""`bookCourse`: count the places taken, then create (and confirm) a booking of the whole course.

Wix's sample flow "Book a course" (seeds 001): Time Slots doesn't serve courses, so the places
left are the service's `defaultCapacity` minus the participants of the course's bookings that
hold places (Query Extended Bookings by the course's schedule).
"""

from __future__ import annotations

import asyncio
from typing import Annotated

import strawberry

from gateway.graphql.bookings.mutations.creation import NewBooking, create_and_confirm
from gateway.graphql.bookings.mutations.form_validation import prepare, service_form
from gateway.graphql.bookings.mutations.idempotent import run_idempotent
from gateway.graphql.bookings.mutations.inputs import BookingRequest, check_participants
from gateway.graphql.bookings.mutations.outcomes import (
    BookingCreated,
    CourseFull,
    FormInvalid,
    IdempotencyKeyReused,
    NotAllowed,
    NotFound,
    PolicyViolation,
    course_full,
    form_invalid,
    not_found,
    render,
)
from gateway.graphql.common import Json, ServiceType
from gateway.graphql.context import Info
from gateway.graphql.errors import bad_user_input
from gateway.graphql.services.types import Service

# Bookings that hold places: a CREATED booking doesn't until it is confirmed (bookings.md §2,
# "Status semantics"; PENDING blocks per the Mark As Pending page).
PLACE_HOLDING_STATUSES = ["CONFIRMED", "PENDING"]
PAGE = 100  # Query Extended Bookings' largest page


@strawberry.input(description="A course to join as a whole, by its service id.")
class BookCourseInput(BookingRequest):
    service_id: strawberry.ID


BookCourseResult = Annotated[
    BookingCreated
    | CourseFull
    | FormInvalid
    | PolicyViolation
    | NotAllowed
    | NotFound
    | IdempotencyKeyReused,
    strawberry.union("BookCourseResult"),
]


async def places_taken(info: Info, schedule_id: str) -> int:
    """Participants of the course's bookings that hold places, over every page."""
    reader = info.context.upstream.bookings_reader
    query: Json = {
        "filter": {
            "bookedEntity.item.schedule.scheduleId": schedule_id,
            "status": {"$in": PLACE_HOLDING_STATUSES},
        },
        "sort": [{"fieldName": "createdDate", "order": "ASC"}],
        "cursorPaging": {"limit": PAGE},
    }
    taken = 0
    while True:
        body = await reader.query_extended_bookings(query)
        for item in body.get("extendedBookings") or []:
            taken += int(item["booking"].get("totalParticipants") or 1)
        metadata = body.get("pagingMetadata") or {}
        cursor = (metadata.get("cursors") or {}).get("next")
        if not metadata.get("hasNext") or not cursor:
            return taken
        query = {"cursorPaging": {"cursor": cursor, "limit": PAGE}}


async def _course_full(info: Info, service: Service, schedule_id: str) -> Json:
    capacity = service.default_capacity or 0
    return course_full(capacity, max(capacity - await places_taken(info, schedule_id), 0))


async def _book(info: Info, input: BookCourseInput) -> Json:
    service_id = str(input.service_id)
    service = await info.context.loaders.services.load(service_id)
    if service is None:
        return not_found("service", service_id)
    if service.type != ServiceType.COURSE or not service.schedule_id:
        raise bad_user_input(f"The service is a {service.type.value}, not a course", "serviceId")
    schedule_id = str(service.schedule_id)
    taken, form = await asyncio.gather(places_taken(info, schedule_id), service_form(info, service))
    submission = prepare(form, input.contact, input.form_submission)
    if submission.errors:
        return form_invalid(submission.errors)
    capacity = service.default_capacity or 0
    if capacity - taken < input.participants:
        return course_full(capacity, max(capacity - taken, 0))
    new = NewBooking.of(input, {"schedule": {"scheduleId": schedule_id}}, submission.answers)
    return await create_and_confirm(info, new, lambda: _course_full(info, service, schedule_id))


async def book_course(info: Info, input: BookCourseInput) -> BookCourseResult:
    check_participants(input.participants)
    outcome = await run_idempotent(
        info, "bookCourse", input.idempotency_key, input, lambda: _book(info, input)
    )
    return render(outcome)
