"""Shared helpers for the booking tests: a fixed "now", request builders and Wix paths.

Every test starts on the frozen clock at Monday 2026-03-02 09:00 UTC (London is on GMT then, so
local = UTC; `tests/frozen.py`), with the demo business seeded relative to it, so every id,
working hour and session below is known:
- Express Haircut (free, 30 + 10 min): Dan works Mon-Sat 09-13 and 14-17, Ella Wed-Sun 09-15, so
  on Tuesday only Dan can cut hair.
- Vinyasa Yoga (class, 10 places, max 4 per booking): a session today at 18:00.
- Pilates Foundations (course, 8 places): six Thursday sessions from 2026-03-12.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx

from gateway.sandbox import seed
from gateway.sandbox.calendar import event_id
from tests.frozen import FROZEN_AT_WIRE

NOW = FROZEN_AT_WIRE  # every test starts here (tests/frozen.py)
CREATE = "/_api/bookings-service/v2/bookings"
CREATE_ALIAS = "/bookings/v2/bookings"
QUERY = "/_api/bookings-reader/v2/extended-bookings/query"
COUNT = "/_api/bookings-reader/v2/extended-bookings/count"
YOGA_SCHEDULE = seed.SCHEDULE_YOGA
COURSE_SCHEDULE = seed.SCHEDULE_PILATES_COURSE
YOGA_TONIGHT = event_id(YOGA_SCHEDULE, datetime(2026, 3, 2, 18, 0, tzinfo=UTC))
FORM = {"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com"}
MASSAGE_FORM = {**FORM, "phone": "+44 20 7946 0001", "pressure": "firm"}
YOGA_FORM = {**FORM, "experience": "beginner"}


async def set_clock(wix: httpx.AsyncClient, now: str) -> None:
    """Freeze the sandbox clock at `now` (a UTC instant, `...Z`)."""
    (await wix.post("/_sandbox/clock", json={"now": now, "frozen": True})).raise_for_status()


def appointment(
    service: str = seed.SERVICE_HAIRCUT,
    start: str = "2026-03-03T10:00:00",
    end: str = "2026-03-03T10:30:00",
    resource: str | None = seed.STAFF_DAN,
    **booking: Any,
) -> dict[str, Any]:
    """A `booking` for an appointment slot given in local business time."""
    slot: dict[str, Any] = {
        "serviceId": service,
        "startDate": start,
        "endDate": end,
        "timezone": "Europe/London",
        "location": {"locationType": "OWNER_BUSINESS", "id": seed.LOCATION_MAIN},
    }
    if resource:
        slot["resource"] = {"id": resource}
    return {"bookedEntity": {"slot": slot}, "totalParticipants": 1, **booking}


def class_session(event: str = YOGA_TONIGHT, **booking: Any) -> dict[str, Any]:
    return {"bookedEntity": {"slot": {"eventId": event}}, "totalParticipants": 1, **booking}


def course(schedule: str = COURSE_SCHEDULE, **booking: Any) -> dict[str, Any]:
    return {
        "bookedEntity": {"schedule": {"scheduleId": schedule}},
        "totalParticipants": 1,
        **booking,
    }


async def create(
    wix: httpx.AsyncClient,
    booking: dict[str, Any],
    form: dict[str, Any] | None = FORM,
    **extra: Any,
) -> httpx.Response:
    body: dict[str, Any] = {"booking": booking, **extra}
    if form is not None:
        body["formSubmission"] = form
    return await wix.post(CREATE, json=body)


async def created(wix: httpx.AsyncClient, booking: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """Create and return the booking, failing the test on any error."""
    response = await create(wix, booking, **kwargs)
    assert response.status_code == 200, response.text
    return dict(response.json()["booking"])


async def confirm_or_decline(
    wix: httpx.AsyncClient, booking_id: str, **body: Any
) -> httpx.Response:
    return await wix.post(f"/bookings/v2/confirmation/{booking_id}:confirmOrDecline", json=body)


async def action(wix: httpx.AsyncClient, booking_id: str, name: str, **body: Any) -> httpx.Response:
    """POST a single-booking Writer method (`confirm`, `cancel`, `reschedule`, ...)."""
    return await wix.post(f"/_api/bookings-service/v2/bookings/{booking_id}/{name}", json=body)


async def stored(wix: httpx.AsyncClient, booking_id: str) -> dict[str, Any]:
    """The booking as Query Extended Bookings returns it now."""
    response = await wix.post(QUERY, json={"query": {"filter": {"id": booking_id}}})
    assert response.status_code == 200, response.text
    (extended,) = response.json()["extendedBookings"]
    return dict(extended["booking"])


def code(response: httpx.Response) -> str:
    return str(response.json()["details"]["applicationError"]["code"])


def failure(response: httpx.Response) -> tuple[int, str]:
    """The HTTP status and Wix application code of an error response."""
    return response.status_code, code(response)


def violations(response: httpx.Response) -> list[str]:
    """The fields a 400 validationError names."""
    fields = response.json()["details"]["validationError"]["fieldViolations"]
    return [str(f["field"]) for f in fields]
