"""Bookings Writer V2, multi-service bookings ("Multi-service bookings" in
https://dev.wix.com/docs/api-reference/business-solutions/bookings/bookings/bookings-writer-v2/introduction).

Every handler does all its reads and writes inside one `sandbox.store.transaction()`, and every
method is all-or-nothing: the first failure raises, the transaction rolls back, and no half-made
or half-changed package is ever visible. Each booking a method changes emits its own webhook
(`booking_events.py`), recorded once the method's changes are all made.

Request shapes are unconfirmed in the contract; our choices (one line each):
- Create: `{"multiServiceBooking": {"bookings": [{"booking": <Booking>}]}}`, or the SDK's
  `{"bookings": [<Booking>]}`; `booking` objects are returned only with `returnFullEntity`.
- Reschedule: `rescheduleBookingsInfo: [{bookingId, slot, revision}]` (a subset of the bookings).
- Confirm / Decline / Mark as pending: `confirmBookingsInfo` / `declineBookingsInfo` /
  `markAsPendingBookingsInfo: [{bookingId, revision, paymentStatus?}]`, listing every booking.
- Add / Remove: `{multiServiceBookingId, bookings: [{bookingId, revision}]}`; Remove with an
  empty list removes every booking; after removing, the response lists the bookings the package
  kept, or the lone survivor when the package was deleted.
- Bulk allowed actions: `{multiServiceBookingIds}` (at most 50); a package may be canceled
  (rescheduled) when it has an active booking and every active booking may be.
"""

from __future__ import annotations

from typing import Any

from gateway.sandbox import booking_access as access
from gateway.sandbox import booking_events
from gateway.sandbox import booking_transitions as transitions
from gateway.sandbox import multi_service as msb
from gateway.sandbox.api.bookings_writer import API, DOCS
from gateway.sandbox.api.forms import load_form
from gateway.sandbox.booking_forms import check_answers
from gateway.sandbox.bookings import (
    allowed_actions,
    build_booking,
    cancel_booking,
    check_revision,
    load_booking,
    reschedule_booking,
    save_booking,
    touch,
)
from gateway.sandbox.bulk import bulk_items, bulk_response, item_result, object_field
from gateway.sandbox.errors import WixError, invalid
from gateway.sandbox.identity import EVERYONE
from gateway.sandbox.routing import Call, route
from gateway.sandbox.state import Sandbox

BASE = "/_api/bookings-service/v2/multi_service_bookings"
MAX_ALLOWED_ACTIONS_IDS = 50

Doc = dict[str, Any]


def _list(body: Doc, name: str, *, allow_empty: bool = False) -> list[Doc]:
    """A required list of objects in the request body (400 otherwise)."""
    items = body.get(name)
    if items is None and allow_empty:
        return []
    if not isinstance(items, list) or (not items and not allow_empty):
        raise invalid(name, "is required", "REQUIRED_FIELD")
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise invalid(f"{name}[{index}]", "must be an object")
    return items


def _booking_items(body: Doc, name: str, *, allow_empty: bool = False) -> list[Doc]:
    """A required list of `{bookingId, ...}` objects naming each booking once (400 otherwise)."""
    items = _list(body, name, allow_empty=allow_empty)
    ids = [item.get("bookingId") for item in items]
    for index, booking_id in enumerate(ids):
        if not booking_id:
            raise invalid(f"{name}[{index}].bookingId", "is required", "REQUIRED_FIELD")
        if booking_id in ids[:index]:
            raise invalid(f"{name}[{index}].bookingId", "is listed twice")
    return items


def _requested_bookings(body: Doc) -> list[Doc]:
    """The Booking objects to create, from either accepted request shape."""
    wrapper = body.get("multiServiceBooking")
    if isinstance(wrapper, dict):
        field = "multiServiceBooking.bookings"
        items: list[Any] = [item.get("booking") for item in _list(wrapper, "bookings")]
    else:
        field = "bookings"
        items = list(_list(body, "bookings"))
    if not msb.MIN_BOOKINGS <= len(items) <= msb.MAX_BOOKINGS:
        raise invalid(field, f"must hold {msb.MIN_BOOKINGS} to {msb.MAX_BOOKINGS} bookings", "SIZE")
    for index, booking in enumerate(items):
        if not isinstance(booking, dict):
            raise invalid(f"{field}[{index}].booking", "is required", "REQUIRED_FIELD")
    kind = body.get("multiServiceBookingType")
    if kind not in (None, msb.SEQUENTIAL):
        raise invalid("multiServiceBookingType", f"only {msb.SEQUENTIAL} is supported")
    return items


