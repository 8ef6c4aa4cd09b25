"""Booking a whole course (Wix's sample flow "Book a course", seeds 001): count the places
taken, then create (and confirm) the booking (`creation.py`).

Time Slots doesn't serve courses, so the places left are the service's `defaultCapacity` minus
the participants of the course's bookings that hold places (Query Extended Bookings by the
course's schedule).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from gateway.bookings.creation import Created, NewBooking, create_and_confirm
from gateway.bookings.flow import FlowContext, InvalidInput, Json, ServiceInfo
from gateway.bookings.forms import prepare, service_form
from gateway.bookings.outcomes import CourseFull, NotFound, course_full, form_invalid, not_found
from gateway.bookings.requests import Booker, check_participants
from gateway.upstream.paging import next_cursor

COURSE = "COURSE"

# Bookings that hold places: a CREATED booking doesn't until it is confirmed (booking statuses in
# https://dev.wix.com/docs/api-reference/business-solutions/bookings/bookings/introduction;
# PENDING blocks per the Mark As Pending page).
PLACE_HOLDING_STATUSES = ["CONFIRMED", "PENDING"]
PAGE = 100  # Query Extended Bookings' largest page


@dataclass(frozen=True, slots=True)
class CourseBooking:
    """A course to join as a whole, by its service id."""

    booker: Booker
    service_id: str

    def check(self) -> None:
        check_participants(self.booker.participants)


async def places_taken(ctx: FlowContext, schedule_id: str) -> int:
    """Participants of the course's bookings that hold places, over every page."""
    reader = ctx.upstream.bookings_reader
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
        cursor = next_cursor(body.get("pagingMetadata"))
        if cursor is None:
            return taken
        query = {"cursorPaging": {"cursor": cursor, "limit": PAGE}}


async def _course_full(ctx: FlowContext, service: ServiceInfo, schedule_id: str) -> CourseFull:
    capacity = service.default_capacity or 0
    return course_full(capacity, max(capacity - await places_taken(ctx, schedule_id), 0))


async def book_course(ctx: FlowContext, data: CourseBooking) -> Created | NotFound:
    service_id = data.service_id
    service = await ctx.lookups.service(service_id)
    if service is None:
        return not_found("service", service_id)
    if service.type != COURSE or not service.schedule_id:
        raise InvalidInput(f"The service is a {service.type}, not a course", "serviceId")
    schedule_id = service.schedule_id
    taken, form = await asyncio.gather(
        places_taken(ctx, schedule_id), service_form(ctx.lookups, service)
    )
    booker = data.booker
    submission = prepare(form, booker.contact, booker.form_submission)
    if submission.errors:
        return form_invalid(submission.errors)
    capacity = service.default_capacity or 0
    if capacity - taken < booker.participants:
        return course_full(capacity, max(capacity - taken, 0))
    new = NewBooking.of(booker, {"schedule": {"scheduleId": schedule_id}}, submission.answers)
    return await create_and_confirm(ctx, new, lambda: _course_full(ctx, service, schedule_id))
