"""Visitor and member tokens: `POST /oauth2/token`, `/_sandbox/member-tokens`, expiry by the
frozen clock, and how the sandbox tells its tokens from API keys."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from gateway.clock import Clock
from gateway.sandbox import seed
from gateway.sandbox.identity import TOKEN_PREFIX
from tests.sandbox.booking_helpers import QUERY, appointment
from tests.sandbox.identity_helpers import (
    TOKEN,
    app_code,
    as_,
    created_as,
    member_tokens,
    visitor_tokens,
)

SERVICES = "/bookings/v2/services/query"


async def test_anonymous_grant_gives_a_four_hour_visitor_token(wix: httpx.AsyncClient) -> None:
    tokens = await visitor_tokens(wix)
    assert tokens["expires_in"] == 14400 and tokens["token_type"] == "Bearer"
    assert tokens["access_token"].startswith(TOKEN_PREFIX)
    assert tokens["refresh_token"].startswith(TOKEN_PREFIX)
    assert tokens["access_token"] != tokens["refresh_token"]
    other = await visitor_tokens(wix)
    assert other["access_token"] != tokens["access_token"]
    response = await wix.post(SERVICES, json={}, headers=as_(tokens))
    assert response.status_code == 200 and response.json()["services"]


async def test_form_encoded_grant_works_too(wix: httpx.AsyncClient) -> None:
    form = {"clientId": seed.OAUTH_CLIENT_ID, "grantType": "anonymous"}
    response = await wix.post(TOKEN, data=form, headers={"Authorization": ""})
    assert response.status_code == 200 and response.json()["expires_in"] == 14400


async def test_refresh_keeps_the_same_visitor(wix: httpx.AsyncClient) -> None:
    """Bookings made with the first and the refreshed access token have one anonymousVisitorId."""
    tokens = await visitor_tokens(wix)
    first = await created_as(wix, as_(tokens), appointment())
    body = {
        "clientId": seed.OAUTH_CLIENT_ID,
        "grantType": "refresh_token",
        "refreshToken": tokens["refresh_token"],
    }
    refreshed = (await wix.post(TOKEN, json=body)).json()
    assert refreshed["access_token"] != tokens["access_token"]
    later = appointment(start="2026-03-03T11:00:00", end="2026-03-03T11:30:00")
    second = await created_as(wix, as_(refreshed), later)
    visitor = first["createdBy"]["anonymousVisitorId"]
    assert visitor and second["createdBy"] == {"anonymousVisitorId": visitor}


async def test_refresh_keeps_the_same_member(wix: httpx.AsyncClient) -> None:
    tokens = await member_tokens(wix, seed.MEMBER_MAYA)
    body = {
        "clientId": seed.OAUTH_CLIENT_ID,
        "grantType": "refresh_token",
        "refreshToken": tokens["refresh_token"],
    }
    refreshed = (await wix.post(TOKEN, data=body)).json()
    booking = await created_as(wix, as_(refreshed), appointment())
    assert booking["createdBy"] == {"memberId": seed.MEMBER_MAYA, "contactId": seed.CONTACT_MAYA}


APPLICATION_400 = "applicationError INVALID_ARGUMENT"  # vs a validationError


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"grantType": "anonymous"}, 400, "INVALID_ARGUMENT"),
        ({"clientId": seed.OAUTH_CLIENT_ID}, 400, "INVALID_ARGUMENT"),
        ({"clientId": seed.OAUTH_CLIENT_ID, "grantType": "password"}, 400, "INVALID_ARGUMENT"),
        ({"clientId": seed.OAUTH_CLIENT_ID, "grantType": "refresh_token"}, 400, "INVALID_ARGUMENT"),
        # Token declares no application codes: an unknown client or grant is Wix's standard 400.
        ({"clientId": seed.LOCATION_MAIN, "grantType": "anonymous"}, 400, APPLICATION_400),
        (
            {
                "clientId": seed.OAUTH_CLIENT_ID,
                "grantType": "refresh_token",
                "refreshToken": TOKEN_PREFIX + "never-issued",
            },
            400,
            APPLICATION_400,
        ),
    ],
)
async def test_bad_token_requests_are_refused_in_the_wix_envelope(
    wix: httpx.AsyncClient, body: dict[str, str], status: int, code: str
) -> None:
    response = await wix.post(TOKEN, json=body)
    assert response.status_code == status
    details = response.json()["details"]
    if code == APPLICATION_400:
        assert details["applicationError"]["code"] == "INVALID_ARGUMENT"
    else:
        assert details["validationError"]["fieldViolations"]


async def test_an_access_token_expires_after_four_hours(
    wix: httpx.AsyncClient, clock: Clock
) -> None:
    tokens = await visitor_tokens(wix)
    clock.advance(timedelta(hours=4) - timedelta(seconds=1))
    assert (await wix.post(SERVICES, json={}, headers=as_(tokens))).status_code == 200
    clock.advance(timedelta(seconds=1))
    assert app_code(await wix.post(SERVICES, json={}, headers=as_(tokens))) == (
        401,
        "UNAUTHENTICATED",
    )
    body = {
        "clientId": seed.OAUTH_CLIENT_ID,
        "grantType": "refresh_token",
        "refreshToken": tokens["refresh_token"],
    }
    refreshed = (await wix.post(TOKEN, json=body)).json()
    assert (await wix.post(SERVICES, json={}, headers=as_(refreshed))).status_code == 200


async def test_unknown_or_refresh_token_as_authorization_is_401(wix: httpx.AsyncClient) -> None:
    tokens = await visitor_tokens(wix)
    for value in (TOKEN_PREFIX + "made-up", tokens["refresh_token"]):
        response = await wix.post(SERVICES, json={}, headers={"Authorization": value})
        assert app_code(response) == (401, "UNAUTHENTICATED")


async def test_any_other_authorization_still_acts_as_the_api_key(wix: httpx.AsyncClient) -> None:
    """The default test client sends an arbitrary key; it reads every booking, as before."""
    member = await member_tokens(wix, seed.MEMBER_NOAH)
    await created_as(wix, as_(member), appointment())
    for key in ("sandbox-api-key", "IST.some-real-looking-key"):
        response = await wix.post(QUERY, json={}, headers={"Authorization": key})
        assert response.status_code == 200 and len(response.json()["extendedBookings"]) == 1


async def test_member_tokens_control(wix: httpx.AsyncClient) -> None:
    tokens = await member_tokens(wix, seed.MEMBER_NOAH)
    assert set(tokens) == {"access_token", "refresh_token", "expires_in", "token_type"}
    unknown = await wix.post("/_sandbox/member-tokens", json={"memberId": seed.STAFF_ANNA})
    assert unknown.status_code == 404
    assert (await wix.post("/_sandbox/member-tokens", json={})).status_code == 400


async def test_reset_forgets_tokens(wix: httpx.AsyncClient) -> None:
    visitor = await visitor_tokens(wix)
    member = await member_tokens(wix, seed.MEMBER_MAYA)
    (await wix.post("/_sandbox/reset")).raise_for_status()
    for tokens in (visitor, member):
        response = await wix.post(SERVICES, json={}, headers=as_(tokens))
        assert app_code(response) == (401, "UNAUTHENTICATED")
    assert (await member_tokens(wix, seed.MEMBER_MAYA))["access_token"]  # members are re-seeded


async def test_token_route_is_in_the_openapi_document_without_security(
    wix: httpx.AsyncClient,
) -> None:
    document = (await wix.get("/_sandbox/openapi.json")).json()
    operation = document["paths"]["/oauth2/token"]["post"]
    assert operation["security"] == []
    assert "application/x-www-form-urlencoded" in operation["requestBody"]["content"]
