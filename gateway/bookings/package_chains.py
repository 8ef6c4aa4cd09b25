"""Multi-service chains: verify the back-to-back slot a package needs, find alternatives, and
turn a verified chain into the bookings' slots
(https://dev.wix.com/docs/api-reference/business-solutions/bookings/time-slots/time-slots-v2/get-multi-service-availability-time-slot,
https://dev.wix.com/docs/api-reference/business-solutions/bookings/bookings/bookings-writer-v2/create-multi-service-booking).

A chain is given as its legs in booking order (service, duration, staff wanted) and its start in
wall time; each leg starts when the previous one ends, so the chain's end follows from the
durations, counted in UTC so that a chain across a DST change ends where Wix says it does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from gateway.bookings.flow import FlowContext, Json
from gateway.bookings.outcomes import PackageUnavailable
from gateway.bookings.refusals import (
    POLICY_VIOLATION_CODE,
    SLOT_TAKEN_CODES,
    is_not_found,
    is_refusal,
)
from gateway.bookings.slots import (
    ALTERNATIVES_RADIUS,
    LIST_LIMIT,
    STAFF_RESOURCE_TYPE_ID,
    booking_location,
    business_location,
    nearest,
)
from gateway.upstream.errors import UpstreamError
from gateway.wall_time import format_local, local_to_utc, zone

TAKEN = "No back-to-back slot of these services starts at that time"


@dataclass(frozen=True, slots=True)
class Leg:
    """One service of a chain. `staff` is required (`strict`) or only preferred."""

    service_id: str
    minutes: int
    staff: str | None = None
    strict: bool = True


@dataclass(frozen=True, slots=True)
class Chain:
    legs: tuple[Leg, ...]
    local_start: datetime
    time_zone: str
    location_id: str

    @property
    def local_end(self) -> datetime:
        total = timedelta(minutes=sum(leg.minutes for leg in self.legs))
        end = local_to_utc(self.local_start, self.time_zone) + total
        return end.astimezone(zone(self.time_zone)).replace(tzinfo=None)

    def request(self) -> Json:
        """What Get / List Multi Service Availability share: services, zone and location."""
        services = []
        for leg in self.legs:
            service: Json = {
                "serviceId": leg.service_id,
                "includeResourceTypeIds": [STAFF_RESOURCE_TYPE_ID],
            }
            if leg.staff and leg.strict:
                service["resourceTypes"] = [
                    {"resourceTypeId": STAFF_RESOURCE_TYPE_ID, "resourceIds": [leg.staff]}
                ]
            services.append(service)
        return {
            "services": services,
            "timeZone": self.time_zone,
            "location": business_location(self.location_id),
        }


async def bookable_chain(ctx: FlowContext, chain: Chain) -> Json | None:
    """The chain's multi-service slot when it can be booked now (Get Multi Service Availability
    Time Slot); None when it is gone (404) or not bookable (taken or against the policy)."""
    body = {
        **chain.request(),
        "localStartDate": format_local(chain.local_start),
        "localEndDate": format_local(chain.local_end),
    }
    try:
        response = await ctx.upstream.time_slots.get_multi_service(body)
    except UpstreamError as error:
        if is_not_found(error):
            return None
        raise
    slot: Json = response["timeSlot"]
    return slot if slot.get("bookable") else None


async def alternatives(ctx: FlowContext, chain: Chain) -> list[Json]:
    """Up to `MAX_ALTERNATIVES` bookable chains of the same services nearest to the start asked
    for (List Multi Service Availability Time Slots), in start order."""
    body = {
        **chain.request(),
        "fromLocalDate": format_local(chain.local_start - ALTERNATIVES_RADIUS),
        "toLocalDate": format_local(chain.local_start + ALTERNATIVES_RADIUS),
        "bookable": True,
        "cursorPaging": {"limit": LIST_LIMIT},
    }
    response = await ctx.upstream.time_slots.list_multi_service(body)
    return nearest(response.get("timeSlots") or [], chain.local_start)


async def package_unavailable_near(
    ctx: FlowContext, chain: Chain, message: str = TAKEN
) -> PackageUnavailable:
    """The `PackageUnavailable` outcome for `chain`, with its alternatives."""
    return PackageUnavailable(message, await alternatives(ctx, chain), chain.time_zone)


def is_taken(error: UpstreamError) -> bool:
    """A write refused because the time is gone or the policy no longer allows it."""
    return is_refusal(error) and error.code in SLOT_TAKEN_CODES | {POLICY_VIOLATION_CODE}


def _free_staff(nested: Json) -> list[str]:
    return [
        str(resource["id"])
        for group in nested.get("availableResources") or []
        if group.get("resourceTypeId") in (None, STAFF_RESOURCE_TYPE_ID)
        for resource in group.get("resources") or []
    ]


def pick_staff(chain: Chain, slot: Json) -> list[str | None]:
    """A staff member per leg, the wanted one first when free: different people for different
    legs when possible (one person can't run two legs back to back with a buffer between)."""
    options: list[list[str | None]] = []
    for leg, nested in zip(chain.legs, slot.get("nestedTimeSlots") or [], strict=True):
        free = _free_staff(nested)
        preferred = [leg.staff] if leg.staff in free else []
        options.append([*preferred, *(s for s in free if s not in preferred)] or [None])
    return _distinct(options, []) or [choices[0] for choices in options]


def _distinct(options: list[list[str | None]], chosen: list[str | None]) -> list[str | None]:
    """The first assignment (depth first) with nobody on two legs; [] when there is none."""
    if len(chosen) == len(options):
        return chosen
    for staff in options[len(chosen)]:
        if staff is None or staff not in chosen:
            found = _distinct(options, [*chosen, staff])
            if found:
                return found
    return []


def booked_slots(chain: Chain, slot: Json) -> list[Json]:
    """The `bookedEntity.slot` of each leg of a verified chain, with its staff member."""
    location = booking_location(slot.get("location"))
    booked = []
    for nested, staff in zip(slot["nestedTimeSlots"], pick_staff(chain, slot), strict=True):
        entry: Json = {
            "serviceId": nested["serviceId"],
            "scheduleId": nested.get("scheduleId"),
            "startDate": nested["localStartDate"],
            "endDate": nested["localEndDate"],
            "timezone": chain.time_zone,
            "resource": {"id": staff} if staff else None,
            "location": location,
        }
        booked.append({key: value for key, value in entry.items() if value is not None})
    return booked


def minutes_between(start: str, end: str) -> int:
    """A booking's length from its UTC `startDate` / `endDate`."""
    span = datetime.fromisoformat(end).astimezone(UTC) - datetime.fromisoformat(start)
    return int(span.total_seconds() // 60)
