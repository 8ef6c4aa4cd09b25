"""`POST /webhooks/wix`: signed deliveries are taken once; forged, expired, replayed and
malformed ones are refused and change nothing."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import httpx
import jwt
import pytest

from gateway.clock import Clock
from gateway.http.webhooks import WixWebhookEndpoint
from gateway.live.changes import LiveEvent
from gateway.live.deliveries import MemorySeenEvents
from gateway.live.hub import INBOX_SIZE, LiveHub
from gateway.live.webhooks import CLOCK_SKEW_SECONDS, WebhookVerifier
from tests.live_events import booking, booking_event, key_pair, sign, sign_claims


class Receiver:
    def __init__(self, clock: Clock, *, configured: bool = True) -> None:
        self.clock = clock
        self.hub = LiveHub(None, self._zone)
        verifier = WebhookVerifier(key_pair("wix")[1], clock) if configured else None
        self.endpoint = WixWebhookEndpoint(verifier, MemorySeenEvents(clock), self.hub)
        self.received: list[LiveEvent] = []

    async def _zone(self) -> str:
        return "Europe/London"

    async def post(self, body: bytes, method: str = "POST") -> httpx.Response:
        transport = httpx.ASGITransport(app=self.endpoint)
        async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as http:
            return await http.request(method, "/webhooks/wix", content=body)

    async def drain(self, subscriber: Any) -> list[LiveEvent]:
        """What reached a subscriber once the hub has dispatched everything queued."""
        for _ in range(20):
            await asyncio.sleep(0)
        events = []
        while not subscriber._queue.empty():
            events.append(subscriber._queue.get_nowait())
        return events


@pytest.fixture
async def receiver(clock: Clock) -> AsyncIterator[Receiver]:
    opened = Receiver(clock)
    await opened.hub.start()
    yield opened
    await opened.hub.aclose()


async def test_a_signed_delivery_is_taken_and_reaches_subscribers(receiver: Receiver) -> None:
    event = booking_event("confirmed", booking(), doubleBooked=True)
    with receiver.hub.subscribe() as subscriber:
        response = await receiver.post(sign(event, now=receiver.clock.timestamp()))
        assert response.status_code == 200
        assert response.json() == {"status": "accepted"}
        [live] = await receiver.drain(subscriber)
    assert live.event.id == event["id"]
    assert live.event.event_type == "wix.bookings.v2.booking_confirmed"
    assert live.booking is not None and live.booking["id"] == "b-1"
    assert live.double_booking is True


async def test_a_retried_delivery_is_acknowledged_but_taken_once(receiver: Receiver) -> None:
    event = booking_event("created", booking())
    with receiver.hub.subscribe() as subscriber:
        first = await receiver.post(sign(event, now=receiver.clock.timestamp()))
        # Wix retries with a new JWT (new iat/exp) around the same event id.
        receiver.clock.advance(timedelta(seconds=30))
        again = await receiver.post(sign(event, now=receiver.clock.timestamp()))
        delivered = await receiver.drain(subscriber)
    assert (first.status_code, again.status_code) == (200, 200)
    assert again.json() == {"status": "duplicate"}
    assert [live.event.id for live in delivered] == [event["id"]]


def _assert_refused(response: httpx.Response, status: int, code: str) -> None:
    assert response.status_code == status
    assert response.json()["errors"][0]["extensions"]["code"] == code


async def _refused_and_nothing_delivered(receiver: Receiver, body: bytes, status: int, code: str):
    with receiver.hub.subscribe() as subscriber:
        response = await receiver.post(body)
        delivered = await receiver.drain(subscriber)
    _assert_refused(response, status, code)
    assert delivered == []


async def test_forged_deliveries_are_refused(receiver: Receiver) -> None:
    now = receiver.clock.timestamp()
    event = booking_event("created", booking())
    other_key = sign(event, now=now, key="attacker")
    claims = {"data": json.dumps({"eventType": "x", "data": json.dumps(event)}), "exp": now + 60}
    hmac_signed = jwt.encode(
        claims, "a shared secret Wix never uses " * 2, algorithm="HS256"
    ).encode()
    unsigned = jwt.encode(claims, None, algorithm="none").encode()
    real = sign(event, now=now).decode()
    header, _payload, signature = real.split(".")
    tampered_payload = jwt.utils.base64url_encode(
        json.dumps({**jwt.decode(real, options={"verify_signature": False}), "x": 1}).encode()
    ).decode()
    tampered = f"{header}.{tampered_payload}.{signature}".encode()
    for body in (other_key, hmac_signed, unsigned, tampered, b"", b"not a jwt"):
        await _refused_and_nothing_delivered(receiver, body, 401, "UNAUTHENTICATED")
    # None of them took the event's id: the genuine delivery is still accepted.
    assert (await receiver.post(real.encode())).json() == {"status": "accepted"}


async def test_expired_deliveries_are_refused_on_the_gateway_clock(receiver: Receiver) -> None:
    event = booking_event("created", booking())
    issued = receiver.clock.timestamp()
    body = sign(event, now=issued, lifetime=60)
    receiver.clock.advance(timedelta(seconds=60 + CLOCK_SKEW_SECONDS + 1))
    await _refused_and_nothing_delivered(receiver, body, 401, "UNAUTHENTICATED")
    no_expiry = sign_claims({"data": json.dumps({"eventType": "x"}), "iat": int(issued)})
    await _refused_and_nothing_delivered(receiver, no_expiry, 401, "UNAUTHENTICATED")


async def test_signed_but_malformed_deliveries_are_refused(receiver: Receiver) -> None:
    now = receiver.clock.timestamp()
    exp = int(now + 600)
    good = booking_event("created", booking())
    deep: Any = {}
    for _ in range(100):
        deep = {"a": deep}
    envelopes: list[Any] = [
        {"data": {"not": "a string"}, "exp": exp},
        {"data": "not json", "exp": exp},
        {"data": json.dumps(["a", "list"]), "exp": exp},
        {"data": json.dumps({"eventType": "x", "data": "{}"}), "exp": exp},  # no event id
        {"data": json.dumps({"data": json.dumps(good)}), "exp": exp},  # no eventType
        {"data": json.dumps({"eventType": "x", "data": json.dumps({**good, "id": "i" * 500})})},
        {"data": json.dumps({"eventType": "x", "data": json.dumps({**good, "deep": deep})})},
        {"data": json.dumps({"eventType": "x", "data": json.dumps({**good, "createdEvent": 1})})},
    ]
    for claims in envelopes:
        claims.setdefault("exp", exp)
        await _refused_and_nothing_delivered(receiver, sign_claims(claims), 400, "BAD_REQUEST")


async def test_without_a_public_key_every_delivery_is_refused(clock: Clock) -> None:
    receiver = Receiver(clock, configured=False)
    response = await receiver.post(sign(booking_event("created", booking()), now=clock.timestamp()))
    _assert_refused(response, 404, "WEBHOOKS_NOT_CONFIGURED")


async def test_only_post_is_answered(receiver: Receiver) -> None:
    response = await receiver.post(b"", method="GET")
    _assert_refused(response, 405, "METHOD_NOT_ALLOWED")


async def test_an_event_that_cannot_be_passed_on_is_left_for_wix_to_retry(
    receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    event = booking_event("created", booking())
    body = sign(event, now=receiver.clock.timestamp())
    inbox = receiver.hub._inbox
    for _ in range(INBOX_SIZE - inbox.qsize()):
        inbox.put_nowait(_filler())
    refused = await receiver.post(body)
    _assert_refused(refused, 503, "SERVICE_UNAVAILABLE")
    assert refused.headers["retry-after"]
    while not inbox.empty():
        inbox.get_nowait()
    assert (await receiver.post(body)).json() == {"status": "accepted"}


def _filler() -> Any:
    from gateway.live.events import WixEvent

    return WixEvent("filler", "x", "x", "x", None, None, None, None)
