"""With Redis, an event published by one replica's hub reaches the subscribers of every replica,
and a slow subscriber is dropped without holding up the others."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from redis.asyncio import Redis

from gateway.live.deliveries import RedisSeenEvents
from gateway.live.events import WixEvent
from gateway.live.hub import SUBSCRIBER_QUEUE_SIZE, LiveHub, SubscriberTooSlow


def _event(event_id: str | None = None) -> WixEvent:
    booking = {"id": "b-1", "bookedEntity": {"slot": {"serviceId": "svc-1"}}}
    return WixEvent(
        event_id or str(uuid.uuid4()),
        "wix.bookings.v2.booking_created",
        "wix.bookings.v2.booking",
        "created",
        "b-1",
        None,
        booking,
        None,
    )


async def _zone() -> str:
    return "UTC"


async def test_an_event_published_on_one_replica_reaches_subscribers_on_all(
    redis_url: str,
) -> None:
    replicas = [LiveHub(Redis.from_url(redis_url), _zone) for _ in range(2)]
    observed: list[list[str]] = [[], []]
    for hub, seen in zip(replicas, observed, strict=True):

        async def observe(event: WixEvent, seen: list[str] = seen) -> None:
            seen.append(event.id)

        hub.observe(observe)
        await hub.start()
    try:
        a, b = replicas
        with a.subscribe() as on_a, b.subscribe() as on_b:
            event = _event()
            await b.publish(event)
            got_a = await asyncio.wait_for(anext(aiter(on_a)), 2)
            got_b = await asyncio.wait_for(anext(aiter(on_b)), 2)
        assert got_a.event == event and got_b.event == event
        # Each replica ran its observers (its cache invalidation) once.
        assert observed == [[event.id], [event.id]]
    finally:
        for hub in replicas:
            await hub.aclose()


async def test_a_slow_subscriber_is_dropped_and_others_get_everything() -> None:
    hub = LiveHub(None, _zone)
    await hub.start()
    try:
        with hub.subscribe() as slow, hub.subscribe() as fast:
            received: list[str] = []

            async def read_fast() -> None:
                async for live in fast:
                    received.append(live.event.id)

            reader = asyncio.create_task(read_fast())
            sent = [_event() for _ in range(SUBSCRIBER_QUEUE_SIZE + 10)]
            for event in sent:
                await hub.publish(event)
                await asyncio.sleep(0.001)  # the fast reader keeps up; the slow one never reads
            for _ in range(200):
                if len(received) == len(sent):
                    break
                await asyncio.sleep(0.01)
            reader.cancel()
            assert received == [event.id for event in sent]
            assert slow.dropped
            with pytest.raises(SubscriberTooSlow):
                await anext(aiter(slow))
        assert hub.subscriber_count == 0
    finally:
        await hub.aclose()


async def test_an_event_id_is_taken_once_across_replicas(redis_url: str) -> None:
    """Wix's retry of a delivery may land on another replica: it is still a repeat."""
    first, second = (RedisSeenEvents(Redis.from_url(redis_url)) for _ in range(2))
    event_id = str(uuid.uuid4())
    assert await first.take(event_id) is True
    assert await second.take(event_id) is False
    await second.forget(event_id)  # the delivery could not be passed on: a retry takes it
    assert await first.take(event_id) is True
