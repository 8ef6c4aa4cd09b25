"""Anonymous booking links through `/graphql` against the embedded sandbox ("Generate an
anonymous booking link", "Cancel a booking anonymously", "Reschedule a booking anonymously" in
https://dev.wix.com/docs/api-reference/business-solutions/bookings/bookings/bookings-writer-v2/sample-flows).

The GraphQL requests carry no Authorization header at all. A recorder in front of the sandbox
captures the Authorization each upstream request arrived with, to show the token calls carry
none. The sandbox clock is frozen on Monday 2026-03-02 09:00 UTC; the usual booking is a haircut
with Dan on Tuesday 10:00 (standard policy: anonymous cancel and reschedule allowed).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from gateway.sandbox import seed
from gateway.sandbox.app import build_sandbox_app
from gateway.sandbox.state import FaultRule
from gateway.upstream import WixClient
from tests.graphql import Gateway, gateway
from tests.graphql.mutations import Json, create_booking, sandbox_slot

__all__ = ["gateway"]

ANONYMOUS = "/v1/anonymous-bookings/"
CANCEL_ANONYMOUSLY = "POST /v1/anonymous-bookings/{token}/cancel"
RESCHEDULE_ANONYMOUSLY = "POST /v1/anonymous-bookings/{token}/reschedule"
UNKNOWN_TOKEN = "not-a-token-" + "x" * 30

BOOKING = "booking { id status revision start end slot { resource { id } } }"
LINK = """
mutation($id: ID!) {
  createAnonymousLink(bookingId: $id) {
    __typename
    ... on AnonymousLink { token allowedAnonymousActions { cancel reschedule } }
    ... on NotFound { message id }
    ... on NotAllowed { message reason code }
  }
}
"""
READ = f"""
query($token: String!) {{
  anonymousBooking(token: $token) {{ {BOOKING} allowedAnonymousActions {{ cancel reschedule }} }}
}}
"""
COMMON = f"""
    __typename
    ... on BookingUpdated {{ {BOOKING} }}
    ... on InvalidAnonymousToken {{ message }}
    ... on NotAllowed {{ message reason code }}
    ... on RevisionConflict {{ message currentRevision }}
    ... on IdempotencyKeyReused {{ message key }}
