"""Changing an existing booking: read it fresh, write with a revision, map Wix's refusals.

The booking is read with one Query Extended Bookings (`withBookingAllowedActions`) straight from
Wix rather than from the request's cache, so a second mutation in one request sees the first
one's change; the read and every written booking are passed on to that cache (`Lookups`).
A stale revision is never retried: Wix's 409 becomes `RevisionConflict` with the booking as it
is now.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace

from gateway.bookings.flow import FlowContext, Json
from gateway.bookings.outcomes import (
    BookingUpdated,
    NotAllowed,
    NotFound,
    PolicyViolation,
    RevisionConflict,
    SlotUnavailable,
    not_allowed,
    not_found,
    revision_conflict,
)
from gateway.bookings.refusals import change_refused_outcome
from gateway.bookings.stamps import may_have_written
from gateway.upstream.errors import UpstreamError

# Statuses from which no change is possible any more (booking statuses in
# https://dev.wix.com/docs/api-reference/business-solutions/bookings/bookings/introduction).
FINAL_STATUSES = ("CANCELED", "DECLINED")
_WORDS = {"cancel": ("canceled", "cancellation"), "reschedule": ("rescheduled", "reschedule")}

Write = Callable[[str | None], Awaitable[Json]]  # revision -> Wix's `{"booking": ...}`
WixCall = Callable[[str, Json], Awaitable[Json]]  # (booking id, body) -> `{"booking": ...}`
Refused = Callable[[UpstreamError], Awaitable[PolicyViolation | SlotUnavailable | None]]
Changed = (
    BookingUpdated | RevisionConflict | NotAllowed | NotFound | PolicyViolation | SlotUnavailable
)


async def read_booking(ctx: FlowContext, booking_id: str) -> Json | None:
    """`{"booking", "allowedActions"}` as Wix has it now, or None when there is no such booking."""
    body = await ctx.upstream.bookings_reader.query_extended_bookings(
        {"filter": {"id": booking_id}, "cursorPaging": {"limit": 1}}, with_allowed_actions=True
    )
    items = body.get("extendedBookings") or []
    if not items:
        return None
    ctx.lookups.booking_read(items[0])
    extended: Json = items[0]
    return extended


def refused_by_allowed_actions(extended: Json, action: str) -> NotAllowed | None:
    """`NotAllowed` when the booking's allowed actions forbid `action` (`cancel`/`reschedule`)
    for a customer; None when they allow it."""
    if (extended.get("allowedActions") or {}).get(action) is not False:
        return None
    status = extended["booking"].get("status")
    done, policy = _WORDS[action]
    if status in FINAL_STATUSES:
        reason = f"The booking is {status}"
    else:
        reason = f"The booking's {policy} policy doesn't allow it to be {done} now"
    return not_allowed(action.capitalize(), reason, f"{action.upper()}_NOT_ALLOWED")


def refused_reschedule(extended: Json, *, ignore_policy: bool = False) -> NotAllowed | None:
    """`NotAllowed` when the booking can't be moved: its allowed actions forbid it (unless the
    business overrides them, `ignore_policy`), or it is a course booking (it has no slot)."""
    if not ignore_policy:
        refusal = refused_by_allowed_actions(extended, "reschedule")
        if refusal:
            return refusal
    if not (extended["booking"].get("bookedEntity") or {}).get("slot"):
        reason = "Course bookings can't be rescheduled"
        return not_allowed("Reschedule", reason, "COURSE_NOT_RESCHEDULABLE")
    return None


async def change_booking(
    ctx: FlowContext,
    booking_id: str,
    action: str,
    revision: str | None,
    write: Write,
    *,
    current: Json | None = None,
    needs_revision: bool = True,
    refused: Refused | None = None,
) -> Changed:
    """Write one change. Without `revision` the current one is used (read unless `current`, the
    booking as just read, is given). `refused` may turn a Wix refusal into a flow-specific
    outcome before the general mapping (404 `NotFound`, 409 `RevisionConflict`, 403/428
    `NotAllowed`) applies."""
    if revision is None and needs_revision:
        current = current or await read_booking(ctx, booking_id)
        if current is None:
            return not_found("booking", booking_id)
        revision = str(current["booking"]["revision"])
    try:
        response = await write(revision)
    except UpstreamError as error:
        if may_have_written(error) and revision is not None:
            return await _after_lost_answer(ctx, booking_id, revision, error)
        outcome = await refused(error) if refused else None
        return outcome or await change_refused(ctx, booking_id, action, error)
    booking: Json = response["booking"]
    ctx.lookups.booking_written(booking)
    return BookingUpdated(booking)


async def _after_lost_answer(
    ctx: FlowContext, booking_id: str, revision: str, error: UpstreamError
) -> Changed:
    """The change's answer was lost: read the booking back. One revision past ours is our change
    (`BookingUpdated`); further, someone else changed it too (`RevisionConflict` with the booking
    as it is); unchanged, nothing was done and the error stands, naming the booking. A booking
    gone or moved on may hold our change too: those outcomes say `answer_lost` (they keep the
    idempotency key, as a change does)."""
    error.extensions["bookingId"] = booking_id
    current = await read_booking(ctx, booking_id)  # a failed read: the error stands
    if current is None:
        return replace(not_found("booking", booking_id), answer_lost=True)
    booking: Json = current["booking"]
    advanced = int(booking["revision"]) - int(revision)
    if advanced == 1:
        return BookingUpdated(booking)
    if advanced > 1:
        return replace(revision_conflict(booking), answer_lost=True)
    raise error


async def change_refused(
    ctx: FlowContext, booking_id: str, action: str, error: UpstreamError
) -> RevisionConflict | NotFound | NotAllowed:
    """A refused change of a booking: on 409 the booking as it is now, gone on 404."""

    async def conflict() -> RevisionConflict | NotFound:
        current = await read_booking(ctx, booking_id)
        if current is None:
            return not_found("booking", booking_id)
        return revision_conflict(current["booking"])

    def gone() -> RevisionConflict | NotFound:
        return not_found("booking", booking_id)

    return await change_refused_outcome(error, action, conflict=conflict, gone=gone)
