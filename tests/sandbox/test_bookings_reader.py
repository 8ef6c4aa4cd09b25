"""Bookings Reader V2 in the sandbox: Query and Count Extended Bookings
(https://dev.wix.com/docs/api-reference/business-solutions/bookings/bookings/bookings-reader-v2/query-extended-bookings).
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from gateway.sandbox import seed
from tests.sandbox.booking_helpers import (
    COUNT,
    QUERY,
    YOGA_FORM,
    action,
    appointment,
    class_session,
    confirm_or_decline,
    course,
    created,
    violations,
)


@pytest.fixture
async def three(wix: httpx.AsyncClient) -> dict[str, dict[str, Any]]:
    """A confirmed haircut at 10:00, a created haircut at 11:00 and a yoga booking for 2."""
    haircut = await created(wix, appointment(status="CONFIRMED"))
    later = await created(wix, appointment(start="2026-03-03T11:00:00", end="2026-03-03T11:30:00"))
    yoga = await created(wix, class_session(totalParticipants=2), form=YOGA_FORM)
    return {"haircut": haircut, "later": later, "yoga": yoga}


async def ids(wix: httpx.AsyncClient, query: dict[str, Any], **flags: Any) -> list[str]:
    response = await wix.post(QUERY, json={"query": query, **flags})
    assert response.status_code == 200, response.text
    return [e["booking"]["id"] for e in response.json()["extendedBookings"]]


async def count(wix: httpx.AsyncClient, filter_: dict[str, Any]) -> int:
    response = await wix.post(COUNT, json={"filter": filter_})
    assert response.status_code == 200, response.text
    return int(response.json()["count"])


@pytest.mark.parametrize(
    ("filter_", "expected"),
    [
        ({"bookedEntity.item.slot.serviceId": seed.SERVICE_HAIRCUT}, ["haircut", "later"]),
        ({"bookedEntity.slot.serviceId": seed.SERVICE_YOGA}, ["yoga"]),
        ({"status": {"$in": ["CONFIRMED", "PENDING"]}}, ["haircut"]),
        ({"status": {"$ne": "CONFIRMED"}}, ["later", "yoga"]),
        ({"startDate": {"$gte": "2026-03-03T10:30:00Z"}}, ["later"]),
        ({"startDate": {"$lt": "2026-03-03T10:00:00.000Z"}}, ["yoga"]),
        ({"startDate": "2026-03-03T11:00:00Z"}, ["later"]),  # `Z` and `.000Z` are one instant
        ({"participantsInfo.type.totalParticipants.value": {"$gt": 1}}, ["yoga"]),
        ({"bookedEntity.tags": {"$hasSome": ["GROUP", "COURSE"]}}, ["yoga"]),
        ({"bookedEntity.item.slot.resource.id": seed.STAFF_DAN}, ["haircut", "later"]),
        ({"doubleBooked": False}, ["haircut", "later", "yoga"]),
        ({"contactDetails.email": "ada@example.com", "id": {"$in": []}}, []),
        ({"$or": [{"status": "CONFIRMED"}, {"totalParticipants": 2}]}, ["haircut", "yoga"]),
    ],
)
async def test_filters(
    wix: httpx.AsyncClient,
    three: dict[str, dict[str, Any]],
    filter_: dict[str, Any],
    expected: list[str],
) -> None:
    sort = [{"fieldName": "startDate", "order": "ASC"}]
    found = await ids(wix, {"filter": filter_, "sort": sort})
    by_start = sorted(expected, key=lambda name: three[name]["startDate"])
    assert found == [three[name]["id"] for name in by_start]
    assert await count(wix, filter_) == len(expected)


@pytest.mark.parametrize(
    ("filter_", "field"),
    [
        ({"status": {"$gt": "A"}}, "query.filter.status"),
        ({"bookedEntity.tags": "GROUP"}, "query.filter.bookedEntity.tags"),  # only $hasSome/$hasAll
        ({"contactDetails.firstName": "Ada"}, "query.filter.contactDetails.firstName"),
        ({"startDate": {"$gte": "next week"}}, "query.filter.startDate"),
    ],
)
async def test_unsupported_filters_are_400(
    wix: httpx.AsyncClient, filter_: dict[str, Any], field: str
) -> None:
    response = await wix.post(QUERY, json={"query": {"filter": filter_}})
    assert response.status_code == 400
    assert violations(response) == [field]


async def test_sort_default_and_explicit(
    wix: httpx.AsyncClient, three: dict[str, dict[str, Any]]
) -> None:
    every = [b["id"] for b in three.values()]
    assert await ids(wix, {}) == sorted(every)  # default `id ASC`
    descending = await ids(wix, {"sort": [{"fieldName": "startDate", "order": "DESC"}]})
    assert descending == [three[n]["id"] for n in ("later", "haircut", "yoga")]


async def test_double_booked_filter_finds_the_conflict(wix: httpx.AsyncClient) -> None:
    first, second = [await created(wix, appointment()) for _ in range(2)]
    for booking in (first, second):
        await confirm_or_decline(wix, booking["id"], paymentStatus="PAID")
    assert await ids(wix, {"filter": {"doubleBooked": True}}) == [second["id"]]
    assert await count(wix, {"doubleBooked": {"$ne": True}}) == 1


async def test_cursor_paging_default_50_and_the_cursor_keeps_filter_and_sort(
    wix: httpx.AsyncClient,
) -> None:
    for _ in range(53):
        await created(wix, course())  # CREATED bookings don't fill the course
    await created(wix, appointment())
    query = {"filter": {"bookedEntity.tags": {"$hasAll": ["COURSE"]}},
             "sort": [{"fieldName": "createdDate", "order": "DESC"}]}  # fmt: skip
    first = (await wix.post(QUERY, json={"query": query})).json()
    assert first["pagingMetadata"]["count"] == 50 and first["pagingMetadata"]["hasNext"] is True
    cursor = first["pagingMetadata"]["cursors"]["next"]
    second = (await wix.post(QUERY, json={"query": {"cursorPaging": {"cursor": cursor}}})).json()
    assert second["pagingMetadata"]["count"] == 3 and second["pagingMetadata"]["hasNext"] is False
    seen = [e["booking"] for e in first["extendedBookings"] + second["extendedBookings"]]
    assert len({b["id"] for b in seen}) == 53
    assert all(b["bookedEntity"]["tags"] == ["COURSE"] for b in seen)
    back = second["pagingMetadata"]["cursors"]["prev"]
    again = (await wix.post(QUERY, json={"query": {"cursorPaging": {"cursor": back}}})).json()
    assert [e["booking"]["id"] for e in again["extendedBookings"]] == [b["id"] for b in seen[:50]]


async def test_page_limit_is_at_most_100(wix: httpx.AsyncClient) -> None:
    response = await wix.post(QUERY, json={"query": {"cursorPaging": {"limit": 101}}})
    assert response.status_code == 400
    assert violations(response) == ["query.cursorPaging.limit"]
    bad = await wix.post(QUERY, json={"query": {"cursorPaging": {"cursor": "not-a-cursor"}}})
    assert bad.status_code == 400


async def test_offset_paging(wix: httpx.AsyncClient, three: dict[str, dict[str, Any]]) -> None:
    response = await wix.post(QUERY, json={"query": {"paging": {"limit": 2, "offset": 2}}})
    metadata = response.json()["pagingMetadata"]
    assert (metadata["count"], metadata["offset"], metadata["total"], metadata["hasNext"]) == (
        1,
        2,
        3,
        False,
    )


async def test_with_allowed_actions_and_attendance(
    wix: httpx.AsyncClient, three: dict[str, dict[str, Any]]
) -> None:
    await action(wix, three["later"]["id"], "cancel", revision="1")
    response = await wix.post(
        "/bookings/bookings-reader/v2/extended-bookings/query",
        json={
            "query": {"sort": [{"fieldName": "startDate", "order": "ASC"}]},
            "withBookingAllowedActions": True,
            "withBookingAttendanceInfo": True,
        },
    )
    extended = response.json()["extendedBookings"]
    assert [e["allowedActions"] for e in extended] == [
        {"cancel": True, "reschedule": True},
        {"cancel": True, "reschedule": True},
        {"cancel": False, "reschedule": False},  # canceled
    ]
    assert all(e["attendance"] == {"status": "NOT_SET", "numberOfAttendees": 0} for e in extended)
    plain = (await wix.post(QUERY, json={"query": {}})).json()["extendedBookings"]
    assert all(set(e) == {"booking"} for e in plain)


async def test_form_submissions_on_request(
    wix: httpx.AsyncClient, three: dict[str, dict[str, Any]]
) -> None:
    response = await wix.post(
        QUERY,
        json={"query": {"filter": {"id": three["yoga"]["id"]}}, "withFormSubmissions": True},
    )
    (extended,) = response.json()["extendedBookings"]
    (submission,) = extended["formSubmissions"]
    assert submission["id"] == three["yoga"]["formSubmissionId"]
    assert submission["submissions"]["experience"] == "beginner"


async def test_count_alias_path(wix: httpx.AsyncClient, three: dict[str, dict[str, Any]]) -> None:
    response = await wix.post(
        "/bookings/bookings-reader/v2/extended-bookings/count",
        json={"filter": {"bookedEntity.tags": {"$hasSome": ["INDIVIDUAL"]}}},
    )
    assert response.json() == {"count": 2}
