"""Idempotency keys for mutations: the same key and input give the same result, written once.

The first request with a key claims it and runs the flow; a concurrent request with the same key
waits for that result instead of writing again; a later one gets the stored result. The same key
with a different input is refused (`IdempotencyKeyReused`). Results are JSON, kept for 24 hours.

Two backends with one behaviour: in-process (default) and Redis (`REDIS_URL`), so several gateway
replicas share keys. A flow that raises (an infrastructure error, not a business outcome) releases
its claim, so the client may retry with the same key.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from redis.asyncio import Redis

from gateway.clock import Clock

DAY_SECONDS = 24 * 3600
Result = dict[str, Any]


class IdempotencyKeyReused(Exception):
    """The key was already used with a different input."""


def fingerprint(operation: str, payload: Any) -> str:
    """A stable hash of what a request asks for (canonical JSON)."""
    canonical = json.dumps([operation, payload], sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def scoped_key(key: str, caller: str | None) -> str:
    """Keys are per caller: one customer's key can never return another customer's result."""
    caller_hash = hashlib.sha256((caller or "").encode()).hexdigest()[:16]
    return f"{caller_hash}:{key}"


@dataclass
class Claim:
    """What `begin` found: either we own the key now, or a finished result exists."""

    owned: bool
    result: Result | None = None


class Backend(Protocol):
    async def begin(self, key: str, fingerprint: str) -> Claim: ...
    async def finish(self, key: str, fingerprint: str, result: Result) -> None: ...
    async def release(self, key: str) -> None: ...


class Idempotency:
    def __init__(self, backend: Backend) -> None:
        self.backend = backend

    async def run(
        self, key: str, fingerprint: str, action: Callable[[], Awaitable[Result]]
    ) -> Result:
        claim = await self.backend.begin(key, fingerprint)
        if not claim.owned:
            assert claim.result is not None
            return claim.result
        try:
            result = await action()
        except BaseException:
            await self.backend.release(key)
            raise
        await self.backend.finish(key, fingerprint, result)
        return result


@dataclass
class _Entry:
    fingerprint: str
    expires: float
    done: asyncio.Event = field(default_factory=asyncio.Event)
    result: Result | None = None


class MemoryBackend:
    """One process: concurrent requests wait on an `asyncio.Event`."""

    def __init__(self, clock: Callable[[], float], ttl_seconds: float = DAY_SECONDS) -> None:
        """`clock` gives seconds since the epoch: the app's `Clock.timestamp`."""
        self.ttl = ttl_seconds
        self._clock = clock
        self._entries: dict[str, _Entry] = {}

    async def begin(self, key: str, fingerprint: str) -> Claim:
        while True:
            now = self._clock()
            self._forget_expired(now)
            entry = self._entries.get(key)
            if entry is None or entry.expires < now:
                self._entries.pop(key, None)  # re-inserted last, keeping the dict in expiry order
                self._entries[key] = _Entry(fingerprint, now + self.ttl)
                return Claim(owned=True)
            if entry.fingerprint != fingerprint:
                raise IdempotencyKeyReused(key)
            await entry.done.wait()
            if entry.result is not None:
                return Claim(owned=False, result=entry.result)
            # the owner failed and released the key: try to claim it ourselves

    def _forget_expired(self, now: float) -> None:
        """Drop finished entries past their TTL. Every entry lives `ttl`, so insertion order is
        expiry order: stop at the first one still alive (or still running)."""
        while self._entries:
            key, entry = next(iter(self._entries.items()))
            if entry.expires >= now or not entry.done.is_set():
                return
            del self._entries[key]

    async def finish(self, key: str, fingerprint: str, result: Result) -> None:
        entry = self._entries[key]
        entry.result = result
        entry.done.set()

    async def release(self, key: str) -> None:
        entry = self._entries.pop(key, None)
        if entry is not None:
            entry.done.set()


class RedisBackend:
    """Across replicas: `SET NX` claims a key; waiters poll until the owner stores the result.

    A claim expires after `claim_seconds` so that a replica that dies mid-flow does not block the
    key for a day; a finished result is kept for `ttl_seconds`.
    """

    def __init__(
        self,
        redis: Redis,
        ttl_seconds: int = DAY_SECONDS,
        claim_seconds: int = 60,
        poll_seconds: float = 0.02,
        prefix: str = "gateway:idempotency:",
    ) -> None:
        self.redis = redis
        self.ttl = ttl_seconds
        self.claim_seconds = claim_seconds
        self.poll = poll_seconds
        self.prefix = prefix

    async def begin(self, key: str, fingerprint: str) -> Claim:
        name = self.prefix + key
        pending = json.dumps({"fingerprint": fingerprint, "state": "pending"})
        while True:
            if await self.redis.set(name, pending, nx=True, ex=self.claim_seconds):
                return Claim(owned=True)
            raw = await self.redis.get(name)
            if raw is None:
                continue  # released or expired between SET and GET: try again
            record = json.loads(raw)
            if record["fingerprint"] != fingerprint:
                raise IdempotencyKeyReused(key)
            if record["state"] == "done":
                return Claim(owned=False, result=record["result"])
            await asyncio.sleep(self.poll)

    async def finish(self, key: str, fingerprint: str, result: Result) -> None:
        record = {"fingerprint": fingerprint, "state": "done", "result": result}
        await self.redis.set(self.prefix + key, json.dumps(record), ex=self.ttl)

    async def release(self, key: str) -> None:
        await self.redis.delete(self.prefix + key)


def idempotency_from(redis: Redis | None, clock: Clock) -> Idempotency:
    """In-process by default; Redis when one is configured (`REDIS_URL`)."""
    if redis is not None:
        return Idempotency(RedisBackend(redis))
    return Idempotency(MemoryBackend(clock.timestamp))
