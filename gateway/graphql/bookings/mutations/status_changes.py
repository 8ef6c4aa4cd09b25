"""The business's status changes: confirm, decline, confirm-or-decline, mark as pending, and the
number of participants. Each is one Wix call with the booking's revision (read when omitted)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from gateway.graphql.bookings.mutations.booking_changes import WixCall, change_booking
from gateway.graphql.bookings.mutations.inputs import REVISION_HELP, check_participants
from gateway.graphql.bookings.mutations.outcomes import (
    BookingUpdated,
    NotAllowed,
    NotFound,
    RevisionConflict,
    render,
)
from gateway.graphql.bookings.types import PaymentStatus
from gateway.graphql.common import Json
from gateway.graphql.context import Info

BookingChangeResult = Annotated[
    BookingUpdated | RevisionConflict | NotAllowed | NotFound,
    strawberry.union("BookingChangeResult"),
]


@strawberry.input(description="A status change of one booking by the business.")
class BookingStatusInput:
    booking_id: strawberry.ID
    revision: str | None = strawberry.field(default=None, description=REVISION_HELP)
    payment_status: PaymentStatus | None = strawberry.field(
        default=None, description="Stored on the booking when given."
    )


@strawberry.input(description="A new number of participants (class and course bookings only).")
class UpdateNumberOfParticipantsInput:
    booking_id: strawberry.ID
    participants: int
    revision: str | None = strawberry.field(default=None, description=REVISION_HELP)


async def _status_change(
    info: Info, input: BookingStatusInput, action: str, call: WixCall, *, needs_revision: bool
) -> BookingChangeResult:
    body: Json = {"paymentStatus": input.payment_status.value} if input.payment_status else {}
    booking_id = str(input.booking_id)

    async def write(revision: str | None) -> Json:
        return await call(booking_id, {**body, "revision": revision} if revision else body)

    outcome = await change_booking(
        info, booking_id, action, input.revision, write, needs_revision=needs_revision
    )
    return render(outcome)


async def confirm_booking(info: Info, input: BookingStatusInput) -> BookingChangeResult:
    """Confirm Booking: no availability check (use it to confirm a free double booking)."""
    call = info.context.upstream.bookings_writer.confirm_booking
    return await _status_change(info, input, "Confirm", call, needs_revision=True)


async def decline_booking(info: Info, input: BookingStatusInput) -> BookingChangeResult:
    call = info.context.upstream.bookings_writer.decline_booking
    return await _status_change(info, input, "Decline", call, needs_revision=True)


async def confirm_or_decline_booking(info: Info, input: BookingStatusInput) -> BookingChangeResult:
    """Wix decides (bookings.md §4.4): declined when double-booked and unpaid, else confirmed or
    pending. It needs no revision; a given one is sent and checked."""
    call = info.context.upstream.bookings_writer.confirm_or_decline_booking
    return await _status_change(info, input, "Confirm or decline", call, needs_revision=False)


async def mark_booking_as_pending(info: Info, input: BookingStatusInput) -> BookingChangeResult:
    call = info.context.upstream.bookings_writer.mark_booking_as_pending
    return await _status_change(info, input, "Mark as pending", call, needs_revision=True)


async def update_number_of_participants(
    info: Info, input: UpdateNumberOfParticipantsInput
) -> BookingChangeResult:
    check_participants(input.participants)
    booking_id = str(input.booking_id)
    writer = info.context.upstream.bookings_writer

    async def write(revision: str | None) -> Json:
        body = {"revision": revision, "totalParticipants": input.participants}
        return await writer.update_number_of_participants(booking_id, body)

    outcome = await change_booking(
        info, booking_id, "Update the number of participants", input.revision, write
    )
    return render(outcome)
