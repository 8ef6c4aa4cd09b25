"""Anonymous booking links (issue item 6; bookings.md §7; seeds/001 "Generate an anonymous
booking link", "Cancel a booking anonymously", "Reschedule a booking anonymously").

The business mints a token for a booking (`createAnonymousLink`, authenticated); the customer
then reads, cancels or reschedules it with the token alone, no Authorization header needed.
Every action reads the booking with the token first and checks `allowedAnonymousActions`, as
Wix asks. The token is a credential: the upstream layer sends it with no other credentials and
keeps it out of logs and error texts; nothing here logs or echoes it (it is returned only by
`createAnonymousLink`, which is not idempotent-keyed so it is never stored).
"""

from __future__ import annotations

from typing import Annotated

import strawberry

from gateway.graphql.bookings.mutations.booking_changes import (
    refused_by_allowed_actions,
    refused_reschedule,
)
from gateway.graphql.bookings.mutations.idempotent import run_idempotent
from gateway.graphql.bookings.mutations.inputs import SlotInput
from gateway.graphql.bookings.mutations.outcomes import (
    BookingUpdated,
    IdempotencyKeyReused,
    NotAllowed,
    NotFound,
    PolicyViolation,
    RevisionConflict,
    SlotUnavailable,
    booking_updated,
    change_refused_outcome,
    is_refusal,
    is_status,
    not_allowed_by,
    not_found,
    outcome_json,
    outcome_type,
    render,
    revision_conflict,
)
from gateway.graphql.bookings.mutations.rescheduling import verify_new_slot
from gateway.graphql.bookings.types import AllowedActions, Booking
from gateway.graphql.common import Json
from gateway.graphql.context import Info
from gateway.identity.visitor_fields import visitor_safe
from gateway.upstream.errors import UpstreamError
from gateway.upstream.paths import InvalidPathValue

# Get Anonymous Action Token's response field is unconfirmed (bookings.md §7): likely `token`.
TOKEN_FIELD = "token"
# How Wix answers a token that is unknown (401) or whose booking is gone (404), bookings.md §7.
BAD_TOKEN_STATUSES = (401, 404)


@outcome_type
@strawberry.type(description="A link token for a booking and what its holder may do with it.")
class AnonymousLink:
    token: str = strawberry.field(
        description="A credential: put it in the link you send the customer, keep it secret."
    )
    allowed_anonymous_actions: AllowedActions

    @classmethod
    def from_outcome(cls, data: Json) -> AnonymousLink:
        actions = AllowedActions.from_wix(data["allowedAnonymousActions"])
        return cls(token=data["token"], allowed_anonymous_actions=actions)


@outcome_type
@strawberry.type(description="The link's token is not valid, or its booking no longer exists.")
class InvalidAnonymousToken:
    message: str

    @classmethod
    def from_outcome(cls, data: Json) -> InvalidAnonymousToken:
        return cls(message=data["message"])


def invalid_token() -> Json:
    message = "The link is not valid, or its booking no longer exists"
    return outcome_json("InvalidAnonymousToken", message=message)


@strawberry.type(description="A booking as the holder of its anonymous link sees it.")
class AnonymousBooking:
    booking: Booking
    allowed_anonymous_actions: AllowedActions


CreateAnonymousLinkResult = Annotated[
    AnonymousLink | NotFound | NotAllowed, strawberry.union("CreateAnonymousLinkResult")
]
CancelAnonymouslyResult = Annotated[
    BookingUpdated | InvalidAnonymousToken | NotAllowed | RevisionConflict | IdempotencyKeyReused,
    strawberry.union("CancelBookingAnonymouslyResult"),
]
RescheduleAnonymouslyResult = Annotated[
    BookingUpdated
    | SlotUnavailable
    | PolicyViolation
    | NotFound
    | InvalidAnonymousToken
    | NotAllowed
    | RevisionConflict
    | IdempotencyKeyReused,
    strawberry.union("RescheduleBookingAnonymouslyResult"),
]


async def _read(info: Info, token: str) -> Json | None:
    """Get Booking Anonymously (`{booking, allowedAnonymousActions}`), None for a bad token.

    A token that can't be a path segment (`..`, `a/b`: refused by the upstream client before
    any call) is a bad token too: a link that was cut or mangled on its way to the customer is
    as invalid as a revoked one, so the holder sees null / `InvalidAnonymousToken`, not an error.
    """
    try:
        return await info.context.upstream.bookings_writer.get_booking_anonymously(token)
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