@route("POST", BASE, "Create Multi Service Booking", API, f"{DOCS}/create-multi-service-booking",
       callers=EVERYONE,
       codes=("SCHEDULE_NOT_FOUND", "SLOT_NOT_AVAILABLE", "VALIDATION_FAILURE"))  # fmt: skip
def create_multi_service_booking(sandbox: Sandbox, call: Call) -> Doc:
    """Each booking is validated like Create Booking against the calendar as it was before the
    call (back to back, the package's bookings can't take each other's place); then all are
    saved in one transaction, or none."""
    body = call.body
    requested = _requested_bookings(body)
    flow = object_field(body, "flowControlSettings")
    answers = body.get("formSubmission")
    with sandbox.store.transaction():
        if isinstance(answers, dict):  # the package's bookings use the all-zero (default) form
            check_answers(load_form(sandbox, msb.PACKAGE_FORM_ID), answers)
        package = msb.new_package(sandbox)
        docs = []
        for index, booking in enumerate(requested):
            booking = {k: v for k, v in booking.items() if k != "multiServiceBookingInfo"}
            booking = access.customer_booking(call.caller, booking, flow, f"bookings[{index}]")
            doc = build_booking(sandbox, booking, answers, flow, validate_form=False)
            docs.append(access.stamp_creator(call.caller, doc))
        msb.check_appointments(docs)
        msb.check_sequence(docs)
        for doc in docs:
            msb.use_package_form(doc)
            msb.join(doc, package["id"])
            save_booking(sandbox, doc)
        msb.save_package(sandbox, package)
        for doc in docs:
            booking_events.created(sandbox, call, doc)
    return msb.public_package(package, docs, with_bookings=bool(body.get("returnFullEntity")))


@route("GET", f"{BASE}/{{multiServiceBookingId}}", "Get Multi Service Booking", API,
       f"{DOCS}/get-multi-service-booking", callers=EVERYONE)  # fmt: skip
def get_multi_service_booking(sandbox: Sandbox, call: Call) -> Doc:
    with sandbox.store.transaction():
        package, docs = msb.load_with_members(sandbox, call.params["multiServiceBookingId"])
    return msb.public_package(package, docs)


@route("POST", f"{BASE}/{{multiServiceBookingId}}/reschedule",
       "Reschedule Multi Service Booking", API,
       f"{DOCS}/reschedule-multi-service-booking",
       codes=(
           "BOOKING_NOT_FOUND",
           "BOOKING_REVISION_MISMATCH",
           "MULTI_SERVICE_BOOKING_NOT_FOUND",
           "NO_OPEN_SPOTS",
       ))  # fmt: skip
def reschedule_multi_service_booking(sandbox: Sandbox, call: Call) -> Doc:
    """New slots are checked like Reschedule Booking, ignoring the package's own old slots; the
    package's resulting timetable must still be back to back."""
    infos = _booking_items(call.body, "rescheduleBookingsInfo")
    flow = object_field(call.body, "flowControlSettings")
    with sandbox.store.transaction():
        package, docs = msb.load_with_members(sandbox, call.params["multiServiceBookingId"])
        moves = []
        for index, info in enumerate(infos):
            doc = msb.member(docs, package["id"], info["bookingId"])
            check_revision(doc, info.get("revision"))
            slot = info.get("slot")
            if not isinstance(slot, dict) or not slot:
                raise invalid(f"rescheduleBookingsInfo[{index}].slot", "is required",
                              "REQUIRED_FIELD")  # fmt: skip
            moves.append((doc, slot, booking_events.previous(doc)))
        with msb.lifted(sandbox, docs):
            for doc, slot, _ in moves:
                touch(sandbox, reschedule_booking(sandbox, doc, slot, flow))
            msb.check_sequence(msb.in_time_order(docs))
        for doc, _, before in moves:
            booking_events.rescheduled(sandbox, call, doc, before, flow)
    return msb.public_package(package, docs)


@route("POST", f"{BASE}/{{multiServiceBookingId}}/cancel", "Cancel Multi Service Booking", API,
       f"{DOCS}/cancel-multi-service-booking",
       codes=("ALL_BOOKINGS_ARE_ALREADY_CANCELED", "MULTI_SERVICE_BOOKING_NOT_FOUND"))  # fmt: skip
