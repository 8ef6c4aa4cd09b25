"""End-to-end tests of the flow mutations through `/graphql` against the embedded sandbox.

Helpers: GraphQL documents selecting every outcome member a union has, lookups of bookable
slots and class sessions through the gateway's own upstream layer (the sandbox's Time Slots),
and bookings made or read straight through the sandbox's Bookings API, to set up a test or check
what Wix stores. Every test starts on the frozen clock of `tests/frozen.py` (Monday 2026-03-02
09:00 UTC), so fixed dates below are relative to it.
"""

from __future__ import annotations

import asyncio
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from gateway.sandbox import seed
from tests.graphql import Gateway, local_today, next_weekday

CREATE_BOOKING = "POST /_api/bookings-service/v2/bookings"
CONFIRM_OR_DECLINE = "POST /bookings/v2/confirmation/{bookingId}:confirmOrDecline"
GET_SLOT = "POST /_api/service-availability/v2/time-slots/get"
LIST_SLOTS = "POST /_api/service-availability/v2/time-slots"
GET_EVENT = "GET /_api/service-availability/v2/time-slots/event/{eventId}"
QUERY_BOOKINGS = "POST /_api/bookings-reader/v2/extended-bookings/query"
QUERY_SERVICES = "POST /bookings/v2/services/query"
GET_FORM = "GET /form-schema-service/v4/forms/{formId}"
RESCHEDULE = "POST /bookings/v2/bookings/{bookingId}/reschedule"
CANCEL = "POST /_api/bookings-service/v2/bookings/{bookingId}/cancel"

Json = dict[str, Any]

CONTACT = {"firstName": "Maya", "lastName": "Rosen", "email": "maya@example.com"}
ADA_FORM = {"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com"}
BOOKING = """booking {
  id status revision paymentStatus participants doubleBooked start end
  contact { contactId firstName lastName email phone }
  slot { serviceId eventId start end timeZone resource { id } location { id type } }
  schedule { scheduleId }
}"""
MEMBER_FIELDS = {
    "BookingCreated": BOOKING,
    "BookingUpdated": BOOKING,
    "SlotUnavailable": "message declinedBookingId "
    "alternatives { localStart localEnd bookable resources { id } }",
    "FormInvalid": "message fieldErrors { target message }",
    "PolicyViolation": "message tooEarly tooLate onlineBookingDisabled earliestBookingDate",
    "ClassFull": "message remaining waitingListAvailable",
    "CourseFull": "message capacity remaining",
    "RevisionConflict": f"message currentRevision {BOOKING}",
    "NotAllowed": "message reason code",
    "NotFound": "message id",
    "IdempotencyKeyReused": "message key",
}
COMMON = ("NotAllowed", "NotFound", "IdempotencyKeyReused")
UNIONS = {
    "bookAppointment": (
        "BookAppointmentInput",
        ("BookingCreated", "SlotUnavailable", "FormInvalid", "PolicyViolation", *COMMON),
    ),
    "bookClassSession": (
        "BookClassSessionInput",
        ("BookingCreated", "ClassFull", "FormInvalid", "PolicyViolation", *COMMON),
    ),
    "bookCourse": (
        "BookCourseInput",
        ("BookingCreated", "CourseFull", "FormInvalid", "PolicyViolation", *COMMON),
    ),
    "rescheduleBooking": (
        "RescheduleBookingInput",
        ("BookingUpdated", "SlotUnavailable", "PolicyViolation", "RevisionConflict", *COMMON),
    ),
    "cancelBooking": ("CancelBookingInput", ("BookingUpdated", "RevisionConflict", *COMMON)),
}
for _name in (
    "confirmBooking",
    "declineBooking",
    "confirmOrDeclineBooking",
    "markBookingAsPending",
):
    UNIONS[_name] = ("BookingStatusInput", ("BookingUpdated", "RevisionConflict", *COMMON[:2]))
UNIONS["updateNumberOfParticipants"] = (
    "UpdateNumberOfParticipantsInput",
    ("BookingUpdated", "RevisionConflict", *COMMON[:2]),
)


def selection(members: tuple[str, ...]) -> str:
    return "__typename " + " ".join(f"... on {m} {{ {MEMBER_FIELDS[m]} }}" for m in members)


def document(mutation: str) -> str:
    input_type, members = UNIONS[mutation]
    return (
        f"mutation($input: {input_type}!) {{ {mutation}(input: $input) "
        f"{{ {selection(members)} }} }}"
    )


