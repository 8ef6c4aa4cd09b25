"""Time Slots V2 (time-slots.md): appointment, class and multi-service slots, computed from the
calendar by `availability.py`, shaped by `slots_render.py`, paged by `slots_request.py`."""

from __future__ import annotations

from calendar import monthrange
from collections import Counter
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from gateway.sandbox import wql
from gateway.sandbox.api.services import load_policy, load_service
from gateway.sandbox.availability import chain_openings, policy_violations, service_openings
from gateway.sandbox.calendar import (
    BLOCKING_STATUSES,
    Session,
    class_sessions,
    find_session,
    participants_by_status,
    staff_names,
)
from gateway.sandbox.errors import WixError, invalid, not_found
from gateway.sandbox.identity import EVERYONE
from gateway.sandbox.routing import Call, route
from gateway.sandbox.slots_render import (
    appointment_slots,
    event_slot,
    find_location,
    location_json,
    multi_service_slot,
    staff_resources,
)
from gateway.sandbox.slots_request import (
    LIST_RESOURCES_CAP,
    Item,
    Paging,
    ResourceRequest,
    SlotFilter,
    at_most,
    listed,
    local_instant,
    local_range,
    location_matches,
    request_zone,
    require,
)
from gateway.sandbox.state import Sandbox
from gateway.sandbox.wire import to_local, utc_iso

API = "Time Slots V2"
DOCS = "https://dev.wix.com/docs/api-reference/business-solutions/bookings/time-slots/time-slots-v2"
# Unconfirmed (https://dev.wix.com/docs/api-reference/business-solutions/bookings/time-slots/time-slots-v2/get-event-time-slot):
# the code Get Event Time Slot returns for an unknown event.
EVENT_NOT_FOUND_CODE = "EVENT_NOT_FOUND"
# https://dev.wix.com/docs/api-reference/business-solutions/bookings/time-slots/time-slots-v2/list-multi-service-availability-time-slots:
# the SDK allows 40 services, older docs 8; 8 is the safe limit we enforce.
MAX_CHAINED_SERVICES = 8
_ONE_SECOND = timedelta(seconds=1)


# Every Time Slots method needs only "Read Bookings Calendar Availability", which visitors hold.
public_route = partial(route, callers=EVERYONE)


def _paths(suffix: str) -> tuple[str, str]:
    """The documented `/_api/...` path first, then the SDK's alias without `/_api`."""
    return (f"/_api/service-availability/v2/{suffix}", f"/service-availability/v2/{suffix}")


def _slot_not_found() -> WixError:
    return not_found("SLOT_NOT_FOUND", "Couldn't find a time slot matching the criteria")


def _listing(
    items: list[Item], body: dict[str, Any], paging: Paging, tz_name: str
) -> dict[str, Any]:
    """A List (Multi Service) Availability response: the filters, the `timeSlotsPerDay` cap,
    then one page."""
    cap = body.get("timeSlotsPerDay")
    slots, metadata = listed(items, SlotFilter.of(body), cap, "timeSlotsPerDay", paging)
    return {"timeSlots": slots, "timeZone": tz_name, "cursorPagingMetadata": metadata}


def _slot_ending_at(items: list[Item], end: datetime, tz: ZoneInfo, tz_name: str) -> dict[str, Any]:
    """A Get (Multi Service) Availability response: of the slots starting at the requested
    start, the one that ends at the requested end (404 SLOT_NOT_FOUND when none does)."""
    for _, slot in items:
        if local_instant(slot, "localEndDate", tz) == end:
            return {"timeSlot": slot, "timeZone": tz_name}
    raise _slot_not_found()


def _requested_location(service: dict[str, Any], wanted: Any) -> dict[str, Any] | None:
    """The service location a request names (`{id}` or `{locationType}`); default: the first."""
    if wanted is None:
        return find_location(service, None)
    if not isinstance(wanted, dict):
        raise invalid("location", "must be an object")
    matches = [loc for loc in service.get("locations", []) if location_matches(loc, [wanted])]
    return matches[0] if matches else None


# -- appointments ----------------------------------------------------------------------------


