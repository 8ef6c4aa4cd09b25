"""Anonymous booking actions in the sandbox ("Anonymous booking actions" in
https://dev.wix.com/docs/api-reference/business-solutions/bookings/bookings/bookings-writer-v2/introduction):
the token, Get Booking / Service Anonymously, Cancel and Reschedule with the token only, and the
Wix sample flows over real HTTP.

The clock is frozen on Monday 2026-03-02 09:00 UTC (see booking_helpers). The usual booking is a
haircut with Dan on Tuesday 10:00 (standard policy: anonymous cancel and reschedule allowed).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from gateway.sandbox import seed
from gateway.sandbox.api.anonymous import NOT_ALLOWED
from gateway.sandbox.app import build_sandbox_app
from gateway.sandbox.state import Sandbox
from tests.sandbox.booking_helpers import (
    FORM,
    MASSAGE_FORM,
    appointment,
    created,
    failure,
    set_clock,
    stored,
)

BASE = "/v1/anonymous-bookings"
NEW_SLOT = appointment(start="2026-03-03T14:00:00", end="2026-03-03T14:30:00")["bookedEntity"][
    "slot"
]

Json = dict[str, Any]


@pytest.fixture
async def anonymous(sandbox: Sandbox) -> AsyncIterator[httpx.AsyncClient]:
    """A customer's client on the same sandbox: it sends no Authorization header at all."""
    transport = httpx.ASGITransport(app=build_sandbox_app(sandbox))
    async with httpx.AsyncClient(transport=transport, base_url="http://sandbox") as client:
        yield client


async def token_for(wix: httpx.AsyncClient, booking_id: str) -> str:
    response = await wix.get(f"{BASE}/{booking_id}/token")
    assert response.status_code == 200, response.text
    return str(response.json()["token"])


async def booked_with_token(wix: httpx.AsyncClient, **booking: Any) -> tuple[Json, str]:
    doc = await created(wix, appointment(**booking))
    return doc, await token_for(wix, doc["id"])


def change_policy(sandbox: Sandbox, section: str, **rules: Any) -> None:
    """Edit a rule of the standard policy (the haircut's) directly in the store."""
    policy = sandbox.store.get("policies", seed.POLICY_STANDARD)
    assert policy is not None
    policy[section].update(rules)
    sandbox.store.put("policies", policy)


# -- the token ---------------------------------------------------------------------------------


async def test_token_is_stable_per_booking_and_unguessable(wix: httpx.AsyncClient) -> None:
    doc, token = await booked_with_token(wix)
    assert await token_for(wix, doc["id"]) == token
    _, other = await booked_with_token(wix, start="2026-03-03T11:00:00", end="2026-03-03T11:30:00")
    assert other != token
    assert len(token) >= 43 and token.replace("-", "").replace("_", "").isalnum()


