"""Input types shared by the booking mutations: who books, and which slot."""

from __future__ import annotations

import strawberry
from strawberry.scalars import JSON

from gateway.graphql.bookings.types import PaymentStatus
from gateway.graphql.common import Json
from gateway.graphql.errors import bad_user_input
from gateway.graphql.scalars import LocalDateTime, TimeZone

REVISION_HELP = "The booking's revision; omitted, the current one is read."


@strawberry.input(
    description="The customer. With a booking form, these fill the form's contact fields "
    "(`first_name`, `last_name`, `email`, `phone`) that `formSubmission` leaves empty."
)
class ContactInput:
    contact_id: strawberry.ID | None = None
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    phone: str | None = None

    def form_answers(self) -> Json:
        """The contact as booking-form answers, by the default form's targets."""
        answers = {
            "first_name": self.first_name,
            "last_name": self.last_name,
            "email": self.email,
            "phone": self.phone,
        }
        return {target: value for target, value in answers.items() if value not in (None, "")}


@strawberry.input(description="What every new booking needs besides what is booked.")
class BookingRequest:
    """Base of the book* inputs (its fields come first in each)."""

    participants: int = 1
    contact: ContactInput | None = None
    form_submission: JSON | None = strawberry.field(
        default=None, description="Booking form answers keyed by field `target`."
    )
    confirm: bool = strawberry.field(
        default=False,
        description="Follow the create with Confirm Or Decline Booking (custom checkout).",
    )
    payment_status: PaymentStatus | None = strawberry.field(
        default=None,
        description="Passed to Confirm Or Decline; omitted, the booking stays UNDEFINED "
        "(unpaid), so a double booking or an over-capacity booking is declined.",
    )
    idempotency_key: str | None = strawberry.field(
        default=None, description="Same key and input: the same outcome, booked once (24 h)."
    )


@strawberry.input(
    description="A slot to move a booking to: an appointment slot (`localStart`, `localEnd`, "
    "optional `resourceId`, `locationId`) or a class session (`eventId`)."
)
class SlotInput:
    local_start: LocalDateTime | None = None
    local_end: LocalDateTime | None = None
    time_zone: TimeZone | None = strawberry.field(
        default=None, description="The zone of `localStart`/`localEnd`; default the site's."
    )
    resource_id: strawberry.ID | None = None
    location_id: strawberry.ID | None = None
    event_id: strawberry.ID | None = None

    def check(self, argument: str) -> None:
        """Exactly one kind of slot: a class session, or an appointment with start and end."""
        times = self.local_start is not None and self.local_end is not None
        if self.event_id and (self.local_start or self.local_end):
            raise bad_user_input(f"`{argument}`: give `eventId` or start and end, not both")
        if not self.event_id and not times:
            raise bad_user_input(f"`{argument}` needs `eventId`, or `localStart` and `localEnd`")
        if times and self.local_end <= self.local_start:  # type: ignore[operator]
            raise bad_user_input(f"`{argument}.localEnd` must be later than `localStart`")


def contact_id(contact: ContactInput | None) -> str | None:
    return str(contact.contact_id) if contact and contact.contact_id else None


def check_participants(participants: int) -> None:
    if participants < 1:
        raise bad_user_input("`participants` must be at least 1", "participants")
