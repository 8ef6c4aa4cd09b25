"""Outcome types of the multi-service package mutations (rendered by `outcomes.render`)."""

from __future__ import annotations

import strawberry

from gateway.bookings import outcomes as domain
from gateway.graphql.bookings.mutations.outcomes import (
    Failure,
    alternatives_of,
    optional_id,
    outcome_type,
)
from gateway.graphql.bookings.types import Booking, MultiServiceBooking
from gateway.graphql.common import Json
from gateway.graphql.time_slots.types import TimeSlot

# Fewer and Wix deletes the package ("Booking modifications" in
# https://dev.wix.com/docs/api-reference/business-solutions/bookings/bookings/bookings-writer-v2/introduction).
MIN_PACKAGE_BOOKINGS = 2


def _bookings(msb: Json) -> list[Booking]:
    """The package's bookings, when the response carries them (earliest first)."""
    return [
        Booking.from_wix(item["booking"])
        for item in msb.get("bookings") or []
        if item.get("booking")
    ]


@outcome_type
@strawberry.type(
    description="The package was booked: 2 to 8 back-to-back bookings, `CREATED`, or "
    "`CONFIRMED` when `confirm: true` (`PENDING` for services that need approval)."
)
class PackageBooked:
    multi_service_booking: MultiServiceBooking
    bookings: list[Booking] = strawberry.field(description="The package's bookings, in order.")

    @classmethod
    def from_outcome(cls, data: domain.PackageBooked) -> PackageBooked:
        msb = data.multi_service_booking
        return cls(multi_service_booking=MultiServiceBooking.from_wix(msb), bookings=_bookings(msb))


@outcome_type
@strawberry.type(
    description="The package was changed. When fewer than two bookings are left Wix deletes "
    "the package (`dissolved`), and the one left is a standalone booking."
)
class PackageUpdated:
    multi_service_booking: MultiServiceBooking | None = strawberry.field(
        description="The package; null when it was dissolved."
    )
    bookings: list[Booking] = strawberry.field(
        description="The bookings the package holds now, in order (or the one left)."
    )
    dissolved: bool

    @classmethod
    def from_outcome(cls, data: domain.PackageUpdated) -> PackageUpdated:
        msb = data.multi_service_booking
        bookings = _bookings(msb)
        dissolved = len(msb.get("bookings") or []) < MIN_PACKAGE_BOOKINGS
        return cls(
            multi_service_booking=None if dissolved else MultiServiceBooking.from_wix(msb),
            bookings=bookings,
            dissolved=dissolved,
        )


@outcome_type
@strawberry.type(
    description="No back-to-back slot of these services starts at that time (taken, against "
    "the booking policy, or lost at confirmation)."
)
class PackageUnavailable(Failure):
    message: str
    alternatives: list[TimeSlot] = strawberry.field(
        description="Up to 5 bookable multi-service slots of the same services nearest to the "
        "start asked for (`nestedSlots` gives each service's part)."
    )

    package_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="The package this flow made and cancelled again when its time was lost at "
        "confirmation; null when none was made.",
    )

    @classmethod
    def from_outcome(cls, data: domain.PackageUnavailable) -> PackageUnavailable:
        return cls(
            message=data.message,
            alternatives=alternatives_of(data.alternatives, data.time_zone),
            package_id=optional_id(data.package_id),
        )


def package_bookings(outcome: object) -> list[Booking]:
    """The bookings a rendered package outcome carries (to prime the request's loaders)."""
    if isinstance(outcome, PackageBooked | PackageUpdated):
        return outcome.bookings
    return []
