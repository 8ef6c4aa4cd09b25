"""Per-client token buckets: `rate` tokens per second refill a bucket of `burst` tokens, and
every request takes one. An empty bucket answers with how long until the next token.

Two backends with one behaviour: in process (bounded; a forgotten bucket is simply full again)
and Redis (`REDIS_URL`), where one Lua script reads and updates a bucket atomically so every
replica draws from the same bucket. Time is the gateway's `Clock` (real time in production;
replicas are assumed to be NTP-synced; a clock behind the stored one refills nothing rather than
going negative).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Protocol

from redis.asyncio import Redis

from gateway.clock import Clock

MAX_MEMORY_BUCKETS = 100_000


class Buckets(Protocol):
    async def take(self, client: str) -> float:
        """Take a token: 0 when granted, else the seconds until one is available."""
        ...


class MemoryBuckets:
    def __init__(
        self,
        rate: float,
        burst: int,
        clock: Callable[[], float],
        max_buckets: int = MAX_MEMORY_BUCKETS,
    ) -> None:
        self.rate = rate
        self.burst = burst
        self._clock = clock
        self._max_buckets = max_buckets
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # tokens, at

    async def take(self, client: str) -> float:
        now = self._clock()
        tokens, at = self._buckets.pop(client, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + max(0.0, now - at) * self.rate)
        wait = 0.0
        if tokens >= 1:
            tokens -= 1
        else:
            wait = (1 - tokens) / self.rate
        self._buckets[client] = (tokens, max(now, at))
        if len(self._buckets) > self._max_buckets:
            self._buckets.popitem(last=False)  # the least recently seen client
        return wait


# KEYS[1] bucket; ARGV rate, burst, now. Returns the wait in seconds as a string (Lua numbers
# become integers on the way back).
_TAKE_SCRIPT = """
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or burst
local at = tonumber(state[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) * rate)
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
else
  wait = (1 - tokens) / rate
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(math.max(now, at)))
redis.call('EXPIRE', KEYS[1], math.ceil(burst / rate) + 1)
return tostring(wait)
"""


class RedisBuckets:
    def __init__(
        self,
        redis: Redis,
        rate: float,
        burst: int,
        clock: Callable[[], float],
        prefix: str = "gateway:ratelimit:",
    ) -> None:
        self.rate = rate
        self.burst = burst
        self._clock = clock
        self._prefix = prefix
        self._take = redis.register_script(_TAKE_SCRIPT)

    async def take(self, client: str) -> float:
        wait = await self._take(
            keys=[self._prefix + client], args=[self.rate, self.burst, repr(self._clock())]
        )
        return float(wait)


def buckets_from(rate: float, burst: int, redis: Redis | None, clock: Clock) -> Buckets:
    if redis is not None:
        return RedisBuckets(redis, rate, burst, clock.timestamp)
    return MemoryBuckets(rate, burst, clock.timestamp)
