"""Idempotency store: one write per key, waiters get the same result, reuse is refused."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from redis.asyncio import Redis

from gateway.clock import Clock
from gateway.state.idempotency import (
    Backend,
    Idempotency,
    IdempotencyKeyReused,
    MemoryBackend,
    RedisBackend,
    fingerprint,
    scoped_key,
)


@pytest.fixture(params=["memory", "redis"])
async def backend(request: pytest.FixtureRequest, clock: Clock) -> AsyncIterator[Backend]:
    if request.param == "memory":
        yield MemoryBackend(clock.timestamp)
        return
    url = request.getfixturevalue("redis_url")
    client = Redis.from_url(url)
    yield RedisBackend(client, prefix=f"test:{uuid.uuid4()}:")
    await client.aclose()


async def test_concurrent_requests_run_the_action_once(backend: Backend) -> None:
    idempotency = Idempotency(backend)
    calls = 0

    async def action() -> dict[str, object]:
        nonlocal calls
        calls += 1
        await asyncio.sleep(0.05)
        return {"bookingId": "b-1", "call": calls}

    fp = fingerprint("bookAppointment", {"slot": "10:00"})
    results = await asyncio.gather(*(idempotency.run("k1", fp, action) for _ in range(10)))
    assert calls == 1
    assert all(result == {"bookingId": "b-1", "call": 1} for result in results)
    again = await idempotency.run("k1", fp, action)
    assert again == results[0] and calls == 1


async def test_same_key_with_other_input_is_refused(backend: Backend) -> None:
    idempotency = Idempotency(backend)

    async def action() -> dict[str, object]:
        return {"ok": True}

    await idempotency.run("k2", fingerprint("op", {"a": 1}), action)
    with pytest.raises(IdempotencyKeyReused):
        await idempotency.run("k2", fingerprint("op", {"a": 2}), action)


async def test_a_failed_action_releases_the_key(backend: Backend) -> None:
    idempotency = Idempotency(backend)
    fp = fingerprint("op", {})

    async def broken() -> dict[str, object]:
        raise RuntimeError("upstream down")

    async def working() -> dict[str, object]:
        return {"ok": True}

    with pytest.raises(RuntimeError):
        await idempotency.run("k3", fp, broken)
    assert await idempotency.run("k3", fp, working) == {"ok": True}


async def test_a_result_not_kept_releases_the_key(backend: Backend) -> None:
    """`keeps` false (an outcome that wrote nothing): the key is free, for any input."""
    idempotency = Idempotency(backend)
    calls = 0

    async def action() -> dict[str, object]:
        nonlocal calls
        calls += 1
        return {"kept": calls > 1}

    def keeps(result: dict[str, object]) -> bool:
        return bool(result["kept"])

    assert await idempotency.run("k4", fingerprint("op", 1), action, keeps=keeps) == {"kept": False}
    assert await idempotency.run("k4", fingerprint("op", 2), action, keeps=keeps) == {"kept": True}
    assert await idempotency.run("k4", fingerprint("op", 2), action, keeps=keeps) == {"kept": True}
    with pytest.raises(IdempotencyKeyReused):
        await idempotency.run("k4", fingerprint("op", 1), action, keeps=keeps)
    assert calls == 2


async def test_redis_backend_is_shared_between_instances(redis_url: str) -> None:
    prefix = f"test:{uuid.uuid4()}:"
    first, second = Redis.from_url(redis_url), Redis.from_url(redis_url)
    a = Idempotency(RedisBackend(first, prefix=prefix))
    b = Idempotency(RedisBackend(second, prefix=prefix))
    calls = 0

    async def action() -> dict[str, object]:
        nonlocal calls
        calls += 1
        await asyncio.sleep(0.05)
        return {"n": calls}

    fp = fingerprint("op", {"x": 1})
    results = await asyncio.gather(*(inst.run("shared", fp, action) for inst in (a, b) * 5))
    assert calls == 1 and {r["n"] for r in results} == {1}
    ttl = await first.ttl(prefix + "shared")  # a finished record: kept a day, not a lease
    assert 24 * 3600 - 60 < ttl <= 24 * 3600
    await first.aclose()
    await second.aclose()


def test_keys_are_scoped_per_caller() -> None:
    assert scoped_key("k", "token-a") != scoped_key("k", "token-b")
    assert "token-a" not in scoped_key("k", "token-a")


async def test_memory_backend_forgets_expired_results(clock: Clock) -> None:
    backend = MemoryBackend(clock.timestamp, ttl_seconds=60)
    idempotency = Idempotency(backend)

    async def action() -> dict[str, object]:
        return {"ok": True}

    for n in range(50):
        await idempotency.run(f"key-{n}", fingerprint("op", n), action)
    clock.advance(timedelta(seconds=61))
    await idempotency.run("fresh", fingerprint("op", "fresh"), action)
    assert list(backend._entries) == ["fresh"]
