"""The last steps every booking flow shares: Create Booking, then (with `confirm`) Confirm Or
Decline Booking, with Wix's refusals turned into outcomes.

A CREATED booking doesn't hold its slot, so concurrent customers settle the race at
confirmation: the one Wix declines as a double booking gets the flow's "unavailable" outcome.

Nothing lost, nothing doubled (`gateway.bookings`):
- The booking is stamped, and the stamp goes into the outbox before the create; it leaves the
  outbox once the customer has an answer that accounts for every booking made.
- When Create Booking's answer is lost (timeout, dropped connection, 5xx), the flow looks for its
  stamp before answering: found, the flow goes on with that booking; not found, the error
  stands and the stamp stays watched, so a create that lands late is cancelled.
- When Confirm Or Decline's answer is lost, the flow reads the booking back: CONFIRMED is what
  the customer gets, DECLINED the "unavailable" outcome, still CREATED is undone.
- Undoing re-reads the booking's revision and cancels with the API key; if that fails too, the
  stamp stays in the outbox and the reconciler cancels it later. The error names the booking.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace

from gateway.bookings.flow import FlowContext, Json
from gateway.bookings.outbox import tracked
from gateway.bookings.outcomes import (
    BookingCreated,
    ClassFull,
    CourseFull,
    FormInvalid,
    NotAllowed,
    PolicyViolation,
    SlotUnavailable,
    form_invalid,
)
from gateway.bookings.refusals import (
    CAPACITY_CODES,
    SLOT_TAKEN_CODES,
    is_refusal,
    not_allowed_by,
    policy_violation_from,
)
from gateway.bookings.requests import Booker, contact_id
from gateway.bookings.stamps import (
    active_stamped,
    cancel_quietly,
    find_booking,
    is_resuming,
    may_have_written,
)
from gateway.upstream.errors import UpstreamError

logger = logging.getLogger("gateway.graphql.mutations")

FORM_FIELD_PREFIX = "formSubmission."
DECLINED = "DECLINED"
CREATED = "CREATED"
CONFIRMED = "CONFIRMED"


@dataclass(frozen=True, slots=True)
class NewBooking:
    """What Create Booking gets: the verified `bookedEntity` and the checked form answers."""

    booked_entity: Json
    participants: int
    answers: Json
    contact_id: str | None = None
    confirm: bool = False
    payment_status: str | None = None

    @classmethod
    def of(cls, request: Booker, booked_entity: Json, answers: Json) -> NewBooking:
        return cls(
            booked_entity=booked_entity,
            participants=request.participants,
            answers=answers,
            contact_id=contact_id(request.contact),
            confirm=request.confirm,
            payment_status=request.payment_status,
        )

    def create_body(self, stamp: str) -> Json:
        """`stamp` lets the gateway find the booking again (`gateway.bookings.stamps`)."""
        booking: Json = {
            "bookedEntity": self.booked_entity,
            "totalParticipants": self.participants,
            "externalUserId": stamp,
        }
        # With a form, Wix keeps only the contact id:
        # https://dev.wix.com/docs/api-reference/business-solutions/bookings/wix-forms-integration
        if self.contact_id:
            booking["contactDetails"] = {"contactId": self.contact_id}
        return {"booking": booking, "formSubmission": self.answers}

    def confirm_body(self) -> Json:
        return {"paymentStatus": self.payment_status} if self.payment_status else {}


# The flow's "slot/session/course taken" outcome (each can name the booking Wix declined).
Taken = SlotUnavailable | ClassFull | CourseFull
Unavailable = Callable[[], Awaitable[Taken]]
Created = BookingCreated | Taken | PolicyViolation | FormInvalid | NotAllowed


async def create_and_confirm(
    ctx: FlowContext, new: NewBooking, unavailable: Unavailable
) -> Created:
    """`BookingCreated` with the booking's final status, or the outcome of Wix's refusal;
    `unavailable()` builds the flow's "slot/session/course taken" outcome."""
    async with tracked(ctx.flow_outbox, ctx.clock, ctx.settings) as stamp:
        return await _create_and_confirm(ctx, new, stamp, unavailable)


async def _create_and_confirm(
    ctx: FlowContext, new: NewBooking, stamp: str, unavailable: Unavailable
) -> Created:
    writer = ctx.upstream.bookings_writer
    business = ctx.business
    earlier = await active_stamped(business, stamp) if is_resuming() else []
    if earlier:  # an earlier run with this idempotency key made it: go on from there
        created: Json = earlier[0]
        if created.get("status") == CONFIRMED:
            return BookingCreated(created)
    else:
        try:
            created = (await writer.create_booking(new.create_body(stamp)))["booking"]
        except UpstreamError as error:
            if not may_have_written(error):
                return await creation_refused(error, unavailable)
            found = await active_stamped(business, stamp)  # a failed read keeps it watched
            if not found:
                raise
            created = found[0]
    if not new.confirm:
        return BookingCreated(created)
    try:
        decided: Json = (
            await writer.confirm_or_decline_booking(created["id"], new.confirm_body())
        )["booking"]
    except Exception as error:
        current = await _after_lost_answer(ctx, created, error)
        if current is None:
            raise
        decided = current
    if decided.get("status") == DECLINED:
        return replace(await unavailable(), declined_booking_id=decided["id"])
    return BookingCreated(decided)


async def _after_lost_answer(ctx: FlowContext, created: Json, error: Exception) -> Json | None:
    """Confirm Or Decline failed: the booking as Wix decided it when its answer was only lost,
    else None once the booking is undone (or left to the reconciler). `error` names it."""
    business = ctx.business
    if isinstance(error, UpstreamError):
        error.extensions["bookingId"] = created["id"]
    try:
        current = await find_booking(business, created["id"])
        if current is None:
            return None
        if current.get("status") != CREATED and may_have_written(error):
            return current  # Wix confirmed or declined it: that is the customer's answer
        await cancel_quietly(business, current)
    except Exception as undo_error:  # the outbox still holds the stamp: reconciled later
        logger.warning("booking %s left to the reconciler: %r", created["id"], undo_error)
    return None


async def creation_refused(error: UpstreamError, unavailable: Unavailable) -> Created:
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