def _appointment_items(
    sandbox: Sandbox,
    service: dict[str, Any],
    span: tuple[datetime, datetime],
    tz: ZoneInfo,
    resources: ResourceRequest,
    locations: list[dict[str, Any]],
    cap: int | None,
) -> list[Item]:
    """One slot per location per candidate start with a free (and wanted) staff member."""
    if service["type"] != "APPOINTMENT":
        return []  # classes and courses have no appointment slots (Wix recipe)
    policy = load_policy(sandbox, service)
    now = sandbox.clock.now()
    calendar, openings = service_openings(sandbox.store, service, *span)
    rendered = [location_json(location) for location in locations]
    keys = [_location_key(location) for location in locations]
    items: list[Item] = []
    for opening in openings:
        staff = resources.staff(opening.staff)
        if not staff:
            continue
        violations = policy_violations(service, policy, opening.start, now)
        shown = staff_resources(calendar.names, staff, cap) if resources.show_staff else []
        slots = appointment_slots(service, opening, rendered, tz, violations, shown)
        start = utc_iso(opening.start)
        items.extend(((start, key), slot) for key, slot in zip(keys, slots, strict=True))
    return items


def _location_key(location: dict[str, Any]) -> str:
    return str(location.get("id") or location.get("type", ""))


@public_route("POST", _paths("time-slots"), "List Availability Time Slots", API,
              f"{DOCS}/list-availability-time-slots",
       codes=("MISSING_ARGUMENTS", "SERVICE_NOT_FOUND"))  # fmt: skip
def list_availability(sandbox: Sandbox, call: Call) -> dict[str, Any]:
    paging = Paging.open(call.body, "availability", 1000, 1000)
    body = paging.request
    require(body, "serviceId", "toLocalDate")
    tz_name, tz = request_zone(sandbox.store, body.get("timeZone"))
    resources = ResourceRequest.of(body, listing=True)
    wanted = at_most(body, "locations", 5)
    with sandbox.store.transaction():
        service = load_service(sandbox, str(body["serviceId"]))
        span = paging.narrow(local_range(body, tz, sandbox.clock.now()), tz)
        locations = [loc for loc in service.get("locations", []) if location_matches(loc, wanted)]
        items = _appointment_items(
            sandbox, service, span, tz, resources, locations, LIST_RESOURCES_CAP
        )
    return _listing(items, body, paging, tz_name)


@public_route("POST", _paths("time-slots/get"), "Get Availability Time Slot", API,
              f"{DOCS}/get-availability-time-slot",
       codes=("SLOT_NOT_FOUND",))  # fmt: skip
def get_availability(sandbox: Sandbox, call: Call) -> dict[str, Any]:
    """Re-validates one slot of List: the same grid, with every free staff member. A slot whose
    staff are all taken is not found (404 SLOT_NOT_FOUND), just as List omits it."""
    body = call.body
    require(body, "serviceId", "localStartDate", "localEndDate")
    tz_name, tz = request_zone(sandbox.store, body.get("timeZone"))
    start = local_instant(body, "localStartDate", tz)
    end = local_instant(body, "localEndDate", tz)
    resources = ResourceRequest.of(body, listing=False)
    with sandbox.store.transaction():
        service = load_service(sandbox, str(body["serviceId"]))
        location = _requested_location(service, body.get("location"))
        if location is None:
            raise _slot_not_found()
        items = _appointment_items(
            sandbox, service, (start, start + _ONE_SECOND), tz, resources, [location], None
        )
    return _slot_ending_at(items, end, tz, tz_name)


# -- classes ---------------------------------------------------------------------------------


def _event_doc(session: Session) -> dict[str, Any]:
    """The Calendar-event view of a session that `eventFilter` is matched against."""
    return {
        "id": session.event_id,
        "scheduleId": session.schedule_id,
        "resources": [{"id": session.resource_id}],
        "location": {"id": session.location_id, "type": "BUSINESS"},
    }


def _event_slot(
    service: dict[str, Any],
    policy: dict[str, Any],
    session: Session,
    tz: ZoneInfo,
    names: dict[str, str],
    participants: Counter[str],
    now: datetime,
) -> dict[str, Any]:
    """`participants`: the session's booked participants by booking status."""
    booked = sum(participants[status] for status in BLOCKING_STATUSES)
    waitlist = policy.get("waitlistPolicy") or {}
    waiting_list = None
    if waitlist.get("enabled"):
        queued = participants["WAITING_LIST"]
        size = int(waitlist.get("capacity", 10))
        waiting_list = {"totalCapacity": size, "remainingCapacity": max(size - queued, 0)}
    location = find_location(service, session.location_id)
    event = {
        "id": session.event_id,
        "start": session.start,
        "end": session.end,
        "location": location_json(location)
        if location
        else {"id": session.location_id, "locationType": "BUSINESS"},
    }
    violations = policy_violations(service, policy, session.start, now)
    resources = staff_resources(names, (session.resource_id,), None)
    capacity = (session.capacity, booked)
    return event_slot(service, event, tz, capacity, waiting_list, violations, resources)


