"""Bookings (https://dev.wix.com/docs/api-reference/business-solutions/bookings/bookings/bookings-writer-v2/booking-object)
and multi-service bookings, as Query Extended Bookings returns them.

`service`, `form`, `allowedActions` and `multiServiceBooking` are resolved on demand through the
request's loaders (`gateway.graphql.loaders`), so a page of bookings costs one upstream call per
kind, not one per booking. Allowed actions come from Bulk Calculate Allowed Actions
(`Loaders.allowed_actions`), unless the query that read the booking already carried them: a
`bookings` page that selects `allowedActions` asks Wix for them with the page, and a mutation's
fresh read has them too (`Loaders.booking` primes the loader from either).
"""

from __future__ import annotations

import asyncio
from enum import Enum

import strawberry
from strawberry.scalars import JSON

from gateway.graphql.common import Json, MaybeAwaitable, enum_or, enum_or_none, ready
from gateway.graphql.context import Info
from gateway.graphql.forms.types import Form
from gateway.graphql.node import Node
from gateway.graphql.scalars import DateTime, TimeZone, parse_optional_instant
from gateway.graphql.services.types import Service


@strawberry.enum
class BookingStatus(Enum):
    CREATED = "CREATED"
    CONFIRMED = "CONFIRMED"
    CANCELED = "CANCELED"
    PENDING = "PENDING"
    DECLINED = "DECLINED"
    WAITING_LIST = "WAITING_LIST"
    UNKNOWN = "UNKNOWN"


@strawberry.enum
class PaymentStatus(Enum):
    UNDEFINED = "UNDEFINED"
    NOT_PAID = "NOT_PAID"
    PAID = "PAID"
    PARTIALLY_PAID = "PARTIALLY_PAID"
    REFUNDED = "REFUNDED"
    EXEMPT = "EXEMPT"


@strawberry.enum
class SelectedPaymentOption(Enum):
    UNDEFINED = "UNDEFINED"
    OFFLINE = "OFFLINE"
    ONLINE = "ONLINE"
    MEMBERSHIP = "MEMBERSHIP"
    MEMBERSHIP_OFFLINE = "MEMBERSHIP_OFFLINE"


@strawberry.enum(description="Booking location types (they differ from Time Slots' ones).")
class BookingLocationType(Enum):
    UNDEFINED = "UNDEFINED"
    OWNER_BUSINESS = "OWNER_BUSINESS"
    OWNER_CUSTOM = "OWNER_CUSTOM"
    CUSTOM = "CUSTOM"


@strawberry.type
class Contact:
    contact_id: strawberry.ID | None
    first_name: str | None
    last_name: str | None
    email: str | None
    phone: str | None
    country_code: str | None


@strawberry.type
class BookedResource:
    id: strawberry.ID
    name: str | None
    email: str | None
    schedule_id: strawberry.ID | None


@strawberry.type
class BookingLocation:
    id: strawberry.ID | None
    name: str | None
    formatted_address: str | None
    type: BookingLocationType

    @classmethod
    def from_wix(cls, loc: Json | None) -> BookingLocation | None:
        if not loc:
            return None
        return cls(
            id=loc.get("id"),
            name=loc.get("name"),
            formatted_address=loc.get("formattedAddress"),
            type=enum_or(
                BookingLocationType, loc.get("locationType"), BookingLocationType.UNDEFINED
            ),
        )


@strawberry.type(description="The session booked: an appointment or one class session.")
class BookedSlot:
    service_id: strawberry.ID | None
    schedule_id: strawberry.ID | None
    event_id: strawberry.ID | None
    start: DateTime | None
    end: DateTime | None
    time_zone: TimeZone | None
    resource: BookedResource | None
    location: BookingLocation | None

    @classmethod
    def from_wix(cls, slot: Json) -> BookedSlot:
        resource = slot.get("resource")
        return cls(
            service_id=slot.get("serviceId"),
            schedule_id=slot.get("scheduleId"),
            event_id=slot.get("eventId"),
            start=parse_optional_instant(slot.get("startDate")),
            end=parse_optional_instant(slot.get("endDate")),
            time_zone=slot.get("timezone"),
            resource=BookedResource(
                id=resource["id"],
                name=resource.get("name"),
                email=resource.get("email"),
                schedule_id=resource.get("scheduleId"),
            )
            if resource and resource.get("id")
            else None,
            location=BookingLocation.from_wix(slot.get("location")),
        )


@strawberry.type(description="The course booked as a whole.")
class BookedSchedule:
    schedule_id: strawberry.ID | None
    service_id: strawberry.ID | None
    time_zone: TimeZone | None
    first_session_start: DateTime | None
    last_session_end: DateTime | None
    location: BookingLocation | None

    @classmethod
    def from_wix(cls, schedule: Json) -> BookedSchedule:
        return cls(
            schedule_id=schedule.get("scheduleId"),
            service_id=schedule.get("serviceId"),
            time_zone=schedule.get("timezone"),
            first_session_start=parse_optional_instant(schedule.get("firstSessionStart")),
            last_session_end=parse_optional_instant(schedule.get("lastSessionEnd")),
            location=BookingLocation.from_wix(schedule.get("location")),
        )


@strawberry.type(description="What the customer may do without admin overrides.")
class AllowedActions:
    cancel: bool
    reschedule: bool

    @classmethod
    def from_wix(cls, actions: Json) -> AllowedActions:
        return cls(cancel=bool(actions.get("cancel")), reschedule=bool(actions.get("reschedule")))


def _participants(booking: Json) -> int:
    if booking.get("totalParticipants") is not None:
        return int(booking["totalParticipants"])
    choices = (booking.get("participantsChoices") or {}).get("serviceChoices") or []
    return sum(int(c.get("numberOfParticipants") or 0) for c in choices)


