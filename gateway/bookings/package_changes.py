"""Changing a booked package: reschedule it, add bookings to it, take bookings out of it.

Each reads the current revisions itself (Get Multi Service Booking, or Query Extended Bookings
for bookings joining), as the sample flow "Reschedule a multi-service booking and add a
single-service booking" does
(https://dev.wix.com/docs/api-reference/business-solutions/bookings/bookings/bookings-writer-v2/sample-flows),
and turns Wix's refusals into outcomes.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime

from gateway.bookings.changes import FINAL_STATUSES
from gateway.bookings.flow import FlowContext, Json
from gateway.bookings.outcomes import (
    NotAllowed,
    NotFound,
    PackageUnavailable,
    PackageUpdated,
    RevisionConflict,
    not_allowed,
    not_found,
    revision_conflict,
)
from gateway.bookings.package_chains import (
    Chain,
    Leg,
    bookable_chain,
    booked_slots,
    is_taken,
    minutes_between,
    package_unavailable_near,
)
from gateway.bookings.refusals import change_refused_outcome, is_not_found
from gateway.bookings.slots import first_business_location
from gateway.upstream.errors import UpstreamError

Changed = PackageUpdated | NotAllowed | NotFound | RevisionConflict


@dataclass(frozen=True, slots=True)
class PackageMove:
    """Move a package's active bookings to start back to back at `local_start` (`time_zone`:
    default the site's)."""

    package_id: str
    local_start: datetime
    time_zone: str | None = None


async def read_bookings(ctx: FlowContext, ids: list[str]) -> dict[str, Json]:
    """Bookings as Wix stores them now, by id (one Query Extended Bookings)."""
    body = await ctx.upstream.bookings_reader.query_extended_bookings(
        {"filter": {"id": {"$in": ids}}, "cursorPaging": {"limit": len(ids)}}
    )
    return {item["booking"]["id"]: item["booking"] for item in body.get("extendedBookings") or []}


async def members(ctx: FlowContext, msb: Json) -> list[Json]:
    """A package's bookings, in order: embedded in Wix's answer, else read by id."""
    items = msb.get("bookings") or []
    if all(item.get("booking") for item in items):
        return [item["booking"] for item in items]
    found = await read_bookings(ctx, [item["bookingId"] for item in items])
    return [found[item["bookingId"]] for item in items if item["bookingId"] in found]


async def _package(ctx: FlowContext, package_id: str) -> Json | None:
    """Get Multi Service Booking, or None when there is no such package."""
    try:
        return await ctx.upstream.bookings_writer.get_multi_service_booking(package_id)
    except UpstreamError as error:
        if is_not_found(error):
            return None
        raise


async def _may_reschedule(ctx: FlowContext, package_id: str) -> bool:
    writer = ctx.upstream.bookings_writer
    body = await writer.bulk_get_multi_service_booking_allowed_actions([package_id])
    results = body.get("results") or [{}]
    return bool((results[0].get("item") or {}).get("reschedule"))


async def _refused(
    ctx: FlowContext, action: str, error: UpstreamError, package_id: str, sent: list[Json]
) -> RevisionConflict | NotFound | NotAllowed:
    """A change Wix refused, as its union member (`sent`: the `{bookingId, revision}`s given).
    A 409 is the first booking whose revision moved on; when none did the error stands."""

    async def conflict() -> RevisionConflict | NotFound | None:
        now = await read_bookings(ctx, [item["bookingId"] for item in sent])
        for item in sent:
            current = now.get(item["bookingId"])
            if current is not None and current.get("revision") != item["revision"]:
                return revision_conflict(current)
        return None

    def gone() -> RevisionConflict | NotFound:
        data = error.extensions.get("data") or {}
        if data.get("bookingId"):
            return not_found("booking", str(data["bookingId"]))
        return not_found("multi-service booking", package_id)

    return await change_refused_outcome(error, action, conflict=conflict, gone=gone)


