"""The in-process and Redis cache backends behave alike; Redis trouble is a miss, not a failure."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from redis.asyncio import Redis

from gateway.cache.backends import CacheBackend, MemoryCache, RedisCache
from gateway.clock import Clock
from gateway.sandbox import seed
from tests.protection import gateway_app
from tests.servers import free_port


@pytest.fixture(params=["memory", "redis"])
async def backend(request: pytest.FixtureRequest, clock: Clock) -> AsyncIterator[CacheBackend]:
    if request.param == "memory":
        yield MemoryCache(max_entries=100, clock=clock.timestamp)
        return
    redis = Redis.from_url(request.getfixturevalue("redis_url"))
    yield RedisCache(redis, prefix=f"test:{uuid.uuid4().hex}:")
    await redis.aclose()


async def test_a_value_lives_for_its_ttl(backend: CacheBackend, clock: Clock) -> None:
    assert await backend.get("k") is None
    await backend.set("k", '{"a": 1}', ttl=0.2)
    await backend.set("other", "2", ttl=60)
    assert await backend.get("k") == '{"a": 1}'
    clock.advance(timedelta(seconds=0.3))  # the in-process cache's time
    await asyncio.sleep(0.3)  # Redis expires keys on its own clock
    assert await backend.get("k") is None
    assert await backend.get("other") == "2"


async def test_the_memory_cache_is_bounded_and_drops_the_least_recently_used(
    clock: Clock,
) -> None:
    cache = MemoryCache(max_entries=2, clock=clock.timestamp)
    await cache.set("a", "1", ttl=60)
    await cache.set("b", "2", ttl=60)
    assert await cache.get("a") == "1"  # "b" is now the least recently used
    await cache.set("c", "3", ttl=60)
    assert len(cache) == 2
    assert (await cache.get("a"), await cache.get("b"), await cache.get("c")) == ("1", None, "3")


async def test_without_redis_the_gateway_still_answers(caplog: pytest.LogCaptureFixture) -> None:
    unreachable = f"redis://127.0.0.1:{free_port()}/0"
    async with gateway_app(redis_url=unreachable) as gateway:
        upstream = gateway.upstream
        for _ in range(2):
            service = await upstream.services.get_service(seed.SERVICE_MASSAGE)
            assert service["id"] == seed.SERVICE_MASSAGE
        assert gateway.calls() == {"GET /bookings/v2/services/{serviceId}": 2}
    assert "cache read failed" in caplog.text
