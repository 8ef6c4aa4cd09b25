"""Shared helpers for the identity tests: getting visitor and member tokens, calling as them."""

from __future__ import annotations

from typing import Any

import httpx

from gateway.sandbox import seed
from tests.sandbox.booking_helpers import CREATE, FORM

TOKEN = "/oauth2/token"


async def visitor_tokens(wix: httpx.AsyncClient) -> dict[str, Any]:
    """A new visitor's tokens (the request carries no Authorization)."""
    body = {"clientId": seed.OAUTH_CLIENT_ID, "grantType": "anonymous"}
    response = await wix.post(TOKEN, json=body, headers={"Authorization": ""})
    assert response.status_code == 200, response.text
    return dict(response.json())


async def member_tokens(wix: httpx.AsyncClient, member_id: str) -> dict[str, Any]:
    response = await wix.post("/_sandbox/member-tokens", json={"memberId": member_id})
    assert response.status_code == 200, response.text
    return dict(response.json())


def as_(tokens: dict[str, Any]) -> dict[str, str]:
    """Headers that make a request as the tokens' visitor or member."""
    return {"Authorization": str(tokens["access_token"])}


def app_code(response: httpx.Response) -> tuple[int, str]:
    """The status and Wix application code of an error response."""
    return response.status_code, str(response.json()["details"]["applicationError"]["code"])


async def create_as(
    wix: httpx.AsyncClient, headers: dict[str, str], booking: dict[str, Any], **extra: Any
) -> httpx.Response:
    """Create Booking with the demo form's answers, as the caller `headers` name."""
    body = {"booking": booking, "formSubmission": FORM, **extra}
    return await wix.post(CREATE, json=body, headers=headers)


async def created_as(
    wix: httpx.AsyncClient, headers: dict[str, str], booking: dict[str, Any], **extra: Any
) -> dict[str, Any]:
    response = await create_as(wix, headers, booking, **extra)
    assert response.status_code == 200, response.text
    return dict(response.json()["booking"])