def cancel_multi_service_booking(sandbox: Sandbox, call: Call) -> Doc:
    """Cancels every active booking (each within its cancellation policy unless the flags say
    otherwise); fails when all are already canceled or declined."""
    flow = object_field(call.body, "flowControlSettings")
    with sandbox.store.transaction():
        package, docs = msb.load_with_members(sandbox, call.params["multiServiceBookingId"])
        msb.check_any_active(docs)
        for doc in docs:
            if msb.is_active(doc):
                before = booking_events.previous(doc)
                touch(sandbox, cancel_booking(sandbox, doc, flow))
                save_booking(sandbox, doc)
                booking_events.canceled(sandbox, call, doc, before, flow)
    return msb.public_package(package, docs)


def _change_every_booking(
    sandbox: Sandbox, call: Call, field: str, change: transitions.StatusChange
) -> Doc:
    """Confirm / decline / mark as pending: every booking listed with its current revision (and
    its own `paymentStatus`), all changed or none
    (https://dev.wix.com/docs/api-reference/business-solutions/bookings/bookings/bookings-writer-v2/confirm-multi-service-booking)."""
    infos = _booking_items(call.body, field)
    flow = object_field(call.body, "flowControlSettings")
    with sandbox.store.transaction():
        package, docs = msb.load_with_members(sandbox, call.params["multiServiceBookingId"])
        listed = {info["bookingId"]: info for info in infos}
        for info in infos:
            check_revision(msb.member(docs, package["id"], info["bookingId"]), info.get("revision"))
        if len(listed) != len(docs):
            raise invalid(field, "must list every booking of the multi-service booking")
        changes = []
        with msb.lifted(sandbox, docs):
            for doc in docs:
                before = booking_events.previous(doc)
                payment = listed[doc["id"]].get("paymentStatus")
                double_booked = change(sandbox, doc, payment_status=payment, flow=flow)
                touch(sandbox, doc)
                changes.append((doc, before, double_booked))
        for doc, before, double_booked in changes:
            booking_events.status_changed(sandbox, call, doc, before, double_booked=double_booked)
    return msb.public_package(package, docs)


@route("POST", f"{BASE}/{{multiServiceBookingId}}/confirm", "Confirm Multi Service Booking",
       API, f"{DOCS}/confirm-multi-service-booking",
       codes=(
           "BOOKING_REVISION_MISMATCH",
           "INVALID_BOOKING_STATUS",
           "MULTI_SERVICE_BOOKING_NOT_FOUND",
           "NO_OPEN_SPOTS",
       ))  # fmt: skip
def confirm_multi_service_booking(sandbox: Sandbox, call: Call) -> Doc:
    return _change_every_booking(sandbox, call, "confirmBookingsInfo", transitions.confirm)


@route("POST", f"{BASE}/{{multiServiceBookingId}}/decline", "Decline Multi Service Booking",
       API, f"{DOCS}/decline-multi-service-booking",
       codes=(
           "BOOKING_REVISION_MISMATCH",
           "INVALID_BOOKING_STATUS",
           "MULTI_SERVICE_BOOKING_NOT_FOUND",
       ))  # fmt: skip
def decline_multi_service_booking(sandbox: Sandbox, call: Call) -> Doc:
    return _change_every_booking(sandbox, call, "declineBookingsInfo", transitions.decline)


@route("POST", f"{BASE}/{{multiServiceBookingId}}/mark_as_pending",
       "Mark Multi Service Booking As Pending", API,
       f"{DOCS}/mark-multi-service-booking-as-pending",
       codes=(
           "BOOKING_REVISION_MISMATCH",
           "MULTI_SERVICE_BOOKING_NOT_FOUND",
           "NO_OPEN_SPOTS",
       ))  # fmt: skip
def mark_multi_service_booking_as_pending(sandbox: Sandbox, call: Call) -> Doc:
    field = "markAsPendingBookingsInfo"
    return _change_every_booking(sandbox, call, field, transitions.mark_as_pending)


def _package_id(body: Doc) -> str:
    package_id = body.get("multiServiceBookingId")
    if not isinstance(package_id, str) or not package_id:
        raise invalid("multiServiceBookingId", "is required", "REQUIRED_FIELD")
    return package_id


