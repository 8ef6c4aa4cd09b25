"""Time Slot JSON (https://dev.wix.com/docs/api-reference/business-solutions/bookings/time-slots/time-slots-v2/time-slot-object):
the one place that shapes what the six methods return.

Booleans are emitted explicitly (false included), as Wix's examples show them, so a client never
has to guess whether an absent flag means false.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from gateway.sandbox.availability import Opening
from gateway.sandbox.seed import STAFF_RESOURCE_TYPE_ID
from gateway.sandbox.wire import compact, local_iso, to_local

VIOLATION_FLAGS = ("tooEarlyToBook", "tooLateToBook", "bookOnlineDisabled")


def find_location(service: dict[str, Any], location_id: str | None) -> dict[str, Any] | None:
    """The service's location with this id (its first location when no id is given)."""
    locations = service.get("locations", [])
    if location_id is None:
        return locations[0] if locations else None
    return next((loc for loc in locations if loc.get("id") == location_id), None)


def location_json(location: dict[str, Any]) -> dict[str, Any]:
    """`{id?, name?, formattedAddress?, locationType}`; only business locations carry an id."""
    kind = location.get("type", "CUSTOM")
    if kind == "BUSINESS":
        business = location.get("business") or {}
        return compact(
            {
                "id": location.get("id") or business.get("id"),
                "name": business.get("name"),
                "formattedAddress": (business.get("address") or {}).get("formattedAddress"),
                "locationType": "BUSINESS",
            }
        )
    address = (location.get("custom") or {}).get("address") or location.get("calculatedAddress")
    return compact(
        {"formattedAddress": (address or {}).get("formattedAddress"), "locationType": kind}
    )


def staff_resources(
    names: dict[str, str], staff: tuple[str, ...] | list[str], cap: int | None
) -> list[dict[str, Any]]:
    """`availableResources` for the staff type; at most `cap` resources when capped (List)."""
    shown = list(staff) if cap is None else list(staff)[:cap]
    return [
        {
            "resourceTypeId": STAFF_RESOURCE_TYPE_ID,
            "resources": [{"id": rid, "name": names.get(rid, "")} for rid in shown],
            "hasMoreAvailableResources": len(shown) < len(staff),
        }
    ]


def merge_violations(all_violations: list[dict[str, Any]]) -> dict[str, Any]:
    """One service's violations, or several services' combined (multi-service: any of them;
    the earliest booking date is the latest one, when every leg becomes bookable)."""
    merged: dict[str, Any] = {f: any(v[f] for v in all_violations) for f in VIOLATION_FLAGS}
    dates = [v["earliestBookingDate"] for v in all_violations if "earliestBookingDate" in v]
    if dates:
        merged["earliestBookingDate"] = max(dates)
    return merged


def status_fields(
    total: int, remaining: int, bookable_capacity: int, violations: dict[str, Any]
) -> dict[str, Any]:
    """Capacity, policy violations, `bookable` and `nonBookableReasons` of one slot
    (https://dev.wix.com/docs/api-reference/business-solutions/bookings/time-slots/time-slots-v2/time-slot-object)."""
    violates = any(violations[flag] for flag in VIOLATION_FLAGS)
    return {
        "bookable": bookable_capacity > 0 and not violates,
        "totalCapacity": total,
        "remainingCapacity": remaining,
        "bookableCapacity": bookable_capacity,
        "bookingPolicyViolations": violations,
        "nonBookableReasons": {
            "noRemainingCapacity": remaining <= 0,
            "violatesBookingPolicy": violates,
            "reservedForWaitingList": remaining > 0 and bookable_capacity <= 0,
            "eventCancelled": False,
        },
    }


def _span(start: datetime, end: datetime, zone: ZoneInfo) -> dict[str, str]:
    return {
        "localStartDate": local_iso(to_local(start, zone)),
        "localEndDate": local_iso(to_local(end, zone)),
    }


def appointment_slots(
    service: dict[str, Any],
    opening: Opening,
    locations: list[dict[str, Any]],
    zone: ZoneInfo,
    violations: dict[str, Any],
    resources: list[dict[str, Any]],
) -> list[dict[str, Any]]:
    """One slot per location for an opening; `locations` are already rendered (`location_json`),
    and everything but the location is shared, so a month of slots renders quickly."""
    status = status_fields(1, 1, 1, violations)
    head = {"serviceId": service["id"], **_span(opening.start, opening.end, zone)}
    bookable = status.pop("bookable")
    tail = {
        **status,
        "availableResources": resources,
        "nestedTimeSlots": [],
        "scheduleId": service["schedule"]["id"],
    }
    return [{**head, "bookable": bookable, "location": loc, **tail} for loc in locations]


def event_slot(
    service: dict[str, Any],
    event: dict[str, Any],
    zone: ZoneInfo,
    capacity: tuple[int, int],
    waiting_list: dict[str, int] | None,
    violations: dict[str, Any],
    resources: list[dict[str, Any]],
) -> dict[str, Any]:
    """A class session; `event` holds `id`, `start`, `end` and the rendered `location`."""
    total, booked = capacity
    remaining = max(total - booked, 0)
    status = status_fields(total, remaining, remaining, violations)
    event_info: dict[str, Any] = {"eventId": event["id"], "eventTitle": service.get("name")}
    if waiting_list is not None:
        event_info["waitingList"] = waiting_list
    return {
        "serviceId": service["id"],
        **_span(event["start"], event["end"], zone),
        "bookable": status.pop("bookable"),
        "location": event["location"],
        "eventInfo": event_info,
        **status,
        "availableResources": resources,
    }


def multi_service_slot(
    legs: tuple[Opening, ...],
    schedules: list[str],
    location: dict[str, Any],
    zone: ZoneInfo,
    violations: list[dict[str, Any]],
    resources: list[list[dict[str, Any]]],
) -> dict[str, Any]:
    """A chain of back-to-back sessions: the top level has no serviceId and capacity 1."""
    status = status_fields(1, 1, 1, merge_violations(violations))
    nested = [
        {
            "serviceId": leg.service_id,
            **_span(leg.start, leg.end, zone),
            "availableResources": shown,
            "scheduleId": schedule,
        }
        for leg, schedule, shown in zip(legs, schedules, resources, strict=True)
    ]
    return {
        **_span(legs[0].start, legs[-1].end, zone),
        "bookable": status.pop("bookable"),
        "location": location_json(location),
        **status,
        "nestedTimeSlots": nested,
    }
