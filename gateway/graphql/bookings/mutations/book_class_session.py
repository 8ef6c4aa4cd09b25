"""`bookClassSession`: check the session has room for the party, then create (and confirm).

Wix's sample flow "Book a class session" (seeds 001): Get Event Time Slot re-checks the
session, and the booking names only the event (Wix derives the rest).
"""

from __future__ import annotations

from typing import Annotated

import strawberry

from gateway.graphql.bookings.mutations.creation import NewBooking, create_and_confirm
from gateway.graphql.bookings.mutations.form_validation import prepare, service_form
from gateway.graphql.bookings.mutations.idempotent import run_idempotent
from gateway.graphql.bookings.mutations.inputs import BookingRequest, check_participants
from gateway.graphql.bookings.mutations.outcomes import (
    BookingCreated,
    ClassFull,
    FormInvalid,
    IdempotencyKeyReused,
    NotAllowed,
    NotFound,
    PolicyViolation,
    class_full,
    form_invalid,
    has_policy_violation,
    not_found,
    policy_violation,
    render,
)
from gateway.graphql.bookings.mutations.slot_checks import (
    get_event_slot,
    open_spots,
    waiting_list_open,
)
from gateway.graphql.common import Json
from gateway.graphql.context import Info
from gateway.graphql.errors import bad_user_input


@strawberry.input(description="A class session to join, by the `eventId` Time Slots gave.")
class BookClassSessionInput(BookingRequest):
    event_id: strawberry.ID


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


async def _class_full(info: Info, event_id: str) -> Json:
    """`ClassFull` with the session's spots as they are now."""
    found = await get_event_slot(info, event_id)
    slot = found[0] if found else {}
    return class_full(open_spots(slot), waiting_list_open(slot))


async def _book(info: Info, input: BookClassSessionInput) -> Json:
    event_id = str(input.event_id)
    found = await get_event_slot(info, event_id)
    if found is None:
        return not_found("class session", event_id)
    slot, _ = found
    if (slot.get("nonBookableReasons") or {}).get("eventCancelled"):
        return not_found("class session", event_id, "The class session was cancelled")
    service_id = str(slot["serviceId"])
    service = await info.context.loaders.services.load(service_id)
    if service is None:
        return not_found("service", service_id)
    submission = prepare(await service_form(info, service), input.contact, input.form_submission)
    if submission.errors:
        return form_invalid(submission.errors)
    spots = open_spots(slot)
    if spots < input.participants:
        return class_full(spots, waiting_list_open(slot))
    violations = slot.get("bookingPolicyViolations")
    if has_policy_violation(violations):
        return policy_violation(violations or {})
    entity = {"slot": {"serviceId": service_id, "eventId": event_id}}
    new = NewBooking.of(input, entity, submission.answers)
    return await create_and_confirm(info, new, lambda: _class_full(info, event_id))


async def book_class_session(info: Info, input: BookClassSessionInput) -> BookClassSessionResult:
    check_participants(input.participants)
    if not input.event_id:
        raise bad_user_input("`eventId` is required", "eventId")
    outcome = await run_idempotent(
        info, "bookClassSession", input.idempotency_key, input, lambda: _book(info, input)
    )
    return render(outcome)
