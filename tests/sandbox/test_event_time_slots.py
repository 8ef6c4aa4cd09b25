"""Time Slots V2 in the sandbox: List and Get Event Time Slots (class sessions), with capacity,
the waiting list, filters, paging and time zones. The clock and helpers are in slot_helpers.py.
"""

from __future__ import annotations

from datetime import datetime

import httpx
import pytest

from gateway.sandbox import seed
from gateway.sandbox.state import Sandbox
from tests.sandbox.slot_helpers import (
    CAPACITY,
    EVENTS,
    WEEK,
    book,
    error_code,
    post,
    staff,
)

pytestmark = pytest.mark.usefixtures("slots_monday")


YOGA_MONDAY = "57000000-0000-4000-8000-000000000006-20300107T180000Z"


async def event(wix: httpx.AsyncClient, event_id: str, **params: str) -> httpx.Response:
    return await wix.get(f"{EVENTS}/{event_id}", params=params)


async def test_class_slots_capacity_and_waiting_list(
    wix: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    listed = await post(wix, EVENTS, WEEK)
    assert listed["pagingMetadata"] == {"cursors": {}, "hasNext": False}
    starts = [s["localStartDate"][5:16] for s in listed["timeSlots"]]
    assert starts == ["01-07T18:00", "01-09T18:00", "01-12T10:00"]  # Mon, Wed 18:00; Sat 10:00
    first = listed["timeSlots"][0]
    info = {"eventId": YOGA_MONDAY, "eventTitle": "Vinyasa Yoga"}
    assert first["eventInfo"] == {
        **info,
        "waitingList": {"totalCapacity": 5, "remainingCapacity": 5},
    }
    assert [first[key] for key in CAPACITY] == [10, 10, 10] and first["bookable"] is True
    assert staff(first) == [seed.STAFF_FIONA]

    for status, people in (("CONFIRMED", 3), ("PENDING", 1), ("CREATED", 2), ("WAITING_LIST", 2)):
        book(sandbox, seed.SERVICE_YOGA, "18:00", None, YOGA_MONDAY, status, people)
    slot = (await event(wix, YOGA_MONDAY)).json()["timeSlot"]
    assert (slot["remainingCapacity"], slot["bookableCapacity"]) == (6, 6)
    assert slot["eventInfo"]["waitingList"] == {"totalCapacity": 5, "remainingCapacity": 3}

    book(sandbox, seed.SERVICE_YOGA, "18:00", None, YOGA_MONDAY, "CONFIRMED", 6)
    full = (await post(wix, EVENTS, WEEK))["timeSlots"][0]
    assert (full["remainingCapacity"], full["bookable"]) == (0, False)
    assert full["nonBookableReasons"]["noRemainingCapacity"] is True
    bookable_only = await post(wix, EVENTS, {**WEEK, "includeNonBookable": False})
    assert YOGA_MONDAY not in [s["eventInfo"]["eventId"] for s in bookable_only["timeSlots"]]
    roomy = await post(wix, EVENTS, {**WEEK, "minBookableCapacity": 10})
    assert len(roomy["timeSlots"]) == 2


async def test_list_event_filters_paging_and_zone(wix: httpx.AsyncClient) -> None:
    month = {"fromLocalDate": "2030-01-07T00:00:00", "toLocalDate": "2030-02-07T00:00:00"}
    everything = (await post(wix, EVENTS, {**month, "cursorPaging": {"limit": 1000}}))["timeSlots"]
    first_page = await post(wix, EVENTS, {**month, "cursorPaging": {"limit": 4}})
    cursor = first_page["pagingMetadata"]["cursors"]["next"]
    second = await post(wix, EVENTS, {"cursorPaging": {"cursor": cursor, "limit": 100}})
    assert first_page["timeSlots"] + second["timeSlots"] == everything
    assert second["pagingMetadata"]["hasNext"] is False
    by_anna = {"resources.id": {"$hasSome": [seed.STAFF_ANNA]}}
    anna = await post(wix, EVENTS, {**WEEK, "eventFilter": by_anna})
    assert anna["timeSlots"] == []
    per_day = await post(wix, EVENTS, {**month, "maxSlotsPerDay": 1})
    assert len(per_day["timeSlots"]) == len(everything)  # one class a day at most anyway
    too_long = {**WEEK, "toLocalDate": "2030-03-07T00:00:00", "maxSlotsPerDay": 1}
    await post(wix, EVENTS, too_long, 400)
    new_york = await event(wix, YOGA_MONDAY, timeZone="America/New_York")
    assert new_york.json()["timeSlot"]["localStartDate"] == "2030-01-07T13:00:00"
    assert new_york.json()["timeZone"] == "America/New_York"


async def test_event_errors(wix: httpx.AsyncClient, sandbox: Sandbox) -> None:
    missing = await post(wix, EVENTS, {"toLocalDate": "2030-01-08T00:00:00"}, 400)
    assert error_code(missing) == "INVALID_ARGUMENT"
    unknown = await event(wix, "57000000-0000-4000-8000-000000000006-20300107T170000Z")
    assert (unknown.status_code, error_code(unknown.json())) == (404, "NOT_FOUND")
    course = sandbox.store.get("schedules", "57000000-0000-4000-8000-000000000007")
    assert course is not None
    start = datetime.fromisoformat(course["sessions"][0]["start"].replace("Z", "+00:00"))
    course_event = f"{course['id']}-{start.strftime('%Y%m%dT%H%M%SZ')}"
    assert (await event(wix, course_event)).status_code == 404  # courses aren't class slots