def _month_later(day: date) -> date:
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def _event_options(body: dict[str, Any], span: tuple[datetime, datetime], tz: ZoneInfo) -> None:
    """Validate `maxSlotsPerDay` (≤ one month of range) and `minBookableCapacity` (≥ 1)."""
    if body.get("maxSlotsPerDay") is not None:
        first, last = (to_local(moment, tz) for moment in span)
        if last.date() > _month_later(first.date()):
            raise invalid("toLocalDate", "must be at most one month after fromLocalDate with "
                                         "maxSlotsPerDay")  # fmt: skip
    minimum = body.get("minBookableCapacity")
    if minimum is not None and (not isinstance(minimum, int) or minimum < 1):
        raise invalid("minBookableCapacity", "must be an integer of at least 1", "MIN")


@public_route("POST", _paths("time-slots/event"), "List Event Time Slots", API,
              f"{DOCS}/list-event-time-slots")  # fmt: skip
def list_event_time_slots(sandbox: Sandbox, call: Call) -> dict[str, Any]:
    paging = Paging.open(call.body, "event", 50, 1000)
    body = paging.request
    require(body, "fromLocalDate", "toLocalDate")
    tz_name, tz = request_zone(sandbox.store, body.get("timeZone"), max_length=100)
    service_ids = {str(service_id) for service_id in at_most(body, "serviceIds", 100)}
    event_filter = body.get("eventFilter") or {}
    include_non_bookable = body.get("includeNonBookable") is not False
    minimum = body.get("minBookableCapacity")
    items: list[Item] = []
    with sandbox.store.transaction():
        now = sandbox.clock.now()
        span = local_range(body, tz, now)
        _event_options(body, span, tz)
        span = paging.narrow(span, tz)
        classes = [
            s
            for s in sandbox.store.all("services")
            if s["type"] == "CLASS" and (not service_ids or s["id"] in service_ids)
        ]
        names = staff_names(
            sandbox.store, [r for s in classes for r in s.get("staffMemberIds", [])]
        )
        policies = {service["id"]: load_policy(sandbox, service) for service in classes}
        sessions = [
            (service, session)
            for service in classes
            for session in class_sessions(sandbox.store, service, *span)
            if wql.matches(_event_doc(session), event_filter)
        ]
        counts = participants_by_status(sandbox.store, [s.event_id for _, s in sessions])
        for service, session in sessions:
            policy, participants = policies[service["id"]], counts[session.event_id]
            slot = _event_slot(service, policy, session, tz, names, participants, now)
            items.append(((utc_iso(session.start), session.event_id), slot))

    def wanted(slot: dict[str, Any]) -> bool:
        if not include_non_bookable and not slot["bookable"]:
            return False
        return minimum is None or slot["bookableCapacity"] >= minimum

    slot_filter = SlotFilter.of(body, with_bookable=False)
    cap = body.get("maxSlotsPerDay")
    slots, metadata = listed(items, slot_filter, cap, "maxSlotsPerDay", paging, wanted)
    return {"timeSlots": slots, "timeZone": tz_name, "pagingMetadata": metadata}


@public_route("GET", _paths("time-slots/event/{eventId}"), "Get Event Time Slot", API,
              f"{DOCS}/get-event-time-slot", query_params=("timeZone",))  # fmt: skip
def get_event_time_slot(sandbox: Sandbox, call: Call) -> dict[str, Any]:
    tz_name, tz = request_zone(sandbox.store, call.query_one("timeZone"), max_length=100)
    event_id = call.params["eventId"]
    with sandbox.store.transaction():
        session = find_session(sandbox.store, event_id)
        service = sandbox.store.get("services", session.service_id) if session else None
        if session is None or service is None or service["type"] != "CLASS":
            raise not_found(EVENT_NOT_FOUND_CODE, f"Event {event_id} not found", {"id": event_id})
        names = staff_names(sandbox.store, [session.resource_id])
        policy = load_policy(sandbox, service)
        participants = participants_by_status(sandbox.store, [session.event_id])[session.event_id]
        now = sandbox.clock.now()
        slot = _event_slot(service, policy, session, tz, names, participants, now)
    return {"timeSlot": slot, "timeZone": tz_name}


