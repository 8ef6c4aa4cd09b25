"""Anonymous booking links (issue item 6; the sample flows "Generate an anonymous booking link",
"Cancel a booking anonymously", "Reschedule a booking anonymously" in
https://dev.wix.com/docs/api-reference/business-solutions/bookings/bookings/bookings-writer-v2/sample-flows).

The business mints a token for a booking (`createAnonymousLink`, authenticated); the customer
then reads, cancels or reschedules it with the token alone, no Authorization header needed.
Every action reads the booking with the token first and checks `allowedAnonymousActions`, as
Wix asks. The token is a credential: the upstream layer sends it with no other credentials and
keeps it out of logs and error texts; nothing here logs or echoes it (it is returned only by
`createAnonymousLink`, which is not idempotent-keyed so it is never stored).
"""

from __future__ import annotations

from gateway.bookings.changes import refused_by_allowed_actions, refused_reschedule
from gateway.bookings.flow import FlowContext, Json
from gateway.bookings.outcomes import (
    AnonymousLink,
    BookingUpdated,
    InvalidAnonymousToken,
    NotAllowed,
    NotFound,
    PolicyViolation,
    RevisionConflict,
    SlotUnavailable,
    not_found,
    revision_conflict,
)
from gateway.bookings.refusals import (
    change_refused_outcome,
    is_refusal,
    is_status,
    not_allowed_by,
)
from gateway.bookings.requests import SlotRequest
from gateway.bookings.rescheduling import verify_new_slot
from gateway.upstream.errors import UpstreamError
from gateway.upstream.paths import InvalidPathValue

# Get Anonymous Action Token's response field is unconfirmed: likely `token`.
# https://dev.wix.com/docs/api-reference/business-solutions/bookings/bookings/bookings-writer-v2/get-anonymous-action-token
TOKEN_FIELD = "token"
# How Wix answers a token that is unknown (401) or whose booking is gone (404):
# https://dev.wix.com/docs/api-reference/business-solutions/bookings/bookings/bookings-writer-v2/anonymous-booking-actions-service-get-booking-anonymously
BAD_TOKEN_STATUSES = (401, 404)


Changed = BookingUpdated | InvalidAnonymousToken | NotAllowed | RevisionConflict
Rescheduled = Changed | SlotUnavailable | PolicyViolation | NotFound


async def read_anonymously(ctx: FlowContext, token: str) -> Json | None:
    """Get Booking Anonymously (`{booking, allowedAnonymousActions}`), None for a bad token.

    A token that can't be a path segment (`..`, `a/b`: refused by the upstream client before
    any call) is a bad token too: a link that was cut or mangled on its way to the customer is
    as invalid as a revoked one, so the holder sees null / `InvalidAnonymousToken`, not an error.
    """
    try:
        return await ctx.upstream.bookings_writer.get_booking_anonymously(token)
    except InvalidPathValue:
        return None
    except UpstreamError as error:
        if is_status(error, *BAD_TOKEN_STATUSES):
            return None
        raise


def _as_extended(current: Json) -> Json:
    """Get Booking Anonymously's answer as the allowed-actions checks read a booking: the
    holder of the link may do what `allowedAnonymousActions` allow."""
    return {"booking": current["booking"], "allowedActions": current["allowedAnonymousActions"]}


async def _write_refused(
    ctx: FlowContext, token: str, action: str, error: UpstreamError
) -> RevisionConflict | InvalidAnonymousToken | NotAllowed:
    """Wix's refusal of an anonymous write as its union member (a 403 is e.g.
    BOOKING_CANNOT_BE_CANCELLED, https://dev.wix.com/docs/api-reference/business-solutions/bookings/bookings/bookings-writer-v2/sample-flows);
    anything else stays an error."""

    async def conflict() -> RevisionConflict | InvalidAnonymousToken:
        current = await read_anonymously(ctx, token)
        return revision_conflict(current["booking"]) if current else InvalidAnonymousToken()

    return await change_refused_outcome(
        error,
        action,
        conflict=conflict,
        gone=InvalidAnonymousToken,
        gone_statuses=BAD_TOKEN_STATUSES,
    )


async def create_anonymous_link(
    ctx: FlowContext, booking_id: str
) -> AnonymousLink | NotFound | NotAllowed:
    writer = ctx.upstream.bookings_writer
    try:
        token = str((await writer.get_anonymous_action_token(booking_id))[TOKEN_FIELD])
    except UpstreamError as error:
        if is_status(error, 404):
            return not_found("booking", booking_id)
        if is_refusal(error):
            return not_allowed_by("Creating an anonymous link", error)
        raise
    current = await read_anonymously(ctx, token)
    if current is None:  # the booking went away in between
        return not_found("booking", booking_id)
    actions = current["allowedAnonymousActions"]
    return AnonymousLink(token, actions)


async def cancel_anonymously(ctx: FlowContext, token: str) -> Changed:
    current = await read_anonymously(ctx, token)
    if current is None:
        return InvalidAnonymousToken()
    refusal = refused_by_allowed_actions(_as_extended(current), "cancel")
    if refusal:
        return refusal
    body = {"revision": current["booking"]["revision"]}
    try:
        response = await ctx.upstream.bookings_writer.cancel_booking_anonymously(token, body)
    except UpstreamError as error:
        return await _write_refused(ctx, token, "Cancel", error)
    return BookingUpdated(response["booking"])


async def reschedule_anonymously(
    ctx: FlowContext, token: str, new_slot: SlotRequest
) -> Rescheduled:
    current = await read_anonymously(ctx, token)
    if current is None:
        return InvalidAnonymousToken()
    refusal = refused_reschedule(_as_extended(current))
    if refusal:
        return refusal
    booking = current["booking"]
    checked = await verify_new_slot(ctx, booking, new_slot)
    if checked.failure is not None:
        return checked.failure
    body = {"slot": checked.booked, "revision": booking["revision"]}
    try:
        response = await ctx.upstream.bookings_writer.reschedule_booking_anonymously(token, body)
    except UpstreamError as error:
        outcome = await checked.refused(error)
        return outcome or await _write_refused(ctx, token, "Reschedule", error)
    return BookingUpdated(response["booking"])
