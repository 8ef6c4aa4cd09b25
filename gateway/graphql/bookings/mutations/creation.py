"""The last steps every booking flow shares: Create Booking, then (with `confirm`) Confirm Or
Decline Booking, with Wix's refusals turned into outcomes.

A CREATED booking doesn't hold its slot, so concurrent customers settle the race at
confirmation: the one Wix declines as a double booking gets the flow's "unavailable" outcome.
If confirming fails for any other reason the new booking is cancelled before the error is
reported, so a failed mutation leaves no booking behind.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from gateway.graphql.bookings.mutations.inputs import BookingRequest, contact_id
from gateway.graphql.bookings.mutations.outcomes import (
    CAPACITY_CODES,
    SLOT_TAKEN_CODES,
    booking_created,
    form_invalid,
    is_refusal,
    not_allowed_by,
    policy_violation_from,
)
from gateway.graphql.bookings.types import PaymentStatus
from gateway.graphql.common import Json
from gateway.graphql.context import Info
from gateway.upstream.bookings_writer import BookingsWriterApi
from gateway.upstream.errors import UpstreamError

logger = logging.getLogger("gateway.graphql.mutations")

FORM_FIELD_PREFIX = "formSubmission."
DECLINED = "DECLINED"


@dataclass(frozen=True, slots=True)
class NewBooking:
    """What Create Booking gets: the verified `bookedEntity` and the checked form answers."""

    booked_entity: Json
    participants: int
    answers: Json
    contact_id: str | None = None
    confirm: bool = False
    payment_status: PaymentStatus | None = None

    @classmethod
    def of(cls, request: BookingRequest, booked_entity: Json, answers: Json) -> NewBooking:
        return cls(
            booked_entity=booked_entity,
            participants=request.participants,
            answers=answers,
            contact_id=contact_id(request.contact),
            confirm=request.confirm,
            payment_status=request.payment_status,
        )

    def create_body(self) -> Json:
        booking: Json = {"bookedEntity": self.booked_entity, "totalParticipants": self.participants}
        if self.contact_id:  # with a form, Wix keeps only the contact id (forms.md §4)
            booking["contactDetails"] = {"contactId": self.contact_id}
        return {"booking": booking, "formSubmission": self.answers}

    def confirm_body(self) -> Json:
        return {"paymentStatus": self.payment_status.value} if self.payment_status else {}


Unavailable = Callable[[], Awaitable[Json]]


async def create_and_confirm(info: Info, new: NewBooking, unavailable: Unavailable) -> Json:
    """`BookingCreated` with the booking's final status, or the outcome of Wix's refusal;
    `unavailable()` builds the flow's "slot/session/course taken" outcome."""
    writer = info.context.upstream.bookings_writer
    try:
        created: Json = (await writer.create_booking(new.create_body()))["booking"]
    except UpstreamError as error:
        return await creation_refused(error, unavailable)
    if not new.confirm:
        return booking_created(created)
    try:
        response = await writer.confirm_or_decline_booking(created["id"], new.confirm_body())
    except Exception:
        await _withdraw(writer, created)
        raise
    decided: Json = response["booking"]
    if decided.get("status") == DECLINED:
        return await unavailable()
    return booking_created(decided)


async def creation_refused(error: UpstreamError, unavailable: Unavailable) -> Json:
    """Create Booking's business refusals as outcomes; anything else stays an error."""
    violation = policy_violation_from(error)
    if violation is not None:
        return violation
    if error.code in SLOT_TAKEN_CODES | CAPACITY_CODES:
        return await unavailable()
    form_errors = [
        {"target": v["field"][len(FORM_FIELD_PREFIX) :], "message": v.get("description") or ""}
        for v in error.extensions.get("fieldViolations") or []
        if str(v.get("field", "")).startswith(FORM_FIELD_PREFIX)
    ]
    if form_errors:
        return form_invalid(form_errors)
    if is_refusal(error):
        return not_allowed_by("Booking", error)
    raise error


async def _withdraw(writer: BookingsWriterApi, booking: Json) -> None:
    """Cancel a booking whose flow failed after creating it (best effort: the flow's own error
    is what the client gets)."""
    body = {
        "revision": booking["revision"],
        "flowControlSettings": {"ignoreCancellationPolicy": True},
    }
    try:
        await writer.cancel_booking(booking["id"], body)
    except Exception as error:
        logger.warning("could not cancel booking %s after a failed flow: %r", booking["id"], error)
