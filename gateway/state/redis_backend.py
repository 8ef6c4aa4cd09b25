"""The Redis idempotency backend (`REDIS_URL`): keys shared by every replica.

A claim is `SET NX PX lease` of a pending record that carries the owner's token; renewing,
finishing, marking ambiguous and releasing are Lua scripts that first check that token, so a
replica whose lease ran out can never extend, overwrite or delete a claim another one took since.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping

from redis.asyncio import Redis

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

# KEYS[1] the key; ARGV[1] the token. Each returns 1 when it acted.
_OWNED = """
local raw = redis.call('GET', KEYS[1])
local owned = raw and cjson.decode(raw)['token'] == ARGV[1]
"""
# ARGV[2] the lease in milliseconds.
_RENEW = (
    _OWNED
    + """
if owned then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
"""
)
# ARGV[2] the new record, ARGV[3] its TTL in seconds. A key that expired meanwhile (no owner)
# is written too: the outcome is better kept than lost.
_REPLACE = (
    _OWNED
    + """
if owned or not raw then
  redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
  return 1
end
return 0
"""
)
# ARGV[1] the fingerprint, ARGV[2] the new pending record, ARGV[3] its lease in milliseconds:
# one request takes over an ambiguous record to resolve it.
_TAKE_OVER = """
local raw = redis.call('GET', KEYS[1])
if not raw then return 0 end
local record = cjson.decode(raw)
if record['state'] ~= 'ambiguous' or record['fingerprint'] ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1
"""
_RELEASE = (
    _OWNED
    + """
if owned then return redis.call('DEL', KEYS[1]) end
return 0
"""
)


class RedisBackend:
    """Across replicas: waiters poll while the owner's lease is alive (renewed while its flow
    runs); a replica that dies stops renewing and the key frees after one lease. Finished and
    ambiguous records are kept for `ttl_seconds`."""

    def __init__(
        self,
        redis: Redis,
        ttl_seconds: int = DAY_SECONDS,
        lease_seconds: float = DEFAULT_LEASE_SECONDS,
        poll_seconds: float = 0.02,
        prefix: str = "gateway:idempotency:",
    ) -> None:
        self.redis = redis
        self.ttl = ttl_seconds
        self.lease_seconds = lease_seconds
        self.poll = poll_seconds
        self.prefix = prefix
        self._renew = redis.register_script(_RENEW)
        self._replace = redis.register_script(_REPLACE)
        self._release = redis.register_script(_RELEASE)
        self._take_over = redis.register_script(_TAKE_OVER)

    @property
    def _lease_ms(self) -> int:
        return max(1, round(self.lease_seconds * 1000))

    async def begin(self, key: str, fingerprint: str) -> Claim:
        name = self.prefix + key
        while True:
            token = new_token()
            pending = json.dumps({"fingerprint": fingerprint, "state": PENDING, "token": token})
            if await self.redis.set(name, pending, nx=True, px=self._lease_ms):
                return Claim(owned=True, token=token)
            raw = await self.redis.get(name)
            if raw is None:
                continue  # released or expired between SET and GET: try again
            record = json.loads(raw)
            if record["fingerprint"] != fingerprint:
                raise IdempotencyKeyReused(key)
            if record["state"] == DONE:
                return Claim(owned=False, result=record["result"])
            if record["state"] == AMBIGUOUS:  # this request resolves it, if first to take it
                args: list[str | int] = [fingerprint, pending, self._lease_ms]
                if await self._take_over(keys=[name], args=args):
                    return Claim(owned=True, token=token, ambiguous=True)
                continue
            await asyncio.sleep(self.poll)

    async def renew(self, key: str, token: str) -> bool:
        return bool(await self._renew(keys=[self.prefix + key], args=[token, self._lease_ms]))

    async def finish(self, key: str, token: str, fingerprint: str, result: Result) -> None:
        record = {"fingerprint": fingerprint, "state": DONE, "result": result}
        await self._store(key, token, record)

    async def mark_ambiguous(self, key: str, token: str, fingerprint: str) -> None:
        await self._store(key, token, {"fingerprint": fingerprint, "state": AMBIGUOUS})

    async def release(self, key: str, token: str) -> None:
        await self._release(keys=[self.prefix + key], args=[token])

    async def _store(self, key: str, token: str, record: Mapping[str, object]) -> None:
        args: list[str | int] = [token, json.dumps(record), self.ttl]
        await self._replace(keys=[self.prefix + key], args=args)
