"""Per-client token buckets, in process and in Redis with one behaviour, and the 429 answer."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable

import pytest
from redis.asyncio import Redis

from gateway.protection.rate_limit import Buckets, MemoryBuckets, RedisBuckets
from tests.protection import gateway_app, graphql


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


BucketsFactory = Callable[[float, int, Clock], Buckets]


@pytest.fixture(params=["memory", "redis"])
async def make_buckets(request: pytest.FixtureRequest) -> AsyncIterator[BucketsFactory]:
    if request.param == "memory":
        yield lambda rate, burst, clock: MemoryBuckets(rate, burst, clock=clock)
        return
    redis = Redis.from_url(request.getfixturevalue("redis_url"))
    prefix = f"test:{uuid.uuid4().hex}:"
    yield lambda rate, burst, clock: RedisBuckets(redis, rate, burst, clock=clock, prefix=prefix)
    await redis.aclose()


async def test_a_bucket_grants_its_burst_then_says_when_to_retry(
    make_buckets: BucketsFactory,
) -> None:
    clock = Clock()
    buckets = make_buckets(2.0, 3, clock)
    assert [await buckets.take("a") for _ in range(3)] == [0, 0, 0]
    assert await buckets.take("a") == pytest.approx(0.5)
    assert await buckets.take("b") == 0  # another client has its own bucket

    clock.now += 0.25
    assert await buckets.take("a") == pytest.approx(0.25)  # half a token so far
    clock.now += 0.25
    assert await buckets.take("a") == 0


async def test_an_idle_bucket_refills_up_to_its_burst_only(make_buckets: BucketsFactory) -> None:
    clock = Clock()
    buckets = make_buckets(10.0, 2, clock)
    assert [await buckets.take("a") for _ in range(2)] == [0, 0]
    clock.now += 3600
    assert [await buckets.take("a") > 0 for _ in range(3)] == [False, False, True]


async def test_a_clock_behind_the_bucket_refills_nothing(make_buckets: BucketsFactory) -> None:
    clock = Clock()
    buckets = make_buckets(1.0, 1, clock)
    assert await buckets.take("a") == 0
    clock.now -= 5  # another replica's clock, a little behind
    assert await buckets.take("a") == pytest.approx(1.0)


async def test_the_memory_backend_forgets_the_least_recent_client_first() -> None:
    clock = Clock()
    buckets = MemoryBuckets(1.0, 1, clock=clock, max_buckets=2)
    for client in ("a", "b", "c"):  # "a" is forgotten: a forgotten bucket is full again
        assert await buckets.take(client) == 0
    assert await buckets.take("a") == 0
    assert await buckets.take("c") > 0


async def test_over_the_limit_a_client_gets_429_rate_limited_and_retry_after() -> None:
    query = "{ __typename }"
    async with gateway_app(rate_limit_per_second=0.5, rate_limit_burst=2) as gateway:
        for _ in range(2):
            assert (await graphql(gateway, query)).status_code == 200
        refused = await graphql(gateway, "{ services { nodes { id } } }")
        assert refused.status_code == 429
        assert refused.headers["retry-after"] == "2"
        [error] = refused.json()["errors"]
        assert error["extensions"] == {"code": "RATE_LIMITED", "retryAfter": 2}
        assert gateway.calls() == {}

        # Another caller (by Authorization) has its own bucket; probes are never limited.
        other = await graphql(gateway, query, headers={"authorization": "member-token"})
        assert other.status_code == 200
        assert (await gateway.http.get("/healthz")).status_code == 200


async def test_without_a_rate_the_gateway_does_not_limit() -> None:
    async with gateway_app() as gateway:
        statuses = {(await graphql(gateway, "{ __typename }")).status_code for _ in range(100)}
    assert statuses == {200}


async def test_replicas_share_buckets_in_redis(redis_url: str) -> None:
    caller = {"authorization": f"token-{uuid.uuid4().hex}"}
    settings = {"rate_limit_per_second": 0.1, "rate_limit_burst": 2, "redis_url": redis_url}
    async with gateway_app(**settings) as first, gateway_app(**settings) as second:
        assert (await graphql(first, "{ __typename }", headers=caller)).status_code == 200
        assert (await graphql(second, "{ __typename }", headers=caller)).status_code == 200
        refused = await graphql(first, "{ __typename }", headers=caller)
        assert refused.status_code == 429
        assert refused.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
        assert int(refused.headers["retry-after"]) in (9, 10)
