"""Multi-service bookings ("packages"): 2 to 8 back-to-back appointments at one location.

A package is a small document in table `multi_service_bookings` ({id, type, createdDate,
updatedDate}). Which bookings belong to it is recorded only on the bookings themselves
(`multiServiceBookingInfo` on the wire, which `save_booking` indexes as `_sandbox.msb_id`), so
membership has one source of truth. The HTTP handlers (`api/multi_service.py`) run every change
inside one store transaction, so a half-made or half-changed package is never visible.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from gateway.sandbox.bookings import public_booking, save_booking
from gateway.sandbox.errors import not_found, precondition
from gateway.sandbox.seed import DEFAULT_FORM_ID
from gateway.sandbox.state import Sandbox
from gateway.sandbox.wire import parse_utc, utc_iso

TABLE = "multi_service_bookings"
MIN_BOOKINGS = 2
MAX_BOOKINGS = 8
# SEPARATE_BOOKINGS is "not currently supported" (Wix's SDK types).
SEQUENTIAL = "SEQUENTIAL_BOOKINGS"
# Bookings made by Create MSB carry the all-zero form id:
# https://dev.wix.com/docs/api-reference/business-solutions/bookings/bookings/bookings-writer-v2/booking-object
PACKAGE_FORM_ID = DEFAULT_FORM_ID
INACTIVE_STATUSES = ("CANCELED", "DECLINED")

# Application error codes: the names the Wix SDK declares; the others are sandbox names for
# refusals no method declares a code for, recoded per method by `declared_codes.STAND_INS`.
PACKAGE_NOT_FOUND = "MULTI_SERVICE_BOOKING_NOT_FOUND"  # 404
BOOKING_NOT_IN_PACKAGE = "BOOKING_NOT_IN_MULTI_SERVICE_BOOKING"  # 404
NOT_SEQUENTIAL = "BOOKINGS_NOT_SEQUENTIAL"  # 428: a gap or an overlap
DIFFERENT_LOCATIONS = "BOOKINGS_AT_DIFFERENT_LOCATIONS"  # 428
NOT_APPOINTMENT = "SERVICE_TYPE_NOT_SUPPORTED"  # 428: a class or course booking
TOO_MANY_BOOKINGS = "MULTI_SERVICE_BOOKING_MAX_BOOKINGS_EXCEEDED"  # 428: Add beyond 8
ALREADY_IN_PACKAGE = "BOOKING_ALREADY_PART_OF_ANOTHER_MULTI_SERVICE_BOOKING"  # 428: Add
INCOMPATIBLE_STATUS = "BOOKING_TO_ADD_STATUS_NOT_VALID"  # 428: Add of a canceled/declined booking
ALL_CANCELED = "ALL_BOOKINGS_ARE_ALREADY_CANCELED"  # 428: Cancel


# -- the package document --------------------------------------------------------------------


def new_package(sandbox: Sandbox) -> dict[str, Any]:
    now = utc_iso(sandbox.clock.now())
    return {"id": str(uuid.uuid4()), "type": SEQUENTIAL, "createdDate": now, "updatedDate": now}


def load_package(sandbox: Sandbox, package_id: str) -> dict[str, Any]:
    package = sandbox.store.get(TABLE, package_id)
    if package is None:
        raise not_found(
            PACKAGE_NOT_FOUND,
            f"Multi-service booking {package_id} not found",
            {"multiServiceBookingId": package_id},
        )
    return package


def save_package(sandbox: Sandbox, package: dict[str, Any]) -> None:
    package["updatedDate"] = utc_iso(sandbox.clock.now())
    sandbox.store.put(TABLE, package)


def delete_package(sandbox: Sandbox, package: dict[str, Any]) -> None:
    sandbox.store.delete(TABLE, package["id"])


def public_package(
    package: dict[str, Any], docs: list[dict[str, Any]], *, with_bookings: bool = True
) -> dict[str, Any]:
    """`{"multiServiceBooking": {id, bookings: [{bookingId, booking?}]}}`, earliest first
    (https://dev.wix.com/docs/api-reference/business-solutions/bookings/bookings/bookings-writer-v2/get-multi-service-booking;
    the shape beyond `id` and `bookingId` is unconfirmed)."""
    items: list[dict[str, Any]] = []
    for doc in in_time_order(docs):
        item: dict[str, Any] = {"bookingId": doc["id"]}
        if with_bookings:
            item["booking"] = public_booking(doc)
        items.append(item)
    return {"multiServiceBooking": {"id": package["id"], "bookings": items}}


# -- membership ------------------------------------------------------------------------------


def load_with_members(
    sandbox: Sandbox, package_id: str
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The package (404 when unknown) and its bookings, earliest first."""
    package = load_package(sandbox, package_id)
    return package, in_time_order(sandbox.store.bookings_where("msb_id = ?", (package["id"],)))


