"""The booking domain: building, storing and changing booking documents.

A stored booking is its wire JSON plus `_sandbox`, the sandbox-only index the store's query
columns come from. `save_booking` derives that index from the document every time, so the status,
times, resource and participants the calendar reads can never drift from what the wire shows.

Typical mutation (every handler, including multi-service and anonymous ones):
`load_booking` -> `check_revision` -> `reschedule_booking` / `cancel_booking` / ... (validate and
apply, no revision change) -> `touch` (revision + 1) -> `save_booking`, all inside one
`sandbox.store.transaction()`.
"""

from __future__ import annotations

import copy
import uuid
from typing import Any

from gateway.sandbox import booking_checks as checks
from gateway.sandbox import booking_codes as codes
from gateway.sandbox import booking_slots as slots
from gateway.sandbox.api.services import load_policy, load_service
from gateway.sandbox.availability import buffer_minutes
from gateway.sandbox.booking_forms import contact_and_submission
from gateway.sandbox.booking_slots import Placement, booked_entity, resource_wire
from gateway.sandbox.calendar import ACTIVE_STATUSES, BLOCKING_STATUSES
from gateway.sandbox.errors import forbidden, invalid, not_found, precondition, revision_mismatch
from gateway.sandbox.seed import BOOKINGS_APP_ID, CALLER_APP_ID
from gateway.sandbox.state import Sandbox
from gateway.sandbox.wire import compact, parse_revision, parse_utc, utc_iso

CREATE_FLAGS = (
    "skipAvailabilityValidation",
    "skipBusinessConfirmation",
    "skipSelectedPaymentOptionValidation",
    "skipAddOnValidation",
    "allowAddOnChanges",
)


# -- documents -------------------------------------------------------------------------------


def public_booking(doc: dict[str, Any]) -> dict[str, Any]:
    """Wire JSON: no `_sandbox`; `doubleBooked` only when true
    (https://dev.wix.com/docs/api-reference/business-solutions/bookings/bookings/bookings-writer-v2/booking-object)."""
    result = {key: copy.deepcopy(value) for key, value in doc.items() if key != "_sandbox"}
    if not result.get("doubleBooked"):
        result.pop("doubleBooked", None)
    return result


def load_booking(sandbox: Sandbox, booking_id: str) -> dict[str, Any]:
    doc = sandbox.store.get("bookings", booking_id)
    if doc is None:
        raise not_found(
            codes.BOOKING_NOT_FOUND, f"Booking {booking_id} not found", {"bookingId": booking_id}
        )
    return doc


def save_booking(sandbox: Sandbox, doc: dict[str, Any]) -> None:
    """Store the booking (and the form submission made with it) with a fresh index."""
    submission = doc.setdefault("_sandbox", {}).pop("submission", None)
    with sandbox.store.transaction():
        if submission:
            sandbox.store.put("submissions", submission)
        sandbox.store.put_booking(_reindexed(doc))


def touch(sandbox: Sandbox, doc: dict[str, Any]) -> dict[str, Any]:
    """Revision + 1 and updatedDate = now: every successful mutation does this once."""
    doc["revision"] = str(int(doc["revision"]) + 1)
    doc["updatedDate"] = utc_iso(sandbox.clock.now())
    return doc


def check_revision(doc: dict[str, Any], revision: Any) -> None:
    """400 when missing, 409 (`errors.revision_mismatch`) when stale."""
    current = int(doc["revision"])
    if parse_revision(revision) != current:
        raise revision_mismatch(current)


def set_status(doc: dict[str, Any], status: str) -> None:
    """Change the status; an appointment gets its calendar event id when it becomes CONFIRMED."""
    doc["status"] = status
    slot = doc["bookedEntity"].get("slot")
    if status == "CONFIRMED" and doc["_sandbox"].get("kind") == "APPOINTMENT" and slot:
        slot.setdefault("eventId", str(uuid.uuid4()))