# -- multi-service ---------------------------------------------------------------------------


def _chain_request(
    sandbox: Sandbox, body: dict[str, Any], *, listing: bool
) -> tuple[list[dict[str, Any]], list[ResourceRequest]]:
    """The services to chain (2..MAX_CHAINED_SERVICES, in booking order) and their resource
    options."""
    items = body.get("services")
    if not isinstance(items, list) or not 2 <= len(items) <= MAX_CHAINED_SERVICES:
        raise WixError(400, "INVALID_SERVICES_SIZE",
                       f"services must hold 2 to {MAX_CHAINED_SERVICES} services")  # fmt: skip
    for item in items:
        if not isinstance(item, dict):
            raise invalid("services", "must be an array of objects")
        require(item, "serviceId")
    services = [load_service(sandbox, str(item["serviceId"])) for item in items]
    return services, [ResourceRequest.of(item, listing=listing) for item in items]


def _chain_items(
    sandbox: Sandbox,
    body: dict[str, Any],
    span: tuple[datetime, datetime],
    tz: ZoneInfo,
    *,
    listing: bool,
) -> list[Item]:
    services, resources = _chain_request(sandbox, body, listing=listing)
    locations = [_requested_location(service, body["location"]) for service in services]
    if any(s["type"] != "APPOINTMENT" for s in services) or any(x is None for x in locations):
        return []
    location = locations[0]
    assert location is not None
    policies = [load_policy(sandbox, service) for service in services]
    schedules = [service["schedule"]["id"] for service in services]
    now = sandbox.clock.now()
    picks = [request.staff for request in resources]
    calendar, chains = chain_openings(sandbox.store, services, *span, picks)
    cap = LIST_RESOURCES_CAP if listing else None
    items: list[Item] = []
    for chain in chains:
        violations = [
            policy_violations(service, policy, leg.start, now)
            for service, policy, leg in zip(services, policies, chain, strict=True)
        ]
        shown = [
            staff_resources(calendar.names, leg.staff, cap) if request.show_staff else []
            for leg, request in zip(chain, resources, strict=True)
        ]
        slot = multi_service_slot(chain, schedules, location, tz, violations, shown)
        items.append(((utc_iso(chain[0].start), _location_key(location)), slot))
    return items


@public_route("POST", _paths("multi-service-time-slots"),
              "List Multi Service Availability Time Slots", API,
              f"{DOCS}/list-multi-service-availability-time-slots",
       codes=("INVALID_SERVICES_SIZE", "MISSING_ARGUMENTS"))  # fmt: skip
def list_multi_service_availability(sandbox: Sandbox, call: Call) -> dict[str, Any]:
    paging = Paging.open(call.body, "multi-service", 1000, 1000)
    body = paging.request
    require(body, "services", "toLocalDate", "location")
    tz_name, tz = request_zone(sandbox.store, body.get("timeZone"))
    with sandbox.store.transaction():
        span = paging.narrow(local_range(body, tz, sandbox.clock.now()), tz)
        items = _chain_items(sandbox, body, span, tz, listing=True)
    return _listing(items, body, paging, tz_name)


@public_route("POST", _paths("multi-service-time-slots/get"),
              "Get Multi Service Availability Time Slot", API,
              f"{DOCS}/get-multi-service-availability-time-slot",
       codes=("SLOT_NOT_FOUND",))  # fmt: skip
def get_multi_service_availability(sandbox: Sandbox, call: Call) -> dict[str, Any]:
    body = call.body
    require(body, "services", "localStartDate", "localEndDate", "location")
    tz_name, tz = request_zone(sandbox.store, body.get("timeZone"))
    start = local_instant(body, "localStartDate", tz)
    end = local_instant(body, "localEndDate", tz)
    with sandbox.store.transaction():
        items = _chain_items(sandbox, body, (start, start + _ONE_SECOND), tz, listing=False)
    return _slot_ending_at(items, end, tz, tz_name)


ROUTES = [list_availability, get_availability, list_event_time_slots, get_event_time_slot,
          list_multi_service_availability, get_multi_service_availability]  # fmt: skip
