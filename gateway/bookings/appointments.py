"""Booking one appointment slot or one class session (Wix's sample flows "Book an appointment"
and "Book a class session", seeds 001): re-check what is booked and the form answers, then
create (and with `confirm`, confirm) the booking (`creation.py`).

For an appointment, Get Availability Time Slot and the service's form are fetched concurrently;
a class session is re-checked with Get Event Time Slot, and its booking names only the event
(Wix derives the rest).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime

from gateway.bookings.creation import Created, NewBooking, create_and_confirm
from gateway.bookings.flow import FlowContext, FormSpec, InvalidInput, ServiceInfo
from gateway.bookings.forms import prepare, service_form
from gateway.bookings.outcomes import (
    ClassFull,
    NotFound,
    class_full,
    form_invalid,
    has_policy_violation,
    not_found,
    policy_violation,
)
from gateway.bookings.requests import Booker, check_participants
from gateway.bookings.slots import (
    AppointmentRequest,
    booked_slot,
    get_appointment_slot,
    get_event_slot,
    open_spots,
    unavailable,
    waiting_list_open,
)

APPOINTMENT, CLASS = "APPOINTMENT", "CLASS"


@dataclass(frozen=True, slots=True)
class AppointmentBooking:
    """An appointment slot to book, as Time Slots listed it (`time_zone`: default the site's;
    without `resource_id` Wix assigns a free staff member)."""

    booker: Booker
    service_id: str
    local_start: datetime
    local_end: datetime
    time_zone: str | None = None
    resource_id: str | None = None
    location_id: str | None = None

    def check(self) -> None:
        check_participants(self.booker.participants)
        if self.local_end <= self.local_start:
            raise InvalidInput("`localEnd` must be later than `localStart`", "localEnd")


@dataclass(frozen=True, slots=True)
class ClassSessionBooking:
    """A class session to join, by the `eventId` Time Slots gave."""

    booker: Booker
    event_id: str

    def check(self) -> None:
        check_participants(self.booker.participants)
        if not self.event_id:
            raise InvalidInput("`eventId` is required", "eventId")


async def _service_and_form(
    ctx: FlowContext, service_id: str
) -> tuple[ServiceInfo | None, FormSpec | None]:
    service = await ctx.lookups.service(service_id)
    return service, (await service_form(ctx.lookups, service) if service else None)


async def book_appointment(ctx: FlowContext, data: AppointmentBooking) -> Created | NotFound:
    zone = data.time_zone or await ctx.lookups.site_time_zone()
    request = AppointmentRequest(
        service_id=data.service_id,
        local_start=data.local_start,
        local_end=data.local_end,
        time_zone=zone,
        resource_id=data.resource_id,
        location_id=data.location_id,
    )
    slot, (service, form) = await asyncio.gather(
        get_appointment_slot(ctx, request), _service_and_form(ctx, request.service_id)
    )
    if service is None:
        return not_found("service", request.service_id)
    if service.type != APPOINTMENT:
        raise InvalidInput(
            f"The service is a {service.type}: book it with "
            + ("bookClassSession" if service.type == CLASS else "bookCourse"),
            "serviceId",
        )
    booker = data.booker
    submission = prepare(form, booker.contact, booker.form_submission)
    if submission.errors:
        return form_invalid(submission.errors)
    if slot is None:
        return await unavailable(ctx, request)
    violations = slot.get("bookingPolicyViolations")
    if has_policy_violation(violations):
        return policy_violation(violations or {})
    if slot.get("bookable") is False:
        return await unavailable(ctx, request)
    entity = {"slot": booked_slot(slot, zone, data.resource_id)}
    new = NewBooking.of(booker, entity, submission.answers)
    return await create_and_confirm(ctx, new, lambda: unavailable(ctx, request))


async def _class_full(ctx: FlowContext, event_id: str) -> ClassFull:
    """`ClassFull` with the session's spots as they are now."""
    found = await get_event_slot(ctx, event_id)
    slot = found[0] if found else {}
    return class_full(open_spots(slot), waiting_list_open(slot))


async def book_class_session(ctx: FlowContext, data: ClassSessionBooking) -> Created | NotFound:
    event_id = data.event_id
    found = await get_event_slot(ctx, event_id)
    if found is None:
        return not_found("class session", event_id)
    slot, _ = found
    if (slot.get("nonBookableReasons") or {}).get("eventCancelled"):
        return not_found("class session", event_id, "The class session was cancelled")
    service_id = str(slot["serviceId"])
    service = await ctx.lookups.service(service_id)
    if service is None:
        return not_found("service", service_id)
    booker = data.booker
    form = await service_form(ctx.lookups, service)
    submission = prepare(form, booker.contact, booker.form_submission)
    if submission.errors:
        return form_invalid(submission.errors)
    spots = open_spots(slot)
    if spots < booker.participants:
        return class_full(spots, waiting_list_open(slot))
    violations = slot.get("bookingPolicyViolations")
    if has_policy_violation(violations):
        return policy_violation(violations or {})
    entity = {"slot": {"serviceId": service_id, "eventId": event_id}}
    new = NewBooking.of(booker, entity, submission.answers)
    return await create_and_confirm(ctx, new, lambda: _class_full(ctx, event_id))
