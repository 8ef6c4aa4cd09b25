"""Idempotency keys for mutations: the same key and input give the same result, written once.

The first request with a key claims it and runs the flow; a concurrent request with the same key
waits for that result instead of writing again; a later one gets the stored result. The same key
with a different input is refused (`IdempotencyKeyReused`). Results are JSON, kept for 24 hours.

A claim is a lease (`lease_seconds`), renewed every third of it while its flow runs, so a flow
of any length keeps its key and a replica that dies frees it after one lease. A flow that raises
releases its claim (the client may retry with the same key), unless the caller says the error
means a write may have happened: then the key is marked *ambiguous* for the TTL, and the next
request with it takes the key over and runs the action with `resuming` set, so the action looks
at what the earlier run left before it writes (`gateway.bookings`: the booking with its stamp).

A result is kept under the key only when the caller's `keeps(result)` says so (a booking flow's
outcome that changed Wix); otherwise the claim is released as after an error that wrote
nothing, and the key is free for another input. A run that took over an ambiguous key always
keeps its result: the earlier run may have written, whatever this one ended in.

Two backends with one behaviour: in-process (default) and Redis (`REDIS_URL`,
`gateway.state.redis_backend`), so several gateway replicas share keys.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import Any

from redis.asyncio import Redis

from gateway.clock import Clock
from gateway.state.claims import (
    DAY_SECONDS,
    DEFAULT_LEASE_SECONDS,
    Backend,
    Claim,
    IdempotencyKeyReused,
    Result,
)
from gateway.state.memory_backend import MemoryBackend
from gateway.state.redis_backend import RedisBackend

__all__ = [
    "DAY_SECONDS",
    "Backend",
    "Claim",
    "Idempotency",
    "IdempotencyKeyReused",
    "MemoryBackend",
    "RedisBackend",
    "fingerprint",
    "idempotency_from",
    "scoped_key",
]

logger = logging.getLogger("gateway.state.idempotency")


def fingerprint(operation: str, payload: Any) -> str:
    """A stable hash of what a request asks for (canonical JSON)."""
    canonical = json.dumps([operation, payload], sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def scoped_key(key: str, caller: str | None) -> str:
    """Keys are per caller: one customer's key can never return another customer's result."""
    caller_hash = hashlib.sha256((caller or "").encode()).hexdigest()[:16]
    return f"{caller_hash}:{key}"


def _never(error: BaseException) -> bool:
    return False


def _always(result: Result) -> bool:
    return True


# Set while an action runs that took over an ambiguous key: an earlier run with the same key may
# have written, so the action must look before it writes again.
resuming: ContextVar[bool] = ContextVar("resuming", default=False)


class Idempotency:
    def __init__(self, backend: Backend) -> None:
        self.backend = backend

    async def run(
        self,
        key: str,
        fingerprint: str,
        action: Callable[[], Awaitable[Result]],
        may_have_written: Callable[[BaseException], bool] = _never,
        keeps: Callable[[Result], bool] = _always,
    ) -> Result:
        """`action()` once per key; `may_have_written(error)` decides whether a failed run
        releases the key (False) or leaves it ambiguous (True), `keeps(result)` whether a
        finished run stores its result under the key (True) or releases the key (False; never
        for a run that resolved an ambiguous key)."""
        claim = await self.backend.begin(key, fingerprint)
        if not claim.owned:
            assert claim.result is not None
            return claim.result
        renewal = asyncio.create_task(self._renew(key, claim.token))
        resumed = resuming.set(claim.ambiguous)
        try:
            result = await action()
        except BaseException as error:
            resuming.reset(resumed)
            renewal.cancel()
            if may_have_written(error):
                await self.backend.mark_ambiguous(key, claim.token, fingerprint)
            else:
                await self.backend.release(key, claim.token)
            raise
        resuming.reset(resumed)
        renewal.cancel()
        if claim.ambiguous or keeps(result):
            await self.backend.finish(key, claim.token, fingerprint, result)
        else:
            await self.backend.release(key, claim.token)
        return result

    async def _renew(self, key: str, token: str) -> None:
        """Extend the lease every third of it while the flow runs (two chances before it ends)."""
        interval = self.backend.lease_seconds / 3
        while True:
            await asyncio.sleep(interval)
            try:
                if not await self.backend.renew(key, token):
                    logger.warning("idempotency claim lost while its flow runs (lease expired)")
                    return
            except Exception:  # e.g. Redis unreachable for a moment: try again next time
                logger.warning("could not renew an idempotency claim", exc_info=True)


def idempotency_from(
    redis: Redis | None, clock: Clock, lease_seconds: float = DEFAULT_LEASE_SECONDS
) -> Idempotency:
    """In-process by default; Redis when one is configured (`REDIS_URL`)."""
    if redis is not None:
        return Idempotency(RedisBackend(redis, lease_seconds=lease_seconds))
    return Idempotency(MemoryBackend(clock.timestamp, lease_seconds=lease_seconds))
