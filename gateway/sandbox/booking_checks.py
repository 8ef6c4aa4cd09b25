"""Where a booking sits and whether it may sit there: slot resolution, policy and capacity checks.

Create, reschedule and the confirmation methods all ask the same questions (which session is this,
is the resource free, is the session full, does the policy allow it), so they are answered once
here, on top of the calendar and the availability engine that List Availability uses too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from gateway.sandbox.api.services import load_policy, load_service
from gateway.sandbox.availability import free_staff, policy_violations
from gateway.sandbox.calendar import (
    booked_participants,
    business_zone,
    class_sessions,
    find_session,
)
from gateway.sandbox.errors import WixError, forbidden, invalid, precondition
from gateway.sandbox.state import Sandbox
from gateway.sandbox.wire import parse_instant, zone

# Application codes Wix documents for Create Booking (bookings.md §4.1).
SLOT_NOT_AVAILABLE = "SLOT_NOT_AVAILABLE"
SESSION_NOT_FOUND = "SESSION_NOT_FOUND"
SCHEDULE_NOT_FOUND = "SCHEDULE_NOT_FOUND"
SESSION_CAPACITY_EXCEEDED = "SESSION_CAPACITY_EXCEEDED"
SCHEDULE_CAPACITY_EXCEEDED = "SCHEDULE_CAPACITY_EXCEEDED"
BOOKING_POLICY_VIOLATION = "BOOKING_POLICY_VIOLATION"
VALIDATION_FAILURE = "VALIDATION_FAILURE"
INVALID_FLOW_SELECTED_RESOURCES = "INVALID_FLOW_SELECTED_RESOURCES"
INVALID_SERVICE_CHOICES = "INVALID_SERVICE_CHOICES"
CAN_NOT_SKIP_AVAILABILITY = "CAN_NOT_SKIP_AVAILABILITY_VALIDATION_IF_RESOURCE_NOT_PROVIDED"
INVALID_TIME_ZONE = "INVALID_TIME_ZONE"
INVALID_DATE_FORMAT = "INVALID_DATE_FORMAT"

# Our choices where Wix documents only the HTTP class of an error, not its code (bookings.md §11).
INVALID_BOOKING_STATUS = "INVALID_BOOKING_STATUS"  # 428: action not allowed from this status
BOOKING_ALREADY_CANCELED = "BOOKING_ALREADY_CANCELED"  # 428: cancel of CANCELED/DECLINED
CANCELLATION_POLICY_VIOLATION = "CANCELLATION_POLICY_VIOLATION"  # 403: cancel window passed
RESCHEDULE_POLICY_VIOLATION = "RESCHEDULE_POLICY_VIOLATION"  # 403: reschedule window passed
COURSE_NOT_RESCHEDULABLE = "CANNOT_RESCHEDULE_COURSE_BOOKING"  # 428
APPOINTMENT_PARTICIPANTS_FIXED = "CANNOT_UPDATE_APPOINTMENT_PARTICIPANTS"  # 428
MANUAL_APPROVAL_NOT_REQUIRED = "SERVICE_DOES_NOT_REQUIRE_MANUAL_APPROVAL"  # 428 mark-as-pending
PAYMENT_OPTION_NOT_OFFERED = VALIDATION_FAILURE  # 428: selectedPaymentOption not on the service

PAYMENT_STATUSES = ("UNDEFINED", "NOT_PAID", "PAID", "PARTIALLY_PAID", "REFUNDED", "EXEMPT")
_PAYMENT_OPTION_FLAG = {
    "OFFLINE": "inPerson",
    "ONLINE": "online",
    "MEMBERSHIP": "pricingPlan",
    "MEMBERSHIP_OFFLINE": "pricingPlan",
}
MAX_ADD_ONS = 21
_ALL_TIME = (datetime(1970, 1, 1, tzinfo=UTC), datetime(9999, 1, 1, tzinfo=UTC))


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
    sessions = class_sessions(sandbox.store, service, *_ALL_TIME) if service else []
    if service is None or service["type"] != "COURSE" or not sessions:
        raise precondition(
            SCHEDULE_NOT_FOUND, f"Schedule {schedule_id} not found", {"scheduleId": schedule_id}
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
        raise WixError(400, INVALID_TIME_ZONE, f"{value!r} is not an IANA time zone") from None


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
            INVALID_FLOW_SELECTED_RESOURCES,
            f"Resource {resource_id} doesn't provide this service",
            {"resourceId": resource_id},
        )
    location_id = _location_id(service, slot.get("location"), f"{prefix}.location")
    return Placement(service, start, end, timezone, location_id, resource_id)


def _instant(value: Any, tz: Any, field: str) -> datetime:
    try:
        return parse_instant(value, tz, field)
    except WixError as error:
        raise WixError(400, INVALID_DATE_FORMAT, error.message) from None


def _location_id(service: dict[str, Any], location: Any, field: str) -> str:
    """The business location of an appointment; Time Slots' `BUSINESS` type is rejected, as by
    Wix (bookings.md §2: map it to `OWNER_BUSINESS`)."""
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
            SLOT_NOT_AVAILABLE,
            "The service isn't offered at this location",
            {"locationId": location_id, "locationType": kind},
        )
    return location_id


def _session_not_found(event_id: Any) -> WixError:
    return precondition(SESSION_NOT_FOUND, f"Session {event_id} not found", {"eventId": event_id})


# -- booking input ---------------------------------------------------------------------------


def participants_of(body: dict[str, Any], prefix: str, *, required: bool = True) -> int | None:
    """`totalParticipants` XOR `participantsChoices`; seeded services have no variants, so any
    choice is not among them (428 INVALID_SERVICE_CHOICES)."""
    total, choices = body.get("totalParticipants"), body.get("participantsChoices")
    if total is not None and choices is not None:
        raise invalid(prefix, "must have exactly one of totalParticipants or participantsChoices")
    if choices is not None:
        raise precondition(INVALID_SERVICE_CHOICES, "The service has no such variants")
    if total is None:
        if required:
            raise invalid(f"{prefix}.totalParticipants", "is required", "REQUIRED_FIELD")
        return None
    if isinstance(total, bool) or not isinstance(total, int) or total < 1:
        raise invalid(f"{prefix}.totalParticipants", "must be an integer of at least 1", "MIN")
    return total


def check_participants(sandbox: Sandbox, service: dict[str, Any], count: int) -> None:
    """The policy's `maxParticipantsPerBooking` (services-policies.md §3)."""
    policy = load_policy(sandbox, service)
    maximum = int((policy.get("participantsPolicy") or {}).get("maxParticipantsPerBooking", 1))
    if count > maximum:
        raise precondition(
            VALIDATION_FAILURE,
            f"At most {maximum} participants per booking",
            {"maxParticipantsPerBooking": maximum, "totalParticipants": count},
        )


