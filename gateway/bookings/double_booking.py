"""Double bookings (issue item 7): list them, and resolve one as Wix's sample flow "Handle double
booking conflicts" does
(https://dev.wix.com/docs/api-reference/business-solutions/bookings/bookings/bookings-writer-v2/sample-flows#handle-double-booking-conflicts).

| strategy      | checkout | what is sent                                                        |
|---------------|----------|---------------------------------------------------------------------|
| RESCHEDULE    | any      | allowed actions; new slot verified; Reschedule Booking; a booking   |
|               |          | that was PENDING is finalized with Confirm Or Decline (CUSTOM)      |
| CANCEL        | any      | allowed actions; Cancel Booking `withRefund`, `waiveCancellationFee`|
| FORCE_CONFIRM | ECOM     | Reschedule Booking to its own slot, `skipAvailabilityValidation`    |
|               |          | (+ `skipBusinessConfirmation` for services that need approval)     |
| FORCE_CONFIRM | CUSTOM   | Confirm Booking (it confirms without an availability check, and     |
|               |          | also a manual-approval booking Confirm Or Decline would keep PENDING)|
| FORCE_DECLINE | CUSTOM   | Decline Booking (PENDING/CREATED/WAITING_LIST)                      |
| FORCE_DECLINE | ECOM, or | Cancel Booking `withRefund`, `waiveCancellationFee`,                |
|               | CONFIRMED| `ignoreCancellationPolicy` (a confirmed booking can't be declined) |

Standard resolution (RESCHEDULE, CANCEL) needs the booking's allowed actions; force resolution is
the business overriding them. Refunds of eCommerce orders or outside payments are not issued by
the gateway (the result's `note` says so).

Not re-processing a resolved booking, our rule: `AlreadyResolved`, with nothing written, when the
booking is no longer double-booked (rescheduled), is CANCELED or DECLINED, carries
`flowControlSettings.skipAvailabilityValidation` (the marker Wix says shows force resolution was
applied), or, for FORCE_CONFIRM with a custom checkout, is already CONFIRMED. Wix's SDK types
mark `flowControlSettings` internal: when Wix leaves it out, the other checks still hold, and a
repeated force resolution only writes the same state again (no second booking, no cancel).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from gateway.bookings.changes import (
    FINAL_STATUSES,
    Changed,
    WixCall,
    change_booking,
    read_booking,
    refused_by_allowed_actions,
    refused_reschedule,
)
from gateway.bookings.flow import FlowContext, InvalidInput, Json
from gateway.bookings.outcomes import (
    AlreadyResolved,
    BookingUpdated,
    DoubleBookingResolved,
    not_allowed,
    not_found,
)
from gateway.bookings.requests import SlotRequest
from gateway.bookings.rescheduling import verify_new_slot
from gateway.upstream.errors import UpstreamError

# Decline Booking's statuses: https://dev.wix.com/docs/api-reference/business-solutions/bookings/bookings/bookings-writer-v2/decline-booking
DECLINABLE = ("PENDING", "CREATED", "WAITING_LIST")
STANDARD_CANCEL = {"withRefund": True, "waiveCancellationFee": True}
FORCED_CANCEL = {**STANDARD_CANCEL, "ignoreCancellationPolicy": True}
# Confirm Or Decline on a status it would keep (the code the Wix SDK declares for it).
ALREADY_SET = "INVALID_BOOKING_STATUS"
ECOM_REFUND = (
    "Refund the eCommerce order (eCommerce Orders API); Wix then marks the booking REFUNDED."
)
CUSTOM_REFUND = "Refund the payment in your payment system, if one was taken."


class DoubleBookingStrategy(Enum):
    """How to resolve a double booking (https://dev.wix.com/docs/api-reference/business-solutions/bookings/bookings/bookings-writer-v2/sample-flows#handle-double-booking-conflicts)."""

    RESCHEDULE = "RESCHEDULE"
    CANCEL = "CANCEL"
    FORCE_CONFIRM = "FORCE_CONFIRM"
    FORCE_DECLINE = "FORCE_DECLINE"


class Checkout(Enum):
    """How the booking is paid: Wix eCommerce checkout or your own."""

    ECOM = "ECOM"
    CUSTOM = "CUSTOM"


@dataclass(frozen=True, slots=True)
class Resolution:
    """One double booking to resolve; `new_slot` is needed for RESCHEDULE."""

    booking_id: str
    strategy: DoubleBookingStrategy
    new_slot: SlotRequest | None = None
    checkout: Checkout = Checkout.CUSTOM

    def check(self) -> None:
        if self.new_slot is not None:
            self.new_slot.check("newSlot")


Resolved = DoubleBookingResolved | AlreadyResolved | Changed


def _resolved(
    booking: Json, strategy: DoubleBookingStrategy, note: str | None = None
) -> DoubleBookingResolved:
    return DoubleBookingResolved(booking, strategy.value, note)


def _already_resolved(
    booking: Json, strategy: DoubleBookingStrategy, checkout: Checkout
) -> AlreadyResolved | None:
    status = booking.get("status")
    if status in FINAL_STATUSES:
        reason = f"The booking is {status}"
    elif not booking.get("doubleBooked"):
        reason = "The booking is not double-booked"
    elif (booking.get("flowControlSettings") or {}).get("skipAvailabilityValidation"):
        reason = "Force resolution was already applied to the booking"
    elif (
        strategy is DoubleBookingStrategy.FORCE_CONFIRM
        and checkout is Checkout.CUSTOM
        and (status == "CONFIRMED")
    ):
        reason = "The booking is already CONFIRMED"
    else:
        return None
    return AlreadyResolved(reason, booking)


def _own_slot(booking: Json, service_type: str | None) -> Json:
    """The booking's current slot as Reschedule Booking takes it (force confirmation)."""
    slot = booking["bookedEntity"]["slot"]
    if service_type == "CLASS":
        return {"serviceId": slot["serviceId"], "eventId": slot["eventId"]}
    kept = {key: slot.get(key) for key in ("serviceId", "scheduleId", "startDate", "endDate",
                                           "timezone")}  # fmt: skip
    if (slot.get("resource") or {}).get("id"):
        kept["resource"] = {"id": slot["resource"]["id"]}
    if slot.get("location"):
        location = slot["location"]
        kept["location"] = {k: location[k] for k in ("id", "locationType") if location.get(k)}
    return {key: value for key, value in kept.items() if value is not None}


class _Resolution:
    """One resolution of one booking (`current`: the booking as just read, with allowed
    actions)."""

    def __init__(self, ctx: FlowContext, current: Json, strategy: DoubleBookingStrategy) -> None:
        self.ctx = ctx
        self.current = current
        self.booking: Json = current["booking"]
        self.id = str(self.booking["id"])
        self.strategy = strategy
        self.writer = ctx.upstream.bookings_writer

    async def change(
        self, action: str, call: WixCall, body: Json, note: str | None = None
    ) -> Resolved:
        """One write with the current revision; Wix's refusals mapped by `change_booking`."""

        async def write(revision: str | None) -> Json:
            return await call(self.id, {**body, "revision": revision})

        outcome = await change_booking(self.ctx, self.id, action, None, write, current=self.current)
        if not isinstance(outcome, BookingUpdated):
            return outcome
        return _resolved(outcome.booking, self.strategy, note)

    async def reschedule(self, new_slot: SlotRequest | None, checkout: Checkout) -> Resolved:
        if new_slot is None:
            raise InvalidInput("RESCHEDULE needs `newSlot`", "newSlot")
        refusal = refused_reschedule(self.current)
        if refusal:
            return refusal
        checked = await verify_new_slot(self.ctx, self.booking, new_slot)
        if checked.failure is not None:
            return checked.failure

        async def write(revision: str | None) -> Json:
            body = {"slot": checked.booked, "revision": revision}
            return await self.writer.reschedule_booking(self.id, body)

        outcome = await change_booking(
            self.ctx, self.id, "Reschedule", None, write, current=self.current,
            refused=checked.refused,
        )  # fmt: skip
        if not isinstance(outcome, BookingUpdated):
            return outcome
        moved: Json = outcome.booking
        if self.booking.get("status") == "PENDING" and checkout is Checkout.CUSTOM:
            return await self._finalize(moved)
        return _resolved(moved, self.strategy)

    async def _finalize(self, moved: Json) -> DoubleBookingResolved:
        """Confirm Or Decline after moving a PENDING booking (custom checkout); a booking that
        still awaits the business's approval stays PENDING (`INVALID_BOOKING_STATUS`). The move
        is done whatever Wix answers here, so a refusal is reported in the note, not raised: the
        outcome changed Wix and holds its idempotency key."""
        try:
            decided = await self.writer.confirm_or_decline_booking(self.id, {})
        except UpstreamError as error:
            status = error.http_status
            if error.code == ALREADY_SET:
                return _resolved(moved, self.strategy)
            if status is None or status >= 500:
                raise  # no answer: the key stays ambiguous (`may_have_written`)
            note = f"Moved; Confirm Or Decline was refused ({error.code}): confirm it yourself."
            return _resolved(moved, self.strategy, note)
        return _resolved(decided["booking"], self.strategy)

    async def cancel(self) -> Resolved:
        refusal = refused_by_allowed_actions(self.current, "cancel")
        if refusal:
            return refusal
        body = {"flowControlSettings": STANDARD_CANCEL}
        return await self.change("Cancel", self.writer.cancel_booking, body)

    async def force_confirm(self, checkout: Checkout) -> Resolved:
        if checkout is Checkout.CUSTOM:
            return await self.change("Confirm", self.writer.confirm_booking, {})
        service_id = (self.booking["bookedEntity"].get("slot") or {}).get("serviceId")
        if service_id is None:
            return not_allowed("Confirm", "Course bookings have no slot to keep", "NO_SLOT")
        service = await self.ctx.lookups.service(service_id)
        flow = {"skipAvailabilityValidation": True}
        if service and service.requires_approval:
            flow["skipBusinessConfirmation"] = True
        body = {"slot": _own_slot(self.booking, service.type if service else None),
                "flowControlSettings": flow}  # fmt: skip
        return await self.change("Confirm", self.writer.reschedule_booking, body)

    async def force_decline(self, checkout: Checkout) -> Resolved:
        if checkout is Checkout.CUSTOM and self.booking.get("status") in DECLINABLE:
            return await self.change("Decline", self.writer.decline_booking, {}, CUSTOM_REFUND)
        note = ECOM_REFUND if checkout is Checkout.ECOM else CUSTOM_REFUND
        body = {"flowControlSettings": FORCED_CANCEL}
        return await self.change("Decline", self.writer.cancel_booking, body, note)


async def resolve_double_booking(ctx: FlowContext, request: Resolution) -> Resolved:
    booking_id, strategy, checkout = request.booking_id, request.strategy, request.checkout
    current = await read_booking(ctx, booking_id)
    if current is None:
        return not_found("booking", booking_id)
    done = _already_resolved(current["booking"], strategy, checkout)
    if done is not None:
        return done
    resolution = _Resolution(ctx, current, strategy)
    if strategy is DoubleBookingStrategy.RESCHEDULE:
        return await resolution.reschedule(request.new_slot, checkout)
    if strategy is DoubleBookingStrategy.CANCEL:
        return await resolution.cancel()
    if strategy is DoubleBookingStrategy.FORCE_CONFIRM:
        return await resolution.force_confirm(checkout)
    return await resolution.force_decline(checkout)
