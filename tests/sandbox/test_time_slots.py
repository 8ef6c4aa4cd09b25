"""Time Slots V2 in the sandbox: List and Get Availability Time Slots (appointments), computed
from staff hours, bookings, buffers and policies. Class (event) slots are in
test_event_time_slots.py, multi-service slots in test_multi_service_time_slots.py; the shared
clock and helpers in slot_helpers.py.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from gateway.sandbox import seed
from gateway.sandbox.state import Sandbox
from tests.sandbox.slot_helpers import (
    CAPACITY,
    GET,
    LIST,
    MAIN,
    MONDAY,
    STAFF_TYPE,
    WEEK,
    at,
    book,
    error_code,
    post,
    slots,
    staff,
)

pytestmark = pytest.mark.usefixtures("slots_monday")


async def test_slots_follow_staff_hours_and_split_interval(wix: httpx.AsyncClient) -> None:
    # Haircut: 30 min + 10 buffer; on Mondays only Dan works (09-13, 14-17); Ella starts Wednesday.
    found = await slots(wix, seed.SERVICE_HAIRCUT)
    starts = [s["localStartDate"][11:16] for s in found]
    assert " ".join(starts) == "09:00 09:40 10:20 11:00 11:40 12:20 14:00 14:40 15:20 16:00"
    assert all(staff(s) == [seed.STAFF_DAN] for s in found)
    first = found[0]
    assert first["localEndDate"] == "2030-01-07T09:30:00"
    assert first["scheduleId"] == "57000000-0000-4000-8000-000000000002"
    assert [first[key] for key in CAPACITY] == [1, 1, 1]


async def test_confirmed_and_pending_bookings_take_the_staff_member(
    wix: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    before = at(await slots(wix, seed.SERVICE_CONSULTATION), "09:00")
    assert staff(before[0]) == [seed.STAFF_ANNA, seed.STAFF_DAN]
    book(sandbox, seed.SERVICE_CONSULTATION, "09:00", seed.STAFF_ANNA)
    after = await slots(wix, seed.SERVICE_CONSULTATION)
    assert [staff(s) for s in at(after, "09:00")] == [[seed.STAFF_DAN]] * 2
    # 45 min + 5 buffer ends at 09:50, exactly when the next slot starts: Anna is free again.
    assert seed.STAFF_ANNA in staff(at(after, "09:50")[0])
    book(sandbox, seed.SERVICE_CONSULTATION, "09:00", seed.STAFF_DAN, status="PENDING")
    assert at(await slots(wix, seed.SERVICE_CONSULTATION), "09:00") == []


async def test_buffers_keep_sessions_apart(wix: httpx.AsyncClient, sandbox: Sandbox) -> None:
    # A haircut 09:10-09:40 plus its 10 min buffer keeps Dan busy until 09:50.
    book(sandbox, seed.SERVICE_HAIRCUT, "09:10", seed.STAFF_DAN)
    starts = [s["localStartDate"][11:16] for s in await slots(wix, seed.SERVICE_HAIRCUT)]
    assert starts[:2] == ["10:20", "11:00"]
    # A new 11:00-11:30 haircut needs Dan until 11:40, so a booking at 11:35 rules it out.
    book(sandbox, seed.SERVICE_HAIRCUT, "11:35", seed.STAFF_DAN)
    starts = [s["localStartDate"][11:16] for s in await slots(wix, seed.SERVICE_HAIRCUT)]
    assert starts[:2] == ["10:20", "12:20"]


async def test_created_and_canceled_bookings_do_not_block(
    wix: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    for status in ("CREATED", "CANCELED"):
        book(sandbox, seed.SERVICE_HAIRCUT, "09:00", seed.STAFF_DAN, status=status)
    assert staff(at(await slots(wix, seed.SERVICE_HAIRCUT), "09:00")[0]) == [seed.STAFF_DAN]


async def test_policy_flags_too_late_too_early_and_online_disabled(wix: httpx.AsyncClient) -> None:
    found = await slots(wix, seed.SERVICE_HAIRCUT)
    late, fine = found[0], found[1]  # 09:00 is 30 min away; the policy needs 60
    assert late["bookable"] is False
    assert late["bookingPolicyViolations"] == {
        "tooEarlyToBook": False,
        "tooLateToBook": True,
        "bookOnlineDisabled": False,
    }
    assert late["nonBookableReasons"]["violatesBookingPolicy"] is True
    assert fine["bookable"] is True and fine["nonBookableReasons"]["violatesBookingPolicy"] is False

    far = {"fromLocalDate": "2030-03-11T00:00:00", "toLocalDate": "2030-03-12T00:00:00"}
    early = (await slots(wix, seed.SERVICE_HAIRCUT, **far))[0]  # a Monday 63 days ahead
    assert early["bookable"] is False
    assert early["bookingPolicyViolations"]["tooEarlyToBook"] is True
    # 60 days (86,400 min) before 09:00 UTC on 11 March.
    assert early["bookingPolicyViolations"]["earliestBookingDate"] == "2030-01-10T09:00:00.000Z"

    tuesday = {"fromLocalDate": "2030-01-08T00:00:00", "toLocalDate": "2030-01-09T00:00:00"}
    sauna = await slots(wix, seed.SERVICE_SAUNA, **tuesday)
    assert sauna and all(s["bookingPolicyViolations"]["bookOnlineDisabled"] for s in sauna)
    assert not any(s["bookable"] for s in sauna)


async def test_one_slot_per_location_and_the_locations_filter(wix: httpx.AsyncClient) -> None:
    found = await slots(wix, seed.SERVICE_CONSULTATION)
    by_start: dict[str, list[str]] = {}
    for slot in found:
        by_start.setdefault(slot["localStartDate"], []).append(slot["location"]["id"])
    both = [seed.LOCATION_MAIN, seed.LOCATION_CITY]
    assert all(sorted(ids) == both for ids in by_start.values())
    main = found[0]["location"]
    assert main == {**main, "id": seed.LOCATION_MAIN, "name": "Riverside Studio"}
    assert main["locationType"] == "BUSINESS" and main["formattedAddress"].startswith("12 River")
    city = await slots(wix, seed.SERVICE_CONSULTATION, locations=[{"id": seed.LOCATION_CITY}])
    assert [s["localStartDate"] for s in city] == list(by_start)
    assert {s["location"]["id"] for s in city} == {seed.LOCATION_CITY}


async def pages_of(wix: httpx.AsyncClient, body: dict[str, Any], limit: int) -> list[Any]:
    """Every page of a listing, following cursors (sending only `cursorPaging`)."""
    pages = []
    request: dict[str, Any] = {**body, "cursorPaging": {"limit": limit}}
    while True:
        page = await post(wix, "/service-availability/v2/time-slots", request)  # alias path
        pages.append(page["timeSlots"])
        if not page["cursorPagingMetadata"]["hasNext"]:
            return pages
        request = {"cursorPaging": {"cursor": page["cursorPagingMetadata"]["cursors"]["next"]}}


@pytest.mark.parametrize(("per_day", "limit"), [(None, 7), (3, 4)])  # 4: pages end mid-day
async def test_cursor_paging_returns_every_slot_exactly_once(
    wix: httpx.AsyncClient, per_day: int | None, limit: int
) -> None:
    week = {"serviceId": seed.SERVICE_CONSULTATION, **WEEK, "timeSlotsPerDay": per_day}
    everything = await post(wix, LIST, week)
    assert everything["cursorPagingMetadata"] == {"cursors": {}, "hasNext": False}
    expected = [(s["localStartDate"], s["location"]["id"]) for s in everything["timeSlots"]]
    pages = await pages_of(wix, week, limit)
    seen = [(s["localStartDate"], s["location"]["id"]) for page in pages for s in page]
    assert seen == expected and len(set(seen)) == len(seen) > limit
    assert [len(page) for page in pages[:-1]] == [limit] * (len(pages) - 1)


async def test_filters_bookable_violation_staff_and_per_day(wix: httpx.AsyncClient) -> None:
    everything = await slots(wix, seed.SERVICE_CONSULTATION)
    unbookable = await slots(wix, seed.SERVICE_CONSULTATION, bookable=False)
    assert unbookable and all(s["bookingPolicyViolations"]["tooLateToBook"] for s in unbookable)
    late = await slots(
        wix, seed.SERVICE_CONSULTATION, bookingPolicyViolations={"tooLateToBook": True}
    )
    assert late == unbookable
    bookable = await slots(wix, seed.SERVICE_CONSULTATION, bookable=True)
    assert len(bookable) + len(unbookable) == len(everything)

    chloe = await slots(
        wix,
        seed.SERVICE_CONSULTATION,
        includeResourceTypeIds=[],
        resourceTypes=[{"resourceTypeId": STAFF_TYPE, "resourceIds": [seed.STAFF_CHLOE]}],
    )
    assert chloe and all(staff(s) == [seed.STAFF_CHLOE] for s in chloe)
    assert min(s["localStartDate"] for s in chloe) == "2030-01-07T12:00:00"  # her hours: 12-20

    plain = await post(wix, LIST, {"serviceId": seed.SERVICE_CONSULTATION, **MONDAY})
    assert plain["timeSlots"][0]["availableResources"] == []
    assert plain["timeZone"] == "Europe/London"

    two = await slots(wix, seed.SERVICE_CONSULTATION, timeSlotsPerDay=2)
    assert len(two) == 2 and all(s["bookable"] for s in two)  # 09:00 is too late: skipped


async def test_list_resources_are_capped_at_ten(wix: httpx.AsyncClient, sandbox: Sandbox) -> None:
    extra = [f"b2000000-0000-4000-8000-0000000001{n:02d}" for n in range(11)]
    with sandbox.store.transaction():
        for rid in extra:
            hours = {"0": [["09:00", "17:00"]]}
            sandbox.store.put("resources", {"id": rid, "name": rid[-3:], "workingHours": hours})
        service = sandbox.store.get("services", seed.SERVICE_HAIRCUT)
        assert service is not None
        service["staffMemberIds"] = [*service["staffMemberIds"], *extra]
        sandbox.store.put("services", service)
    first = (await slots(wix, seed.SERVICE_HAIRCUT))[0]
    assert len(staff(first)) == 10 and first["availableResources"][0]["hasMoreAvailableResources"]
    span = {key: first[key] for key in ("localStartDate", "localEndDate")}
    got = (await post(wix, GET, {"serviceId": seed.SERVICE_HAIRCUT, **span}))["timeSlot"]
    assert len(staff(got)) == 12
    assert got["availableResources"][0]["hasMoreAvailableResources"] is False


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"toLocalDate": "2030-01-08T00:00:00"}, 400, "MISSING_ARGUMENTS"),
        ({"serviceId": seed.SERVICE_HAIRCUT}, 400, "MISSING_ARGUMENTS"),
        ({**MONDAY, "serviceId": "e5000000-0000-4000-8000-00000000dead"}, 404, "SERVICE_NOT_FOUND"),
    ],
)
async def test_list_error_codes(
    wix: httpx.AsyncClient, body: dict[str, Any], status: int, code: str
) -> None:
    assert error_code(await post(wix, LIST, body, status)) == code


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"timeZone": "Mars/Olympus"}, "timeZone"),
        ({"fromLocalDate": "2030-01-07"}, "fromLocalDate"),
        ({"toLocalDate": "2030-01-08T00:00:00Z"}, "toLocalDate"),
        ({"locations": [MAIN] * 6}, "locations"),
        ({"cursorPaging": {"limit": 1001}}, "cursorPaging.limit"),
        ({"cursorPaging": {"cursor": "not-a-cursor"}}, "cursorPaging.cursor"),
    ],
)
async def test_list_validation_errors(
    wix: httpx.AsyncClient, change: dict[str, Any], field: str
) -> None:
    body = await post(wix, LIST, {"serviceId": seed.SERVICE_HAIRCUT, **MONDAY, **change}, 400)
    assert body["details"]["validationError"]["fieldViolations"][0]["field"] == field


async def test_class_service_has_no_appointment_slots(wix: httpx.AsyncClient) -> None:
    assert await slots(wix, seed.SERVICE_YOGA) == []
    body = {
        "serviceId": seed.SERVICE_YOGA,
        "localStartDate": "2030-01-07T18:00:00",
        "localEndDate": "2030-01-07T19:00:00",
    }
    assert error_code(await post(wix, GET, body, 404)) == "SLOT_NOT_FOUND"


async def test_get_availability_time_slot(wix: httpx.AsyncClient, sandbox: Sandbox) -> None:
    body = {
        "serviceId": seed.SERVICE_CONSULTATION,
        "localStartDate": "2030-01-07T12:20:00",
        "localEndDate": "2030-01-07T13:05:00",
        "location": {"id": seed.LOCATION_CITY},
        "timeZone": "Europe/London",
    }
    got = await post(wix, GET, body)
    assert got["timeZone"] == "Europe/London"
    slot = got["timeSlot"]
    assert slot["location"]["id"] == seed.LOCATION_CITY and slot["bookable"] is True
    assert staff(slot) == [seed.STAFF_ANNA, seed.STAFF_CHLOE]  # Dan stops at 13:00
    wrong_end = {**body, "localEndDate": "2030-01-07T13:20:00"}
    assert error_code(await post(wix, GET, wrong_end, 404)) == "SLOT_NOT_FOUND"
    for rid in (seed.STAFF_ANNA, seed.STAFF_CHLOE):
        book(sandbox, seed.SERVICE_CONSULTATION, "12:20", rid)
    assert error_code(await post(wix, GET, body, 404)) == "SLOT_NOT_FOUND"
