"""Input types shared by the booking mutations: who books, and which slot; each converts to
the domain's plain request (`gateway.bookings.requests`)."""

from __future__ import annotations

import strawberry
from strawberry.scalars import JSON

from gateway.bookings.appointments import AppointmentBooking, ClassSessionBooking
from gateway.bookings.courses import CourseBooking
from gateway.bookings.lifecycle import BookingMove, Cancellation
from gateway.bookings.requests import Booker, Contact, SlotRequest
from gateway.bookings.status import ParticipantsChange, StatusChange
from gateway.graphql.bookings.types import PaymentStatus
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

    def to_domain(self) -> Contact:
        return Contact(
            contact_id=str(self.contact_id) if self.contact_id else None,
            first_name=self.first_name,
            last_name=self.last_name,
            email=self.email,
            phone=self.phone,
        )


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

    def booker(self) -> Booker:
        return Booker(
            participants=self.participants,
            contact=self.contact.to_domain() if self.contact else None,
            form_submission=self.form_submission,
            confirm=self.confirm,
            payment_status=self.payment_status.value if self.payment_status else None,
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

    def to_domain(self) -> SlotRequest:
        return SlotRequest(
            local_start=self.local_start,
            local_end=self.local_end,
            time_zone=self.time_zone,
            resource_id=str(self.resource_id) if self.resource_id else None,
            location_id=str(self.location_id) if self.location_id else None,
            event_id=str(self.event_id) if self.event_id else None,
        )


@strawberry.input(description="An appointment slot to book, as Time Slots listed it.")
class BookAppointmentInput(BookingRequest):
    service_id: strawberry.ID
    local_start: LocalDateTime
    local_end: LocalDateTime
    time_zone: TimeZone | None = strawberry.field(
        default=None, description="The zone of `localStart`/`localEnd`; default the site's."
    )
    resource_id: strawberry.ID | None = strawberry.field(
        default=None, description="The staff member; without one Wix assigns a free one."
    )
    location_id: strawberry.ID | None = None

    def to_domain(self) -> AppointmentBooking:
        return AppointmentBooking(
            booker=self.booker(),
            service_id=str(self.service_id),
            local_start=self.local_start,
            local_end=self.local_end,
            time_zone=self.time_zone,
            resource_id=str(self.resource_id) if self.resource_id else None,
            location_id=str(self.location_id) if self.location_id else None,
        )


@strawberry.input(description="A class session to join, by the `eventId` Time Slots gave.")
class BookClassSessionInput(BookingRequest):
    event_id: strawberry.ID

    def to_domain(self) -> ClassSessionBooking:
        return ClassSessionBooking(booker=self.booker(), event_id=str(self.event_id))


@strawberry.input(description="A course to join as a whole, by its service id.")
class BookCourseInput(BookingRequest):
    service_id: strawberry.ID

    def to_domain(self) -> CourseBooking:
        return CourseBooking(booker=self.booker(), service_id=str(self.service_id))


@strawberry.input(description="Move a booking to another slot of its service.")
class RescheduleBookingInput:
    booking_id: strawberry.ID
    new_slot: SlotInput
    revision: str | None = strawberry.field(default=None, description=REVISION_HELP)
    ignore_reschedule_policy: bool = strawberry.field(
        default=False,
        description="Admin override: skip the reschedule and booking policies.",
    )
    idempotency_key: str | None = None

    def to_domain(self) -> BookingMove:
        return BookingMove(
            booking_id=str(self.booking_id),
            new_slot=self.new_slot.to_domain(),
            revision=self.revision,
            ignore_reschedule_policy=self.ignore_reschedule_policy,
        )


@strawberry.input(description="Cancel a booking.")
class CancelBookingInput:
    booking_id: strawberry.ID
    revision: str | None = strawberry.field(default=None, description=REVISION_HELP)
    with_refund: bool = False
    waive_cancellation_fee: bool = False
    ignore_cancellation_policy: bool = strawberry.field(
        default=False, description="Admin override: cancel even outside the policy's window."
    )
    idempotency_key: str | None = None

    def to_domain(self) -> Cancellation:
        return Cancellation(
            booking_id=str(self.booking_id),
            revision=self.revision,
            with_refund=self.with_refund,
            waive_cancellation_fee=self.waive_cancellation_fee,
            ignore_cancellation_policy=self.ignore_cancellation_policy,
        )


@strawberry.input(description="A status change of one booking by the business.")
class BookingStatusInput:
    booking_id: strawberry.ID
    revision: str | None = strawberry.field(default=None, description=REVISION_HELP)
    payment_status: PaymentStatus | None = strawberry.field(
        default=None, description="Stored on the booking when given."
    )

    def to_domain(self) -> StatusChange:
        payment_status = self.payment_status.value if self.payment_status else None
        return StatusChange(str(self.booking_id), self.revision, payment_status)


@strawberry.input(description="A new number of participants (class and course bookings only).")
class UpdateNumberOfParticipantsInput:
    booking_id: strawberry.ID
    participants: int
    revision: str | None = strawberry.field(default=None, description=REVISION_HELP)

    def to_domain(self) -> ParticipantsChange:
        return ParticipantsChange(str(self.booking_id), self.participants, self.revision)
