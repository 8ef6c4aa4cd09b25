"""Which webhook deliveries were already taken: Wix retries a delivery it got no 2xx for, and
may deliver one event more than once, so events are taken once by their `id`
(https://dev.wix.com/docs/build-apps/develop-your-app/api-integrations/events-and-webhooks/about-webhooks).

In process without Redis; in Redis (shared by replicas) with it, so a retry that lands on
another replica is still recognised.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Protocol

from redis.asyncio import Redis

from gateway.clock import Clock

# How long an event id is remembered (inference: Wix documents no retry window; three days
# outlasts any retry schedule a sender would keep up).
REMEMBER_SECONDS = 3 * 24 * 3600
# In process, the most ids kept (the oldest are forgotten first): bounded memory.
MAX_REMEMBERED = 100_000
REDIS_PREFIX = "gateway:webhook-event:"


class SeenEvents(Protocol):
    async def take(self, event_id: str) -> bool:
        """True the first time `event_id` is taken; False for a repeat."""
        ...

    async def forget(self, event_id: str) -> None:
        """Let a later delivery take `event_id` again (this one could not be passed on)."""
        ...


class MemorySeenEvents:
    def __init__(self, clock: Clock, max_remembered: int = MAX_REMEMBERED) -> None:
        self._clock = clock
        self._max = max_remembered
        self._taken: OrderedDict[str, float] = OrderedDict()  # id -> forgotten after

    async def take(self, event_id: str) -> bool:
        now = self._clock.timestamp()
        while self._taken and next(iter(self._taken.values())) <= now:
            self._taken.popitem(last=False)
        if event_id in self._taken:
            return False
        self._taken[event_id] = now + REMEMBER_SECONDS
        while len(self._taken) > self._max:
            self._taken.popitem(last=False)
        return True

    async def forget(self, event_id: str) -> None:
        self._taken.pop(event_id, None)


class RedisSeenEvents:
    def __init__(self, redis: Redis) -> None:
        self._redis = redis

    async def take(self, event_id: str) -> bool:
        return bool(await self._redis.set(REDIS_PREFIX + event_id, 1, nx=True, ex=REMEMBER_SECONDS))

    async def forget(self, event_id: str) -> None:
        await self._redis.delete(REDIS_PREFIX + event_id)


def seen_events_from(redis: Redis | None, clock: Clock) -> SeenEvents:
    return RedisSeenEvents(redis) if redis is not None else MemorySeenEvents(clock)
