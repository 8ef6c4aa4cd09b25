"""`rescheduleBooking` and `cancelBooking`: the customer-facing changes, checked against the
booking's allowed actions first and idempotent under a key."""

from __future__ import annotations

from typing import Annotated

import strawberry

from gateway.graphql.bookings.mutations.booking_changes import (
    change_booking,
    read_booking,
    refused_by_allowed_actions,
    refused_reschedule,
)
from gateway.graphql.bookings.mutations.idempotent import run_idempotent
from gateway.graphql.bookings.mutations.inputs import REVISION_HELP, SlotInput
from gateway.graphql.bookings.mutations.outcomes import (
    BookingUpdated,
    IdempotencyKeyReused,
    NotAllowed,
    NotFound,
    PolicyViolation,
    RevisionConflict,
    SlotUnavailable,
    not_found,
    render,
)
from gateway.graphql.bookings.mutations.rescheduling import verify_new_slot
from gateway.graphql.common import Json
from gateway.graphql.context import Info


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


RescheduleBookingResult = Annotated[
    BookingUpdated
    | SlotUnavailable
    | PolicyViolation
    | RevisionConflict
    | NotAllowed
    | NotFound
    | IdempotencyKeyReused,
    strawberry.union("RescheduleBookingResult"),
]
CancelBookingResult = Annotated[
    BookingUpdated | RevisionConflict | NotAllowed | NotFound | IdempotencyKeyReused,
    strawberry.union("CancelBookingResult"),
]


async def _reschedule(info: Info, input: RescheduleBookingInput) -> Json:
    booking_id = str(input.booking_id)
    current = await read_booking(info, booking_id)
    if current is None:
        return not_found("booking", booking_id)
    ignore = input.ignore_reschedule_policy
    refusal = refused_reschedule(current, ignore_policy=ignore)
    if refusal:
        return refusal
    new_slot = await verify_new_slot(info, current["booking"], input.new_slot, ignore_policy=ignore)
    if new_slot.failure is not None:
        return new_slot.failure
    body: Json = {"slot": new_slot.booked}
    if ignore:
        body["flowControlSettings"] = {"ignoreReschedulePolicy": True}
    writer = info.context.upstream.bookings_writer

    async def write(revision: str | None) -> Json:
        return await writer.reschedule_booking(booking_id, {**body, "revision": revision})

    return await change_booking(
        info, booking_id, "Reschedule", input.revision, write, current=current,
        refused=new_slot.refused,
    )  # fmt: skip


async def _cancel(info: Info, input: CancelBookingInput) -> Json:
    booking_id = str(input.booking_id)
    current = await read_booking(info, booking_id)
    if current is None:
        return not_found("booking", booking_id)
    if not input.ignore_cancellation_policy:
        refusal = refused_by_allowed_actions(current, "cancel")
        if refusal:
            return refusal
    flags = {
        "withRefund": input.with_refund,
        "waiveCancellationFee": input.waive_cancellation_fee,
        "ignoreCancellationPolicy": input.ignore_cancellation_policy,
    }
    body: Json = {"flowControlSettings": {k: v for k, v in flags.items() if v}}
    writer = info.context.upstream.bookings_writer

    async def write(revision: str | None) -> Json:
        return await writer.cancel_booking(booking_id, {**body, "revision": revision})

    return await change_booking(info, booking_id, "Cancel", input.revision, write, current=current)


async def reschedule_booking(info: Info, input: RescheduleBookingInput) -> RescheduleBookingResult:
    input.new_slot.check("newSlot")
    outcome = await run_idempotent(
        info, "rescheduleBooking", input.idempotency_key, input, lambda: _reschedule(info, input)
    )
    return render(outcome)


async def cancel_booking(info: Info, input: CancelBookingInput) -> CancelBookingResult:
    outcome = await run_idempotent(
        info, "cancelBooking", input.idempotency_key, input, lambda: _cancel(info, input)
    )
    return render(outcome)
