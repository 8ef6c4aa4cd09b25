"""`bookAppointment`: re-check the slot and the form together, then create (and confirm).

Wix's sample flow (seeds 001, "Book an appointment") as one mutation: Get Availability Time Slot
and the service's form are fetched concurrently, the answers are checked locally, and the
booking is created with the verified slot.
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
    FormInvalid,
    IdempotencyKeyReused,
    NotAllowed,
    NotFound,
    PolicyViolation,
    SlotUnavailable,
    form_invalid,
    has_policy_violation,
    not_found,
    policy_violation,
    render,
)
from gateway.graphql.bookings.mutations.slot_checks import (
    AppointmentRequest,
    booked_slot,
    get_appointment_slot,
    unavailable,
)
from gateway.graphql.common import Json, ServiceType
from gateway.graphql.context import Info
from gateway.graphql.errors import bad_user_input
from gateway.graphql.forms.types import Form
from gateway.graphql.scalars import LocalDateTime, TimeZone
from gateway.graphql.services.types import Service


@strawberry.input(description="An appointment slot to book, as Time Slots listed it.")
class BookAppointmentInput(BookingRequest):
    service_id: strawberry.ID
    local_start: LocalDateTime
    local_end: LocalDateTime
    time_zone: TimeZone | None = strawberry.field(
        default=None, description="The zone of `localStart`/`localEnd`; default the site's."
    )
    resource_id: strawberry.ID | None = strawberry.field(
        default=None, description="The staff member; without one Wix assigns a free one."
    )
    location_id: strawberry.ID | None = None


BookAppointmentResult = Annotated[
    BookingCreated
    | SlotUnavailable
    | FormInvalid
    | PolicyViolation
    | NotAllowed
    | NotFound
    | IdempotencyKeyReused,
    strawberry.union("BookAppointmentResult"),
]


async def _service_and_form(info: Info, service_id: str) -> tuple[Service | None, Form | None]:
    service = await info.context.loaders.services.load(service_id)
    return service, (await service_form(info, service) if service else None)


async def _book(info: Info, input: BookAppointmentInput) -> Json:
    zone = input.time_zone or await info.context.loaders.site_time_zone()
    resource_id = str(input.resource_id) if input.resource_id else None
    request = AppointmentRequest(
        service_id=str(input.service_id),
        local_start=input.local_start,
        local_end=input.local_end,
        time_zone=zone,
        resource_id=resource_id,
        location_id=str(input.location_id) if input.location_id else None,
    )
    slot, (service, form) = await asyncio.gather(
        get_appointment_slot(info, request), _service_and_form(info, request.service_id)
    )
    if service is None:
        return not_found("service", request.service_id)
    if service.type != ServiceType.APPOINTMENT:
        raise bad_user_input(
            f"The service is a {service.type.value}: book it with "
            + ("bookClassSession" if service.type == ServiceType.CLASS else "bookCourse"),
            "serviceId",
        )
    submission = prepare(form, input.contact, input.form_submission)
    if submission.errors:
        return form_invalid(submission.errors)
    if slot is None:
        return await unavailable(info, request)
    violations = slot.get("bookingPolicyViolations")
    if has_policy_violation(violations):
        return policy_violation(violations or {})
    if slot.get("bookable") is False:
        return await unavailable(info, request)
    new = NewBooking.of(input, {"slot": booked_slot(slot, zone, resource_id)}, submission.answers)
    return await create_and_confirm(info, new, lambda: unavailable(info, request))


async def book_appointment(info: Info, input: BookAppointmentInput) -> BookAppointmentResult:
    check_participants(input.participants)
    if input.local_end <= input.local_start:
        raise bad_user_input("`localEnd` must be later than `localStart`", "localEnd")
    outcome = await run_idempotent(
        info, "bookAppointment", input.idempotency_key, input, lambda: _book(info, input)
    )
    return render(outcome)
