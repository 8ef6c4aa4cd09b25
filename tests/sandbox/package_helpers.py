"""Shared by the multi-service booking tests: Wix paths, the usual package and request builders.

The clock is frozen on Monday 2026-03-02 09:00 UTC (booking_helpers). The usual package is on
Wednesday at the main location: a haircut with Dan 10:00-10:30, a massage with Anna 10:30-11:30
(strict policy: no cancel or reschedule within 24h) and a facial with Ella 11:30-12:45.
"""

from __future__ import annotations

import itertools
from typing import Any

import httpx

from gateway.sandbox import seed
from tests.sandbox.booking_helpers import COUNT, FORM, appointment

BASE = "/_api/bookings-service/v2/multi_service_bookings"
ADD = f"{BASE}/add_bookings_to_multi_service_booking"
REMOVE = f"{BASE}/remove_bookings_from_multi_service_booking"
ALLOWED = "/bookings/multiServiceBookings/v2/bulk/multi_service_bookings/get_allowed_actions"
MISSING = "00000000-0000-4000-8000-00000000dead"
WEDNESDAY, THURSDAY = "2026-03-04", "2026-03-05"
TUESDAY_NOON = "2026-03-03T12:00:00Z"  # less than 24h before the Wednesday massage

Json = dict[str, Any]


def at(service: str, start: str, end: str, staff: str | None, day: str = WEDNESDAY) -> Json:
    """An appointment on `day` ("HH:MM" local times) at the main location."""
    return appointment(service, f"{day}T{start}:00", f"{day}T{end}:00", staff)


def haircuts(count: int, start_hour: int = 9) -> list[Json]:
    """`count` back-to-back half-hour haircuts from `start_hour`, any staff."""
    times = [f"{start_hour + n // 2:02d}:{30 * (n % 2):02d}" for n in range(count + 1)]
    return [at(seed.SERVICE_HAIRCUT, s, e, None) for s, e in itertools.pairwise(times)]


HAIRCUT = at(seed.SERVICE_HAIRCUT, "10:00", "10:30", seed.STAFF_DAN)
MASSAGE = at(seed.SERVICE_MASSAGE, "10:30", "11:30", seed.STAFF_ANNA)
FACIAL = at(seed.SERVICE_FACIAL, "11:30", "12:45", seed.STAFF_ELLA)
CONFIRMED = {"status": "CONFIRMED"}


async def create_package(
    wix: httpx.AsyncClient, bookings: list[Json], **extra: Any
) -> httpx.Response:
    items = [{"booking": b} for b in bookings]
    body = {"multiServiceBooking": {"bookings": items}, "formSubmission": FORM, **extra}
    return await wix.post(BASE, json=body)


async def package(wix: httpx.AsyncClient, bookings: list[Json]) -> Json:
    """Create a package and return it as Get Multi Service Booking shows it."""
    response = await create_package(wix, bookings)
    assert response.status_code == 200, response.text
    return await fetch(wix, response.json()["multiServiceBooking"]["id"])


async def fetch(wix: httpx.AsyncClient, package_id: str) -> Json:
    response = await wix.get(f"{BASE}/{package_id}")
    assert response.status_code == 200, response.text
    return dict(response.json()["multiServiceBooking"])


async def act(wix: httpx.AsyncClient, msb: Json, action: str, **body: Any) -> httpx.Response:
    return await wix.post(f"{BASE}/{msb['id']}/{action}", json=body)


def bookings_of(msb: Json) -> list[Json]:
    return [item["booking"] for item in msb["bookings"]]


def infos(msb: Json, **extra: Any) -> list[Json]:
    return [{"bookingId": b["id"], "revision": b["revision"], **extra} for b in bookings_of(msb)]


def members(msb: Json, *bookings: Json) -> Json:
    """An Add / Remove Bookings body."""
    listed = [{"bookingId": b["id"], "revision": b["revision"]} for b in bookings]
    return {"multiServiceBookingId": msb["id"], "bookings": listed}


async def booking_total(wix: httpx.AsyncClient) -> int:
    return int((await wix.post(COUNT, json={"filter": {}})).json()["count"])