def _reindexed(doc: dict[str, Any]) -> dict[str, Any]:
    """Refresh `_sandbox` from the document: the one place the index follows the wire."""
    index = doc["_sandbox"]
    entity = doc["bookedEntity"]
    slot, schedule = entity.get("slot") or {}, entity.get("schedule") or {}
    kind = index.get("kind", "APPOINTMENT")
    index.update(
        service_id=slot.get("serviceId") or schedule.get("serviceId"),
        status=doc["status"],
        start_utc=doc["startDate"],
        end_utc=doc["endDate"],
        resource_id=(slot.get("resource") or {}).get("id") if kind == "APPOINTMENT" else None,
        event_id=slot.get("eventId") if kind == "CLASS" else None,
        schedule_id=slot.get("scheduleId") or schedule.get("scheduleId"),
        msb_id=(doc.get("multiServiceBookingInfo") or {}).get("id"),
        participants=participant_count(doc),
        created_utc=doc["createdDate"],
    )
    return doc


def participant_count(doc: dict[str, Any]) -> int:
    if doc.get("totalParticipants") is not None:
        return int(doc["totalParticipants"])
    choices = (doc.get("participantsChoices") or {}).get("serviceChoices", [])
    return sum(int(c.get("numberOfParticipants", 0)) for c in choices) or 1


def placement_of(sandbox: Sandbox, doc: dict[str, Any]) -> Placement:
    """Where a stored booking sits, for re-checking it (confirm, reschedule, conflicts)."""
    index, entity = doc["_sandbox"], doc["bookedEntity"]
    booked = entity.get("slot") or entity.get("schedule") or {}
    return Placement(
        load_service(sandbox, index["service_id"]),
        parse_utc(doc["startDate"], "startDate"),
        parse_utc(doc["endDate"], "endDate"),
        str(booked.get("timezone") or "UTC"),
        index.get("location_id"),
        (booked.get("resource") or {}).get("id"),
        booked.get("eventId") if index.get("kind") == "CLASS" else None,
    )


def hold_resource(sandbox: Sandbox, doc: dict[str, Any], resource_id: str | None) -> None:
    """Put an appointment's staff member on its slot (wire `resource` + index)."""
    slot = doc["bookedEntity"].get("slot")
    if slot is not None and resource_id and doc["_sandbox"].get("kind") == "APPOINTMENT":
        slot["resource"] = resource_wire(sandbox, resource_id)


def _place(
    sandbox: Sandbox, doc: dict[str, Any], placement: Placement, resource: str | None
) -> None:
    """Set the booked entity, times and calendar index of a booking to `placement`."""
    doc["bookedEntity"] = booked_entity(sandbox, placement, resource)
    doc["startDate"], doc["endDate"] = utc_iso(placement.start), utc_iso(placement.end)
    doc["_sandbox"].update(
        kind=placement.kind,
        location_id=placement.location_id,
        buffer_minutes=buffer_minutes(placement.service),
    )


def echo_flags(doc: dict[str, Any], flow: dict[str, Any], names: tuple[str, ...]) -> None:
    """Remember the flow-control flags a booking was created/changed with (Wix echoes them)."""
    given = {name: bool(flow[name]) for name in names if flow.get(name) is not None}
    if given:
        doc.setdefault("flowControlSettings", {}).update(given)


# -- create ----------------------------------------------------------------------------------


