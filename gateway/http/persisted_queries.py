"""Persisted queries, as Apollo clients speak them: `extensions.persistedQuery = {version: 1,
sha256Hash}` instead of (or with) the query text.

- Automatic persisted queries (APQ): a hash alone runs the stored document or answers
  `PERSISTED_QUERY_NOT_FOUND`, upon which the client sends query and hash together; the hash is
  verified and, once the document proved valid, stored (in process, or in Redis to share it
  between replicas). A hash alone fits in a GET URL, so a CDN can cache the answer.
- Safelist: with a manifest configured only its operations run (by id, or by exact text), and
  nothing new is registered.
- Off: a hash gets `PERSISTED_QUERY_NOT_SUPPORTED` (the client then sends full queries).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from redis.asyncio import Redis

from gateway.cache.backends import CacheBackend, MemoryCache, RedisCache
from gateway.clock import Clock
from gateway.config import Settings
from gateway.http.params import OperationParams, ProtocolError
from gateway.http.safelist import Safelist, sha256_hex

APQ_VERSION = 1
STORE_TTL_SECONDS = 7 * 24 * 3600.0
# Bounds of the in-process store: worst case ~32 MB of text. A longer document is run but not
# stored, so its hash alone keeps answering PERSISTED_QUERY_NOT_FOUND and the client keeps
# sending the text (Apollo clients then do so by themselves).
STORE_MAX_ENTRIES = 1_000
STORE_MAX_DOCUMENT_CHARS = 32_768
REDIS_PREFIX = "gateway:apq:"
# Apollo Server answers a miss (and "not supported") with HTTP 200 whatever the media type and
# with this header, and Apollo Client recognises the miss by its message: both as Apollo does.
MISS_STATUS = 200
MISS_HEADERS = {"cache-control": "private, no-cache, must-revalidate"}

PERSISTED_QUERY_NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"
PERSISTED_QUERY_NOT_SUPPORTED = "PERSISTED_QUERY_NOT_SUPPORTED"
PERSISTED_QUERY_NOT_IN_LIST = "PERSISTED_QUERY_NOT_IN_LIST"
PERSISTED_QUERY_HASH_MISMATCH = "PERSISTED_QUERY_HASH_MISMATCH"


def not_found() -> ProtocolError:
    return ProtocolError(
        MISS_STATUS, "PersistedQueryNotFound", PERSISTED_QUERY_NOT_FOUND, MISS_HEADERS
    )


def not_supported() -> ProtocolError:
    return ProtocolError(
        MISS_STATUS, "PersistedQueryNotSupported", PERSISTED_QUERY_NOT_SUPPORTED, MISS_HEADERS
    )


@dataclass(frozen=True, slots=True)
class ResolvedQuery:
    text: str
    register_as: str | None = None  # the hash to store `text` under once it proved valid


class PersistedQueries:
    def __init__(self, store: CacheBackend | None, safelist: Safelist | None = None) -> None:
        self.store = store  # None: APQ off
        self.safelist = safelist  # set: only its operations run

    async def resolve(self, params: OperationParams) -> ResolvedQuery:
        """The document to run for `params`; raises `ProtocolError` when there is none."""
        sha256 = _requested_hash(params.persisted_query)
        if params.query is not None and sha256 and sha256_hex(params.query) != sha256.lower():
            raise ProtocolError(
                400, "provided sha does not match query", PERSISTED_QUERY_HASH_MISMATCH
            )
        if self.safelist is not None:
            return self._from_safelist(params.query, sha256)
        if sha256 is None:
            assert params.query is not None, "params without a query carry a persisted query"
            return ResolvedQuery(params.query)
        if self.store is None:
            raise not_supported()
        if params.query is not None:
            return ResolvedQuery(params.query, register_as=sha256.lower())
        text = await self.store.get(sha256.lower())
        if text is None:
            raise not_found()
        return ResolvedQuery(text)

    async def register(self, resolved: ResolvedQuery) -> None:
        too_long = len(resolved.text) > STORE_MAX_DOCUMENT_CHARS
        if resolved.register_as and self.store is not None and not too_long:
            await self.store.set(resolved.register_as, resolved.text, STORE_TTL_SECONDS)

    def _from_safelist(self, query: str | None, sha256: str | None) -> ResolvedQuery:
        assert self.safelist is not None
        if query is None:
            text = self.safelist.bodies.get(sha256 or "")
            if text is None:
                raise not_found()
            return ResolvedQuery(text)
        if not self.safelist.allows(query):
            raise ProtocolError(
                400,
                "This gateway only runs the operations of its persisted-query list",
                PERSISTED_QUERY_NOT_IN_LIST,
            )
        return ResolvedQuery(query)


def _requested_hash(persisted_query: Any) -> str | None:
    if persisted_query is None:
        return None
    if not isinstance(persisted_query, dict):
        raise ProtocolError(400, "`extensions.persistedQuery` must be an object")
    if persisted_query.get("version") != APQ_VERSION:
        raise ProtocolError(400, f"Unsupported persisted query version (use {APQ_VERSION})")
    sha256 = persisted_query.get("sha256Hash")
    if not isinstance(sha256, str) or not sha256:
        raise ProtocolError(400, "`extensions.persistedQuery.sha256Hash` must be a string")
    return sha256


def persisted_queries_from(
    settings: Settings, redis: Redis | None, clock: Clock
) -> PersistedQueries:
    """Safelist when a manifest is configured; else APQ (in Redis with `REDIS_URL`) or off."""
    if settings.persisted_query_manifest:
        return PersistedQueries(None, Safelist.load(settings.persisted_query_manifest))
    if not settings.persisted_queries:
        return PersistedQueries(None)
    if redis is not None:
        return PersistedQueries(RedisCache(redis, REDIS_PREFIX))
    return PersistedQueries(MemoryCache(STORE_MAX_ENTRIES, clock.timestamp))