def check_payment_option(service: dict[str, Any], option: Any) -> None:
    if option in (None, "UNDEFINED"):
        return
    if option not in _PAYMENT_OPTION_FLAG:
        raise invalid("booking.selectedPaymentOption", "is not a SelectedPaymentOption")
    offered = (service.get("payment") or {}).get("options") or {}
    if not offered.get(_PAYMENT_OPTION_FLAG[option]):
        raise precondition(
            PAYMENT_OPTION_NOT_OFFERED,
            f"The service doesn't offer the payment option {option}",
            {"selectedPaymentOption": option},
        )


def check_add_ons(service: dict[str, Any], add_ons: Any, skip: bool) -> list[Any] | None:
    """Add-ons must belong to one of the service's add-on groups unless `skipAddOnValidation`."""
    if not add_ons:
        return None
    if not isinstance(add_ons, list) or len(add_ons) > MAX_ADD_ONS:
        raise invalid("booking.bookedAddOns", f"must be an array of at most {MAX_ADD_ONS}")
    linked = {a for group in service.get("addOnGroups", []) for a in group.get("addOnIds", [])}
    unknown = [a.get("id") for a in add_ons if isinstance(a, dict) and a.get("id") not in linked]
    if unknown and not skip:
        raise precondition(
            VALIDATION_FAILURE, "Add-ons aren't linked to the service", {"addOnIds": unknown}
        )
    return add_ons


