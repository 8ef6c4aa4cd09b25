"""The sandbox's webhooks on the wire: signed like Wix signs them, delivered to every target,
retried until a 2xx, never for a refused call. (Which event each change emits:
test_webhook_events.py.)"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterator

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from gateway.clock import Clock
from gateway.sandbox import seed
from gateway.sandbox.app import build_sandbox_app
from gateway.sandbox.state import Sandbox
from gateway.sandbox.webhooks import JWT_LIFETIME_SECONDS, MAX_URL_TARGETS
from tests.conftest import AUTH
from tests.frozen import FROZEN_AT
from tests.sandbox.booking_helpers import CREATE, FORM, action, appointment, create, created
from tests.sandbox.webhook_helpers import (
    SIGNATURE_ONLY,
    Receiver,
    decode,
    listen,
    received,
    until,
)
from tests.servers import serve

HOOKS = "/_sandbox/webhooks"


# -- signature and shapes -----------------------------------------------------------------------


async def test_a_delivery_is_a_jwt_the_published_key_verifies(
    wix: httpx.AsyncClient, sandbox: Sandbox, receiver: Receiver
) -> None:
    await created(wix, appointment())
    await sandbox.webhooks.drain()
    (token,) = receiver.tokens
    published = (await wix.get("/_sandbox/webhook-public-key")).json()["publicKey"]
    assert published == sandbox.webhooks.public_key_pem
    assert published.startswith("-----BEGIN PUBLIC KEY-----")
    assert jwt.get_unverified_header(token)["alg"] == "RS256"
    claims = jwt.decode(token, published, algorithms=["RS256"], options=SIGNATURE_ONLY)
    issued = int(FROZEN_AT.timestamp())  # business time: the sandbox's frozen clock
    assert claims.keys() == {"data", "iat", "exp"}
    assert (claims["iat"], claims["exp"]) == (issued, issued + JWT_LIFETIME_SECONDS)
    assert isinstance(claims["data"], str)

    other = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key()
    other_pem = other.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(token, other_pem, algorithms=["RS256"], options=SIGNATURE_ONLY)


async def test_the_envelope_and_domain_event_have_wix_shapes(
    wix: httpx.AsyncClient, sandbox: Sandbox, receiver: Receiver
) -> None:
    booking = await created(wix, appointment())
    (delivery,) = await received(sandbox, receiver)
    envelope = delivery.envelope
    assert envelope.keys() == {"eventType", "instanceId", "data", "identity"}
    assert isinstance(envelope["data"], str) and isinstance(envelope["identity"], str)
    assert envelope["eventType"] == "wix.bookings.v2.booking_created"
    assert envelope["instanceId"] == seed.APP_INSTANCE_ID
    assert delivery.identity == {"identityType": "APP", "appId": seed.CALLER_APP_ID}
    event = delivery.event
    assert event == {
        "id": event["id"],
        "entityFqdn": "wix.bookings.v2.booking",
        "slug": "created",
        "entityId": booking["id"],
        "eventTime": "2026-03-02T09:00:00.000Z",
        "triggeredByAnonymizeRequest": False,
        "entityEventSequence": "1",
        "createdEvent": {"entity": booking},  # an object, as the route answered it
    }


async def test_event_ids_are_unique_and_sequences_count_up_per_booking(
    wix: httpx.AsyncClient, sandbox: Sandbox, receiver: Receiver
) -> None:
    first = await created(wix, appointment())
    second = await created(wix, appointment(start="2026-03-03T11:00:00", end="2026-03-03T11:30:00"))
    await action(wix, first["id"], "confirm", revision="1")
    await action(wix, first["id"], "cancel", revision="2")
    await action(wix, second["id"], "decline", revision="1")
    deliveries = await received(sandbox, receiver)
    assert len({d.event["id"] for d in deliveries}) == len(deliveries) == 5
    sequences: dict[str, list[int]] = {}
    for delivery in deliveries:
        entity = delivery.event["entityId"]
        sequences.setdefault(entity, []).append(int(delivery.event["entityEventSequence"]))
    assert sequences == {first["id"]: [1, 2, 3], second["id"]: [1, 2]}


# -- what emits nothing -------------------------------------------------------------------------


async def test_refused_calls_emit_nothing(
    wix: httpx.AsyncClient, sandbox: Sandbox, receiver: Receiver
) -> None:
    booking = await created(wix, appointment(status="CONFIRMED"))
    await sandbox.webhooks.drain()
    receiver.tokens.clear()
    refused = [
        await action(wix, booking["id"], "cancel", revision="7"),
        await action(wix, "00000000-0000-4000-8000-00000000dead", "confirm", revision="1"),
        await create(wix, appointment(status="CONFIRMED")),  # Dan is taken then
        await action(wix, booking["id"], "reschedule", revision="1"),  # no slot
    ]
    assert [r.status_code for r in refused] == [409, 404, 428, 400]
    assert await received(sandbox, receiver) == []


async def test_a_bulk_call_that_changes_nothing_emits_nothing(
    wix: httpx.AsyncClient, sandbox: Sandbox, receiver: Receiver
) -> None:
    missing = "00000000-0000-4000-8000-00000000dead"
    response = await wix.post(
        "/bookings/v2/bulk/bookings/confirmOrDecline", json={"details": [{"bookingId": missing}]}
    )
    assert response.json()["bulkActionMetadata"]["totalFailures"] == 1
    assert await received(sandbox, receiver) == []


# -- retries --------------------------------------------------------------------------------------


async def test_a_failed_delivery_is_retried_with_backoff_until_a_2xx(
    wix: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    receiver = listen(sandbox, Receiver(failures=[500, 503, 404]))
    sandbox.webhooks.retry_delays = (0.05, 0.1, 0.2, 0.4)
    await created(wix, appointment())
    deliveries = await received(sandbox, receiver)
    assert len(receiver.attempts) == 4  # three failures, then 200 stops it
    gaps = [b - a for a, b in zip(receiver.attempts, receiver.attempts[1:], strict=False)]
    assert [round(g, 2) >= d for g, d in zip(gaps, (0.05, 0.1, 0.2), strict=True)] == [True] * 3
    assert len({d.event["id"] for d in deliveries}) == 1  # the same event each time
    assert sandbox.webhooks.pending == 0


async def test_errors_and_timeouts_are_retried_and_the_last_failure_gives_up(
    wix: httpx.AsyncClient, sandbox: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    flaky = listen(sandbox, Receiver(failures=[ConnectionError("down"), 0.5]))
    broken = listen(sandbox, Receiver(failures=[500] * 10))
    sandbox.webhooks.timeout_seconds = 0.1
    with caplog.at_level(logging.WARNING, "gateway.sandbox.webhooks"):
        await created(wix, appointment())
        await sandbox.webhooks.drain()
    assert len(flaky.attempts) == 3  # an exception, no answer in time, then 200
    assert len(broken.attempts) == 1 + len(sandbox.webhooks.retry_delays)
    assert "given up after 4 attempts" in caplog.text
    assert "no answer within 0.1s" in caplog.text
    assert not any(token in caplog.text for token in broken.tokens)  # logs never hold the JWT


async def test_one_events_retries_never_delay_the_next_event(
    wix: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    receiver = listen(sandbox, Receiver(failures=[500]))
    sandbox.webhooks.retry_delays = (30.0,)
    booking = await created(wix, appointment())
    await action(wix, booking["id"], "confirm", revision="1")
    await until(lambda: len(receiver.attempts) == 2 and sandbox.webhooks.pending == 1)
    # the created (failed, its retry waiting 30 s) and the confirmed (delivered)
    assert receiver.deliveries(sandbox)[1].event["slug"] == "confirmed"
    await sandbox.webhooks.aclose()  # cancels the waiting retry
    assert sandbox.webhooks.pending == 0
    assert len(receiver.attempts) == 2


async def test_the_answer_does_not_wait_for_delivery(
    wix: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    receiver = listen(sandbox, Receiver(gate=asyncio.Event()))
    response = await create(wix, appointment())
    assert response.status_code == 200  # answered while the receiver still holds the delivery
    await until(lambda: len(receiver.attempts) == 1)
    assert sandbox.webhooks.pending == 1
    assert receiver.gate is not None
    receiver.gate.set()
    await sandbox.webhooks.drain()
    assert sandbox.webhooks.pending == 0


async def test_pending_deliveries_are_capped_dropping_the_oldest(
    wix: httpx.AsyncClient, sandbox: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    receiver = listen(sandbox, Receiver(gate=asyncio.Event()))
    sandbox.webhooks.max_pending = 2
    with caplog.at_level(logging.WARNING, "gateway.sandbox.webhooks"):
        for hour in (10, 11, 12):
            await created(wix, appointment(start=f"2026-03-03T{hour}:00:00",
                                           end=f"2026-03-03T{hour}:30:00"))  # fmt: skip
    assert sandbox.webhooks.pending == 2
    assert "webhook delivery dropped" in caplog.text
    assert receiver.gate is not None
    receiver.gate.set()
    await sandbox.webhooks.drain()
    assert sandbox.webhooks.pending == 0


# -- targets --------------------------------------------------------------------------------------


async def test_two_targets_both_receive_and_one_never_holds_up_the_other(
    wix: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    stuck = listen(sandbox, Receiver(gate=asyncio.Event()))
    quick = listen(sandbox)
    booking = await created(wix, appointment())
    await until(lambda: len(quick.tokens) == 1 and sandbox.webhooks.pending == 1)  # stuck's
    assert [d.body["id"] for d in quick.deliveries(sandbox)] == [booking["id"]]
    assert stuck.gate is not None
    stuck.gate.set()
    await sandbox.webhooks.drain()
    assert [d.event["id"] for d in stuck.deliveries(sandbox)] == [
        d.event["id"] for d in quick.deliveries(sandbox)
    ]


@pytest.fixture
def url_receiver() -> Iterator[tuple[str, list[tuple[str, bytes]]]]:
    """A real HTTP webhook receiver on loopback: its URL and the requests it got."""
    got: list[tuple[str, bytes]] = []

    async def hook(request: Request) -> Response:
        got.append((request.headers.get("content-type", ""), await request.body()))
        return Response(status_code=200 if len(got) > 1 else 502)

    with serve(Starlette(routes=[Route("/hook", hook, methods=["POST"])])) as url:
        yield f"{url}/hook", got


async def test_a_registered_url_gets_a_text_post_retried_after_a_5xx(
    wix: httpx.AsyncClient,
    sandbox: Sandbox,
    url_receiver: tuple[str, list[tuple[str, bytes]]],
) -> None:
    url, got = url_receiver
    sandbox.webhooks.retry_delays = (0.01,)
    assert (await wix.post(HOOKS, json={"url": url})).status_code == 200
    await created(wix, appointment())
    await sandbox.webhooks.drain()
    assert [content_type for content_type, _ in got] == ["text/plain"] * 2  # a 502, then 200
    delivery = decode(got[1][1].decode("ascii"), sandbox.webhooks.public_key_pem)
    assert delivery.event_type == "wix.bookings.v2.booking_created"


async def test_targets_are_validated_capped_listed_and_cleared(wix: httpx.AsyncClient) -> None:
    for bad in ({"url": "ftp://example.com/hook"}, {"url": "not a url"}, {"url": 7}, {}):
        response = await wix.post(HOOKS, json=bad)
        assert response.status_code == 400, bad
        assert response.json()["message"].startswith("invalid webhook target")
    assert (await wix.post(HOOKS, content=b"[1]")).status_code == 400  # not a JSON object
    urls = [f"https://hooks.example.com/{n}" for n in range(MAX_URL_TARGETS)]
    for url in [*urls, urls[0]]:  # the duplicate is ignored
        assert (await wix.post(HOOKS, json={"url": url})).status_code == 200
    listed = (await wix.get(HOOKS)).json()
    assert listed == {"targets": [{"url": url} for url in urls], "localTargets": 0}
    one_more = await wix.post(HOOKS, json={"url": "http://127.0.0.1:9/one-too-many"})
    assert one_more.status_code == 400 and "at most" in one_more.json()["message"]
    assert (await wix.delete(HOOKS)).json() == {"targets": [], "localTargets": 0}


async def test_reset_forgets_urls_but_keeps_local_targets(
    wix: httpx.AsyncClient, sandbox: Sandbox, receiver: Receiver
) -> None:
    await wix.post(HOOKS, json={"url": "https://hooks.example.com/a"})
    assert (await wix.post("/_sandbox/reset")).status_code == 200
    assert (await wix.get(HOOKS)).json() == {"targets": [], "localTargets": 1}
    await created(wix, appointment())
    assert [d.event_type for d in await received(sandbox, receiver)] == [
        "wix.bookings.v2.booking_created"
    ]


async def test_the_sequence_outlives_a_reset(clock: Clock) -> None:
    """Services keep their ids through a reset, so their sequence keeps counting up."""
    sandbox = Sandbox.open(":memory:", clock)
    sequences = [sandbox.store.next_event_sequence(seed.SERVICE_HAIRCUT) for _ in range(2)]
    sandbox.reset()
    sequences.append(sandbox.store.next_event_sequence(seed.SERVICE_HAIRCUT))
    assert sequences == [1, 2, 3]


def test_a_served_sandbox_stops_its_deliveries_on_shutdown(clock: Clock) -> None:
    sandbox = Sandbox.open(":memory:", clock)
    failing = listen(sandbox, Receiver(failures=[500] * 10))
    sandbox.webhooks.retry_delays = (60.0,)
    body = {"booking": appointment(), "formSubmission": FORM}
    with serve(build_sandbox_app(sandbox)) as url:
        with httpx.Client(base_url=url, headers=AUTH) as client:
            assert client.post(CREATE, json=body).status_code == 200
        deadline = time.monotonic() + 5
        while not failing.attempts and time.monotonic() < deadline:
            time.sleep(0.01)
        assert sandbox.webhooks.pending == 1  # its retry waits a minute
    assert sandbox.webhooks.pending == 0  # the shutdown canceled it
    assert len(failing.attempts) == 1
