"""The outbox: stamps of bookings that may exist although no customer was told about them.

A flow adds its stamp before it creates (`due_at`: when the flow must have answered) and removes
it once the customer has its answer. What remains (the flow failed, its undo failed, or the
process died) is found by the reconciler once due. Durable: a SQLite file, or Redis (a sorted
set by due time) when `REDIS_URL` is set, shared by replicas; both survive a restart.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Protocol

from redis.asyncio import Redis

from gateway.bookings.stamps import new_stamp
from gateway.clock import Clock
from gateway.config import DEFAULT_FLOW_DEADLINE_SECONDS, Settings

REDIS_KEY = "gateway:outbox"


@asynccontextmanager
async def tracked(outbox: Outbox, clock: Clock, settings: Settings | None) -> AsyncIterator[str]:
    """A fresh stamp, in the outbox while the block runs: removed when the block answers the
    customer, due at once when it fails (the reconciler then undoes what it made)."""
    stamp = new_stamp()
    await outbox.add(stamp, clock.timestamp() + orphan_grace(settings))
    try:
        yield stamp
    except Exception:
        await outbox.postpone(stamp, clock.timestamp())
        raise
    await outbox.remove(stamp)


def orphan_grace(settings: Settings | None) -> float:
    """How long a stamp may still belong to a flow that is running: no flow outlives its
    deadline (`GATEWAY_FLOW_DEADLINE_SECONDS`)."""
    return settings.flow_deadline if settings else DEFAULT_FLOW_DEADLINE_SECONDS


class Outbox(Protocol):
    async def add(self, stamp: str, due_at: float) -> None: ...
    async def remove(self, stamp: str) -> None: ...
    async def due(self, now: float, limit: int) -> list[str]: ...
    async def postpone(self, stamp: str, due_at: float) -> None: ...


def outbox_from(settings: Settings, redis: Redis | None) -> Outbox:
    """Redis when configured (shared by replicas); else the SQLite file `GATEWAY_OUTBOX_DB`, or
    memory for the embedded in-memory sandbox, whose bookings do not outlive the process."""
    if redis is not None:
        return RedisOutbox(redis)
    if settings.outbox_db:
        return SqliteOutbox(settings.outbox_db)
    in_memory = settings.uses_embedded_sandbox and settings.sandbox_db == ":memory:"
    return SqliteOutbox(":memory:" if in_memory else DEFAULT_FILE)


DEFAULT_FILE = "gateway-outbox.sqlite3"


class SqliteOutbox:
    """One small table; calls run in a thread so a slow disk never blocks the event loop."""

    def __init__(self, path: str) -> None:
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS outbox (stamp TEXT PRIMARY KEY, due_at REAL NOT NULL)"
        )
        self._lock = asyncio.Lock()

    async def _run(self, sql: str, *args: object) -> list[tuple[object, ...]]:
        async with self._lock:
            return await asyncio.to_thread(lambda: self._db.execute(sql, args).fetchall())

    async def add(self, stamp: str, due_at: float) -> None:
        await self._run("INSERT OR REPLACE INTO outbox VALUES (?, ?)", stamp, due_at)

    async def remove(self, stamp: str) -> None:
        await self._run("DELETE FROM outbox WHERE stamp = ?", stamp)

    async def due(self, now: float, limit: int) -> list[str]:
        rows = await self._run(
            "SELECT stamp FROM outbox WHERE due_at <= ? ORDER BY due_at LIMIT ?", now, limit
        )
        return [str(row[0]) for row in rows]

    async def postpone(self, stamp: str, due_at: float) -> None:
        await self._run("UPDATE outbox SET due_at = ? WHERE stamp = ?", due_at, stamp)

    def close(self) -> None:
        self._db.close()


class RedisOutbox:
    def __init__(self, redis: Redis, key: str = REDIS_KEY) -> None:
        self._redis = redis
        self._key = key

    async def add(self, stamp: str, due_at: float) -> None:
        await self._redis.zadd(self._key, {stamp: due_at})

    async def remove(self, stamp: str) -> None:
        await self._redis.zrem(self._key, stamp)

    async def due(self, now: float, limit: int) -> list[str]:
        found = await self._redis.zrangebyscore(self._key, "-inf", now, start=0, num=limit)
        return [item.decode() if isinstance(item, bytes) else str(item) for item in found]

    async def postpone(self, stamp: str, due_at: float) -> None:
        await self._redis.zadd(self._key, {stamp: due_at}, xx=True)