async def mutate(gateway: Gateway, mutation: str, input: dict[str, Any]) -> dict[str, Any]:
    """The mutation's outcome (a response without errors is required)."""
    data = await gateway.data(document(mutation), {"input": input})
    result: dict[str, Any] = data[mutation]
    return result


def london(day: date, hhmm: str) -> datetime:
    hour, minute = map(int, hhmm.split(":"))
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZoneInfo(seed.TIME_ZONE))


async def appointment_slots(
    gateway: Gateway, service_id: str, day: date, *, bookable: bool = True
) -> list[dict[str, Any]]:
    """The service's slots on `day` (London), with their staff, as Time Slots lists them."""
    body = await gateway.upstream.time_slots.list_availability(
        {
            "serviceId": service_id,
            "fromLocalDate": f"{day}T00:00:00",
            "toLocalDate": f"{day + timedelta(days=1)}T00:00:00",
            "timeZone": seed.TIME_ZONE,
            "bookable": bookable,
            "includeResourceTypeIds": [seed.STAFF_RESOURCE_TYPE_ID],
        }
    )
    slots: list[dict[str, Any]] = body["timeSlots"]
    return slots


async def haircut_slot(gateway: Gateway, index: int = 0, weeks_ahead: int = 1) -> dict[str, Any]:
    """A bookable haircut slot on a Wednesday (Dan and Ella both work), Dan's when he is free."""
    slots = await appointment_slots(gateway, seed.SERVICE_HAIRCUT, next_weekday(2, weeks_ahead))
    return slots[index]


def appointment_input(slot: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """A `bookAppointment` input for a listed slot (Dan's unless `resourceId` is given)."""
    return {
        "serviceId": slot["serviceId"],
        "localStart": slot["localStartDate"],
        "localEnd": slot["localEndDate"],
        "timeZone": seed.TIME_ZONE,
        "resourceId": seed.STAFF_DAN,
        "contact": CONTACT,
        **extra,
    }


async def yoga_session(gateway: Gateway, days_ahead: int = 7) -> dict[str, Any]:
    """The first yoga session at least `days_ahead` days from now (as List Event lists it)."""
    start = local_today() + timedelta(days=days_ahead)
    body = await gateway.upstream.time_slots.list_event(
        {
            "serviceIds": [seed.SERVICE_YOGA],
            "fromLocalDate": f"{start}T00:00:00",
            "toLocalDate": f"{start + timedelta(days=7)}T23:59:59",
            "timeZone": seed.TIME_ZONE,
        }
    )
    session: dict[str, Any] = body["timeSlots"][0]
    return session


def sandbox_slot(
    service: str = seed.SERVICE_HAIRCUT,
    start: str = "2026-03-03T10:00:00",
    end: str = "2026-03-03T10:30:00",
    staff: str = seed.STAFF_DAN,
) -> Json:
    """A `bookedEntity.slot` at the main location, as Create Booking takes it (default: a
    haircut with Dan on Tuesday 2026-03-03 10:00, London)."""
    return {
        "serviceId": service,
        "startDate": start,
        "endDate": end,
        "timezone": seed.TIME_ZONE,
        "resource": {"id": staff},
        "location": {"id": seed.LOCATION_MAIN, "locationType": "OWNER_BUSINESS"},
    }


async def create_booking(gateway: Gateway, slot: Json, form: Json = ADA_FORM, **extra: Any) -> Json:
    """A booking made through the sandbox's Create Booking, not the gateway's flows; `extra`
    are further booking fields (e.g. `status`)."""
    body = {
        "booking": {"bookedEntity": {"slot": slot}, "totalParticipants": 1, **extra},
        "formSubmission": form,
    }
    return dict((await gateway.upstream.bookings_writer.create_booking(body))["booking"])


async def queried_bookings(gateway: Gateway, **filter: Any) -> list[Json]:
    """Bookings as the sandbox's Query Extended Bookings returns them."""
    body = await gateway.upstream.bookings_reader.query_extended_bookings(
        {"filter": filter, "cursorPaging": {"limit": 100}}
    )
    return [item["booking"] for item in body["extendedBookings"]]


def stored_bookings(gateway: Gateway) -> list[dict[str, Any]]:
    """Every booking the sandbox holds (its store, not the API)."""
    return gateway.sandbox.store.bookings_where()


async def wait_for_call(gateway: Gateway, route: str, count: int = 1) -> None:
    """Until the sandbox has answered `route` `count` times (it logs each call when answered)."""
    for _ in range(500):
        if gateway.calls()[route] >= count:
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"{route} was not called {count} time(s)")
