"""Hostile input to the sandbox: always a 400 in Wix's error envelope, never a 500."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from gateway.sandbox import seed

GET_SLOT = "/_api/service-availability/v2/time-slots/get"
LIST_SLOTS = "/_api/service-availability/v2/time-slots"
CREATE_BOOKING = "/_api/bookings-service/v2/bookings"
COUNT = "/_api/bookings-reader/v2/extended-bookings/count"


def slot_body(start: str, end: str) -> dict[str, Any]:
    return {
        "serviceId": seed.SERVICE_HAIRCUT,
        "localStartDate": start,
        "localEndDate": end,
        "timeZone": seed.TIME_ZONE,
    }


def assert_envelope_400(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["message"]
    assert "applicationError" in body["details"] or "validationError" in body["details"]
    return body


@pytest.mark.parametrize("opening", ["[", '{"a":'])
async def test_json_nested_100000_deep_is_a_400(wix: httpx.AsyncClient, opening: str) -> None:
    response = await wix.post(GET_SLOT, content=opening * 100_000)
    body = assert_envelope_400(response)
    assert body["details"]["applicationError"]["code"] == "INVALID_ARGUMENT"


async def test_json_nested_past_the_bound_but_parseable_is_a_400(wix: httpx.AsyncClient) -> None:
    deep: Any = {}
    for _ in range(500):
        deep = {"a": deep}
    response = await wix.post(CREATE_BOOKING, content=json.dumps({"booking": deep}))
    assert "deeper" in assert_envelope_400(response)["message"]


async def test_get_availability_time_slot_in_year_9999_is_a_400(wix: httpx.AsyncClient) -> None:
    body = slot_body("9999-12-31T00:00:00", "9999-12-31T01:00:00")
    response = await wix.post(GET_SLOT, json=body)
    body = assert_envelope_400(response)
    [violation] = body["details"]["validationError"]["fieldViolations"]
    assert violation["field"] == "localStartDate"


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("0001-01-01T00:00:00", "0001-01-01T01:00:00"),
        ("2030-02-30T10:00:00", "2030-03-01T10:00:00"),
    ],
)
async def test_impossible_local_dates_are_a_400(
    wix: httpx.AsyncClient, start: str, end: str
) -> None:
    assert_envelope_400(await wix.post(GET_SLOT, json=slot_body(start, end)))
    window = {"fromLocalDate": start, "toLocalDate": end, "timeZone": seed.TIME_ZONE}
    assert_envelope_400(
        await wix.post(LIST_SLOTS, json={"serviceId": seed.SERVICE_HAIRCUT, **window})
    )


async def test_a_lone_surrogate_in_a_contact_name_is_a_400(wix: httpx.AsyncClient) -> None:
    booking = {"contactDetails": {"firstName": "\ud800"}, "totalParticipants": 1}
    # json.dumps escapes the surrogate (`\ud800`), as it travels in JSON.
    response = await wix.post(CREATE_BOOKING, content=json.dumps({"booking": booking}))
    assert "Unicode" in assert_envelope_400(response)["message"]


async def test_a_field_of_the_wrong_json_type_is_a_400(wix: httpx.AsyncClient) -> None:
    response = await wix.post(COUNT, json={"query": [1, 2]})
    assert assert_envelope_400(response)["details"]["applicationError"]["code"] == (
        "INVALID_ARGUMENT"
    )
