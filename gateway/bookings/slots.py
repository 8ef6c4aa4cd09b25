"""Re-checking a slot right before a write, and finding alternatives when it is gone.

Time Slots and Bookings name location types differently: the verified slot is turned into the
`bookedEntity.slot` Create and Reschedule Booking expect here, in one place
(https://dev.wix.com/docs/api-reference/business-solutions/bookings/time-slots/time-slots-v2/time-slot-object).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from gateway.bookings.flow import FlowContext, InvalidInput, Json, Lookups
from gateway.bookings.outcomes import SlotUnavailable, slot_unavailable
from gateway.bookings.refusals import is_not_found
from gateway.upstream.errors import UpstreamError
from gateway.wall_time import format_local, parse_local

# Ask for staff details on every list: without `includeResourceTypeIds` List returns none.
STAFF_RESOURCE_TYPE_ID = "1cd44cf8-756f-41c3-bd90-3e2ffcaf1155"

# Time Slots location type -> Bookings location type (CUSTOMER -> CUSTOM is what Wix's recipes
# do; https://dev.wix.com/docs/api-reference/business-solutions/bookings/bookings/bookings-writer-v2/booking-object).
BOOKING_LOCATION_TYPES = {
    "BUSINESS": "OWNER_BUSINESS",
    "CUSTOM": "OWNER_CUSTOM",
    "CUSTOMER": "CUSTOM",
}
MAX_ALTERNATIVES = 5
# Alternatives are looked for this far either side of the slot asked for (our choice: wide
# enough to span a weekend, small enough for one List call).
ALTERNATIVES_RADIUS = timedelta(days=3)
LIST_LIMIT = 1000  # Wix's maximum page of List Availability Time Slots


def business_location(location_id: str) -> Json:
    """A business location as Time Slots takes it in a request."""
    return {"id": location_id, "locationType": "BUSINESS"}


async def first_business_location(lookups: Lookups, service_ids: list[str]) -> str:
    """The first service's first business location: where a multi-service chain takes place
    when the caller names none. Loads every service of the chain (one batch)."""
    first, *_ = await lookups.services(service_ids)
    for location_id in first.business_location_ids if first else ():
        return location_id
    raise InvalidInput("Give `locationId`: the first service has no business location")


@dataclass(frozen=True, slots=True)
class AppointmentRequest:
    """An appointment slot a caller asks for, in `time_zone` wall time."""

    service_id: str
    local_start: datetime
    local_end: datetime
    time_zone: str
    resource_id: str | None = None
    location_id: str | None = None


def booking_location(slot_location: Json | None) -> Json | None:
    """A Time Slots `location` as a booking's: the id only for business locations."""
    if not slot_location:
        return None
    kind = BOOKING_LOCATION_TYPES.get(str(slot_location.get("locationType")), "UNDEFINED")
    location: Json = {"locationType": kind}
    if kind == "OWNER_BUSINESS" and slot_location.get("id"):
        location["id"] = slot_location["id"]
    return location


def offers_resource(slot: Json, resource_id: str) -> bool:
    return any(
        resource.get("id") == resource_id
        for group in slot.get("availableResources") or []
        for resource in group.get("resources") or []
    )


async def get_appointment_slot(ctx: FlowContext, request: AppointmentRequest) -> Json | None:
    """The slot as Get Availability Time Slot sees it now, or None when it is gone (404) or the
    chosen staff member isn't free for it."""
    body: Json = {
        "serviceId": request.service_id,
        "localStartDate": format_local(request.local_start),
        "localEndDate": format_local(request.local_end),
        "timeZone": request.time_zone,
    }
    if request.location_id:
        body["location"] = business_location(request.location_id)
    if request.resource_id:
        body["resourceTypes"] = [
            {"resourceTypeId": STAFF_RESOURCE_TYPE_ID, "resourceIds": [request.resource_id]}
        ]
    try:
        response = await ctx.upstream.time_slots.get_availability(body)
    except UpstreamError as error:
        if is_not_found(error):
            return None
        raise
    slot: Json = response["timeSlot"]
    if request.resource_id and not offers_resource(slot, request.resource_id):
        return None
    return slot


def booked_slot(slot: Json, time_zone: str, resource_id: str | None) -> Json:
    """The `bookedEntity.slot` for a verified appointment slot. Without a chosen staff member
    none is sent: Wix assigns a free one when the booking is confirmed
    (https://dev.wix.com/docs/api-reference/business-solutions/bookings/bookings/bookings-writer-v2/create-booking)."""
    booked: Json = {
        "serviceId": slot["serviceId"],
        "scheduleId": slot.get("scheduleId"),
        "startDate": slot["localStartDate"],
        "endDate": slot["localEndDate"],
        "timezone": time_zone,
    }
    if resource_id:
        booked["resource"] = {"id": resource_id}
    location = booking_location(slot.get("location"))
    if location:
        booked["location"] = location
    return {key: value for key, value in booked.items() if value is not None}


async def alternatives(ctx: FlowContext, request: AppointmentRequest) -> list[Json]:
    """Up to `MAX_ALTERNATIVES` bookable slots of the service nearest to the requested start
    (same location when one was asked for), in start order."""
    body: Json = {
        "serviceId": request.service_id,
        "fromLocalDate": format_local(request.local_start - ALTERNATIVES_RADIUS),
        "toLocalDate": format_local(request.local_start + ALTERNATIVES_RADIUS),
        "timeZone": request.time_zone,
        "bookable": True,
        "includeResourceTypeIds": [STAFF_RESOURCE_TYPE_ID],
        "cursorPaging": {"limit": LIST_LIMIT},
    }
    if request.location_id:
        body["locations"] = [business_location(request.location_id)]
    response = await ctx.upstream.time_slots.list_availability(body)
    return nearest(response.get("timeSlots") or [], request.local_start)


def nearest(slots: list[Json], local_start: datetime) -> list[Json]:
    """The `MAX_ALTERNATIVES` slots starting nearest to `local_start`, in start order."""

    def distance(slot: Json) -> timedelta:
        return abs(parse_local(slot["localStartDate"]) - local_start)

    chosen = sorted(slots, key=distance)[:MAX_ALTERNATIVES]
    return sorted(chosen, key=lambda slot: slot["localStartDate"])


async def unavailable(
    ctx: FlowContext, request: AppointmentRequest, message: str | None = None
) -> SlotUnavailable:
    """The `SlotUnavailable` outcome for an appointment slot, with its alternatives."""
    found = await alternatives(ctx, request)
    return slot_unavailable(found, request.time_zone, message)


async def get_event_slot(ctx: FlowContext, event_id: str) -> tuple[Json, str] | None:
    """A class session (`timeSlot`, the zone its local times are in), or None when unknown."""
    try:
        response = await ctx.upstream.time_slots.get_event(event_id)
    except UpstreamError as error:
        if is_not_found(error):
            return None
        raise
    zone = response.get("timeZone") or await ctx.lookups.site_time_zone()
    return response["timeSlot"], str(zone)


def open_spots(event_slot: Json) -> int:
    """Spots a party can book: `bookableCapacity` (remaining minus waitlist holds)."""
    spots = event_slot.get("bookableCapacity")
    if spots is None:
        spots = event_slot.get("remainingCapacity")
    return int(spots or 0)


def waiting_list_open(event_slot: Json) -> bool:
    waiting = (event_slot.get("eventInfo") or {}).get("waitingList") or {}
    return int(waiting.get("remainingCapacity") or 0) > 0
