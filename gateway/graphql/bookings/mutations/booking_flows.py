"""The booking mutations' resolvers: input -> domain request -> flow (`gateway.bookings`) ->
union member. Validation errors (`InvalidInput`) surface as `BAD_USER_INPUT`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any, Protocol

import strawberry

from gateway.bookings import appointments, courses, lifecycle, status
from gateway.bookings.flow import FlowContext
from gateway.graphql.bookings.mutations.idempotent import run_idempotent
from gateway.graphql.bookings.mutations.inputs import (
    BookAppointmentInput,
    BookClassSessionInput,
    BookCourseInput,
    BookingStatusInput,
    CancelBookingInput,
    RescheduleBookingInput,
    UpdateNumberOfParticipantsInput,
)
from gateway.graphql.bookings.mutations.outcomes import (
    BookingCreated,
    BookingUpdated,
    ClassFull,
    CourseFull,
    FormInvalid,
    IdempotencyKeyReused,
    NotAllowed,
    NotFound,
    PolicyViolation,
    RevisionConflict,
    SlotUnavailable,
    render,
)
from gateway.graphql.context import Info
from gateway.graphql.errors import user_errors
from gateway.graphql.lookups import flow_context

# A flow of `gateway.bookings`: (context, domain request) -> outcome dataclass.
Flow = Callable[[FlowContext, Any], Awaitable[Any]]

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
BookClassSessionResult = Annotated[
    BookingCreated
    | ClassFull
    | FormInvalid
    | PolicyViolation
    | NotAllowed
    | NotFound
    | IdempotencyKeyReused,
    strawberry.union("BookClassSessionResult"),
]
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
RescheduleBookingResult = Annotated[
    BookingUpdated
    | SlotUnavailable
    | PolicyViolation
    | RevisionConflict
    | NotAllowed
    | NotFound
    | IdempotencyKeyReused,
    strawberry.union("RescheduleBookingResult"),
]
CancelBookingResult = Annotated[
    BookingUpdated | RevisionConflict | NotAllowed | NotFound | IdempotencyKeyReused,
    strawberry.union("CancelBookingResult"),
]
BookingChangeResult = Annotated[
    BookingUpdated | RevisionConflict | NotAllowed | NotFound,
    strawberry.union("BookingChangeResult"),
]


class DomainRequest(Protocol):
    """A flow's plain request (`gateway.bookings`), checked before anything is sent."""

    def check(self) -> None: ...


async def _keyed(info: Info, operation: str, input: Any, request: DomainRequest, flow: Flow) -> Any:
    """The one path of every booking mutation here: check the domain request, run its flow
    under the flow deadline (and the idempotency key, for inputs that take one), render the
    outcome as its union member."""
    with user_errors():
        request.check()
    key = getattr(input, "idempotency_key", None)
    outcome = await run_idempotent(
        info, operation, key, input, lambda: flow(flow_context(info), request)
    )
    return render(outcome)


async def book_appointment(info: Info, input: BookAppointmentInput) -> BookAppointmentResult:
    flow = appointments.book_appointment
    return await _keyed(info, "bookAppointment", input, input.to_domain(), flow)


async def book_class_session(info: Info, input: BookClassSessionInput) -> BookClassSessionResult:
    flow = appointments.book_class_session
    return await _keyed(info, "bookClassSession", input, input.to_domain(), flow)


async def book_course(info: Info, input: BookCourseInput) -> BookCourseResult:
    return await _keyed(info, "bookCourse", input, input.to_domain(), courses.book_course)


async def reschedule_booking(info: Info, input: RescheduleBookingInput) -> RescheduleBookingResult:
    flow = lifecycle.reschedule_booking
    return await _keyed(info, "rescheduleBooking", input, input.to_domain(), flow)


async def cancel_booking(info: Info, input: CancelBookingInput) -> CancelBookingResult:
    return await _keyed(info, "cancelBooking", input, input.to_domain(), lifecycle.cancel_booking)


async def confirm_booking(info: Info, input: BookingStatusInput) -> BookingChangeResult:
    """Confirm Booking: no availability check (use it to confirm a free double booking)."""
    return await _keyed(info, "confirmBooking", input, input.to_domain(), status.confirm_booking)


async def decline_booking(info: Info, input: BookingStatusInput) -> BookingChangeResult:
    return await _keyed(info, "declineBooking", input, input.to_domain(), status.decline_booking)


async def confirm_or_decline_booking(info: Info, input: BookingStatusInput) -> BookingChangeResult:
    flow = status.confirm_or_decline_booking
    return await _keyed(info, "confirmOrDeclineBooking", input, input.to_domain(), flow)


async def mark_booking_as_pending(info: Info, input: BookingStatusInput) -> BookingChangeResult:
    flow = status.mark_booking_as_pending
    return await _keyed(info, "markBookingAsPending", input, input.to_domain(), flow)


async def update_number_of_participants(
    info: Info, input: UpdateNumberOfParticipantsInput
) -> BookingChangeResult:
    flow = status.update_number_of_participants
    return await _keyed(info, "updateNumberOfParticipants", input, input.to_domain(), flow)
