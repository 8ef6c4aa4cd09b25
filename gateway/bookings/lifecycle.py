"""Rescheduling and cancelling a booking: the customer-facing changes, checked against the
booking's allowed actions first (`changes.py`), the new slot verified (`rescheduling.py`)."""

from __future__ import annotations

from dataclasses import dataclass

from gateway.bookings.changes import (
    Changed,
    change_booking,
    read_booking,
    refused_by_allowed_actions,
    refused_reschedule,
)
from gateway.bookings.flow import FlowContext, Json
from gateway.bookings.outcomes import not_found
from gateway.bookings.requests import SlotRequest
from gateway.bookings.rescheduling import verify_new_slot


@dataclass(frozen=True, slots=True)
class BookingMove:
    """Move a booking to another slot of its service (`revision`: omitted, the current one;
    `ignore_reschedule_policy`: the business skipping the reschedule and booking policies)."""

    booking_id: str
    new_slot: SlotRequest
    revision: str | None = None
    ignore_reschedule_policy: bool = False

    def check(self) -> None:
        self.new_slot.check("newSlot")


@dataclass(frozen=True, slots=True)
class Cancellation:
    booking_id: str
    revision: str | None = None
    with_refund: bool = False
    waive_cancellation_fee: bool = False
    ignore_cancellation_policy: bool = False  # the business cancelling outside the policy

    def check(self) -> None:
        """Nothing to check before Wix: a cancellation names a booking and flags."""


async def reschedule_booking(ctx: FlowContext, move: BookingMove) -> Changed:
    booking_id = move.booking_id
    current = await read_booking(ctx, booking_id)
    if current is None:
        return not_found("booking", booking_id)
    ignore = move.ignore_reschedule_policy
    refusal = refused_reschedule(current, ignore_policy=ignore)
    if refusal:
        return refusal
    new_slot = await verify_new_slot(ctx, current["booking"], move.new_slot, ignore_policy=ignore)
    if new_slot.failure is not None:
        return new_slot.failure
    body: Json = {"slot": new_slot.booked}
    if ignore:
        body["flowControlSettings"] = {"ignoreReschedulePolicy": True}
    writer = ctx.upstream.bookings_writer

    async def write(revision: str | None) -> Json:
        return await writer.reschedule_booking(booking_id, {**body, "revision": revision})

    return await change_booking(
        ctx, booking_id, "Reschedule", move.revision, write, current=current,
        refused=new_slot.refused,
    )  # fmt: skip


async def cancel_booking(ctx: FlowContext, cancellation: Cancellation) -> Changed:
    booking_id = cancellation.booking_id
    current = await read_booking(ctx, booking_id)
    if current is None:
        return not_found("booking", booking_id)
    if not cancellation.ignore_cancellation_policy:
        refusal = refused_by_allowed_actions(current, "cancel")
        if refusal:
            return refusal
    flags = {
        "withRefund": cancellation.with_refund,
        "waiveCancellationFee": cancellation.waive_cancellation_fee,
        "ignoreCancellationPolicy": cancellation.ignore_cancellation_policy,
    }
    body: Json = {"flowControlSettings": {k: v for k, v in flags.items() if v}}
    writer = ctx.upstream.bookings_writer

    async def write(revision: str | None) -> Json:
        return await writer.cancel_booking(booking_id, {**body, "revision": revision})

    return await change_booking(
        ctx, booking_id, "Cancel", cancellation.revision, write, current=current
    )
