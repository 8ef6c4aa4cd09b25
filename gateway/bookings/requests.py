"""What callers ask the booking flows for, as plain frozen data (the GraphQL inputs convert to
these), and the checks every such request passes before anything is sent to Wix."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from gateway.bookings.flow import InvalidInput, Json


@dataclass(frozen=True, slots=True)
class Contact:
    """The customer. With a booking form, these fill the form's contact fields."""

    contact_id: str | None = None
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


def contact_id(contact: Contact | None) -> str | None:
    return contact.contact_id if contact and contact.contact_id else None


@dataclass(frozen=True, slots=True)
class Booker:
    """What every new booking needs besides what is booked. `form_submission` is the caller's
    answers as sent (checked by `forms.prepare`); `payment_status` goes to Confirm Or Decline."""

    participants: int = 1
    contact: Contact | None = None
    form_submission: Any = None
    confirm: bool = False
    payment_status: str | None = None


@dataclass(frozen=True, slots=True)
class SlotRequest:
    """A slot to move a booking to: an appointment slot (start, end, optional staff and
    location, in `time_zone` or the site's) or a class session (`event_id`)."""

    local_start: datetime | None = None
    local_end: datetime | None = None
    time_zone: str | None = None
    resource_id: str | None = None
    location_id: str | None = None
    event_id: str | None = None

    def check(self, argument: str) -> None:
        """Exactly one kind of slot: a class session, or an appointment with start and end."""
        times = self.local_start is not None and self.local_end is not None
        if self.event_id and (self.local_start or self.local_end):
            raise InvalidInput(f"`{argument}`: give `eventId` or start and end, not both")
        if not self.event_id and not times:
            raise InvalidInput(f"`{argument}` needs `eventId`, or `localStart` and `localEnd`")
        if times and self.local_end <= self.local_start:  # type: ignore[operator]
            raise InvalidInput(f"`{argument}.localEnd` must be later than `localStart`")


def check_participants(participants: int) -> None:
    if participants < 1:
        raise InvalidInput("`participants` must be at least 1", "participants")
