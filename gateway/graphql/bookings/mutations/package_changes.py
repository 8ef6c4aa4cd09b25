"""Changing a booked package: reschedule it, add bookings to it, take bookings out of it.

Each reads the current revisions itself (Get Multi Service Booking, or Query Extended Bookings
for bookings joining), as the sample flow "Reschedule a multi-service booking and add a
single-service booking" does (seeds/001), and turns Wix's refusals into outcomes.
"""

from __future__ import annotations

import asyncio

import strawberry

from gateway.graphql.bookings.mutations.booking_changes import FINAL_STATUSES
from gateway.graphql.bookings.mutations.outcomes import (
    change_refused_outcome,
    not_allowed,
    not_found,
    revision_conflict,
)
from gateway.graphql.bookings.mutations.package_chains import (
    Chain,
    Leg,
    bookable_chain,
    booked_slots,
    is_taken,
    minutes_between,
    package_unavailable_near,
)
from gateway.graphql.bookings.mutations.package_outcomes import package_updated
from gateway.graphql.common import Json
from gateway.graphql.context import Info
from gateway.graphql.errors import is_not_found
from gateway.graphql.scalars import LocalDateTime
from gateway.graphql.time_slots.resolvers import first_business_location
from gateway.upstream.errors import UpstreamError


async def read_bookings(info: Info, ids: list[str]) -> dict[str, Json]:
    """Bookings as Wix stores them now, by id (one Query Extended Bookings)."""
    body = await info.context.upstream.bookings_reader.query_extended_bookings(
        {"filter": {"id": {"$in": ids}}, "cursorPaging": {"limit": len(ids)}}
    )
    return {item["booking"]["id"]: item["booking"] for item in body.get("extendedBookings") or []}


async def members(info: Info, msb: Json) -> list[Json]:
    """A package's bookings, in order: embedded in Wix's answer, else read by id."""
    items = msb.get("bookings") or []
    if all(item.get("booking") for item in items):
        return [item["booking"] for item in items]
    found = await read_bookings(info, [item["bookingId"] for item in items])
    return [found[item["bookingId"]] for item in items if item["bookingId"] in found]


async def _package(info: Info, package_id: str) -> Json | None:
    """Get Multi Service Booking, or None when there is no such package."""
    try:
        return await info.context.upstream.bookings_writer.get_multi_service_booking(package_id)
    except UpstreamError as error:
        if is_not_found(error):
            return None
        raise


async def _may_reschedule(info: Info, package_id: str) -> bool:
    writer = info.context.upstream.bookings_writer
    body = await writer.bulk_get_multi_service_booking_allowed_actions([package_id])
    results = body.get("results") or [{}]
    return bool((results[0].get("item") or {}).get("reschedule"))


async def _refused(
    info: Info, action: str, error: UpstreamError, package_id: str, sent: list[Json]
) -> Json:
    """A change Wix refused, as its union member (`sent`: the `{bookingId, revision}`s given).
    A 409 is the first booking whose revision moved on; when none did the error stands."""

    async def conflict() -> Json | None:
        now = await read_bookings(info, [item["bookingId"] for item in sent])
        for item in sent:
            current = now.get(item["bookingId"])
            if current is not None and current.get("revision") != item["revision"]:
                return revision_conflict(current)
        return None

    def gone() -> Json:
        data = error.extensions.get("data") or {}
        if data.get("bookingId"):
            return not_found("booking", str(data["bookingId"]))
        return not_found("multi-service booking", package_id)

    return await change_refused_outcome(error, action, conflict=conflict, gone=gone)


async def reschedule(
    info: Info, package_id: str, local_start: LocalDateTime, time_zone: str | None
) -> Json:
    """Allowed actions first, then the new chain (each booking keeps its length and, when
    free, its staff member), then Reschedule Multi Service Booking with current revisions."""
    msb, allowed = await asyncio.gather(
        _package(info, package_id), _may_reschedule(info, package_id)
    )
    if msb is None:
        return not_found("multi-service booking", package_id)
    action = "Rescheduling the package"
    if not allowed:
        reason = "the booking policy or the bookings' status doesn't allow it now"
        return not_allowed(action, reason, "RESCHEDULE_NOT_ALLOWED")
    active = [b for b in await members(info, msb) if b.get("status") not in FINAL_STATUSES]
    if not active:
        return not_allowed(
            action, "every booking is canceled or declined", "RESCHEDULE_NOT_ALLOWED"
        )
    slots = [booking["bookedEntity"]["slot"] for booking in active]
    location_id = (slots[0].get("location") or {}).get("id") or await first_business_location(
        info, [strawberry.ID(slots[0]["serviceId"])]
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
        local_start=local_start,
        time_zone=time_zone or await info.context.loaders.site_time_zone(),
        location_id=str(location_id),
    )
    verified = await bookable_chain(info, chain)
    if verified is None:
        return await package_unavailable_near(info, chain)
    infos = [
        {"bookingId": booking["id"], "revision": booking["revision"], "slot": slot}
        for booking, slot in zip(active, booked_slots(chain, verified), strict=True)
    ]
    writer = info.context.upstream.bookings_writer
    try:
        response = await writer.reschedule_multi_service_booking(
            package_id, {"rescheduleBookingsInfo": infos}
        )
    except UpstreamError as error:
        if is_taken(error):
            return await package_unavailable_near(info, chain)
        return await _refused(info, action, error, package_id, infos)
    return package_updated(response["multiServiceBooking"])


async def add(info: Info, package_id: str, booking_ids: list[str]) -> Json:
    found = await read_bookings(info, booking_ids)
    for booking_id in booking_ids:
        if booking_id not in found:
            return not_found("booking", booking_id)
    sent = [{"bookingId": i, "revision": found[i]["revision"]} for i in booking_ids]
    body = {"multiServiceBookingId": package_id, "bookings": sent}
    try:
        response = (
            await info.context.upstream.bookings_writer.add_bookings_to_multi_service_booking(body)
        )
    except UpstreamError as error:
        return await _refused(info, "Adding bookings to the package", error, package_id, sent)
    return package_updated(response["multiServiceBooking"])


async def remove(info: Info, package_id: str, booking_ids: list[str]) -> Json:
    """An empty `booking_ids` removes every booking (Wix's rule), dissolving the package."""
    msb = await _package(info, package_id)
    if msb is None:
        return not_found("multi-service booking", package_id)
    current = {booking["id"]: booking for booking in await members(info, msb)}
    for booking_id in booking_ids:
        if booking_id not in current:
            return not_found("booking", booking_id, f"Booking {booking_id} is not in the package")
    sent = [{"bookingId": i, "revision": current[i]["revision"]} for i in booking_ids]
    body = {"multiServiceBookingId": package_id, "bookings": sent}
    writer = info.context.upstream.bookings_writer
    try:
        response = await writer.remove_bookings_from_multi_service_booking(body)
    except UpstreamError as error:
        return await _refused(info, "Removing bookings from the package", error, package_id, sent)
    return package_updated(response["multiServiceBooking"])
