"""Anonymous booking links in GraphQL: the mutations and the query over the flows in
`gateway.bookings.anonymous` (whose docstring says how links and their tokens work)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from gateway.bookings import anonymous
from gateway.bookings import outcomes as domain
from gateway.graphql.bookings.mutations.idempotent import run_idempotent
from gateway.graphql.bookings.mutations.inputs import SlotInput
from gateway.graphql.bookings.mutations.outcomes import (
    BookingUpdated,
    Failure,
    IdempotencyKeyReused,
    NotAllowed,
    NotFound,
    PolicyViolation,
    RevisionConflict,
    SlotUnavailable,
    outcome_type,
    render,
)
from gateway.graphql.bookings.types import AllowedActions, Booking
from gateway.graphql.context import Info
from gateway.graphql.errors import user_errors
from gateway.graphql.lookups import flow_context
from gateway.identity.visitor_fields import visitor_safe


@outcome_type
@strawberry.type(description="A link token for a booking and what its holder may do with it.")
class AnonymousLink:
    token: str = strawberry.field(
        description="A credential: put it in the link you send the customer, keep it secret."
    )
    allowed_anonymous_actions: AllowedActions

    @classmethod
    def from_outcome(cls, data: domain.AnonymousLink) -> AnonymousLink:
        actions = AllowedActions.from_wix(data.allowed_anonymous_actions)
        return cls(token=data.token, allowed_anonymous_actions=actions)


@outcome_type
@strawberry.type(description="The link's token is not valid, or its booking no longer exists.")
class InvalidAnonymousToken(Failure):
    message: str

    @classmethod
    def from_outcome(cls, data: domain.InvalidAnonymousToken) -> InvalidAnonymousToken:
        return cls(message=data.message)


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


async def create_anonymous_link(info: Info, booking_id: strawberry.ID) -> CreateAnonymousLinkResult:
    outcome = await run_idempotent(  # no key (the token is never stored): for the flow deadline
        info, "createAnonymousLink", None, {"bookingId": booking_id},
        lambda: anonymous.create_anonymous_link(flow_context(info), str(booking_id)),
    )  # fmt: skip
    return render(outcome)


async def cancel_booking_anonymously(
    info: Info, token: str, idempotency_key: str | None = None
) -> CancelAnonymouslyResult:
    outcome = await run_idempotent(
        info, "cancelBookingAnonymously", idempotency_key, {"token": token},
        lambda: anonymous.cancel_anonymously(flow_context(info), token),
    )  # fmt: skip
    return render(outcome)


async def reschedule_booking_anonymously(
    info: Info, token: str, new_slot: SlotInput, idempotency_key: str | None = None
) -> RescheduleAnonymouslyResult:
    slot = new_slot.to_domain()
    with user_errors():
        slot.check("newSlot")
    outcome = await run_idempotent(
        info, "rescheduleBookingAnonymously", idempotency_key,
        {"token": token, "newSlot": new_slot},
        lambda: anonymous.reschedule_anonymously(flow_context(info), token, slot),
    )  # fmt: skip
    return render(outcome)


async def anonymous_booking(info: Info, token: str) -> AnonymousBooking | None:
    current = await anonymous.read_anonymously(flow_context(info), token)
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
