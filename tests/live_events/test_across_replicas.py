"""Two gateway replicas sharing Redis in front of a standalone sandbox whose webhook target is
replica B: a booking made directly on the sandbox reaches a subscriber on replica A."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from contextlib import ExitStack

import httpx
import pytest

from gateway.app import create_app
from gateway.clock import Clock
from gateway.config import Settings
from gateway.sandbox import seed
from gateway.sandbox.app import build_sandbox_app
from gateway.sandbox.state import Sandbox
from gateway.upstream.bookings_writer import CREATE_BOOKING
from tests.conftest import AUTH
from tests.graphql.mutations import ADA_FORM, sandbox_slot
from tests.http.subscriptions import socket, sse_events
from tests.servers import serve

AVAILABILITY = """
subscription($id: ID!) { availabilityChanged(serviceId: $id) { serviceId from to } }
"""
DELIVERY_SECONDS = 2.0


class Fleet:
    def __init__(self, sandbox_url: str, replica_a_url: str, replica_b_url: str) -> None:
        self.sandbox_url = sandbox_url
        self.replica_a_url = replica_a_url
        self.replica_b_url = replica_b_url

    async def book_on_the_sandbox(self, slot: dict) -> float:
        """Create Booking straight on the sandbox (no gateway); when it was sent."""
        body = {
            "booking": {"bookedEntity": {"slot": slot}, "totalParticipants": 1},
            "formSubmission": ADA_FORM,
        }
        async with httpx.AsyncClient(base_url=self.sandbox_url, headers=AUTH) as wix:
            booked_at = time.monotonic()
            (await wix.post(CREATE_BOOKING, json=body)).raise_for_status()
        return booked_at


@pytest.fixture
def fleet(clock: Clock, redis_url: str) -> Iterator[Fleet]:
    with ExitStack() as stack:
        sandbox = Sandbox.open(":memory:", clock)
        sandbox_url = stack.enter_context(serve(build_sandbox_app(sandbox)))
        settings = Settings(
            upstream="wix",
            wix_base_url=sandbox_url,
            wix_api_key=AUTH["Authorization"],
            wix_site_id=AUTH["wix-site-id"],
            wix_webhook_public_key=sandbox.webhooks.public_key_pem,
            redis_url=redis_url,
        )
        replica_a_url = stack.enter_context(serve(create_app(settings, clock)))
        replica_b_url = stack.enter_context(serve(create_app(settings, clock)))
        target = {"url": f"{replica_b_url}/webhooks/wix"}
        httpx.post(f"{sandbox_url}/_sandbox/webhooks", json=target).raise_for_status()
        yield Fleet(sandbox_url, replica_a_url, replica_b_url)


EXPECTED = {
    "serviceId": seed.SERVICE_HAIRCUT,
    "from": "2026-03-03T10:00:00",
    "to": "2026-03-03T10:30:00",
}


async def test_a_booking_on_the_sandbox_reaches_a_websocket_subscriber_on_the_other_replica(
    fleet: Fleet,
) -> None:
    async with socket(fleet.replica_a_url) as on_a:
        await on_a.subscribe("1", AVAILABILITY, variables={"id": seed.SERVICE_HAIRCUT})
        await asyncio.sleep(0.2)  # the subscription is listening
        booked_at = await fleet.book_on_the_sandbox(sandbox_slot())
        message = await on_a.receive(DELIVERY_SECONDS)
        elapsed = time.monotonic() - booked_at
    assert message["type"] == "next", message
    assert message["payload"] == {"data": {"availabilityChanged": EXPECTED}}
    assert elapsed < DELIVERY_SECONDS


async def test_a_booking_on_the_sandbox_reaches_an_sse_subscriber_on_the_other_replica(
    fleet: Fleet,
) -> None:
    body = {"query": AVAILABILITY, "variables": {"id": seed.SERVICE_HAIRCUT}}
    headers = {"accept": "text/event-stream"}
    async with (
        httpx.AsyncClient(base_url=fleet.replica_a_url, timeout=5) as http,
        http.stream("POST", "/graphql", json=body, headers=headers) as response,
    ):
        assert response.status_code == 200
        events = aiter(sse_events(response))
        await asyncio.sleep(0.2)
        booked_at = await fleet.book_on_the_sandbox(sandbox_slot())
        event, data = await asyncio.wait_for(anext(events), DELIVERY_SECONDS)
        elapsed = time.monotonic() - booked_at
    assert (event, data) == ("next", {"data": {"availabilityChanged": EXPECTED}})
    assert elapsed < DELIVERY_SECONDS