async def _write_refused(info: Info, token: str, action: str, error: UpstreamError) -> Json:
    """Wix's refusal of an anonymous write as its union member (a 403 is e.g.
    BOOKING_CANNOT_BE_CANCELLED, seeds/001); anything else stays an error."""

    async def conflict() -> Json:
        current = await _read(info, token)
        return revision_conflict(current["booking"]) if current else invalid_token()

    return await change_refused_outcome(
        error, action, conflict=conflict, gone=invalid_token, gone_statuses=BAD_TOKEN_STATUSES
    )


async def _create_link(info: Info, booking_id: str) -> Json:
    writer = info.context.upstream.bookings_writer
    try:
        token = str((await writer.get_anonymous_action_token(booking_id))[TOKEN_FIELD])
    except UpstreamError as error:
        if is_status(error, 404):
            return not_found("booking", booking_id)
        if is_refusal(error):
            return not_allowed_by("Creating an anonymous link", error)
        raise
    current = await _read(info, token)
    if current is None:  # the booking went away in between
        return not_found("booking", booking_id)
    actions = current["allowedAnonymousActions"]
    return outcome_json("AnonymousLink", token=token, allowedAnonymousActions=actions)


async def _cancel(info: Info, token: str) -> Json:
    current = await _read(info, token)
    if current is None:
        return invalid_token()
    refusal = refused_by_allowed_actions(_as_extended(current), "cancel")
    if refusal:
        return refusal
    body = {"revision": current["booking"]["revision"]}
    try:
        response = await info.context.upstream.bookings_writer.cancel_booking_anonymously(
            token, body
        )
    except UpstreamError as error:
        return await _write_refused(info, token, "Cancel", error)
    return booking_updated(response["booking"])


async def _reschedule(info: Info, token: str, new_slot: SlotInput) -> Json:
    current = await _read(info, token)
    if current is None:
        return invalid_token()
    refusal = refused_reschedule(_as_extended(current))
    if refusal:
        return refusal
    booking = current["booking"]
    checked = await verify_new_slot(info, booking, new_slot)
    if checked.failure is not None:
        return checked.failure
    body = {"slot": checked.booked, "revision": booking["revision"]}
    try:
        response = await info.context.upstream.bookings_writer.reschedule_booking_anonymously(
            token, body
        )
    except UpstreamError as error:
        outcome = await checked.refused(error)
        return outcome or await _write_refused(info, token, "Reschedule", error)
    return booking_updated(response["booking"])


async def create_anonymous_link(info: Info, booking_id: strawberry.ID) -> CreateAnonymousLinkResult:
    return render(await _create_link(info, str(booking_id)))


async def cancel_booking_anonymously(
    info: Info, token: str, idempotency_key: str | None = None
) -> CancelAnonymouslyResult:
    outcome = await run_idempotent(
        info, "cancelBookingAnonymously", idempotency_key, {"token": token},
        lambda: _cancel(info, token),
    )  # fmt: skip
    return render(outcome)


async def reschedule_booking_anonymously(
    info: Info, token: str, new_slot: SlotInput, idempotency_key: str | None = None
) -> RescheduleAnonymouslyResult:
    new_slot.check("newSlot")
    outcome = await run_idempotent(
        info, "rescheduleBookingAnonymously", idempotency_key,
        {"token": token, "newSlot": new_slot}, lambda: _reschedule(info, token, new_slot),
    )  # fmt: skip
    return render(outcome)


async def anonymous_booking(info: Info, token: str) -> AnonymousBooking | None:
    current = await _read(info, token)
    if current is None:
        return None
    return AnonymousBooking(
        booking=Booking.from_wix(current["booking"]),
        allowed_anonymous_actions=AllowedActions.from_wix(current["allowedAnonymousActions"]),
    )


@strawberry.type
class AnonymousMutations:
    create_anonymous_link = strawberry.mutation(
        resolver=create_anonymous_link,
        description="Mint the token of a booking's anonymous link (authenticated): with it the "
        "customer can see, cancel or reschedule the booking without an account.",
    )
    cancel_booking_anonymously = strawberry.mutation(
        metadata=visitor_safe(),
        resolver=cancel_booking_anonymously,
        description="Cancel the booking of an anonymous link, when its policy allows; needs "
        "no Authorization header.",
    )
    reschedule_booking_anonymously = strawberry.mutation(
        metadata=visitor_safe(),
        resolver=reschedule_booking_anonymously,
        description="Move the booking of an anonymous link to `newSlot` (checked first), when "
        "its policy allows; needs no Authorization header.",
    )


@strawberry.type
class AnonymousQueries:
    anonymous_booking: AnonymousBooking | None = strawberry.field(
        metadata=visitor_safe(),
        resolver=anonymous_booking,
        description="The booking of an anonymous link and what the link allows; null when the "
        "token is not valid. Needs no Authorization header.",
    )