"""
CANCEL = f"""
mutation($token: String!, $key: String) {{
  cancelBookingAnonymously(token: $token, idempotencyKey: $key) {{ {COMMON} }}
}}
"""
RESCHEDULE = f"""
mutation($token: String!, $slot: SlotInput!, $key: String) {{
  rescheduleBookingAnonymously(token: $token, newSlot: $slot, idempotencyKey: $key) {{
    {COMMON}
    ... on SlotUnavailable {{ message alternatives {{ localStart localEnd bookable }} }}
    ... on PolicyViolation {{ message tooLate }}
    ... on NotFound {{ message id }}
  }}
}}
"""


@dataclass
class Recorder:
    """The Authorization header of every upstream request, by path."""

    seen: list[tuple[str, str | None]] = field(default_factory=list)

    def authorization_of(self, prefix: str) -> set[str | None]:
        return {auth for path, auth in self.seen if path.startswith(prefix)}


@pytest.fixture
async def recorder(gateway: Gateway) -> AsyncIterator[Recorder]:
    """Put a recorder between the gateway's upstream client and its embedded sandbox."""
    recorder = Recorder()
    sandbox_app = build_sandbox_app(gateway.sandbox)

    async def recording(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            headers = dict(scope["headers"])
            auth = headers.get(b"authorization")
            recorder.seen.append((scope["path"], auth.decode() if auth else None))
        await sandbox_app(scope, receive, send)

    state = gateway.app.state
    previous = state.wix_client
    state.wix_client = WixClient(state.settings, transport=httpx.ASGITransport(app=recording))
    await previous.aclose()
    yield recorder


async def haircut(
    gateway: Gateway, start: str = "2026-03-03T10:00:00", end: str = "2026-03-03T10:30:00"
) -> Json:
    """A CONFIRMED haircut with Dan, made through the sandbox's Create Booking."""
    return await create_booking(gateway, sandbox_slot(start=start, end=end), status="CONFIRMED")


async def link(gateway: Gateway, booking_id: str) -> Json:
    return dict((await gateway.data(LINK, {"id": booking_id}))["createAnonymousLink"])


async def token_of(gateway: Gateway, booking_id: str) -> str:
    made = await link(gateway, booking_id)
    assert made["__typename"] == "AnonymousLink", made
    return str(made["token"])


async def cancel(gateway: Gateway, token: str, key: str | None = None) -> Json:
    return dict(
        (await gateway.data(CANCEL, {"token": token, "key": key}))["cancelBookingAnonymously"]
    )


async def reschedule(gateway: Gateway, token: str, slot: Json, key: str | None = None) -> Json:
    variables = {"token": token, "slot": slot, "key": key}
    return dict((await gateway.data(RESCHEDULE, variables))["rescheduleBookingAnonymously"])


async def stored(gateway: Gateway, booking_id: str) -> Json:
    body = await gateway.upstream.bookings_reader.query_extended_bookings(
        {"filter": {"id": booking_id}}
    )
    (item,) = body["extendedBookings"]
    return dict(item["booking"])


def forbid_anonymous(gateway: Gateway, section: str) -> None:
    """Turn off `allowAnonymous` in the standard policy (the haircut's)."""
    policy = gateway.sandbox.store.get("policies", seed.POLICY_STANDARD)
    assert policy is not None
    policy[section]["allowAnonymous"] = False
    gateway.sandbox.store.put("policies", policy)


TUESDAY_2PM = {"localStart": "2026-03-03T14:00:00", "localEnd": "2026-03-03T14:30:00"}


# -- the link --------------------------------------------------------------------------------


async def test_create_a_link_and_read_the_booking_with_it(
    gateway: Gateway, recorder: Recorder
) -> None:
    booking = await haircut(gateway)
    made = await link(gateway, booking["id"])
    assert made["__typename"] == "AnonymousLink"
    assert made["token"] and made["allowedAnonymousActions"] == {"cancel": True, "reschedule": True}

    seen = (await gateway.data(READ, {"token": made["token"]}))["anonymousBooking"]
    assert seen["booking"]["id"] == booking["id"]
    assert seen["booking"]["status"] == "CONFIRMED"
    assert seen["allowedAnonymousActions"] == {"cancel": True, "reschedule": True}

    minting = recorder.authorization_of(f"{ANONYMOUS}{booking['id']}/token")
    assert minting == {gateway.app.state.settings.api_key}  # the business's call
    token_calls = recorder.authorization_of(f"{ANONYMOUS}{made['token']}")
    assert token_calls == {None}  # the customer's calls carry no credentials


async def test_a_link_for_an_unknown_booking_is_not_found(gateway: Gateway) -> None:
    missing = "00000000-0000-4000-8000-00000000dead"
    made = await link(gateway, missing)
    assert (made["__typename"], made["id"]) == ("NotFound", missing)


async def test_a_link_shows_what_the_policy_forbids(gateway: Gateway) -> None:
    forbid_anonymous(gateway, "reschedulePolicy")
    made = await link(gateway, (await haircut(gateway))["id"])
    assert made["allowedAnonymousActions"] == {"cancel": True, "reschedule": False}


async def test_an_unknown_token_reads_as_null(gateway: Gateway) -> None:
    assert (await gateway.data(READ, {"token": UNKNOWN_TOKEN}))["anonymousBooking"] is None


# -- cancel ----------------------------------------------------------------------------------


async def test_cancel_anonymously(gateway: Gateway, recorder: Recorder) -> None:
    booking = await haircut(gateway)
    token = await token_of(gateway, booking["id"])
    result = await cancel(gateway, token)

    assert result["__typename"] == "BookingUpdated"
    assert result["booking"]["status"] == "CANCELED"
    now = await stored(gateway, booking["id"])
    assert (now["status"], now["revision"]) == ("CANCELED", str(int(booking["revision"]) + 1))
    assert recorder.authorization_of(f"{ANONYMOUS}{token}") == {None}

    again = await cancel(gateway, token)  # the token still reads the canceled booking
    assert (again["__typename"], again["code"]) == ("NotAllowed", "CANCEL_NOT_ALLOWED")


async def test_cancel_forbidden_by_the_policy_changes_nothing(gateway: Gateway) -> None:
    booking = await haircut(gateway)
    token = await token_of(gateway, booking["id"])
    forbid_anonymous(gateway, "cancellationPolicy")
    gateway.reset_calls()
    result = await cancel(gateway, token)

    assert (result["__typename"], result["code"]) == ("NotAllowed", "CANCEL_NOT_ALLOWED")
    assert CANCEL_ANONYMOUSLY not in gateway.calls()
    assert (await stored(gateway, booking["id"]))["status"] == "CONFIRMED"


async def test_cancel_with_an_unknown_token(gateway: Gateway) -> None:
    result = await cancel(gateway, UNKNOWN_TOKEN)
    assert result["__typename"] == "InvalidAnonymousToken" and result["message"]


async def test_cancel_is_idempotent_under_a_key(gateway: Gateway) -> None:
    booking = await haircut(gateway)
    token = await token_of(gateway, booking["id"])
    gateway.reset_calls()
    first = await cancel(gateway, token, key="cancel-1")
    second = await cancel(gateway, token, key="cancel-1")
    assert first == second and first["__typename"] == "BookingUpdated"
    assert gateway.calls()[CANCEL_ANONYMOUSLY] == 1


# -- reschedule ------------------------------------------------------------------------------


async def test_reschedule_anonymously(gateway: Gateway, recorder: Recorder) -> None:
    booking = await haircut(gateway)
    token = await token_of(gateway, booking["id"])
    result = await reschedule(gateway, token, TUESDAY_2PM)

    assert result["__typename"] == "BookingUpdated"
    moved = result["booking"]
    assert (moved["start"], moved["end"]) == (
        "2026-03-03T14:00:00.000Z",
        "2026-03-03T14:30:00.000Z",
    )
    assert moved["status"] == "CONFIRMED"
    now = await stored(gateway, booking["id"])
    assert now["startDate"].startswith("2026-03-03T14:00:00")
    assert now["revision"] == str(int(booking["revision"]) + 1)
    assert recorder.authorization_of(f"{ANONYMOUS}{token}") == {None}


async def test_reschedule_to_a_taken_slot_offers_alternatives(gateway: Gateway) -> None:
    booking = await haircut(gateway)
    await haircut(gateway, "2026-03-03T14:00:00", "2026-03-03T14:30:00")  # Dan is taken then
    token = await token_of(gateway, booking["id"])
    gateway.reset_calls()
    result = await reschedule(gateway, token, {**TUESDAY_2PM, "resourceId": seed.STAFF_DAN})

    assert result["__typename"] == "SlotUnavailable"
    alternatives = result["alternatives"]
    assert 1 <= len(alternatives) <= 5 and all(slot["bookable"] for slot in alternatives)
    assert RESCHEDULE_ANONYMOUSLY not in gateway.calls()
    assert (await stored(gateway, booking["id"]))["startDate"].startswith("2026-03-03T10:00:00")


async def test_reschedule_forbidden_by_the_policy(gateway: Gateway) -> None:
    booking = await haircut(gateway)
    token = await token_of(gateway, booking["id"])
    forbid_anonymous(gateway, "reschedulePolicy")
    result = await reschedule(gateway, token, TUESDAY_2PM)
    assert (result["__typename"], result["code"]) == ("NotAllowed", "RESCHEDULE_NOT_ALLOWED")


async def test_reschedule_with_an_unknown_token(gateway: Gateway) -> None:
    result = await reschedule(gateway, UNKNOWN_TOKEN, TUESDAY_2PM)
    assert result["__typename"] == "InvalidAnonymousToken"


async def test_a_slot_without_times_is_bad_input(gateway: Gateway) -> None:
    token = await token_of(gateway, (await haircut(gateway))["id"])
    body = await gateway.post(
        RESCHEDULE, {"token": token, "slot": {"localStart": "2026-03-03T14:00:00"}}
    )
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


# -- the token stays out of logs -------------------------------------------------------------


async def test_no_log_line_holds_the_token(
    gateway: Gateway, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.DEBUG)
    for name in list(logging.root.manager.loggerDict):
        caplog.set_level(logging.DEBUG, logger=name)
    booking = await haircut(gateway)
    token = await token_of(gateway, booking["id"])

    await gateway.data(READ, {"token": token})
    # a retried read (503) and a failed write (500) log warnings and a GraphQL error
    gateway.sandbox.faults.append(
        FaultRule(path=f"{ANONYMOUS}*", method="GET", status=503, times=1)
    )
    assert (await reschedule(gateway, token, TUESDAY_2PM))["__typename"] == "BookingUpdated"
    gateway.sandbox.faults.append(FaultRule(path=f"{ANONYMOUS}*/cancel", status=500, times=1))
    failed = await gateway.post(CANCEL, {"token": token})
    assert failed["errors"][0]["extensions"]["code"] == "UPSTREAM_UNAVAILABLE"
    assert (await cancel(gateway, token))["__typename"] == "BookingUpdated"

    messages = [record.getMessage() for record in caplog.records]
    assert any("anonymous-bookings/{token}" in m for m in messages)  # the calls were logged
    assert any("HTTP Request" in m for m in messages)  # httpx's own request lines too
    captured = capsys.readouterr()
    for text in (caplog.text, *messages, captured.out, captured.err):
        assert token not in text
    assert token not in str(gateway.sandbox.request_log())