async def reschedule_package(ctx: FlowContext, move: PackageMove) -> Changed | PackageUnavailable:
    """Allowed actions first, then the new chain (each booking keeps its length and, when
    free, its staff member), then Reschedule Multi Service Booking with current revisions."""
    package_id = move.package_id
    msb, allowed = await asyncio.gather(_package(ctx, package_id), _may_reschedule(ctx, package_id))
    if msb is None:
        return not_found("multi-service booking", package_id)
    action = "Rescheduling the package"
    if not allowed:
        reason = "the booking policy or the bookings' status doesn't allow it now"
        return not_allowed(action, reason, "RESCHEDULE_NOT_ALLOWED")
    active = [b for b in await members(ctx, msb) if b.get("status") not in FINAL_STATUSES]
    if not active:
        return not_allowed(
            action, "every booking is canceled or declined", "RESCHEDULE_NOT_ALLOWED"
        )
    slots = [booking["bookedEntity"]["slot"] for booking in active]
    location_id = (slots[0].get("location") or {}).get("id") or await first_business_location(
        ctx.lookups, [str(slots[0]["serviceId"])]
    )
    chain = Chain(
        legs=tuple(
            Leg(
                slot["serviceId"],
                minutes_between(booking["startDate"], booking["endDate"]),
                (slot.get("resource") or {}).get("id"),
                strict=False,
            )
            for booking, slot in zip(active, slots, strict=True)
        ),
        local_start=move.local_start,
        time_zone=move.time_zone or await ctx.lookups.site_time_zone(),
        location_id=str(location_id),
    )
    verified = await bookable_chain(ctx, chain)
    if verified is None:
        return await package_unavailable_near(ctx, chain)
    infos = [
        {"bookingId": booking["id"], "revision": booking["revision"], "slot": slot}
        for booking, slot in zip(active, booked_slots(chain, verified), strict=True)
    ]
    writer = ctx.upstream.bookings_writer
    try:
        response = await writer.reschedule_multi_service_booking(
            package_id, {"rescheduleBookingsInfo": infos}
        )
    except UpstreamError as error:
        if is_taken(error):
            return await package_unavailable_near(ctx, chain)
        return await _refused(ctx, action, error, package_id, infos)
    return PackageUpdated(response["multiServiceBooking"])


async def add_bookings(ctx: FlowContext, package_id: str, booking_ids: list[str]) -> Changed:
    found = await read_bookings(ctx, booking_ids)
    for booking_id in booking_ids:
        if booking_id not in found:
            return not_found("booking", booking_id)
    sent = [{"bookingId": i, "revision": found[i]["revision"]} for i in booking_ids]
    body = {"multiServiceBookingId": package_id, "bookings": sent}
    try:
        response = await ctx.upstream.bookings_writer.add_bookings_to_multi_service_booking(body)
    except UpstreamError as error:
        return await _refused(ctx, "Adding bookings to the package", error, package_id, sent)
    return PackageUpdated(response["multiServiceBooking"])


async def remove_bookings(ctx: FlowContext, package_id: str, booking_ids: list[str]) -> Changed:
    """An empty `booking_ids` removes every booking (Wix's rule), dissolving the package."""
    msb = await _package(ctx, package_id)
    if msb is None:
        return not_found("multi-service booking", package_id)
    current = {booking["id"]: booking for booking in await members(ctx, msb)}
    for booking_id in booking_ids:
        if booking_id not in current:
            return not_found("booking", booking_id, f"Booking {booking_id} is not in the package")
    sent = [{"bookingId": i, "revision": current[i]["revision"]} for i in booking_ids]
    body = {"multiServiceBookingId": package_id, "bookings": sent}
    writer = ctx.upstream.bookings_writer
    try:
        response = await writer.remove_bookings_from_multi_service_booking(body)
    except UpstreamError as error:
        return await _refused(ctx, "Removing bookings from the package", error, package_id, sent)
    return PackageUpdated(response["multiServiceBooking"])