@route("POST", f"{BASE}/add_bookings_to_multi_service_booking",
       "Add Bookings To Multi Service Booking", API,
       f"{DOCS}/add-bookings-to-multi-service-booking",
       codes=(
           "BOOKING_ALREADY_PART_OF_ANOTHER_MULTI_SERVICE_BOOKING",
           "BOOKING_NOT_FOUND",
           "BOOKING_REVISION_MISMATCH",
           "BOOKING_TO_ADD_STATUS_NOT_VALID",
           "MULTI_SERVICE_BOOKING_NOT_FOUND",
       ))  # fmt: skip
def add_bookings_to_multi_service_booking(sandbox: Sandbox, call: Call) -> Doc:
    """Independent, active appointments join when the package stays back to back (≤ 8)."""
    items = _booking_items(call.body, "bookings")
    with sandbox.store.transaction():
        package, docs = msb.load_with_members(sandbox, _package_id(call.body))
        added = []
        for item in items:
            doc = load_booking(sandbox, str(item["bookingId"]))
            check_revision(doc, item.get("revision"))
            msb.check_joinable(doc)
            added.append(doc)
        msb.check_size(len(docs) + len(added))
        msb.check_appointments(added)
        msb.check_sequence(msb.in_time_order(docs + added))
        for doc in added:
            msb.join(doc, package["id"])
            save_booking(sandbox, touch(sandbox, doc))
            booking_events.updated(sandbox, call, doc)
        msb.save_package(sandbox, package)
    return msb.public_package(package, docs + added)


@route("POST", f"{BASE}/remove_bookings_from_multi_service_booking",
       "Remove Bookings From Multi Service Booking", API,
       f"{DOCS}/remove-bookings-from-multi-service-booking",
       codes=(
           "BOOKING_NOT_FOUND",
           "BOOKING_REVISION_MISMATCH",
           "MULTI_SERVICE_BOOKING_NOT_FOUND",
       ))  # fmt: skip
def remove_bookings_from_multi_service_booking(sandbox: Sandbox, call: Call) -> Doc:
    """Only the first/last bookings may go (the rest must stay back to back); with fewer than 2
    left the package is deleted and the survivor becomes a standalone booking."""
    items = _booking_items(call.body, "bookings", allow_empty=True)
    with sandbox.store.transaction():
        package, docs = msb.load_with_members(sandbox, _package_id(call.body))
        removed = []
        for item in items:
            doc = msb.member(docs, package["id"], item["bookingId"])
            check_revision(doc, item.get("revision"))
            removed.append(doc)
        if not items:
            removed = list(docs)
        removed_ids = {doc["id"] for doc in removed}
        kept = [doc for doc in docs if doc["id"] not in removed_ids]
        msb.check_sequence(kept)
        dissolved = len(kept) < msb.MIN_BOOKINGS
        for doc in removed + (kept if dissolved else []):
            msb.leave(doc)
            save_booking(sandbox, touch(sandbox, doc))
            booking_events.updated(sandbox, call, doc)
        if dissolved:
            msb.delete_package(sandbox, package)
        else:
            msb.save_package(sandbox, package)
    return msb.public_package(package, kept)


@route("POST", "/bookings/multiServiceBookings/v2/bulk/multi_service_bookings/get_allowed_actions",
       "Bulk Get Multi Service Booking Allowed Actions", API,
       f"{DOCS}/bulk-get-multi-service-booking-allowed-actions", callers=EVERYONE)  # fmt: skip
def bulk_get_multi_service_booking_allowed_actions(sandbox: Sandbox, call: Call) -> Doc:
    ids = bulk_items(call.body, "multiServiceBookingIds", MAX_ALLOWED_ACTIONS_IDS)
    results = []
    with sandbox.store.transaction():
        for index, package_id in enumerate(ids):
            try:
                package, docs = msb.load_with_members(sandbox, str(package_id))
            except WixError as error:
                results.append(item_result(index, str(package_id), None, error))
                continue
            active = [doc for doc in docs if msb.is_active(doc)]
            each = [allowed_actions(sandbox, doc) for doc in active]
            item = {action: bool(each) and all(a[action] for a in each)
                    for action in ("cancel", "reschedule")}  # fmt: skip
            results.append(item_result(index, package["id"], item, None))
    return bulk_response(results, True)


ROUTES = [
    create_multi_service_booking,
    get_multi_service_booking,
    reschedule_multi_service_booking,
    cancel_multi_service_booking,
    confirm_multi_service_booking,
    decline_multi_service_booking,
    mark_multi_service_booking_as_pending,
    add_bookings_to_multi_service_booking,
    remove_bookings_from_multi_service_booking,
    bulk_get_multi_service_booking_allowed_actions,
]