def build_booking(
    sandbox: Sandbox,
    booking: dict[str, Any],
    form_submission: dict[str, Any] | None,
    flow: dict[str, Any],
    *,
    validate_form: bool = True,
) -> dict[str, Any]:
    """Validate a Create Booking request and return the new stored-format doc, unsaved.

    Raises WixError: 400 for malformed input, 403 BOOKING_POLICY_VIOLATION, 428 for
    availability / capacity / session and schedule lookups
    (https://dev.wix.com/docs/api-reference/business-solutions/bookings/bookings/bookings-writer-v2/create-booking)."""
    if not isinstance(booking, dict):
        raise invalid("booking", "is required", "REQUIRED_FIELD")
    if booking.get("multiServiceBookingInfo"):
        raise precondition(
            codes.CAN_NOT_CREATE_WITH_MSB_INFO,
            "Use Create Multi Service Booking",
        )
    flow = flow if isinstance(flow, dict) else {}
    now = sandbox.clock.now()
    placement = slots.resolve_entity(sandbox, booking.get("bookedEntity"))
    service = placement.service
    participants = checks.participants_of(booking, "booking")
    assert participants is not None
    add_ons = checks.check_add_ons(
        service, booking.get("bookedAddOns"), bool(flow.get("skipAddOnValidation"))
    )
    if not flow.get("skipSelectedPaymentOptionValidation"):
        checks.check_payment_option(service, booking.get("selectedPaymentOption"))
    contact, submission = contact_and_submission(
        sandbox,
        service,
        booking.get("contactDetails"),
        form_submission,
        validate=validate_form,
        now=now,
    )
    checks.check_participants(sandbox, service, participants)
    confirmed = booking.get("status") == "CONFIRMED"
    skip = bool(flow.get("skipAvailabilityValidation"))
    resource = placement.resource_id
    if skip and placement.kind == "APPOINTMENT" and not resource:
        raise precondition(
            codes.CAN_NOT_SKIP_AVAILABILITY,
            "Availability validation can only be skipped for a chosen resource",
        )
    if not skip:
        checks.check_booking_policy(sandbox, placement)
        resource = checks.check_availability(sandbox, placement, participants, blocking=confirmed)
    stamp = utc_iso(now)
    doc: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "bookedEntity": None,  # set by _place, keeps Wix's key order
        "contactDetails": contact,
        "totalParticipants": participants,
        "status": "CREATED",
        "paymentStatus": "UNDEFINED",
        "selectedPaymentOption": booking.get("selectedPaymentOption"),
        "createdDate": stamp,
        "updatedDate": stamp,
        "revision": "1",
        "createdBy": {"appId": CALLER_APP_ID},
        "startDate": None,
        "endDate": None,
        "appId": BOOKINGS_APP_ID,
        "createdByAppId": CALLER_APP_ID,
        "externalUserId": booking.get("externalUserId"),
        "formId": service["form"]["id"],
        "formSubmissionId": submission["id"] if submission else None,
        "bookedAddOns": add_ons,
        "extendedFields": booking.get("extendedFields"),
        "_sandbox": {
            "skip_availability_validation": skip,
            "skip_business_confirmation": bool(flow.get("skipBusinessConfirmation")),
            "submission": submission,
        },
    }
    _place(sandbox, doc, placement, resource)
    echo_flags(doc, flow, CREATE_FLAGS)
    set_status(doc, "CONFIRMED" if confirmed else "CREATED")
    return _reindexed(compact(doc))


# -- reschedule, cancel, allowed actions -----------------------------------------------------


