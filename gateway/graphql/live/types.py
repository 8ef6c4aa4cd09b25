"""The payloads of the live subscriptions."""

from __future__ import annotations

from enum import Enum

import strawberry

from gateway.graphql.bookings.types import Booking
from gateway.graphql.scalars import DateTime, LocalDateTime


@strawberry.enum(description="The Bookings Writer V2 event a booking change came as.")
class BookingEventType(Enum):
    # Values are Wix's event slugs.
    CREATED = "created"
    UPDATED = "updated"
    CONFIRMED = "confirmed"
    DECLINED = "declined"
    CANCELED = "canceled"
    RESCHEDULED = "rescheduled"
    MARKED_AS_PENDING = "markedAsPending"
    NUMBER_OF_PARTICIPANTS_UPDATED = "number_of_participants_updated"


BOOKING_EVENT_TYPES = {member.value: member for member in BookingEventType}


@strawberry.type(
    description="Slots of a service may have changed between `from` and `to` (the business's "
    "wall time; null: unbounded, e.g. the service itself changed): list them again."
)
class AvailabilityChange:
    service_id: strawberry.ID
    from_: LocalDateTime | None = strawberry.field(name="from")
    to: LocalDateTime | None


@strawberry.type(description="A booking changed, as Wix reported it.")
class BookingEvent:
    type: BookingEventType
    booking: Booking = strawberry.field(
        description="The booking as Wix sent it with the event (for an anonymous link's "
        "holder: as Wix shows it to that link)."
    )
    event_id: strawberry.ID = strawberry.field(
        description="Wix's event id: the same change is never reported under two ids."
    )
    event_time: DateTime | None
