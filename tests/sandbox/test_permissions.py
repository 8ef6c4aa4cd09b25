"""Wix's permission model for the sandbox's three identities: what visitors and members may call,
how they may create bookings, and which bookings a member reads."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from gateway.sandbox import seed
from tests.sandbox.booking_helpers import COUNT, QUERY, appointment, created
from tests.sandbox.identity_helpers import (
    app_code,
    as_,
    create_as,
    created_as,
    member_tokens,
    visitor_tokens,
)
from tests.sandbox.slot_helpers import LIST

DENIED = (403, "UNAUTHORIZED_OPERATION")
TUESDAY = {"fromLocalDate": "2026-03-03T00:00:00", "toLocalDate": "2026-03-04T00:00:00"}
TEN = appointment()
ELEVEN = appointment(start="2026-03-03T11:00:00", end="2026-03-03T11:30:00")
NOON = appointment(start="2026-03-03T12:00:00", end="2026-03-03T12:30:00")


@pytest.fixture
async def visitor(wix: httpx.AsyncClient) -> dict[str, str]:
    return as_(await visitor_tokens(wix))


async def test_visitor_reads_the_public_catalogue(
    wix: httpx.AsyncClient, visitor: dict[str, str]
) -> None:
    form = f"/form-schema-service/v4/forms/{seed.FORM_MASSAGE}"
    calls = [
        wix.post("/bookings/v2/services/query", json={}, headers=visitor),
        wix.get(f"/bookings/v2/services/{seed.SERVICE_HAIRCUT}", headers=visitor),
        wix.get(f"/bookings/v1/booking-policies/{seed.POLICY_STANDARD}", headers=visitor),
        wix.get(form, headers=visitor),
        wix.get(f"{form}/summary", headers=visitor),
        wix.post(LIST, json={"serviceId": seed.SERVICE_HAIRCUT, **TUESDAY}, headers=visitor),
    ]
    for call in calls:
        response = await call
        assert response.status_code == 200, response.text
    slots = response.json()["timeSlots"]
    assert any(slot["bookable"] for slot in slots)


async def test_visitor_creates_a_booking_of_their_own(
    wix: httpx.AsyncClient, visitor: dict[str, str]
) -> None:
    booking = await created_as(wix, visitor, TEN)
    assert booking["status"] == "CREATED"
    assert set(booking["createdBy"]) == {"anonymousVisitorId"}
    assert booking["createdByAppId"] == seed.OAUTH_CLIENT_ID
    listed = (await wix.post(QUERY, json={})).json()["extendedBookings"]  # the API key sees it
    assert [e["booking"]["id"] for e in listed] == [booking["id"]]


@pytest.mark.parametrize(
    ("booking", "extra"),
    [
        ({**TEN, "status": "CONFIRMED"}, {}),
        (TEN, {"flowControlSettings": {"skipAvailabilityValidation": True}}),
        (TEN, {"flowControlSettings": {"skipBusinessConfirmation": True}}),
        ({**TEN, "contactDetails": {"contactId": seed.CONTACT_NOAH}}, {}),
    ],
    ids=["confirmed", "skip-availability", "skip-confirmation", "someone-elses-contact"],
)
async def test_visitor_and_member_cannot_create_as_admin(
    wix: httpx.AsyncClient, booking: dict[str, Any], extra: dict[str, Any]
) -> None:
    member = as_(await member_tokens(wix, seed.MEMBER_MAYA))
    for caller in (as_(await visitor_tokens(wix)), member):
        assert app_code(await create_as(wix, caller, booking, **extra)) == DENIED
    assert (await wix.post(COUNT, json={})).json()["count"] == 0  # nothing was created


async def test_visitor_cannot_manage_or_read_bookings(
    wix: httpx.AsyncClient, visitor: dict[str, str]
) -> None:
    booking_id = (await created(wix, TEN))["id"]
    base = f"/_api/bookings-service/v2/bookings/{booking_id}"
    calls = [
        wix.post(QUERY, json={}, headers=visitor),
        wix.post(COUNT, json={}, headers=visitor),
        wix.post(f"{base}/confirm", json={"revision": "1"}, headers=visitor),
        wix.post(f"{base}/decline", json={"revision": "1"}, headers=visitor),
        wix.post(f"{base}/cancel", json={"revision": "1"}, headers=visitor),
        wix.get(f"/v1/anonymous-bookings/{booking_id}/token", headers=visitor),
        wix.post("/bookings/v2/bulk/bookings/create", json={}, headers=visitor),
    ]
    for call in calls:
        assert app_code(await call) == DENIED
    assert (await wix.post(QUERY, json={})).json()["extendedBookings"][0]["booking"][
        "status"
    ] == "CREATED"


async def test_allowed_actions_need_only_public_data(
    wix: httpx.AsyncClient, visitor: dict[str, str]
) -> None:
    booking_id = (await created(wix, TEN))["id"]
    path = "/bookings/v2/bulk/bookings/calculate_allowed_actions"
    response = await wix.post(path, json={"bookingIds": [booking_id]}, headers=visitor)
    assert response.status_code == 200, response.text


async def test_a_member_reads_only_their_own_bookings(wix: httpx.AsyncClient) -> None:
    maya = as_(await member_tokens(wix, seed.MEMBER_MAYA))
    noah = as_(await member_tokens(wix, seed.MEMBER_NOAH))
    mine = await created_as(wix, maya, TEN)
    theirs = await created_as(wix, noah, ELEVEN)
    owners = await created(wix, NOON)
    assert mine["contactDetails"]["contactId"] == seed.CONTACT_MAYA
    assert mine["createdBy"] == {"memberId": seed.MEMBER_MAYA, "contactId": seed.CONTACT_MAYA}

    def ids(response: httpx.Response) -> list[str]:
        assert response.status_code == 200, response.text
        return [e["booking"]["id"] for e in response.json()["extendedBookings"]]

    assert ids(await wix.post(QUERY, json={}, headers=maya)) == [mine["id"]]
    assert ids(await wix.post(QUERY, json={}, headers=noah)) == [theirs["id"]]
    assert sorted(ids(await wix.post(QUERY, json={}))) == sorted(
        [mine["id"], theirs["id"], owners["id"]]
    )
    assert (await wix.post(COUNT, json={}, headers=maya)).json() == {"count": 1}
    assert (await wix.post(COUNT, json={})).json() == {"count": 3}
    by_id = {"query": {"filter": {"id": theirs["id"]}}}
    assert ids(await wix.post(QUERY, json=by_id, headers=maya)) == []


async def test_a_booking_for_the_members_contact_is_theirs(wix: httpx.AsyncClient) -> None:
    """The business books Maya by her email: the booking is on her contact, so she sees it."""
    form = {"first_name": "Maya", "last_name": "Patel", "email": seed.EMAIL_MAYA}
    booking = await created(wix, TEN, form=form)
    assert booking["contactDetails"]["contactId"] == seed.CONTACT_MAYA
    maya = as_(await member_tokens(wix, seed.MEMBER_MAYA))
    listed = (await wix.post(QUERY, json={}, headers=maya)).json()["extendedBookings"]
    assert [e["booking"]["id"] for e in listed] == [booking["id"]]


async def test_a_member_cannot_manage_bookings(wix: httpx.AsyncClient) -> None:
    maya = as_(await member_tokens(wix, seed.MEMBER_MAYA))
    booking = await created_as(wix, maya, TEN)
    base = f"/_api/bookings-service/v2/bookings/{booking['id']}"
    for action in ("confirm", "cancel"):
        response = await wix.post(f"{base}/{action}", json={"revision": "1"}, headers=maya)
        assert app_code(response) == DENIED