def reschedule_booking(
    sandbox: Sandbox,
    doc: dict[str, Any],
    slot: dict[str, Any],
    flow: dict[str, Any],
    *,
    participants: int | None = None,
) -> dict[str, Any]:
    """Move a booking to `slot` (validated like a create, not counting the booking itself).

    Flags (https://dev.wix.com/docs/api-reference/business-solutions/bookings/bookings/bookings-writer-v2/reschedule-booking):
    ignoreReschedulePolicy, skipAvailabilityValidation,
    skipBusinessConfirmation (a PENDING booking becomes CONFIRMED). No revision change."""
    current = placement_of(sandbox, doc)
    if current.kind == "COURSE":
        raise precondition(codes.COURSE_NOT_RESCHEDULABLE, "Course bookings can't be rescheduled")
    require_status(doc, ACTIVE_STATUSES, "rescheduled")
    flow = flow if isinstance(flow, dict) else {}
    policy = load_policy(sandbox, current.service)
    ignore_policy = bool(flow.get("ignoreReschedulePolicy"))
    if not ignore_policy and not checks.window_open(sandbox, policy, "reschedule", doc):
        raise forbidden(
            codes.RESCHEDULE_POLICY_VIOLATION,
            "The booking can no longer be rescheduled",
            checks.window_data(policy, "reschedule"),
        )
    target = slots.resolve_slot(sandbox, slot, current.service, "slot")
    count = participants or participant_count(doc)
    checks.check_participants(sandbox, current.service, count)
    skip = bool(flow.get("skipAvailabilityValidation"))
    blocking = doc["status"] in BLOCKING_STATUSES
    resource = target.resource_id
    if not ignore_policy:
        checks.check_booking_policy(sandbox, target)
    if skip:
        if blocking and not resource:
            resource = current.resource_id or checks.any_resource(sandbox, target, (doc["id"],))
        doc["_sandbox"]["skip_availability_validation"] = True
    else:
        resource = checks.check_availability(
            sandbox,
            target,
            count,
            blocking=blocking,
            exclude=(doc["id"],),
            prefer=current.resource_id,
        )
        doc.pop("doubleBooked", None)  # the new slot was checked: no conflict there
    _place(sandbox, doc, target, resource)
    if participants:
        doc["totalParticipants"] = participants
        doc.pop("participantsChoices", None)
    if flow.get("skipBusinessConfirmation") and doc["status"] == "PENDING":
        doc["_sandbox"]["skip_business_confirmation"] = True
        set_status(doc, "CONFIRMED")
    else:
        set_status(doc, doc["status"])  # a CONFIRMED appointment gets its new calendar event
    echo_flags(doc, flow, ("ignoreReschedulePolicy", *CREATE_FLAGS))
    return doc


def cancel_booking(sandbox: Sandbox, doc: dict[str, Any], flow: dict[str, Any]) -> dict[str, Any]:
    """CANCELED, within the cancellation policy unless `ignoreCancellationPolicy`; `withRefund`
    and `waiveCancellationFee` are echoed in the booking's flowControlSettings. No revision
    change."""
    if doc["status"] in ("CANCELED", "DECLINED"):
        raise precondition(
            codes.BOOKING_ALREADY_CANCELED,
            f"Booking is already {doc['status']}",
            {"currentBookingStatus": doc["status"]},
        )
    flow = flow if isinstance(flow, dict) else {}
    policy = load_policy(sandbox, load_service(sandbox, doc["_sandbox"]["service_id"]))
    if not flow.get("ignoreCancellationPolicy") and not checks.window_open(
        sandbox, policy, "cancellation", doc
    ):
        raise forbidden(
            codes.CANCELLATION_POLICY_VIOLATION,
            "The booking can no longer be canceled under the cancellation policy",
            checks.window_data(policy, "cancellation"),
        )
    set_status(doc, "CANCELED")
    echo_flags(doc, flow, ("ignoreCancellationPolicy", "withRefund", "waiveCancellationFee"))
    return doc


def allowed_actions(
    sandbox: Sandbox, doc: dict[str, Any], *, anonymous: bool = False
) -> dict[str, bool]:
    """`{cancel, reschedule}` a customer may do without overrides
    (https://dev.wix.com/docs/api-reference/business-solutions/bookings/policies/booking-policies/booking-policy-object)."""
    active = doc["status"] in ACTIVE_STATUSES
    service = load_service(sandbox, doc["_sandbox"]["service_id"])
    policy = load_policy(sandbox, service)
    cancel = active and checks.window_open(sandbox, policy, "cancellation", doc, anonymous)
    reschedule = (
        active
        and service["type"] != "COURSE"
        and checks.window_open(sandbox, policy, "reschedule", doc, anonymous)
    )
    return {"cancel": cancel, "reschedule": reschedule}


def require_status(doc: dict[str, Any], allowed: tuple[str, ...], action: str) -> None:
    if doc["status"] not in allowed:
        raise precondition(
            codes.INVALID_BOOKING_STATUS,
            f"A {doc['status']} booking can't be {action}",
            {"currentBookingStatus": doc["status"]},
        )
