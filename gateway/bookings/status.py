"""The business's status changes: confirm, decline, confirm-or-decline, mark as pending, and the
number of participants. Each is one Wix call with the booking's revision (read when omitted)."""

from __future__ import annotations

from dataclasses import dataclass

from gateway.bookings.changes import Changed, WixCall, change_booking, read_booking
from gateway.bookings.flow import FlowContext, Json
from gateway.bookings.outcomes import not_found, revision_conflict
from gateway.bookings.requests import check_participants


@dataclass(frozen=True, slots=True)
class StatusChange:
    """`payment_status` (a Wix payment status) is stored on the booking when given."""

    booking_id: str
    revision: str | None = None
    payment_status: str | None = None

    def check(self) -> None:
        """Nothing to check before Wix: a status change names a booking."""


@dataclass(frozen=True, slots=True)
class ParticipantsChange:
    """A new number of participants (class and course bookings only)."""

    booking_id: str
    participants: int
    revision: str | None = None

    def check(self) -> None:
        check_participants(self.participants)


async def _status_change(
    ctx: FlowContext,
    change: StatusChange,
    action: str,
    call: WixCall,
    *,
    needs_revision: bool,
    takes_revision: bool = True,
) -> Changed:
    """`takes_revision`: whether the Wix method's request has a `revision` (Confirm Or Decline's
    has none: a revision the caller gives is checked against a fresh read instead)."""
    body: Json = {"paymentStatus": change.payment_status} if change.payment_status else {}
    booking_id = change.booking_id
    if change.revision is not None and not takes_revision:
        current = await read_booking(ctx, booking_id)
        if current is None:
            return not_found("booking", booking_id)
        if str(current["booking"]["revision"]) != change.revision:
            return revision_conflict(current["booking"])

    async def write(revision: str | None) -> Json:
        sent = {**body, "revision": revision} if revision and takes_revision else body
        return await call(booking_id, sent)

    return await change_booking(
        ctx, booking_id, action, change.revision, write, needs_revision=needs_revision
    )


async def confirm_booking(ctx: FlowContext, change: StatusChange) -> Changed:
    """Confirm Booking: no availability check (use it to confirm a free double booking)."""
    call = ctx.upstream.bookings_writer.confirm_booking
    return await _status_change(ctx, change, "Confirm", call, needs_revision=True)


async def decline_booking(ctx: FlowContext, change: StatusChange) -> Changed:
    call = ctx.upstream.bookings_writer.decline_booking
    return await _status_change(ctx, change, "Decline", call, needs_revision=True)


async def confirm_or_decline_booking(ctx: FlowContext, change: StatusChange) -> Changed:
    """Wix decides: declined when double-booked and unpaid, else confirmed or pending
    (https://dev.wix.com/docs/api-reference/business-solutions/bookings/bookings/
    bookings-writer-v2/confirm-or-decline-booking). Its request has no revision: a given one is
    checked against the booking as it is."""
    call = ctx.upstream.bookings_writer.confirm_or_decline_booking
    return await _status_change(
        ctx, change, "Confirm or decline", call, needs_revision=False, takes_revision=False
    )


async def mark_booking_as_pending(ctx: FlowContext, change: StatusChange) -> Changed:
    call = ctx.upstream.bookings_writer.mark_booking_as_pending
    return await _status_change(ctx, change, "Mark as pending", call, needs_revision=True)


async def update_number_of_participants(ctx: FlowContext, change: ParticipantsChange) -> Changed:
    booking_id = change.booking_id
    writer = ctx.upstream.bookings_writer

    async def write(revision: str | None) -> Json:
        body = {"revision": revision, "totalParticipants": change.participants}
        return await writer.update_number_of_participants(booking_id, body)

    return await change_booking(
        ctx, booking_id, "Update the number of participants", change.revision, write
    )
