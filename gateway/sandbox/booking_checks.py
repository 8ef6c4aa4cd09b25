"""Whether a booking may be made or changed: input rules, policy windows, availability, capacity.

Create, reschedule and the confirmation methods all ask the same questions (is the resource free,
is the session full, does the policy allow it), so they are answered once here, on top of the
calendar and the availability engine that List Availability uses too.
"""

from __future__ import annotations

from typing import Any

from gateway.sandbox import booking_codes as codes
from gateway.sandbox.api.services import load_policy
from gateway.sandbox.availability import free_staff, policy_violations
from gateway.sandbox.booking_slots import Placement
from gateway.sandbox.calendar import booked_participants
from gateway.sandbox.errors import WixError, forbidden, invalid, precondition
from gateway.sandbox.state import Sandbox
from gateway.sandbox.wire import parse_utc

PAYMENT_STATUSES = ("UNDEFINED", "NOT_PAID", "PAID", "PARTIALLY_PAID", "REFUNDED", "EXEMPT")
_PAYMENT_OPTION_FLAG = {
    "OFFLINE": "inPerson",
    "ONLINE": "online",
    "MEMBERSHIP": "pricingPlan",
    "MEMBERSHIP_OFFLINE": "pricingPlan",
}
MAX_ADD_ONS = 21


# -- booking input ---------------------------------------------------------------------------


def participants_of(body: dict[str, Any], prefix: str, *, required: bool = True) -> int | None:
    """`totalParticipants` XOR `participantsChoices`; seeded services have no variants, so any
    choice is not among them (428 codes.INVALID_SERVICE_CHOICES)."""
    total, choices = body.get("totalParticipants"), body.get("participantsChoices")
    field = f"{prefix}.totalParticipants" if prefix else "totalParticipants"
    if total is not None and choices is not None:
        raise invalid(field, "and participantsChoices are mutually exclusive")
    if choices is not None:
        raise precondition(codes.INVALID_SERVICE_CHOICES, "The service has no such variants")
    if total is None:
        if required:
            raise invalid(field, "is required", "REQUIRED_FIELD")
        return None
    if isinstance(total, bool) or not isinstance(total, int) or total < 1:
        raise invalid(field, "must be an integer of at least 1", "MIN")
    return total


def check_participants(sandbox: Sandbox, service: dict[str, Any], count: int) -> None:
    """The policy's `maxParticipantsPerBooking` (https://dev.wix.com/docs/api-reference/business-solutions/bookings/policies/booking-policies/booking-policy-object)."""
    policy = load_policy(sandbox, service)
    maximum = int((policy.get("participantsPolicy") or {}).get("maxParticipantsPerBooking", 1))
    if count > maximum:
        raise precondition(
            codes.VALIDATION_FAILURE,
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
            codes.PAYMENT_OPTION_NOT_OFFERED,
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
            codes.VALIDATION_FAILURE, "Add-ons aren't linked to the service", {"addOnIds": unknown}
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
            codes.BOOKING_POLICY_VIOLATION,
            "Request is not compliant with booking policy",
            violations,
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
    """Double booking: holding this placement now would fail the availability check (the chosen
    staff, or every staff, is taken; the session or course is full)."""
    try:
        check_availability(sandbox, placement, participants, blocking=True, exclude=exclude)
    except WixError:
        return True
    return False


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
                codes.SLOT_NOT_AVAILABLE,
                "The slot is no longer available",
                {"resourceId": placement.resource_id} if placement.resource_id else {},
            )
        if placement.resource_id or not blocking:
            return placement.resource_id
        return prefer if prefer in free else free[0]
    if blocking:
        taken = seats_taken(sandbox, placement, exclude)
        if taken + participants > placement.capacity:
            code = codes.SESSION_CAPACITY_EXCEEDED
            if placement.kind == "COURSE":
                code = codes.SCHEDULE_CAPACITY_EXCEEDED
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


# -- cancellation and reschedule windows ----------------------------------------------------


_WINDOWS = {
    "cancellation": (
        "cancellationPolicy",
        "limitLatestCancellation",
        "latestCancellationInMinutes",
    ),
    "reschedule": ("reschedulePolicy", "limitLatestReschedule", "latestRescheduleInMinutes"),
}


def window_open(
    sandbox: Sandbox,
    policy: dict[str, Any],
    kind: str,
    doc: dict[str, Any],
    anonymous: bool = False,
) -> bool:
    """Enabled, and (no latest limit or start - now >= the limit); anonymous also needs
    `allowAnonymous != false`."""
    name, limited, minutes = _WINDOWS[kind]
    rules = policy.get(name) or {}
    if not rules.get("enabled") or (anonymous and rules.get("allowAnonymous") is False):
        return False
    if not rules.get(limited):
        return True
    ahead = parse_utc(doc["startDate"], "startDate") - sandbox.clock.now()
    return ahead.total_seconds() >= int(rules.get(minutes, 0)) * 60


def window_data(policy: dict[str, Any], kind: str) -> dict[str, Any]:
    name, _, minutes = _WINDOWS[kind]
    rules = policy.get(name) or {}
    return {"policyEnabled": bool(rules.get("enabled")), minutes: rules.get(minutes)}
