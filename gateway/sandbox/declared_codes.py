"""The sandbox answers only the application error codes the Wix SDK declares per method.

Each route lists its codes (`WixRoute.codes`, compared with the SDK by `tests/sdk`); a refusal
raised with another code is answered through `STAND_INS`, or not at all: `app.py` turns it into a
500, a sandbox bug a test sees, instead of a code no Wix client expects.
"""

from __future__ import annotations

import logging

from gateway.sandbox.errors import ENTITY_NOT_FOUND_CODES, GENERIC_CODES, STATUS_CODES, WixError
from gateway.sandbox.routing import WixRoute

logger = logging.getLogger("gateway.sandbox")

# (route name, code raised by shared code) -> (code answered, why). Where Wix documents a
# refusal the SDK names no code for on that method: the closest code the method declares, or,
# failing one, Wix's standard code of the HTTP status (`errors.STATUS_CODES`).
_STALE = "the SDK declares a revision code on multi-service methods only: standard 409"
STAND_INS: dict[tuple[str, str], tuple[str, str]] = {
    # -- a stale revision -----------------------------------------------------------------------
    **{
        (method, "BOOKING_REVISION_MISMATCH"): ("ALREADY_EXISTS", _STALE)
        for method in (
            "Reschedule Booking",
            "Confirm Booking",
            "Decline Booking",
            "Cancel Booking",
            "Mark Booking As Pending",
            "Cancel Booking Anonymously",
            "Reschedule Booking Anonymously",
            "Update Number Of Participants",
        )
    },
    # -- Bookings Writer V2 ------------------------------------------------------------------------
    ("Cancel Booking", "BOOKING_ALREADY_CANCELED"): (
        "FAILED_PRECONDITION", "cancel of a CANCELED/DECLINED booking: no code; standard 428"),
    ("Reschedule Booking", "CANNOT_RESCHEDULE_COURSE_BOOKING"): (
        "FAILED_PRECONDITION", "a course booking can't be rescheduled: no code; standard 428"),
    ("Reschedule Booking", "INVALID_BOOKING_STATUS"): (
        "FAILED_PRECONDITION", "reschedule from a final status: no code; standard 428"),
    ("Cancel Booking", "INVALID_BOOKING_STATUS"): (
        "FAILED_PRECONDITION", "cancel from a status that can't be canceled: standard 428"),
    ("Confirm Booking", "NOT_ALLOWED_TO_UPDATE_BOOKING_IN_MULTI_SERVICE_BOOKING"): (
        "INVALID_BOOKING_STATUS", "declared by Reschedule/Cancel only; the closest Confirm has"),
    ("Decline Booking", "NOT_ALLOWED_TO_UPDATE_BOOKING_IN_MULTI_SERVICE_BOOKING"): (
        "INVALID_BOOKING_STATUS", "declared by Reschedule/Cancel only; the closest Decline has"),
    ("Mark Booking As Pending", "INVALID_BOOKING_STATUS"): (
        "BOOKING_MARK_BOOKING_AS_PENDING", "the method's own code for a refused transition"),
    ("Update Number Of Participants", "CANNOT_UPDATE_APPOINTMENT_PARTICIPANTS"): (
        "FAILED_PRECONDITION", "appointments have one participant: no code; standard 428"),
    ("Update Number Of Participants", "INVALID_BOOKING_STATUS"): (
        "FAILED_PRECONDITION", "update from a final status: no code; standard 428"),
    ("Update Number Of Participants", "SESSION_CAPACITY_EXCEEDED"): (
        "FAILED_PRECONDITION", "the session can't take them: no code; standard 428"),
    ("Update Number Of Participants", "SCHEDULE_CAPACITY_EXCEEDED"): (
        "FAILED_PRECONDITION", "the course can't take them: no code; standard 428"),
    ("Update Number Of Participants", "VALIDATION_FAILURE"): (
        "FAILED_PRECONDITION", "outside the service's participant range: no code; standard 428"),
    # -- anonymous actions -------------------------------------------------------------------------
    **{
        ("Reschedule Booking Anonymously", code): (
            "RESCHEDULING_NOT_ALLOWED", "the new slot refused: the method's only 428 code")
        for code in (
            "SLOT_NOT_AVAILABLE",
            "SESSION_NOT_FOUND",
            "SESSION_CAPACITY_EXCEEDED",
            "BOOKING_POLICY_VIOLATION",
            "VALIDATION_FAILURE",
            "INVALID_DATE_FORMAT",
        )
    },
    # -- multi-service bookings --------------------------------------------------------------------
    **{
        ("Create Multi Service Booking", code): (
            "VALIDATION_FAILURE", "not a valid package (gap, locations, service type)")
        for code in ("BOOKINGS_NOT_SEQUENTIAL", "BOOKINGS_AT_DIFFERENT_LOCATIONS",
                     "SERVICE_TYPE_NOT_SUPPORTED")
    },
    ("Create Multi Service Booking", "BOOKING_POLICY_VIOLATION"): (
        "VALIDATION_FAILURE", "a booking the service's policy refuses: the closest declared"),
    ("Create Multi Service Booking", "SESSION_NOT_FOUND"): (
        "SCHEDULE_NOT_FOUND", "the closest the method declares"),
    ("Reschedule Multi Service Booking", "BOOKING_NOT_IN_MULTI_SERVICE_BOOKING"): (
        "BOOKING_NOT_FOUND", "a booking id the package doesn't hold"),
    ("Reschedule Multi Service Booking", "BOOKINGS_NOT_SEQUENTIAL"): (
        "FAILED_PRECONDITION", "the new slots leave a gap: no code; standard 428"),
    ("Reschedule Multi Service Booking", "SLOT_NOT_AVAILABLE"): (
        "NO_OPEN_SPOTS", "the method's code for a taken slot"),
    ("Cancel Multi Service Booking", "BOOKING_POLICY_VIOLATION"): (
        "PERMISSION_DENIED", "the cancellation window passed: no code; standard 403"),
    ("Reschedule Multi Service Booking", "BOOKING_POLICY_VIOLATION"): (
        "PERMISSION_DENIED", "the reschedule window passed: no code; standard 403"),
    ("Mark Multi Service Booking As Pending", "NOT_PENDING_APPROVAL_SERVICE"): (
        "FAILED_PRECONDITION", "declared by the single-booking method only; standard 428"),
    ("Mark Multi Service Booking As Pending", "INVALID_BOOKING_STATUS"): (
        "FAILED_PRECONDITION", "declared by Confirm/Decline only; standard 428"),
    ("Cancel Multi Service Booking", "INVALID_BOOKING_STATUS"): (
        "FAILED_PRECONDITION", "declared by Confirm/Decline only; standard 428"),
    ("Add Bookings To Multi Service Booking", "BOOKINGS_NOT_SEQUENTIAL"): (
        "FAILED_PRECONDITION", "the added booking leaves a gap: no code; standard 428"),
    ("Add Bookings To Multi Service Booking", "MULTI_SERVICE_BOOKING_MAX_BOOKINGS_EXCEEDED"): (
        "FAILED_PRECONDITION", "more than 8 bookings: no code; standard 428"),
    ("Add Bookings To Multi Service Booking", "BOOKINGS_AT_DIFFERENT_LOCATIONS"): (
        "FAILED_PRECONDITION", "another location: no code; standard 428"),
    ("Add Bookings To Multi Service Booking", "SERVICE_TYPE_NOT_SUPPORTED"): (
        "FAILED_PRECONDITION", "a class or course booking: no code; standard 428"),
    ("Remove Bookings From Multi Service Booking", "BOOKINGS_NOT_SEQUENTIAL"): (
        "FAILED_PRECONDITION", "the removal leaves a gap: no code; standard 428"),
    ("Remove Bookings From Multi Service Booking", "BOOKING_NOT_IN_MULTI_SERVICE_BOOKING"): (
        "BOOKING_NOT_FOUND", "a booking id the package doesn't hold"),
    # -- services ----------------------------------------------------------------------------------
    ("Update Service", "BOOKING_REVISION_MISMATCH"): (
        "ALREADY_EXISTS", "a stale service revision: the SDK declares no code; standard 409"),
    # -- time slots, forms, policies, OAuth -------------------------------------------------------
    **{
        (method, "MISSING_ARGUMENTS"): ("INVALID_ARGUMENT", "declared by the list methods only")
        for method in ("Get Availability Time Slot", "Get Multi Service Availability Time Slot",
                       "List Event Time Slots")
    },
    ("Get Event Time Slot", "EVENT_NOT_FOUND"): ("NOT_FOUND", "no code declared: standard 404"),
    ("Get Form", "FORM_NOT_FOUND"): ("NOT_FOUND", "no code declared: standard 404"),
    ("Get Form Summary", "FORM_NOT_FOUND"): ("NOT_FOUND", "no code declared: standard 404"),
    ("Get Booking Policy", "BOOKING_POLICY_NOT_FOUND"): (
        "NOT_FOUND", "no code declared: standard 404"),
    ("Retrieve Tokens", "INVALID_CLIENT"): ("INVALID_ARGUMENT", "no code declared: standard 400"),
    ("Retrieve Tokens", "INVALID_GRANT"): ("INVALID_ARGUMENT", "no code declared: standard 400"),
}  # fmt: skip


def answerable(wix_route: WixRoute, error: WixError) -> WixError | None:
    """The error as the route may answer it, or None when its code is declared nowhere."""
    if error.is_validation or error.code in GENERIC_CODES or error.code in wix_route.codes:
        return error
    if error.status == 404 and error.code in ENTITY_NOT_FOUND_CODES:
        return error
    stand_in = STAND_INS.get((wix_route.name, error.code))
    if stand_in is not None:
        return error.recoded(stand_in[0])
    logger.error("%s raised %s, which the method does not declare", wix_route.name, error.code)
    return None


def undeclared(error: WixError) -> WixError:
    """The 500 sent instead of an undeclared code."""
    return WixError(500, STATUS_CODES[500], f"Undeclared error code {error.code}")
