"""Double bookings (issue item 7): `doubleBookedBookings`, and `resolveDoubleBooking` over the
flow in `gateway.bookings.double_booking` (where its strategies are described).
"""

from __future__ import annotations

from typing import Annotated

import strawberry

from gateway.bookings import double_booking
from gateway.bookings import outcomes as domain
from gateway.bookings.double_booking import Checkout, DoubleBookingStrategy
from gateway.graphql.bookings.filters import BookingFilter, BookingSort
from gateway.graphql.bookings.mutations.idempotent import run_idempotent
from gateway.graphql.bookings.mutations.inputs import SlotInput
from gateway.graphql.bookings.mutations.outcomes import (
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
from gateway.graphql.bookings.resolvers import bookings
from gateway.graphql.bookings.types import Booking, BookingStatus
from gateway.graphql.context import Info
from gateway.graphql.errors import user_errors
from gateway.graphql.lookups import flow_context
from gateway.graphql.pagination import Connection

# Bookings that still take part in a conflict (canceled and declined ones keep the flag).
UNRESOLVED_STATUSES = [
    BookingStatus.CREATED,
    BookingStatus.PENDING,
    BookingStatus.CONFIRMED,
    BookingStatus.WAITING_LIST,
]


# The domain's enums, exposed as GraphQL enums of the same names.
strawberry.enum(
    DoubleBookingStrategy,
    description="How to resolve a double booking (https://dev.wix.com/docs/api-reference/business-solutions/bookings/bookings/bookings-writer-v2/sample-flows#handle-double-booking-conflicts).",
)
strawberry.enum(
    Checkout, description="How the booking is paid: Wix eCommerce checkout or your own."
)


@outcome_type
@strawberry.type(description="The double booking was resolved with the strategy asked for.")
class DoubleBookingResolved:
    booking: Booking
    strategy: DoubleBookingStrategy
    note: str | None = strawberry.field(description="What is left to do (e.g. a refund).")

    @classmethod
    def from_outcome(cls, data: domain.DoubleBookingResolved) -> DoubleBookingResolved:
        return cls(
            booking=Booking.from_wix(data.booking),
            strategy=DoubleBookingStrategy(data.strategy),
            note=data.note,
        )


@outcome_type
@strawberry.type(
    description="The booking needs no resolution any more (it was resolved, by force or "
    "otherwise); nothing was changed."
)
class AlreadyResolved(Failure):
    message: str
    booking: Booking

    @classmethod
    def from_outcome(cls, data: domain.AlreadyResolved) -> AlreadyResolved:
        return cls(message=data.message, booking=Booking.from_wix(data.booking))


ResolveDoubleBookingResult = Annotated[
    DoubleBookingResolved
    | AlreadyResolved
    | SlotUnavailable
    | PolicyViolation
    | NotAllowed
    | NotFound
    | RevisionConflict
    | IdempotencyKeyReused,
    strawberry.union("ResolveDoubleBookingResult"),
]


async def resolve_double_booking(
    info: Info,
    booking_id: strawberry.ID,
    strategy: DoubleBookingStrategy,
    new_slot: SlotInput | None = None,
    checkout: Checkout = Checkout.CUSTOM,
    idempotency_key: str | None = None,
) -> ResolveDoubleBookingResult:
    resolution = double_booking.Resolution(
        str(booking_id), strategy, new_slot.to_domain() if new_slot else None, checkout
    )
    with user_errors():
        resolution.check()
    request = {"bookingId": booking_id, "strategy": strategy, "newSlot": new_slot,
               "checkout": checkout}  # fmt: skip
    outcome = await run_idempotent(
        info, "resolveDoubleBooking", idempotency_key, request,
        lambda: double_booking.resolve_double_booking(flow_context(info), resolution),
    )  # fmt: skip
    return render(outcome)


async def double_booked_bookings(
    info: Info, first: int | None = None, after: str | None = None
) -> Connection[Booking]:
    """`bookings` filtered to double-booked ones still active, earliest first."""
    filter = BookingFilter(double_booked=True, statuses=UNRESOLVED_STATUSES)
    return await bookings(info, filter=filter, sort=BookingSort.START_ASC, first=first, after=after)


@strawberry.type
class DoubleBookingQueries:
    double_booked_bookings: Connection[Booking] = strawberry.field(
        resolver=double_booked_bookings,
        description="Bookings in a double-booking conflict (`doubleBooked`, not canceled or "
        "declined), earliest first; `first` is 1 to 100, 50 when omitted.",
    )


@strawberry.type
class DoubleBookingMutations:
    resolve_double_booking = strawberry.mutation(
        resolver=resolve_double_booking,
        description="Resolve a double booking: RESCHEDULE to `newSlot` or CANCEL (when the "
        "booking's allowed actions permit), or FORCE_CONFIRM / FORCE_DECLINE it; `checkout` "
        "(default CUSTOM) picks Wix's steps for how it was paid. A booking already resolved is "
        "`AlreadyResolved`, unchanged.",
    )
