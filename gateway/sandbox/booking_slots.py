"""What a booking books: resolving `bookedEntity` into a `Placement` and rendering it back.

A placement is one appointment slot, one class session or one whole course, with UTC times; the
same resolution serves Create Booking and Reschedule Booking, and the stored booking's
`bookedEntity` is always rendered from it, so input and output shapes can't disagree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from gateway.sandbox import booking_codes as codes
from gateway.sandbox.api.services import load_service
from gateway.sandbox.calendar import business_zone, class_sessions, find_session
from gateway.sandbox.errors import WixError, invalid, precondition
from gateway.sandbox.state import Sandbox
from gateway.sandbox.wire import compact, parse_instant, utc_iso, zone

_ALL_TIME = (datetime(1970, 1, 1, tzinfo=UTC), datetime(9999, 1, 1, tzinfo=UTC))
_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})?$")
TAGS = {"APPOINTMENT": "INDIVIDUAL", "CLASS": "GROUP", "COURSE": "COURSE"}


@dataclass
class Placement:
    """When and where a booking happens, resolved from its `bookedEntity` (or a stored booking)."""

    service: dict[str, Any]
    start: datetime  # UTC
    end: datetime  # UTC
    timezone: str  # the zone shown to the customer
    location_id: str | None
    resource_id: str | None = None  # appointment: the chosen staff; class/course: instructor
    event_id: str | None = None  # class session only

    @property
    def kind(self) -> str:
        return str(self.service["type"])

    @property
    def schedule_id(self) -> str:
        return str(self.service["schedule"]["id"])

    @property
    def capacity(self) -> int:
        return int(self.service.get("defaultCapacity", 1))


# -- resolving what is booked ----------------------------------------------------------------


def resolve_entity(sandbox: Sandbox, entity: Any) -> Placement:
    """The placement of a Create Booking `bookedEntity`: exactly one of `slot` / `schedule`."""
    prefix = "booking.bookedEntity"
    if not isinstance(entity, dict) or not (entity.get("slot") or entity.get("schedule")):
        raise invalid(prefix, "must have a slot or a schedule", "REQUIRED_FIELD")
    if entity.get("slot") and entity.get("schedule"):
        raise invalid(prefix, "must have exactly one of slot or schedule")
    if entity.get("schedule"):
        return resolve_course(sandbox, entity["schedule"], f"{prefix}.schedule")
    return resolve_slot(sandbox, entity["slot"], None, f"{prefix}.slot")


def resolve_slot(
    sandbox: Sandbox, slot: Any, service: dict[str, Any] | None, prefix: str
) -> Placement:
    """An appointment slot or a class session. With `service` (reschedule) the slot must be one
    of that service's."""
    if not isinstance(slot, dict):
        raise invalid(prefix, "must be an object")
    service_id, event_id = slot.get("serviceId"), slot.get("eventId")
    if service is not None and service_id and service_id != service["id"]:
        raise invalid(f"{prefix}.serviceId", "must be the booked service")
    if service is None and service_id:
        service = load_service(sandbox, str(service_id))
    if service is None:
        if not event_id:
            raise invalid(f"{prefix}.serviceId", "is required", "REQUIRED_FIELD")
        session = find_session(sandbox.store, str(event_id))
        if session is None:
            raise _session_not_found(event_id)
        service = load_service(sandbox, session.service_id)
    timezone = time_zone_name(sandbox, slot.get("timezone"))
    if service["type"] == "CLASS":
        return _class_session(sandbox, service, event_id, timezone, prefix)
    if service["type"] == "COURSE":
        raise invalid(prefix, "a course is booked with bookedEntity.schedule, not a slot")
    return _appointment(service, slot, timezone, prefix)


def resolve_course(sandbox: Sandbox, schedule: Any, prefix: str) -> Placement:
    """A whole course: its first session start to its last session end."""
    if not isinstance(schedule, dict) or not schedule.get("scheduleId"):
        raise invalid(f"{prefix}.scheduleId", "is required", "REQUIRED_FIELD")
    schedule_id = str(schedule["scheduleId"])
    stored = sandbox.store.get("schedules", schedule_id)
    service = sandbox.store.get("services", stored["serviceId"]) if stored else None
    if service is not None and service["type"] != "COURSE":
        service = None  # checked first: a class timetable has no first and last session
    sessions = class_sessions(sandbox.store, service, *_ALL_TIME) if service else []
    if service is None or not sessions:
        raise precondition(
            codes.SCHEDULE_NOT_FOUND,
            f"Schedule {schedule_id} not found",
            {"scheduleId": schedule_id},
        )
    first, last = sessions[0], sessions[-1]
    return Placement(
        service,
        first.start,
        last.end,
        time_zone_name(sandbox, schedule.get("timezone")),
        first.location_id,
        first.resource_id,
    )


def time_zone_name(sandbox: Sandbox, value: Any) -> str:
    """The booking's zone: the one given (IANA, else 400 INVALID_TIME_ZONE) or the business's."""
    if value in (None, ""):
        return str(business_zone(sandbox.store).key)
    try:
        return str(zone(value).key)
    except WixError:
        raise WixError(
            400, codes.INVALID_TIME_ZONE, f"{value!r} is not an IANA time zone"
        ) from None


