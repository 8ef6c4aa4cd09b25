"""The in-process idempotency backend (no `REDIS_URL`): one worker, waiters on an event."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field

from gateway.state.claims import (
    AMBIGUOUS,
    DAY_SECONDS,
    DEFAULT_LEASE_SECONDS,
    DONE,
    PENDING,
    Claim,
    IdempotencyKeyReused,
    Result,
    new_token,
)


@dataclass
class _Entry:
    fingerprint: str
    expires: float  # business time: when a finished or ambiguous record is forgotten
    token: str = ""
    lease_until: float = 0.0  # loop time: a pending claim not renewed by then is free
    state: str = PENDING
    done: asyncio.Event = field(default_factory=asyncio.Event)
    result: Result | None = None


class MemoryBackend:
    """One process: concurrent requests wait on an `asyncio.Event` (or the lease's end)."""

    def __init__(
        self,
        clock: Callable[[], float],
        ttl_seconds: float = DAY_SECONDS,
        lease_seconds: float = DEFAULT_LEASE_SECONDS,
    ) -> None:
        """`clock` gives seconds since the epoch: the app's `Clock.timestamp`. Leases measure
        a duration, so they run on the event loop's monotonic clock instead."""
        self.ttl = ttl_seconds
        self.lease_seconds = lease_seconds
        self._clock = clock
        self._entries: dict[str, _Entry] = {}

    async def begin(self, key: str, fingerprint: str) -> Claim:
        loop = asyncio.get_running_loop()
        while True:
            now = self._clock()
            self._forget_expired(now)
            entry = self._entries.get(key)
            if entry is None or entry.expires < now or _lapsed(entry, loop.time()):
                if entry is not None:
                    entry.done.set()  # wake the waiters of a lapsed claim: they wait on ours
                token = new_token()
                self._entries.pop(key, None)  # re-inserted last, keeping the dict in expiry order
                self._entries[key] = _Entry(
                    fingerprint, now + self.ttl, token, loop.time() + self.lease_seconds
                )
                return Claim(owned=True, token=token)
            if entry.fingerprint != fingerprint:
                raise IdempotencyKeyReused(key)
            if entry.state == DONE:
                return Claim(owned=False, result=entry.result)
            if entry.state == AMBIGUOUS:  # this request resolves it: it owns the key now
                entry.token, entry.state = new_token(), PENDING
                entry.lease_until, entry.done = loop.time() + self.lease_seconds, asyncio.Event()
                return Claim(owned=True, token=entry.token, ambiguous=True)
            # until the owner finishes or releases, or its lease ends; then look again
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout_at(entry.lease_until):
                    await entry.done.wait()

    def _forget_expired(self, now: float) -> None:
        """Drop finished entries past their TTL. Every entry lives `ttl`, so insertion order is
        expiry order: stop at the first one still alive (or still running)."""
        while self._entries:
            key, entry = next(iter(self._entries.items()))
            if entry.expires >= now or entry.state == PENDING:
                return
            del self._entries[key]

    def _owned(self, key: str, token: str) -> _Entry | None:
        entry = self._entries.get(key)
        return entry if entry is not None and entry.token == token else None

    async def renew(self, key: str, token: str) -> bool:
        entry = self._owned(key, token)
        if entry is None or entry.state != PENDING:
            return False
        entry.lease_until = asyncio.get_running_loop().time() + self.lease_seconds
        return True

    async def finish(self, key: str, token: str, fingerprint: str, result: Result) -> None:
        entry = self._owned(key, token)
        if entry is not None:
            entry.state, entry.result, entry.token = DONE, result, ""
            entry.done.set()

    async def mark_ambiguous(self, key: str, token: str, fingerprint: str) -> None:
        entry = self._owned(key, token)
        if entry is not None:
            entry.state, entry.token = AMBIGUOUS, ""
            entry.done.set()

    async def release(self, key: str, token: str) -> None:
        if self._owned(key, token) is not None:
            self._entries.pop(key).done.set()


def _lapsed(entry: _Entry, loop_now: float) -> bool:
    return entry.state == PENDING and entry.lease_until <= loop_now
