"""Multi-service package tests' documents and helpers (test_packages, test_package_changes).

The usual package is on Wednesday 2026-03-04 at the main location: a haircut 09:00-09:30 (Dan)
and a facial 09:30-10:45 (Ella; Chloe starts at noon); every test starts on the frozen clock on
Monday morning (`tests/frozen.py`).
"""

from __future__ import annotations

from typing import Any

from gateway.sandbox import seed
from tests.graphql import Gateway
from tests.graphql.mutations import Json, create_booking, queried_bookings, sandbox_slot

WEDNESDAY_9 = "2026-03-04T09:00:00"
MSB = "/_api/bookings-service/v2/multi_service_bookings"
CREATE_MSB = f"POST {MSB}"
CONFIRM_MSB = f"POST {MSB}/{{multiServiceBookingId}}/confirm"
CANCEL_MSB = f"POST {MSB}/{{multiServiceBookingId}}/cancel"
GET_CHAIN = "POST /_api/service-availability/v2/multi-service-time-slots/get"
ACTIVE = ["CREATED", "CONFIRMED", "PENDING"]
ADA = {"firstName": "Ada", "lastName": "Lovelace", "email": "ada@example.com"}

BOOKING_FIELDS = "id status revision start end slot { serviceId resource { id } }"
PACKAGE_FIELDS = (
    f"multiServiceBooking {{ id bookingIds bookings {{ id }} }} bookings {{ {BOOKING_FIELDS} }}"
)
MEMBERS = {
    "PackageUnavailable": "message alternatives { localStart localEnd bookable "
    "nestedSlots { serviceId localStart localEnd } }",
    "FormInvalid": "message fieldErrors { target message }",
    "NotFound": "message id",
    "NotAllowed": "message reason code",
    "RevisionConflict": "message currentRevision",
    "IdempotencyKeyReused": "message key",
}


def failures(*names: str) -> str:
    return " ".join(f"... on {name} {{ {MEMBERS[name]} }}" for name in names)


BOOK = f"""
mutation($input: BookMultiServicePackageInput!) {{
  bookMultiServicePackage(input: $input) {{
    __typename
    ... on PackageBooked {{ {PACKAGE_FIELDS} }}
    {failures("PackageUnavailable", "FormInvalid", "NotFound", "IdempotencyKeyReused")}
  }}
}}
"""
RESCHEDULE_FAILURES = failures(
    "PackageUnavailable", "NotAllowed", "NotFound", "RevisionConflict", "IdempotencyKeyReused"
)
RESCHEDULE = f"""
mutation($id: ID!, $start: LocalDateTime!, $key: String) {{
  rescheduleMultiServicePackage(packageId: $id, localStart: $start, idempotencyKey: $key) {{
    __typename
    ... on PackageUpdated {{ dissolved {PACKAGE_FIELDS} }}
    {RESCHEDULE_FAILURES}
  }}
}}
"""
CHANGE = """
mutation($id: ID!, $bookings: [ID!]!) {
  %s(packageId: $id, bookingIds: $bookings) {
    __typename
    ... on PackageUpdated { dissolved %s }
    %s
  }
}
"""
CHANGE_FAILURES = failures("NotAllowed", "NotFound", "RevisionConflict")
ADD = CHANGE % ("addBookingsToPackage", PACKAGE_FIELDS, CHANGE_FAILURES)
REMOVE = CHANGE % ("removeBookingsFromPackage", PACKAGE_FIELDS, CHANGE_FAILURES)


def package_input(*services: Json, start: str = WEDNESDAY_9, **extra: Any) -> Json:
    services = services or (
        {"serviceId": seed.SERVICE_HAIRCUT},
        {"serviceId": seed.SERVICE_FACIAL},
    )
    return {"services": list(services), "localStart": start, "contact": ADA, **extra}


async def book(gateway: Gateway, **input: Any) -> Json:
    data = await gateway.data(BOOK, {"input": package_input(**input)})
    return dict(data["bookMultiServicePackage"])


async def booked(gateway: Gateway, **input: Any) -> Json:
    result = await book(gateway, **input)
    assert result["__typename"] == "PackageBooked", result
    return result


async def active_bookings(gateway: Gateway) -> list[Json]:
    return await queried_bookings(gateway, status={"$in": ACTIVE})


def times(bookings: list[Json]) -> list[tuple[str, str]]:
    return [(b["start"][11:16], b["end"][11:16]) for b in bookings]


async def reschedule(gateway: Gateway, package_id: str, start: str, key: str | None = None) -> Json:
    data = await gateway.data(RESCHEDULE, {"id": package_id, "start": start, "key": key})
    return dict(data["rescheduleMultiServicePackage"])


async def gateway_bookings(gateway: Gateway, package_id: str) -> list[Json]:
    query = f'{{ multiServiceBooking(id: "{package_id}") {{ bookings {{ {BOOKING_FIELDS} }} }} }}'
    return list((await gateway.data(query))["multiServiceBooking"]["bookings"])


async def standalone_haircut(gateway: Gateway, start: str, end: str) -> Json:
    """A haircut with Dan outside any package, made through the sandbox's Create Booking."""
    return await create_booking(gateway, sandbox_slot(start=start, end=end))
