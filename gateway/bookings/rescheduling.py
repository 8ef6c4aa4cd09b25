"""Verifying the slot a booking moves to (Get Availability Time Slot, or Get Event Time Slot for
a class) before Reschedule Booking, as Wix's sample flows do; shared by every reschedule."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from gateway.bookings.flow import FlowContext, InvalidInput, Json
from gateway.bookings.outcomes import (
    NotFound,
    PolicyViolation,
    SlotUnavailable,
    has_policy_violation,
    not_found,
    policy_violation,
    slot_unavailable,
)
from gateway.bookings.refusals import CAPACITY_CODES, SLOT_TAKEN_CODES, policy_violation_from
from gateway.bookings.requests import SlotRequest
from gateway.bookings.slots import (
    AppointmentRequest,
    booked_slot,
    get_appointment_slot,
    get_event_slot,
    open_spots,
    unavailable,
)
from gateway.upstream.errors import UpstreamError

SESSION_FULL = "The class session has no room for this booking"


@dataclass
class NewSlot:
    """The `slot` to send to Reschedule Booking, or the outcome that stops the reschedule."""

    booked: Json | None
    failure: SlotUnavailable | PolicyViolation | NotFound | None
    unavailable: Callable[[], Awaitable[SlotUnavailable]]

    async def refused(self, error: UpstreamError) -> PolicyViolation | SlotUnavailable | None:
        """Reschedule Booking's refusals that concern the new slot."""
        violation = policy_violation_from(error)
        if violation is not None:
            return violation
        if error.code in SLOT_TAKEN_CODES | CAPACITY_CODES:
            return await self.unavailable()
        return None


def _participants(booking: Json) -> int:
    return int(booking.get("totalParticipants") or 1)


async def verify_new_slot(
    ctx: FlowContext, booking: Json, new_slot: SlotRequest, *, ignore_policy: bool = False
) -> NewSlot:
    """Check `new_slot` for `booking` (a Wix booking with a `bookedEntity.slot`)."""
    new_slot.check("newSlot")
    current = booking["bookedEntity"]["slot"]
    service_id = str(current["serviceId"])
    if new_slot.event_id:
        return await _class_session(ctx, booking, service_id, new_slot.event_id, ignore_policy)
    assert new_slot.local_start is not None and new_slot.local_end is not None  # check()ed
    location_id = new_slot.location_id or (current.get("location") or {}).get("id")
    request = AppointmentRequest(
        service_id=service_id,
        local_start=new_slot.local_start,
        local_end=new_slot.local_end,
        time_zone=new_slot.time_zone or await ctx.lookups.site_time_zone(),
        resource_id=new_slot.resource_id,
        location_id=str(location_id) if location_id else None,
    )

    async def gone() -> SlotUnavailable:
        return await unavailable(ctx, request)

    slot = await get_appointment_slot(ctx, request)
    if slot is None:
        return NewSlot(None, await gone(), gone)
    violations = slot.get("bookingPolicyViolations")
    if not ignore_policy and has_policy_violation(violations):
        return NewSlot(None, policy_violation(violations or {}), gone)
    return NewSlot(booked_slot(slot, request.time_zone, request.resource_id), None, gone)


async def _class_session(
    ctx: FlowContext, booking: Json, service_id: str, event_id: str, ignore_policy: bool
) -> NewSlot:
    found = await get_event_slot(ctx, event_id)
    zone = found[1] if found else await ctx.lookups.site_time_zone()

    async def full() -> SlotUnavailable:
        return slot_unavailable([], zone, SESSION_FULL)

    if found is None:
        return NewSlot(None, not_found("class session", event_id), full)
    slot = found[0]
    if str(slot.get("serviceId")) != service_id:
        raise InvalidInput("`newSlot.eventId` is a session of another service", "newSlot")
    if open_spots(slot) < _participants(booking):
        return NewSlot(None, await full(), full)
    violations = slot.get("bookingPolicyViolations")
    if not ignore_policy and has_policy_violation(violations):
        return NewSlot(None, policy_violation(violations or {}), full)
    return NewSlot({"serviceId": service_id, "eventId": event_id}, None, full)
