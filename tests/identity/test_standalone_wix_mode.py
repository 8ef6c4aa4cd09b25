"""The gateway in `wix` mode against a standalone sandbox over HTTP, as it runs against Wix:
each kind of caller gets exactly what Wix gives it (README, "Security model")."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import httpx
import pytest

from gateway.clock import Clock
from gateway.config import Settings
from gateway.sandbox import seed
from tests.graphql import Gateway, open_gateway
from tests.graphql.mutations import appointment_input, document, haircut_slot

ADMIN_KEY = "an-admin-secret"
OWNER_API_KEY = "owner-api-key"
BOOKINGS = "{ bookings(first: 10) { nodes { id contact { email } } } }"
CONFIRM = (
    'mutation { confirmBooking(input: {bookingId: "b5000000-0000-4000-8000-000000000001", '
    'revision: "1"}) { __typename } }'
)


def wix_mode(url: str, **extra: Any) -> Settings:
    return Settings(
        upstream="wix",
        wix_base_url=url,
        wix_api_key=OWNER_API_KEY,
        wix_site_id="site-1",
        admin_keys=ADMIN_KEY,
        gc_freeze=False,
        **extra,
    )


@pytest.fixture
async def gateway(
    wix_http: httpx.AsyncClient, served_sandbox_url: str, clock: Clock
) -> AsyncIterator[Gateway]:
    async with open_gateway(wix_mode(served_sandbox_url), clock) as opened:
        yield opened


async def post(
    gateway: Gateway, query: str, variables: dict[str, Any] | None = None, **headers: str
) -> dict[str, Any]:
    """POST as the caller `headers` make (none: anonymous)."""
    response = await gateway.send(query, variables, anonymous=True, headers=headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


async def upstream_calls(wix: httpx.AsyncClient) -> int:
    log = (await wix.get("/_sandbox/requests")).json()
    return sum(log["countsByRoute"].values())


async def member_token(wix: httpx.AsyncClient, member_id: str) -> str:
    response = await wix.post("/_sandbox/member-tokens", json={"memberId": member_id})
    response.raise_for_status()
    return str(response.json()["access_token"])


async def book(gateway: Gateway, **headers: str) -> dict[str, Any]:
    slot = await haircut_slot(gateway, index=len(headers) * 2)
    body = await post(
        gateway, document("bookAppointment"), {"input": appointment_input(slot)}, **headers
    )
    assert "errors" not in body, body
    return dict(body["data"]["bookAppointment"])


async def test_anonymous_owner_operations_never_reach_wix(
    gateway: Gateway, wix_http: httpx.AsyncClient
) -> None:
    await wix_http.delete("/_sandbox/requests")
    for query in (BOOKINGS, CONFIRM):
        body = await post(gateway, query)
        assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert await upstream_calls(wix_http) == 0


async def test_anonymous_browsing_and_booking_work(gateway: Gateway) -> None:
    body = await post(gateway, "{ services { nodes { name } } }")
    assert "errors" not in body and body["data"]["services"]["nodes"]
    assert (await book(gateway))["__typename"] == "BookingCreated"


async def test_an_admin_key_reads_every_booking_and_never_leaves_the_gateway(
    gateway: Gateway, wix_http: httpx.AsyncClient
) -> None:
    await book(gateway)
    body = await post(gateway, BOOKINGS, authorization=f"Bearer {ADMIN_KEY}")
    assert len(body["data"]["bookings"]["nodes"]) == 1
    # A wrong admin key is just another token, forwarded: Wix (the sandbox) decides.
    forged = await post(gateway, BOOKINGS, authorization="Bearer sbx-oauth.not-issued")
    assert forged["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_a_member_token_sees_only_that_members_bookings(
    gateway: Gateway, wix_http: httpx.AsyncClient
) -> None:
    maya = await member_token(wix_http, seed.MEMBER_MAYA)
    noah = await member_token(wix_http, seed.MEMBER_NOAH)
    mine = await book(gateway, authorization=maya)
    theirs = await book(gateway, authorization=noah, x_other="1")
    assert mine["__typename"] == theirs["__typename"] == "BookingCreated"
    await book(gateway)  # an anonymous visitor's, on the API key

    def ids(body: dict[str, Any]) -> set[str]:
        return {node["id"] for node in body["data"]["bookings"]["nodes"]}

    assert ids(await post(gateway, BOOKINGS, authorization=maya)) == {mine["booking"]["id"]}
    assert ids(await post(gateway, BOOKINGS, authorization=noah)) == {theirs["booking"]["id"]}
    assert len(ids(await post(gateway, BOOKINGS, authorization=f"Bearer {ADMIN_KEY}"))) == 3
    # Wix refuses a member the business's operations; the refusal reaches the caller coded.
    refused = await post(gateway, CONFIRM, authorization=maya)
    assert refused["data"]["confirmBooking"]["__typename"] in ("NotAllowed", "NotFound")


async def test_with_a_client_id_anonymous_callers_are_wix_visitors(
    wix_http: httpx.AsyncClient, served_sandbox_url: str, clock: Clock
) -> None:
    settings = wix_mode(served_sandbox_url, wix_client_id=seed.OAUTH_CLIENT_ID)
    async with open_gateway(settings, clock) as gateway:
        await wix_http.delete("/_sandbox/requests")
        # The visitor's own token reaches Wix: Wix (not the gateway) refuses it the bookings.
        refused = await post(gateway, BOOKINGS)
        assert refused["errors"][0]["extensions"]["code"] == "UNAUTHORIZED_OPERATION"
        assert refused["errors"][0]["extensions"]["httpStatus"] == 403

        async def browse(session: str | None) -> httpx.Response:
            headers = {"x-visitor-refresh-token": session} if session else {}
            query = "{ services { nodes { id } } }"
            return await gateway.send(query, anonymous=True, headers=headers)

        first = await browse(None)
        session = first.headers["x-visitor-refresh-token"]
        assert first.headers["cache-control"] == "no-store" and "errors" not in first.json()
        again = await browse(session)
        assert again.headers["x-visitor-refresh-token"] == session
        clock.advance(timedelta(hours=4))  # the access token expired: refreshed, same visitor
        later = await browse(session)
        assert later.headers["x-visitor-refresh-token"] == session
        log = (await wix_http.get("/_sandbox/requests")).json()["countsByRoute"]
        # Two sessions (the refused request's and `first`), one refresh; `again` reused its token.
        assert log["POST /oauth2/token"] == 3