async def test_token_needs_authorization_and_an_existing_booking(
    wix: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    doc = await created(wix, appointment())
    response = await anonymous.get(f"{BASE}/{doc['id']}/token")
    assert failure(response) == (401, "UNAUTHENTICATED")
    missing = await wix.get(f"{BASE}/00000000-0000-4000-8000-00000000dead/token")
    assert failure(missing) == (404, "BOOKING_NOT_FOUND")


# -- reading with the token --------------------------------------------------------------------


async def test_get_booking_and_service_anonymously(
    wix: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    doc, token = await booked_with_token(wix)
    booking = await anonymous.get(f"{BASE}/{token}")
    service = await anonymous.get(f"{BASE}/{token}/service")
    assert booking.status_code == 200, booking.text
    assert booking.json()["booking"] == doc
    assert booking.json()["allowedAnonymousActions"] == {"cancel": True, "reschedule": True}
    assert service.status_code == 200, service.text
    assert service.json()["service"]["id"] == seed.SERVICE_HAIRCUT


async def test_unknown_token_is_401_without_echoing_it(
    wix: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    guess = "not-a-real-token-but-long-enough-to-look-like-one"
    for response in (
        await anonymous.get(f"{BASE}/{guess}"),
        await anonymous.get(f"{BASE}/{guess}/service"),
        await anonymous.post(f"{BASE}/{guess}/cancel", json={}),
        await anonymous.post(f"{BASE}/{guess}/reschedule", json={"slot": NEW_SLOT}),
    ):
        assert failure(response) == (401, "INVALID_TOKEN")
        assert guess not in response.text


async def test_token_stops_working_once_the_booking_is_gone(
    wix: httpx.AsyncClient, anonymous: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    doc, token = await booked_with_token(wix)
    sandbox.store.delete("bookings", doc["id"])
    assert failure(await anonymous.get(f"{BASE}/{token}")) == (404, "BOOKING_NOT_FOUND")
    cancel = await anonymous.post(f"{BASE}/{token}/cancel", json={})
    assert failure(cancel) == (404, "BOOKING_NOT_FOUND")
    await wix.post("/_sandbox/reset")  # a wiped sandbox forgets its tokens
    assert failure(await anonymous.get(f"{BASE}/{token}")) == (401, "INVALID_TOKEN")


# -- acting with the token ---------------------------------------------------------------------


async def test_cancel_anonymously_once(
    wix: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    doc, token = await booked_with_token(wix)
    stale = await anonymous.post(f"{BASE}/{token}/cancel", json={"revision": "9"})
    assert stale.status_code == 409
    response = await anonymous.post(f"{BASE}/{token}/cancel", json={"revision": "1"})
    assert response.status_code == 200, response.text
    assert (response.json()["booking"]["status"], response.json()["booking"]["revision"]) == (
        "CANCELED",
        "2",
    )
    again = await anonymous.post(f"{BASE}/{token}/cancel", json={})
    assert failure(again) == (428, "BOOKING_CANNOT_BE_CANCELLED")
    listed = await anonymous.get(f"{BASE}/{token}")
    assert listed.json()["allowedAnonymousActions"] == {"cancel": False, "reschedule": False}
    assert (await stored(wix, doc["id"]))["status"] == "CANCELED"


async def test_reschedule_anonymously_checks_the_new_slot(
    wix: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    doc, token = await booked_with_token(wix)
    taken = appointment(start="2026-03-03T15:00:00", end="2026-03-03T15:30:00", status="CONFIRMED")
    await created(wix, taken)
    busy = {"slot": taken["bookedEntity"]["slot"], "revision": "1"}
    refused = await anonymous.post(f"{BASE}/{token}/reschedule", json=busy)
    assert failure(refused) == (428, "RESCHEDULING_NOT_ALLOWED")
    missing = await anonymous.post(f"{BASE}/{token}/reschedule", json={"revision": "1"})
    assert missing.status_code == 400
    response = await anonymous.post(
        f"{BASE}/{token}/reschedule", json={"slot": NEW_SLOT, "revision": "1"}
    )
    assert response.status_code == 200, response.text
    after = await stored(wix, doc["id"])
    assert (after["startDate"], after["revision"]) == ("2026-03-03T14:00:00.000Z", "2")


@pytest.mark.parametrize(
    ("section", "refused", "allowed"),
    [("cancellationPolicy", "cancel", "reschedule"), ("reschedulePolicy", "reschedule", "cancel")],
)
async def test_policy_without_allow_anonymous_refuses_the_action(
    wix: httpx.AsyncClient,
    anonymous: httpx.AsyncClient,
    sandbox: Sandbox,
    section: str,
    refused: str,
    allowed: str,
) -> None:
    doc, token = await booked_with_token(wix)
    change_policy(sandbox, section, allowAnonymous=False)
    body = {"cancel": {}, "reschedule": {"slot": NEW_SLOT}}
    shown = (await anonymous.get(f"{BASE}/{token}")).json()["allowedAnonymousActions"]
    assert shown == {refused: False, allowed: True}
    response = await anonymous.post(f"{BASE}/{token}/{refused}", json=body[refused])
    assert failure(response) == (428, NOT_ALLOWED[refused])
    assert await stored(wix, doc["id"]) == doc


async def test_policy_window_closes_anonymous_actions(
    wix: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    """The massage's strict policy: no cancel or reschedule within 24h of the start."""
    massage = appointment(
        seed.SERVICE_MASSAGE, "2026-03-03T10:00:00", "2026-03-03T11:00:00", seed.STAFF_ANNA
    )
    doc = await created(wix, massage, form=MASSAGE_FORM)
    token = await token_for(wix, doc["id"])
    shown = (await anonymous.get(f"{BASE}/{token}")).json()["allowedAnonymousActions"]
    assert shown == {"cancel": True, "reschedule": True}  # 25 hours ahead
    await set_clock(wix, "2026-03-02T11:00:00Z")
    shown = (await anonymous.get(f"{BASE}/{token}")).json()["allowedAnonymousActions"]
    assert shown == {"cancel": False, "reschedule": False}  # 23 hours ahead
    response = await anonymous.post(f"{BASE}/{token}/cancel", json={})
    assert failure(response) == (428, "BOOKING_CANNOT_BE_CANCELLED")


async def test_a_booking_in_a_package_is_changed_only_as_a_package(
    wix: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    later = appointment(start="2026-03-03T10:30:00", end="2026-03-03T11:00:00")
    body = {"bookings": [appointment(), later], "formSubmission": FORM}
    response = await wix.post("/_api/bookings-service/v2/multi_service_bookings", json=body)
    assert response.status_code == 200, response.text
    first_id = response.json()["multiServiceBooking"]["bookings"][0]["bookingId"]
    token = await token_for(wix, first_id)
    shown = (await anonymous.get(f"{BASE}/{token}")).json()["allowedAnonymousActions"]
    cancel = await anonymous.post(f"{BASE}/{token}/cancel", json={})
    assert shown == {"cancel": False, "reschedule": False}
    assert failure(cancel) == (428, "BOOKING_CANNOT_BE_CANCELLED")


async def test_tokens_never_reach_the_request_log(
    wix: httpx.AsyncClient, anonymous: httpx.AsyncClient
) -> None:
    _, token = await booked_with_token(wix)
    await anonymous.get(f"{BASE}/{token}")
    await anonymous.post(f"{BASE}/{token}/cancel", json={})
    log = (await wix.get("/_sandbox/requests")).json()
    assert token not in str(log)
    assert log["countsByRoute"]["GET /v1/anonymous-bookings/{token}"] == 1


# -- the Wix sample flows, over real HTTP ------------------------------------------------------


async def test_sample_flow_anonymous_link_then_reschedule_and_cancel(
    wix_http: httpx.AsyncClient,
) -> None:
    """Generate an anonymous booking link; the customer reschedules, then cancels, with no
    Authorization header ("Generate an anonymous booking link", "Reschedule / Cancel a booking
    anonymously" in https://dev.wix.com/docs/api-reference/business-solutions/bookings/bookings/bookings-writer-v2/sample-flows)."""
    doc = await created(wix_http, appointment())
    token = await token_for(wix_http, doc["id"])
    async with httpx.AsyncClient(base_url=wix_http.base_url) as customer:
        link = await customer.get(f"{BASE}/{token}")
        assert link.status_code == 200, link.text
        assert link.json()["allowedAnonymousActions"]["reschedule"] is True
        revision = link.json()["booking"]["revision"]
        body = {"slot": NEW_SLOT, "revision": revision}
        moved = await customer.post(f"{BASE}/{token}/reschedule", json=body)
        assert moved.status_code == 200, moved.text

        link = await customer.get(f"{BASE}/{token}")
        assert link.json()["allowedAnonymousActions"]["cancel"] is True
        revision = link.json()["booking"]["revision"]
        canceled = await customer.post(f"{BASE}/{token}/cancel", json={"revision": revision})
        assert canceled.status_code == 200, canceled.text
    final = await stored(wix_http, doc["id"])
    assert (final["status"], final["startDate"], final["revision"]) == (
        "CANCELED",
        "2026-03-03T14:00:00.000Z",
        "3",
    )