@strawberry.type(description="2 to 8 back-to-back appointments booked together.")
class MultiServiceBooking(Node):
    booking_ids: list[strawberry.ID]

    @classmethod
    def from_wix(cls, msb: Json) -> MultiServiceBooking:
        return cls(
            id=msb["id"],
            booking_ids=[b["bookingId"] for b in msb.get("bookings") or [] if b.get("bookingId")],
        )

    @strawberry.field(description="The bookings, in order (those the caller may read).")
    async def bookings(self, info: Info) -> list[Booking]:
        loader = info.context.loaders.bookings
        found = await asyncio.gather(*(loader.load(i) for i in self.booking_ids))
        return [b for b in found if b is not None]


def _contact(root: Booking) -> Contact | None:
    contact = root.contact_details
    if not contact:
        return None
    return Contact(
        contact_id=contact.get("contactId"),
        first_name=contact.get("firstName"),
        last_name=contact.get("lastName"),
        email=contact.get("email"),
        phone=contact.get("phone"),
        country_code=contact.get("countryCode"),
    )


def _slot(root: Booking) -> BookedSlot | None:
    slot = root.booked_entity.get("slot")
    return BookedSlot.from_wix(slot) if slot else None


def _schedule(root: Booking) -> BookedSchedule | None:
    schedule = root.booked_entity.get("schedule")
    return BookedSchedule.from_wix(schedule) if schedule else None


@strawberry.type(description="A booking of a slot (appointment, class session) or a course.")
class Booking(Node):
    status: BookingStatus
    payment_status: PaymentStatus | None
    selected_payment_option: SelectedPaymentOption | None
    revision: str | None = strawberry.field(
        description="Pass it back to mutations; it grows by one on every change."
    )
    participants: int = strawberry.field(description="Total number of participants.")
    participants_choices: JSON | None = strawberry.field(
        description="Wix `participantsChoices`, when booked per variant."
    )
    # Mapped when selected: a page of bookings rarely asks for them.
    contact: Contact | None = strawberry.field(resolver=_contact)
    slot: BookedSlot | None = strawberry.field(resolver=_slot)
    schedule: BookedSchedule | None = strawberry.field(resolver=_schedule)
    title: str | None
    tags: list[str]
    double_booked: bool
    start: DateTime | None
    end: DateTime | None
    created_date: DateTime | None
    updated_date: DateTime | None
    service_id: strawberry.ID | None
    form_id: strawberry.ID | None
    form_submission_id: strawberry.ID | None
    external_user_id: str | None
    multi_service_booking_id: strawberry.ID | None
    booked_entity: strawberry.Private[Json]  # Wix `bookedEntity`
    contact_details: strawberry.Private[Json | None]  # Wix `contactDetails`

    @classmethod
    def from_wix(cls, booking: Json) -> Booking:
        entity = booking.get("bookedEntity") or {}
        slot, schedule = entity.get("slot"), entity.get("schedule")
        return cls(
            id=booking["id"],
            status=enum_or(BookingStatus, booking.get("status"), BookingStatus.UNKNOWN),
            payment_status=enum_or_none(PaymentStatus, booking.get("paymentStatus")),
            selected_payment_option=enum_or_none(
                SelectedPaymentOption, booking.get("selectedPaymentOption")
            ),
            revision=booking.get("revision"),
            participants=_participants(booking),
            participants_choices=booking.get("participantsChoices"),
            title=entity.get("title"),
            tags=list(entity.get("tags") or []),
            double_booked=bool(booking.get("doubleBooked")),
            start=parse_optional_instant(booking.get("startDate")),
            end=parse_optional_instant(booking.get("endDate")),
            created_date=parse_optional_instant(booking.get("createdDate")),
            updated_date=parse_optional_instant(booking.get("updatedDate")),
            service_id=(slot or schedule or {}).get("serviceId"),
            form_id=booking.get("formId"),
            form_submission_id=booking.get("formSubmissionId"),
            external_user_id=booking.get("externalUserId"),
            multi_service_booking_id=(booking.get("multiServiceBookingInfo") or {}).get("id"),
            booked_entity=entity,
            contact_details=booking.get("contactDetails"),
        )

    def _service(self, info: Info) -> MaybeAwaitable[Service | None]:
        if not self.service_id:
            return None
        return ready(info.context.loaders.services.load(self.service_id))

    @strawberry.field(graphql_type=Service | None)
    def service(self, info: Info) -> MaybeAwaitable[Service | None]:
        return self._service(info)

    @strawberry.field(
        graphql_type=Form | None,
        description="The booking's form; the service's form when it has none.",
    )
    def form(self, info: Info) -> MaybeAwaitable[Form | None]:
        if self.form_id:
            return ready(info.context.loaders.forms.load(self.form_id))
        return self._service_form(info)

    async def _service_form(self, info: Info) -> Form | None:
        if not self.service_id:
            return None
        service = await info.context.loaders.services.load(self.service_id)
        if service is None or not service.form_id:
            return None
        return await info.context.loaders.forms.load(service.form_id)

    @strawberry.field(graphql_type=AllowedActions | None)
    def allowed_actions(self, info: Info) -> MaybeAwaitable[AllowedActions | None]:
        return ready(info.context.loaders.allowed_actions.load(self.id))

    @strawberry.field(graphql_type=MultiServiceBooking | None)
    def multi_service_booking(self, info: Info) -> MaybeAwaitable[MultiServiceBooking | None]:
        if not self.multi_service_booking_id:
            return None
        return ready(
            info.context.loaders.multi_service_bookings.load(self.multi_service_booking_id)
        )
