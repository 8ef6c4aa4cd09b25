"""Claims are leases: renewed while the flow runs, free one lease after an owner stops renewing,
never touched by a former owner; a flow that may have written leaves its key ambiguous."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable

import pytest
from redis.asyncio import Redis

from gateway.clock import Clock
from gateway.state.idempotency import (
    DAY_SECONDS,
    Backend,
    Idempotency,
    IdempotencyKeyReused,
    MemoryBackend,
    RedisBackend,
    fingerprint,
    resuming,
)

LEASE = 0.3
FP = fingerprint("op", {"slot": "10:00"})
# Another handle on the same store: a second replica (Redis) or the same process (memory).
Replica = Callable[[], Backend]


@pytest.fixture(params=["memory", "redis"])
async def replica(request: pytest.FixtureRequest, clock: Clock) -> AsyncIterator[Replica]:
    if request.param == "memory":
        memory = MemoryBackend(clock.timestamp, lease_seconds=LEASE)
        yield lambda: memory
        return
    url, prefix = request.getfixturevalue("redis_url"), f"test:{uuid.uuid4()}:"
    clients: list[Redis] = []

    def connect() -> Backend:
        clients.append(Redis.from_url(url))
        return RedisBackend(clients[-1], lease_seconds=LEASE, prefix=prefix)

    yield connect
    for client in clients:
        await client.aclose()


async def test_a_claim_not_renewed_frees_after_one_lease(replica: Replica) -> None:
    """A replica that died mid-flow: its claim is never renewed, finished nor released."""
    dead, other = replica(), replica()
    assert (await dead.begin("k", FP)).owned
    loop = asyncio.get_running_loop()
    started = loop.time()
    waiter = asyncio.create_task(other.begin("k", FP))
    await asyncio.sleep(LEASE / 2)
    assert not waiter.done()  # still the dead owner's

    claim = await asyncio.wait_for(waiter, timeout=LEASE * 3)
    assert claim.owned
    assert LEASE * 0.9 <= loop.time() - started < LEASE * 2.5


async def test_waiters_wait_while_the_lease_is_renewed(replica: Replica) -> None:
    """A flow of three leases runs once; requests on another replica get its result."""
    owner, other = Idempotency(replica()), Idempotency(replica())
    calls = 0

    async def slow() -> dict[str, object]:
        nonlocal calls
        calls += 1
        await asyncio.sleep(LEASE * 3)
        return {"bookingId": "b-1"}

    async def later() -> dict[str, object]:
        await asyncio.sleep(LEASE * 1.5)  # past the first lease
        return await other.run("k", FP, slow)

    results = await asyncio.gather(owner.run("k", FP, slow), later())
    assert results == [{"bookingId": "b-1"}] * 2
    assert calls == 1


async def test_a_former_owner_cannot_touch_a_claim_taken_over(replica: Replica) -> None:
    old, new = replica(), replica()
    stale = await old.begin("k", FP)
    await asyncio.sleep(LEASE * 1.2)
    taken = await new.begin("k", FP)
    assert taken.owned and taken.token != stale.token

    assert not await old.renew("k", stale.token)
    await old.release("k", stale.token)
    await old.mark_ambiguous("k", stale.token, FP)
    await old.finish("k", stale.token, FP, {"from": "old"})
    assert await new.renew("k", taken.token)
    await new.finish("k", taken.token, FP, {"from": "new"})
    assert (await old.begin("k", FP)).result == {"from": "new"}


async def test_a_flow_that_may_have_written_is_resumed_by_the_next_request(
    replica: Replica,
) -> None:
    """The first run times out (Wix may have acted): the key stays claimed as ambiguous, and the
    next request with it (on any replica) runs the action again knowing it resumes; its result
    is then the key's."""
    idempotency = Idempotency(replica())
    seen: list[bool] = []

    async def timed_out() -> dict[str, object]:
        seen.append(resuming.get())
        raise TimeoutError("no answer: Wix may have booked")

    async def looks_then_answers() -> dict[str, object]:
        seen.append(resuming.get())
        return {"found": "the earlier booking"}

    def maybe(error: BaseException) -> bool:
        return isinstance(error, TimeoutError)

    with pytest.raises(TimeoutError):
        await idempotency.run("k", FP, timed_out, maybe)
    with pytest.raises(IdempotencyKeyReused):
        await idempotency.run("k", fingerprint("op", {"slot": "11:00"}), timed_out, maybe)
    resumed = await Idempotency(replica()).run("k", FP, looks_then_answers, maybe)
    again = await idempotency.run("k", FP, timed_out, maybe)
    assert resumed == again == {"found": "the earlier booking"}
    assert seen == [False, True]  # the resumed run knew; the last request ran nothing
    assert resuming.get() is False


async def test_ambiguous_records_are_kept_for_the_ttl(redis_url: str) -> None:
    client = Redis.from_url(redis_url)
    prefix = f"test:{uuid.uuid4()}:"
    backend = RedisBackend(client, lease_seconds=LEASE, prefix=prefix)
    claim = await backend.begin("k", FP)
    assert 0 < await client.pttl(prefix + "k") <= LEASE * 1000
    await backend.mark_ambiguous("k", claim.token, FP)
    assert DAY_SECONDS - 60 < await client.ttl(prefix + "k") <= DAY_SECONDS
    await client.aclose()
