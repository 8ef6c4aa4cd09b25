"""The booking status machine: confirm, decline, confirm-or-decline, mark as pending, participants.

Each function validates and applies one change to a loaded booking and raises WixError without
touching it when the change isn't allowed; the caller checks the revision, `touch`es and saves
inside one transaction (https://dev.wix.com/docs/api-reference/business-solutions/bookings/bookings/bookings-writer-v2/introduction,
and each method's page). The status changes share one signature
(`StatusChange`), so the single-booking and the multi-service handlers pass them the request's
`paymentStatus` and `flowControlSettings` the same way.
"""

from __future__ import annotations

from typing import Any, Protocol

from gateway.sandbox import booking_checks as checks
from gateway.sandbox import booking_codes as codes
from gateway.sandbox.booking_slots import Placement
from gateway.sandbox.bookings import (
    echo_flags,
    hold_resource,
    participant_count,
    placement_of,
    require_status,
    set_status,
)
from gateway.sandbox.calendar import ACTIVE_STATUSES, BLOCKING_STATUSES
from gateway.sandbox.errors import WixError, precondition
from gateway.sandbox.state import Sandbox

# Confirm and Decline (and their MSB versions) accept only these:
# https://dev.wix.com/docs/api-reference/business-solutions/bookings/bookings/bookings-writer-v2/confirm-booking
# https://dev.wix.com/docs/api-reference/business-solutions/bookings/bookings/bookings-writer-v2/decline-booking
CONFIRMABLE_STATUSES = ("PENDING", "CREATED", "WAITING_LIST")
# Confirm-or-Decline declines a conflicting booking with one of these:
# https://dev.wix.com/docs/api-reference/business-solutions/bookings/bookings/bookings-writer-v2/confirm-or-decline-booking
UNPAID_STATUSES = ("UNDEFINED", "NOT_PAID", "REFUNDED", "EXEMPT")


class StatusChange(Protocol):
    """`confirm`, `decline`, `confirm_or_decline`, `mark_as_pending`: each changes `doc` and
    answers whether this change found or set a double booking (the `doubleBooked` of the
    webhook it emits, `booking_events.status_changed`)."""

    def __call__(
        self, sandbox: Sandbox, doc: dict[str, Any], *, payment_status: Any = None, flow: Any = None
    ) -> bool: ...


def _exclude(doc: dict[str, Any]) -> tuple[str, ...]:
    return (str(doc["id"]),)


def conflict(sandbox: Sandbox, doc: dict[str, Any], placement: Placement) -> bool:
    """Whether the booking (at `placement_of` it) would double-book, counting the other blocking
    bookings."""
    return checks.has_conflict(sandbox, placement, participant_count(doc), _exclude(doc))


def _hold_any_resource(sandbox: Sandbox, doc: dict[str, Any], placement: Placement) -> None:
    """An appointment entering the calendar without a staff member gets one (free if any)."""
    hold_resource(sandbox, doc, checks.any_resource(sandbox, placement, _exclude(doc)))


def _needs_manual_approval(service: dict[str, Any]) -> bool:
    return bool((service.get("onlineBooking") or {}).get("requireManualApproval"))


def _set_payment(doc: dict[str, Any], payment_status: Any) -> None:
    value = checks.check_payment_status(payment_status)
    if value:
        doc["paymentStatus"] = value


def confirm(
    sandbox: Sandbox,
    doc: dict[str, Any],
    *,
    payment_status: Any = None,
    flow: Any = None,
    double_booked: bool = False,
) -> bool:
    """CONFIRMED without an availability check; `doubleBooked` only with
    `checkAvailabilityValidation` (then forced by `double_booked` or set by a real conflict).
    A confirmation without the check is a force resolution: it never reports a double booking."""
    flow = flow if isinstance(flow, dict) else {}
    require_status(doc, CONFIRMABLE_STATUSES, "confirmed")
    _set_payment(doc, payment_status)
    placement = placement_of(sandbox, doc)
    found = bool(flow.get("checkAvailabilityValidation")) and (
        double_booked or conflict(sandbox, doc, placement)
    )
    if found:
        doc["doubleBooked"] = True
    _hold_any_resource(sandbox, doc, placement)
    set_status(doc, "CONFIRMED")
    return found