def check_payment_status(value: Any) -> str | None:
    if value is None:
        return None
    if value not in PAYMENT_STATUSES:
        raise invalid("paymentStatus", "is not a PaymentStatus")
    return str(value)


# -- policy, availability and capacity -------------------------------------------------------


def check_booking_policy(sandbox: Sandbox, placement: Placement) -> None:
    """403 BOOKING_POLICY_VIOLATION with the violation flags as data."""
    service = placement.service
    policy = load_policy(sandbox, service)
    violations = policy_violations(service, policy, placement.start, sandbox.clock.now())
    if any(value is True for value in violations.values()):
        raise forbidden(
            BOOKING_POLICY_VIOLATION, "Request is not compliant with booking policy", violations
        )


def free_resources(
    sandbox: Sandbox, placement: Placement, exclude: tuple[str, ...] = ()
) -> list[str]:
    return free_staff(
        sandbox.store,
        placement.service,
        placement.start,
        placement.end,
        placement.location_id,
        exclude,
    )


def seats_taken(sandbox: Sandbox, placement: Placement, exclude: tuple[str, ...] = ()) -> int:
    """Participants of blocking bookings in this class session, or in this whole course."""
    if placement.kind == "CLASS":
        return booked_participants(
            sandbox.store, event_id=placement.event_id, exclude_booking_ids=exclude
        )
    return booked_participants(
        sandbox.store, schedule_id=placement.schedule_id, exclude_booking_ids=exclude
    )


def has_conflict(
    sandbox: Sandbox, placement: Placement, participants: int, exclude: tuple[str, ...] = ()
) -> bool:
    """Double booking: the chosen staff (or every staff) is taken, or the session/course is full,
    counting the other blocking bookings."""
    if placement.kind == "APPOINTMENT":
        free = free_resources(sandbox, placement, exclude)
        return placement.resource_id not in free if placement.resource_id else not free
    return seats_taken(sandbox, placement, exclude) + participants > placement.capacity


def check_availability(
    sandbox: Sandbox,
    placement: Placement,
    participants: int,
    *,
    blocking: bool,
    exclude: tuple[str, ...] = (),
    prefer: str | None = None,
) -> str | None:
    """Raise 428 when the slot can't be had; return the resource the booking holds.

    Appointments: the chosen staff must be free (or some staff, when none is chosen); a blocking
    booking gets a free staff assigned, `prefer` first. Classes and courses: only a blocking
    booking takes places, so only then is capacity checked (a CREATED booking never blocks)."""
    if placement.kind == "APPOINTMENT":
        free = free_resources(sandbox, placement, exclude)
        if not free or (placement.resource_id and placement.resource_id not in free):
            raise precondition(
                SLOT_NOT_AVAILABLE,
                "The slot is no longer available",
                {"resourceId": placement.resource_id} if placement.resource_id else {},
            )
        if placement.resource_id or not blocking:
            return placement.resource_id
        return prefer if prefer in free else free[0]
    if blocking:
        taken = seats_taken(sandbox, placement, exclude)
        if taken + participants > placement.capacity:
            code = SESSION_CAPACITY_EXCEEDED
            if placement.kind == "COURSE":
                code = SCHEDULE_CAPACITY_EXCEEDED
            raise precondition(
                code,
                "Not enough places left",
                {"capacity": placement.capacity, "remaining": max(placement.capacity - taken, 0)},
            )
    return placement.resource_id


def any_resource(
    sandbox: Sandbox, placement: Placement, exclude: tuple[str, ...] = ()
) -> str | None:
    """The staff an appointment holds when it must be held without an availability check
    (Confirm, Mark As Pending, a paid double booking): a free one if any, else the first."""
    if placement.kind != "APPOINTMENT" or placement.resource_id:
        return placement.resource_id
    free = free_resources(sandbox, placement, exclude)
    staff = list(placement.service.get("staffMemberIds", []))
    return free[0] if free else (staff[0] if staff else None)