def member(docs: list[dict[str, Any]], package_id: str, booking_id: Any) -> dict[str, Any]:
    """The member booking with this id (404 when the package has no such booking)."""
    for doc in docs:
        if doc["id"] == booking_id:
            return doc
    raise not_found(
        BOOKING_NOT_IN_PACKAGE,
        f"Booking {booking_id} is not part of multi-service booking {package_id}",
        {"bookingId": booking_id, "multiServiceBookingId": package_id},
    )


def join(doc: dict[str, Any], package_id: str) -> None:
    doc["multiServiceBookingInfo"] = {"id": package_id, "type": SEQUENTIAL}


def leave(doc: dict[str, Any]) -> None:
    doc.pop("multiServiceBookingInfo", None)


def package_id_of(doc: dict[str, Any]) -> str | None:
    return (doc.get("multiServiceBookingInfo") or {}).get("id")


def use_package_form(doc: dict[str, Any]) -> None:
    """Bookings created as a package answer the all-zero default form, not their service's."""
    doc["formId"] = PACKAGE_FORM_ID
    submission = doc["_sandbox"].get("submission")
    if submission:
        submission["formId"] = PACKAGE_FORM_ID


@contextmanager
def lifted(sandbox: Sandbox, docs: list[dict[str, Any]]) -> Iterator[None]:
    """Take the package's bookings off the calendar while the block changes them together, then
    save them all back.

    The single-booking checks the block reuses (reschedule, confirm) count every other blocking
    booking; lifted, a booking's siblings' old places don't count against its new one. A failure
    inside the block rolls the whole transaction back, rows included."""
    with sandbox.store.transaction():
        for doc in docs:
            sandbox.store.delete("bookings", doc["id"])
        yield
        for doc in docs:
            save_booking(sandbox, doc)


# -- rules -----------------------------------------------------------------------------------


def in_time_order(docs: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(docs, key=start_of)


def start_of(doc: dict[str, Any]) -> datetime:
    return parse_utc(doc["startDate"], "startDate")


def end_of(doc: dict[str, Any]) -> datetime:
    return parse_utc(doc["endDate"], "endDate")


def is_active(doc: dict[str, Any]) -> bool:
    return doc["status"] not in INACTIVE_STATUSES


def check_appointments(docs: Iterable[dict[str, Any]]) -> None:
    """Packages hold appointments only: no class sessions, no courses
    (https://dev.wix.com/docs/api-reference/business-solutions/bookings/bookings/bookings-writer-v2/introduction)."""
    for doc in docs:
        kind = doc["_sandbox"].get("kind")
        if kind != "APPOINTMENT":
            raise precondition(
                NOT_APPOINTMENT,
                "Multi-service bookings support appointment services only",
                {"bookingId": doc["id"], "serviceType": kind},
            )


def check_sequence(docs: list[dict[str, Any]]) -> None:
    """`docs`, in the order given, are at one location and each starts when the previous ends."""
    if len({doc["_sandbox"].get("location_id") for doc in docs}) > 1:
        raise precondition(
            DIFFERENT_LOCATIONS, "All bookings of a multi-service booking must share one location"
        )
    for previous, current in itertools.pairwise(docs):
        if start_of(current) != end_of(previous):
            raise precondition(
                NOT_SEQUENTIAL,
                "Bookings of a multi-service booking must run back to back, no gaps or overlaps",
                {"bookingId": current["id"], "expectedStartDate": utc_iso(end_of(previous))},
            )


def check_size(count: int) -> None:
    if count > MAX_BOOKINGS:
        raise precondition(
            TOO_MANY_BOOKINGS,
            f"A multi-service booking holds at most {MAX_BOOKINGS} bookings",
            {"maxBookings": MAX_BOOKINGS},
        )


def check_any_active(docs: list[dict[str, Any]]) -> None:
    """Cancel fails when every booking is already canceled or declined
    (https://dev.wix.com/docs/api-reference/business-solutions/bookings/bookings/bookings-writer-v2/cancel-multi-service-booking)."""
    if not any(is_active(doc) for doc in docs):
        raise precondition(ALL_CANCELED, "All bookings are already canceled or declined")


def check_joinable(doc: dict[str, Any]) -> None:
    """Only independent, active bookings may join a package
    (https://dev.wix.com/docs/api-reference/business-solutions/bookings/bookings/bookings-writer-v2/add-bookings-to-multi-service-booking)."""
    if package_id_of(doc):
        raise precondition(
            ALREADY_IN_PACKAGE,
            f"Booking {doc['id']} already belongs to a multi-service booking",
            {"bookingId": doc["id"]},
        )
    if not is_active(doc):
        raise precondition(
            INCOMPATIBLE_STATUS,
            f"Booking {doc['id']} is {doc['status']} and can't join a multi-service booking",
            {"bookingId": doc["id"], "currentBookingStatus": doc["status"]},
        )
