"""Where cached responses live: in process (a bounded LRU) or in Redis (shared by replicas).

Both store JSON text under a key for a TTL and have one behaviour. A cache is an optimisation,
so a Redis failure is logged and counts as a miss instead of failing the request.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable
from typing import Protocol

from redis.asyncio import Redis
from redis.exceptions import RedisError

from gateway.clock import Clock

logger = logging.getLogger("gateway.cache")
DROP_BATCH = 500


class CacheBackend(Protocol):
    async def get(self, key: str) -> str | None: ...
    async def set(self, key: str, value: str, ttl: float) -> None: ...
    async def drop(self, kind: str) -> None:
        """Forget every entry of `kind` (keys are `kind:digest`)."""
        ...


class MemoryCache:
    def __init__(self, max_entries: int, clock: Callable[[], float]) -> None:
        """`clock` gives seconds since the epoch: the app's `Clock.timestamp`."""
        self._max_entries = max_entries
        self._clock = clock
        self._entries: OrderedDict[str, tuple[float, str]] = OrderedDict()  # expires, value

    def __len__(self) -> int:
        return len(self._entries)

    async def get(self, key: str) -> str | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        expires, value = entry
        if expires <= self._clock():
            del self._entries[key]
            return None
        self._entries.move_to_end(key)
        return value

    async def set(self, key: str, value: str, ttl: float) -> None:
        self._entries[key] = (self._clock() + ttl, value)
        self._entries.move_to_end(key)
        while len(self._entries) > self._max_entries:
            self._entries.popitem(last=False)  # the least recently used

    async def drop(self, kind: str) -> None:
        prefix = f"{kind}:"
        for key in [key for key in self._entries if key.startswith(prefix)]:
            del self._entries[key]


class RedisCache:
    def __init__(self, redis: Redis, prefix: str = "gateway:cache:") -> None:
        self._redis = redis
        self._prefix = prefix

    async def get(self, key: str) -> str | None:
        try:
            value = await self._redis.get(self._prefix + key)
        except RedisError as error:
            logger.warning("cache read failed, calling Wix instead: %s", error)
            return None
        return value.decode() if isinstance(value, bytes) else value

    async def set(self, key: str, value: str, ttl: float) -> None:
        try:
            await self._redis.set(self._prefix + key, value, px=max(1, round(ttl * 1000)))
        except RedisError as error:
            logger.warning("cache write failed: %s", error)

    async def drop(self, kind: str) -> None:
        """Shared by replicas: dropped here, it is gone for all of them."""
        try:
            batch: list[bytes | str] = []
            async for key in self._redis.scan_iter(match=f"{self._prefix}{kind}:*", count=500):
                batch.append(key)
                if len(batch) >= DROP_BATCH:
                    await self._redis.unlink(*batch)
                    batch.clear()
            if batch:
                await self._redis.unlink(*batch)
        except RedisError as error:
            logger.warning("cache invalidation failed, entries expire with their TTL: %s", error)


def cache_from(redis: Redis | None, max_entries: int, clock: Clock) -> CacheBackend:
    if redis is not None:
        return RedisCache(redis)
    return MemoryCache(max_entries, clock.timestamp)
