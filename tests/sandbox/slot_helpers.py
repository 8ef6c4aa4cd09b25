"""Shared by the Time Slots tests: Wix paths, the frozen "now", request helpers.

The time-slot tests freeze the clock on Monday 2030-01-07 08:30 in London (GMT, so local = UTC;
the `slots_monday` fixture). Bookings are put straight into the store (`book`), the way Create
Booking stores them, so these tests don't depend on Create Booking.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

import httpx

from gateway.sandbox import seed
from gateway.sandbox.availability import buffer_minutes
from gateway.sandbox.state import Sandbox
from gateway.sandbox.wire import utc_iso

LIST = "/_api/service-availability/v2/time-slots"
GET = "/_api/service-availability/v2/time-slots/get"
EVENTS = "/_api/service-availability/v2/time-slots/event"
MULTI = "/_api/service-availability/v2/multi-service-time-slots"
NOW = "2030-01-07T08:30:00Z"  # a Monday
MONDAY = {"fromLocalDate": "2030-01-07T00:00:00", "toLocalDate": "2030-01-08T00:00:00"}
STAFF_TYPE = seed.STAFF_RESOURCE_TYPE_ID
WEEK = {"fromLocalDate": "2030-01-07T00:00:00", "toLocalDate": "2030-01-14T00:00:00"}
MAIN = {"id": seed.LOCATION_MAIN, "locationType": "BUSINESS"}
CAPACITY = ("totalCapacity", "remainingCapacity", "bookableCapacity")


def book(
    sandbox: Sandbox,
    service_id: str,
    start: str,
    resource: str | None = None,
    event: str | None = None,
    status: str = "CONFIRMED",
    participants: int = 1,
) -> None:
    """Store a booking on Monday at `start` ("HH:MM", UTC = London in January) with the
    `_sandbox` index Create Booking writes."""
    service = sandbox.store.get("services", service_id)
    assert service is not None
    begin = datetime.fromisoformat(f"2030-01-07T{start}:00+00:00")
    minutes = service["schedule"]["availabilityConstraints"]["sessionDurations"][0]
    index = {
        "service_id": service_id,
        "status": status,
        "start_utc": utc_iso(begin),
        "end_utc": utc_iso(begin + timedelta(minutes=minutes)),
        "resource_id": resource,
        "event_id": event,
        "schedule_id": service["schedule"]["id"],
        "participants": participants,
        "created_utc": NOW,
        "buffer_minutes": buffer_minutes(service),
    }
    doc = {"id": str(uuid.uuid4()), "status": status, "_sandbox": index}
    with sandbox.store.transaction():
        sandbox.store.put_booking(doc)


async def post(wix: httpx.AsyncClient, path: str, body: dict[str, Any], status: int = 200) -> Any:
    response = await wix.post(path, json=body)
    assert response.status_code == status, response.text
    return response.json()


async def slots(wix: httpx.AsyncClient, service_id: str, **extra: Any) -> list[dict[str, Any]]:
    body = {"serviceId": service_id, **MONDAY, "includeResourceTypeIds": [STAFF_TYPE], **extra}
    return list((await post(wix, LIST, body))["timeSlots"])


def staff(slot: dict[str, Any]) -> list[str]:
    return [r["id"] for group in slot["availableResources"] for r in group["resources"]]


def at(found: list[dict[str, Any]], time: str) -> list[dict[str, Any]]:
    return [s for s in found if s["localStartDate"] == f"2030-01-07T{time}:00"]


def error_code(body: dict[str, Any]) -> str:
    return str(body["details"]["applicationError"]["code"])