def _class_session(
    sandbox: Sandbox, service: dict[str, Any], event_id: Any, timezone: str, prefix: str
) -> Placement:
    if not event_id:
        raise invalid(f"{prefix}.eventId", "is required for a class session", "REQUIRED_FIELD")
    session = find_session(sandbox.store, str(event_id))
    if session is None or session.service_id != service["id"]:
        raise _session_not_found(event_id)
    return Placement(
        service,
        session.start,
        session.end,
        timezone,
        session.location_id,
        session.resource_id,
        session.event_id,
    )


def _appointment(
    service: dict[str, Any], slot: dict[str, Any], timezone: str, prefix: str
) -> Placement:
    for name in ("startDate", "endDate"):
        if slot.get(name) in (None, ""):
            raise invalid(f"{prefix}.{name}", "is required", "REQUIRED_FIELD")
    tz = zone(timezone)
    start = _instant(slot["startDate"], tz, f"{prefix}.startDate")
    end = _instant(slot["endDate"], tz, f"{prefix}.endDate")
    if end <= start:
        raise invalid(f"{prefix}.endDate", "must be after startDate")
    resource_id = (slot.get("resource") or {}).get("id")
    if resource_id and resource_id not in service.get("staffMemberIds", []):
        raise precondition(
            codes.INVALID_FLOW_SELECTED_RESOURCES,
            f"Resource {resource_id} doesn't provide this service",
            {"resourceId": resource_id},
        )
    location_id = _location_id(service, slot.get("location"), f"{prefix}.location")
    return Placement(service, start, end, timezone, location_id, resource_id)


def _instant(value: Any, tz: Any, field: str) -> datetime:
    """`YYYY-MM-DDThh:mm:ss[.SSS]`, local to `tz` or with an offset, else INVALID_DATE_FORMAT."""
    if not isinstance(value, str) or not _DATE_TIME.match(value):
        raise WixError(400, codes.INVALID_DATE_FORMAT, f"{field} must be YYYY-MM-DDThh:mm:ss")
    try:
        return parse_instant(value, tz, field)
    except WixError as error:
        raise WixError(400, codes.INVALID_DATE_FORMAT, error.message) from None


def _location_id(service: dict[str, Any], location: Any, field: str) -> str:
    """The business location of an appointment; Time Slots' `BUSINESS` type is rejected, as by
    Wix (map it to `OWNER_BUSINESS`, https://dev.wix.com/docs/api-reference/business-solutions/bookings/bookings/bookings-writer-v2/booking-object)."""
    offered = [loc["id"] for loc in service.get("locations", []) if loc.get("type") == "BUSINESS"]
    default = next(
        (loc["id"] for loc in service.get("locations", []) if loc["business"].get("default")),
        offered[0] if offered else "",
    )
    if not location:
        return default
    if not isinstance(location, dict):
        raise invalid(field, "must be an object")
    kind = location.get("locationType") or "OWNER_BUSINESS"
    if kind == "BUSINESS":
        raise invalid(f"{field}.locationType", "BUSINESS is a Time Slots value; use OWNER_BUSINESS")
    if kind not in ("OWNER_BUSINESS", "OWNER_CUSTOM", "CUSTOM", "UNDEFINED"):
        raise invalid(f"{field}.locationType", "must be OWNER_BUSINESS, OWNER_CUSTOM or CUSTOM")
    location_id = str(location.get("id") or default)
    if kind in ("OWNER_CUSTOM", "CUSTOM") or location_id not in offered:
        raise precondition(
            codes.SLOT_NOT_AVAILABLE,
            "The service isn't offered at this location",
            {"locationId": location_id, "locationType": kind},
        )
    return location_id


def _session_not_found(event_id: Any) -> WixError:
    return precondition(
        codes.SESSION_NOT_FOUND, f"Session {event_id} not found", {"eventId": event_id}
    )


# -- rendering -------------------------------------------------------------------------------


def resource_wire(sandbox: Sandbox, resource_id: str | None) -> dict[str, Any] | None:
    if not resource_id:
        return None
    resource = sandbox.store.get("resources", resource_id) or {}
    return compact(
        {
            "id": resource_id,
            "name": resource.get("name"),
            "email": resource.get("email"),
            "scheduleId": resource.get("scheduleId"),
        }
    )


def location_wire(sandbox: Sandbox, location_id: str | None) -> dict[str, Any]:
    location = sandbox.store.get("locations", location_id) if location_id else None
    if location is None:
        return {"locationType": "OWNER_BUSINESS"}
    return {
        "id": location["id"],
        "name": location["name"],
        "formattedAddress": location["address"]["formattedAddress"],
        "locationType": "OWNER_BUSINESS",
    }


def booked_entity(
    sandbox: Sandbox, placement: Placement, resource_id: str | None
) -> dict[str, Any]:
    service = placement.service
    timing = {"startDate": utc_iso(placement.start), "endDate": utc_iso(placement.end)}
    location = location_wire(sandbox, placement.location_id)
    entity: dict[str, Any] = {"title": service["name"], "tags": [TAGS[placement.kind]]}
    if placement.kind == "COURSE":
        entity["schedule"] = {
            "scheduleId": placement.schedule_id,
            "serviceId": service["id"],
            "location": location,
            "timezone": placement.timezone,
            "firstSessionStart": timing["startDate"],
            "lastSessionEnd": timing["endDate"],
        }
    else:
        entity["slot"] = compact(
            {
                "serviceId": service["id"],
                "scheduleId": placement.schedule_id,
                "eventId": placement.event_id,
                **timing,
                "timezone": placement.timezone,
                "resource": resource_wire(sandbox, resource_id),
                "location": location,
            }
        )
    return entity
