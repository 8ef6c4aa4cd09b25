"""Bookings Writer V2 (https://dev.wix.com/docs/api-reference/business-solutions/bookings/bookings/bookings-writer-v2/introduction):
create, bulk create, reschedule, the confirmation
methods, cancel, participants, mark as pending and allowed actions.

Every handler does its reads and writes inside one `sandbox.store.transaction()`, so concurrent
creates and confirmations of one slot are decided one after the other, and records there the
webhook each booking change emits (`booking_events.py`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gateway.sandbox import booking_access as access
from gateway.sandbox import booking_codes as codes
from gateway.sandbox import booking_events
from gateway.sandbox import booking_transitions as transitions
from gateway.sandbox.booking_checks import participants_of
from gateway.sandbox.bookings import (
    allowed_actions,
    build_booking,
    cancel_booking,
    check_revision,
    load_booking,
    public_booking,
    reschedule_booking,
    save_booking,
    touch,
)
from gateway.sandbox.bulk import bulk_items, bulk_response, item_result, object_field
from gateway.sandbox.errors import WixError, invalid, precondition
from gateway.sandbox.identity import EVERYONE
from gateway.sandbox.routing import Call, route
from gateway.sandbox.state import Sandbox

API = "Bookings Writer V2"
DOCS = (
    "https://dev.wix.com/docs/api-reference/business-solutions/bookings/bookings/bookings-writer-v2"
)
MAX_BULK_CREATE = 8
MAX_BULK_CONFIRM_OR_DECLINE = 300
MAX_BULK_ALLOWED_ACTIONS = 100  # not documented; our choice

Doc = dict[str, Any]
# Records a changed booking's webhook: (the booking now, as it was before, the change's answer).
Emit = Callable[[Doc, Doc, object], None]


def _paths(suffix: str, *, documented: str = "service") -> tuple[str, ...]:
    """Both path families Wix routes to one method (Wix's pages show both, e.g. the older
    https://dev.wix.com/docs/rest/business-solutions/bookings/bookings/bookings-writer-v2/reschedule-booking),
    documented one first."""
    service, short = f"/_api/bookings-service/v2{suffix}", f"/bookings/v2{suffix}"
    return (service, short) if documented == "service" else (short, service)


def _short(suffix: str) -> str:
    """The bulk and confirmation methods' only path: Wix routes no `/_api/bookings-service`
    alias for them (the Wix SDK's URL table for www.wixapis.com)."""
    return f"/bookings/v2{suffix}"


def _booking(body: Doc, field: str = "booking") -> Doc:
    """The required `booking` object of a create (the whole call fails without it)."""
    booking = body.get("booking")
    if not isinstance(booking, dict):
        raise invalid(field, "is required", "REQUIRED_FIELD")
    return booking


def _mutate(
    sandbox: Sandbox,
    call: Call,
    change: Callable[[Doc], object],
    emit: Emit,
    *,
    revision: bool = True,
) -> Doc:
    """Load, check the revision (a stale one changes nothing), change, revision + 1, save, and
    record the change's webhook.

    A booking inside a multi-service package is managed through the multi-service methods only
    ("Method restrictions" in
    https://dev.wix.com/docs/api-reference/business-solutions/bookings/bookings/bookings-writer-v2/introduction),
    so the single-booking methods refuse it.
    """
    with sandbox.store.transaction():
        doc = load_booking(sandbox, call.params["bookingId"])
        if doc.get("multiServiceBookingInfo"):
            raise precondition(
                codes.USE_MULTI_SERVICE_METHODS,
                "This booking belongs to a multi-service booking; use the multi-service methods",
                {"multiServiceBookingId": doc["multiServiceBookingInfo"].get("id")},
            )
        if revision or call.body.get("revision") is not None:
            check_revision(doc, call.body.get("revision"))
        before = booking_events.previous(doc)
        outcome = change(doc)
        touch(sandbox, doc)
        save_booking(sandbox, doc)
        emit(doc, before, outcome)
    return {"booking": public_booking(doc)}


def _status_change(
    sandbox: Sandbox,
    call: Call,
    change: transitions.StatusChange,
    *,
    revision: bool = True,
    **options: Any,
) -> Doc:
    """Confirm, Confirm Or Decline, Mark As Pending: the body's `paymentStatus` and
    `flowControlSettings` go to the status change, whose answer (a double booking found or set)
    goes to its webhook."""
    flow = object_field(call.body, "flowControlSettings")
    payment = call.body.get("paymentStatus")
    return _mutate(
        sandbox,
        call,
        lambda doc: change(sandbox, doc, payment_status=payment, flow=flow, **options),
        _status_event(sandbox, call),
        revision=revision,
    )


def _status_event(sandbox: Sandbox, call: Call) -> Emit:
    def emit(doc: Doc, before: Doc, double_booked: object) -> None:
        booking_events.status_changed(
            sandbox, call, doc, before, double_booked=double_booked is True
        )

    return emit


@route("POST", _paths("/bookings"), "Create Booking", API, f"{DOCS}/create-booking",
       callers=EVERYONE,
       codes=(
           "BOOKING_POLICY_VIOLATION",
           "CAN_NOT_CREATE_BOOKING_WITH_MULTI_SERVICE_BOOKING_INFO",
           "CAN_NOT_SKIP_AVAILABILITY_VALIDATION_IF_RESOURCE_NOT_PROVIDED",
           "CONTACT_DETAILS_CONFLICT",
           "INVALID_DATE_FORMAT",
           "INVALID_FLOW_SELECTED_RESOURCES",
           "INVALID_SERVICE_CHOICES",
           "INVALID_TIME_ZONE",
           "SCHEDULE_CAPACITY_EXCEEDED",
           "SCHEDULE_NOT_FOUND",
           "SESSION_CAPACITY_EXCEEDED",
           "SESSION_NOT_FOUND",
           "SLOT_NOT_AVAILABLE",
           "VALIDATION_FAILURE",
       ))  # fmt: skip
def create_booking(sandbox: Sandbox, call: Call) -> Doc:
    """Visitors and members may create bookings, within `booking_access`'s limits."""
    body = call.body
    flow = object_field(body, "flowControlSettings")
    booking = access.customer_booking(call.caller, _booking(body), flow, "booking")
    with sandbox.store.transaction():
        doc = build_booking(sandbox, booking, body.get("formSubmission"), flow)
        access.stamp_creator(call.caller, doc)
        save_booking(sandbox, doc)
        booking_events.created(sandbox, call, doc)
    return {"booking": public_booking(doc)}


@route("POST", _short("/bulk/bookings/create"), "Bulk Create Booking", API,
       f"{DOCS}/bulk-create-booking")  # fmt: skip
def bulk_create_booking(sandbox: Sandbox, call: Call) -> Doc:
    """A malformed item (400) fails the whole call; an unavailable one fails alone
    (https://dev.wix.com/docs/api-reference/business-solutions/bookings/bookings/bookings-writer-v2/bulk-create-booking)."""
    infos = bulk_items(call.body, "createBookingsInfo", MAX_BULK_CREATE)
    results = []
    with sandbox.store.transaction():
        for index, info in enumerate(infos):
            if not isinstance(info, dict):
                raise invalid(f"createBookingsInfo[{index}]", "must be an object")
            try:
                doc = build_booking(
                    sandbox,
                    _booking(info, f"createBookingsInfo[{index}].booking"),
                    info.get("formSubmission"),
                    object_field(info, "flowControlSettings"),
                )
            except WixError as error:
                if error.status == 400:
                    raise
                results.append(item_result(index, None, None, error))
                continue
            save_booking(sandbox, doc)
            booking_events.created(sandbox, call, doc)
            results.append(item_result(index, doc["id"], public_booking(doc), None))
    return bulk_response(results, bool(call.body.get("returnFullEntity")))


@route("POST", _paths("/bookings/{bookingId}/reschedule", documented="short"),
       "Reschedule Booking", API, f"{DOCS}/reschedule-booking",
       codes=(
           "BOOKING_NOT_FOUND",
           "BOOKING_POLICY_VIOLATION",
           "INVALID_SERVICE_CHOICES",
           "NOT_ALLOWED_TO_UPDATE_BOOKING_IN_MULTI_SERVICE_BOOKING",
           "SCHEDULE_CAPACITY_EXCEEDED",
           "SCHEDULE_NOT_FOUND",
           "SESSION_CAPACITY_EXCEEDED",
           "SESSION_NOT_FOUND",
           "SLOT_NOT_AVAILABLE",
           "VALIDATION_FAILURE",
       ))  # fmt: skip
def reschedule(sandbox: Sandbox, call: Call) -> Doc:
    body = call.body
    slot = body.get("slot")
    if not isinstance(slot, dict) or not slot:
        raise invalid("slot", "is required", "REQUIRED_FIELD")
    participants = participants_of(body, "", required=False)
    flow = object_field(body, "flowControlSettings")
    return _mutate(
        sandbox,
        call,
        lambda doc: reschedule_booking(sandbox, doc, slot, flow, participants=participants),
        lambda doc, before, _: booking_events.rescheduled(sandbox, call, doc, before, flow),
    )


@route("POST", _paths("/bookings/{bookingId}/confirm"), "Confirm Booking", API,
       f"{DOCS}/confirm-booking",
       codes=("BOOKING_NOT_FOUND", "INVALID_BOOKING_STATUS", "NO_OPEN_SPOTS"))  # fmt: skip
def confirm(sandbox: Sandbox, call: Call) -> Doc:
    double_booked = bool(call.body.get("doubleBooked"))
    return _status_change(sandbox, call, transitions.confirm, double_booked=double_booked)


@route("POST", _paths("/bookings/{bookingId}/decline"), "Decline Booking", API,
       f"{DOCS}/decline-booking",
       codes=("BOOKING_NOT_FOUND", "INVALID_BOOKING_STATUS"))  # fmt: skip
def decline(sandbox: Sandbox, call: Call) -> Doc:
    """Reads no `flowControlSettings` (unconfirmed for Decline)."""
    payment = call.body.get("paymentStatus")
    return _mutate(
        sandbox,
        call,
        lambda doc: transitions.decline(sandbox, doc, payment_status=payment),
        _status_event(sandbox, call),
    )


@route("POST", _short("/confirmation/{bookingId}:confirmOrDecline"),
       "Confirm Or Decline Booking", API, f"{DOCS}/confirm-or-decline-booking",
       codes=("BOOKING_NOT_FOUND", "INVALID_BOOKING_STATUS"))  # fmt: skip
def confirm_or_decline(sandbox: Sandbox, call: Call) -> Doc:
    """No revision needed (the 2023 schema has none); a given one is still checked."""
    return _status_change(sandbox, call, transitions.confirm_or_decline, revision=False)


@route("POST", _short("/bulk/bookings/confirmOrDecline"),
       "Bulk Confirm Or Decline Booking", API,
       f"{DOCS}/bulk-confirm-or-decline-booking")  # fmt: skip
def bulk_confirm_or_decline(sandbox: Sandbox, call: Call) -> Doc:
    details = bulk_items(call.body, "details", MAX_BULK_CONFIRM_OR_DECLINE)
    results = []
    with sandbox.store.transaction():
        for index, detail in enumerate(details):
            detail = detail if isinstance(detail, dict) else {}
            booking_id = str(detail.get("bookingId") or "")
            try:
                if not booking_id:
                    raise invalid(f"details[{index}].bookingId", "is required", "REQUIRED_FIELD")
                doc = load_booking(sandbox, booking_id)
                before = booking_events.previous(doc)
                double_booked = transitions.confirm_or_decline(
                    sandbox, doc, payment_status=detail.get("paymentStatus")
                )
            except WixError as error:
                results.append(item_result(index, booking_id or None, None, error))
                continue
            touch(sandbox, doc)
            save_booking(sandbox, doc)
            booking_events.status_changed(sandbox, call, doc, before, double_booked=double_booked)
            results.append(item_result(index, booking_id, public_booking(doc), None))
    return bulk_response(results, bool(call.body.get("returnFullEntity")))


@route("POST", _paths("/bookings/{bookingId}/cancel"), "Cancel Booking", API,
       f"{DOCS}/cancel-booking",
       codes=(
           "BOOKING_NOT_FOUND",
           "BOOKING_POLICY_VIOLATION",
           "NOT_ALLOWED_TO_UPDATE_BOOKING_IN_MULTI_SERVICE_BOOKING",
       ))  # fmt: skip
def cancel(sandbox: Sandbox, call: Call) -> Doc:
    flow = object_field(call.body, "flowControlSettings")
    return _mutate(
        sandbox,
        call,
        lambda doc: cancel_booking(sandbox, doc, flow),
        lambda doc, before, _: booking_events.canceled(sandbox, call, doc, before, flow),
    )


@route("POST", _paths("/bookings/{bookingId}/update_number_of_participants", documented="short"),
       "Update Number Of Participants", API,
       f"{DOCS}/update-number-of-participants",
       codes=("BOOKING_NOT_FOUND",))  # fmt: skip
def update_number_of_participants(sandbox: Sandbox, call: Call) -> Doc:
    count = participants_of(call.body, "", required=True)
    assert count is not None
    return _mutate(
        sandbox,
        call,
        lambda doc: transitions.update_participants(sandbox, doc, count),
        lambda doc, before, _: booking_events.participants_updated(sandbox, call, doc, before),
    )


@route("POST", _paths("/bookings/{bookingId}/mark_booking_as_pending"),
       "Mark Booking As Pending", API, f"{DOCS}/mark-booking-as-pending",
       codes=(
           "BOOKING_MARK_BOOKING_AS_PENDING",
           "BOOKING_NOT_FOUND",
           "NOT_PENDING_APPROVAL_SERVICE",
           "NO_OPEN_SPOTS",
       ))  # fmt: skip
def mark_booking_as_pending(sandbox: Sandbox, call: Call) -> Doc:
    return _status_change(sandbox, call, transitions.mark_as_pending)


@route("POST", _short("/bulk/bookings/calculate_allowed_actions"),
       "Bulk Calculate Allowed Actions", API,
       f"{DOCS}/bulk-calculate-allowed-actions", callers=EVERYONE)  # fmt: skip
def bulk_calculate_allowed_actions(sandbox: Sandbox, call: Call) -> Doc:
    booking_ids = bulk_items(call.body, "bookingIds", MAX_BULK_ALLOWED_ACTIONS)
    results = []
    with sandbox.store.transaction():
        for index, booking_id in enumerate(booking_ids):
            try:
                doc = load_booking(sandbox, str(booking_id))
            except WixError as error:
                missing = WixError(404, "NOT_FOUND", error.message, error.data)
                results.append(item_result(index, str(booking_id), None, missing))
                continue
            results.append(item_result(index, str(booking_id), allowed_actions(sandbox, doc), None))
    return bulk_response(results, True)


ROUTES = [
    create_booking,
    bulk_create_booking,
    reschedule,
    confirm_or_decline,
    bulk_confirm_or_decline,
    confirm,
    decline,
    cancel,
    update_number_of_participants,
    mark_booking_as_pending,
    bulk_calculate_allowed_actions,
]