def decline(
    sandbox: Sandbox, doc: dict[str, Any], *, payment_status: Any = None, flow: Any = None
) -> bool:
    """DECLINED; no flag applies (its flowControlSettings are unconfirmed,
    https://dev.wix.com/docs/api-reference/business-solutions/bookings/bookings/bookings-writer-v2/decline-booking)."""
    require_status(doc, CONFIRMABLE_STATUSES, "declined")
    _set_payment(doc, payment_status)
    set_status(doc, "DECLINED")
    return False


def confirm_or_decline(
    sandbox: Sandbox, doc: dict[str, Any], *, payment_status: Any = None, flow: Any = None
) -> bool:
    """https://dev.wix.com/docs/api-reference/business-solutions/bookings/bookings/bookings-writer-v2/confirm-or-decline-booking:
    DECLINED for an unpaid conflict; else PENDING (manual approval, unless
    created with skipBusinessConfirmation) or CONFIRMED, `doubleBooked` for a paid conflict.
    A booking created with skipAvailabilityValidation (or this call's flag, the documented
    force-confirm) never conflicts."""
    current = doc["status"]
    if current in ("CONFIRMED", "DECLINED"):
        raise _already_set(current)
    require_status(doc, CONFIRMABLE_STATUSES, "confirmed or declined")
    _set_payment(doc, payment_status)
    index = doc["_sandbox"]
    flow = flow if isinstance(flow, dict) else {}
    skip = index.get("skip_availability_validation") or flow.get("skipAvailabilityValidation")
    placement = placement_of(sandbox, doc)
    clash = not skip and conflict(sandbox, doc, placement)
    if clash and doc["paymentStatus"] in UNPAID_STATUSES:
        decision = "DECLINED"
    elif _needs_manual_approval(placement.service) and not index.get("skip_business_confirmation"):
        decision = "PENDING"
    else:
        decision = "CONFIRMED"
    if decision == current:
        raise _already_set(current)
    if decision != "DECLINED":
        if clash:
            doc["doubleBooked"] = True
        _hold_any_resource(sandbox, doc, placement)
    if flow.get("skipAvailabilityValidation"):
        echo_flags(doc, flow, ("skipAvailabilityValidation",))
    set_status(doc, decision)
    return bool(clash) and decision != "DECLINED"


def _already_set(status: str) -> WixError:
    return precondition(
        codes.BOOKING_STATUS_ALREADY_SET,
        f"Booking.status is already set to {status}",
        {"currentBookingStatus": status},
    )


def mark_as_pending(
    sandbox: Sandbox, doc: dict[str, Any], *, payment_status: Any = None, flow: Any = None
) -> bool:
    """CREATED -> PENDING for a manual-approval service (or with
    skipPendingApprovalServiceValidation); holds a staff member; with checkAvailabilityValidation
    a conflict still ends PENDING but sets `doubleBooked`
    (https://dev.wix.com/docs/api-reference/business-solutions/bookings/bookings/bookings-writer-v2/mark-booking-as-pending)."""
    require_status(doc, ("CREATED",), "marked as pending")
    flow = flow if isinstance(flow, dict) else {}
    placement = placement_of(sandbox, doc)
    service = placement.service
    if not _needs_manual_approval(service) and not flow.get("skipPendingApprovalServiceValidation"):
        raise precondition(
            codes.MANUAL_APPROVAL_NOT_REQUIRED,
            "The service doesn't require manual approval",
            {"serviceId": service["id"]},
        )
    _set_payment(doc, payment_status)
    found = bool(flow.get("checkAvailabilityValidation")) and conflict(sandbox, doc, placement)
    if found:
        doc["doubleBooked"] = True
    _hold_any_resource(sandbox, doc, placement)
    set_status(doc, "PENDING")
    return found


def update_participants(sandbox: Sandbox, doc: dict[str, Any], count: int) -> dict[str, Any]:
    """Class and course bookings only; a booking holding places must still fit
    (https://dev.wix.com/docs/api-reference/business-solutions/bookings/bookings/bookings-writer-v2/update-number-of-participants)."""
    placement = placement_of(sandbox, doc)
    if placement.kind == "APPOINTMENT":
        raise precondition(
            codes.APPOINTMENT_PARTICIPANTS_FIXED,
            "The number of participants of an appointment can't be updated",
        )
    require_status(doc, ACTIVE_STATUSES, "updated")
    checks.check_participants(sandbox, placement.service, count)
    blocking = doc["status"] in BLOCKING_STATUSES
    checks.check_availability(sandbox, placement, count, blocking=blocking, exclude=_exclude(doc))
    doc["totalParticipants"] = count
    doc.pop("participantsChoices", None)
    return doc
