"""`CachingWixClient`: a `WixClient` that answers reference-data reads from a cache.

What is cached is one table (`CACHED_READS`): the read paths of `ServicesApi` (services,
booking policies, site properties) and `FormsApi` (forms), each kind with its own TTL, plus the
availability lists of `TimeSlotsApi` only when `GATEWAY_CACHE_AVAILABILITY_SECONDS` is set (at
most a few seconds). Get Availability Time Slot, the re-check before booking, is never cached,
and neither is anything of the bookings APIs: they are not in the table.

The key is the request (method, path template, path parameters, query, body) *and the caller*:
Wix answers per identity (a visitor, a member and the API key may see different services, or
get 403) and callers' tokens may even belong to different sites, so a response is only ever
reused for the same `Authorization`. Requests without one use the configured API key and share
one entry, which is the common case of a server-side frontend.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import httpx

from gateway.cache.backends import CacheBackend
from gateway.config import Settings
from gateway.observability.metrics import CACHE_LOOKUPS
from gateway.upstream import client as upstream
from gateway.upstream import forms, services, time_slots

# Path template -> (kind, the setting holding its TTL in seconds).
CACHED_READS: dict[str, tuple[str, str]] = {
    services.QUERY_SERVICES: ("services", "cache_services_seconds"),
    services.GET_SERVICE: ("services", "cache_services_seconds"),
    services.GET_BOOKING_POLICY: ("policies", "cache_policies_seconds"),
    services.GET_SITE_PROPERTIES: ("site_properties", "cache_site_properties_seconds"),
    forms.GET_FORM: ("forms", "cache_forms_seconds"),
    forms.GET_FORM_SUMMARY: ("forms", "cache_forms_seconds"),
    time_slots.LIST_AVAILABILITY: ("availability", "cache_availability_seconds"),
    time_slots.LIST_EVENT: ("availability", "cache_availability_seconds"),
    time_slots.LIST_MULTI_SERVICE: ("availability", "cache_availability_seconds"),
}

_fresh: ContextVar[bool] = ContextVar("gateway_cache_fresh", default=False)


@dataclass(frozen=True, slots=True)
class CacheRule:
    kind: str
    ttl: float


def cache_rules(settings: Settings) -> dict[str, CacheRule]:
    """The cached paths under `settings` (a TTL of 0 leaves a kind out)."""
    rules = {}
    for template, (kind, ttl_setting) in CACHED_READS.items():
        ttl = float(getattr(settings, ttl_setting))
        if ttl > 0:
            rules[template] = CacheRule(kind, ttl)
    return rules


@contextmanager
def fresh_reads() -> Iterator[None]:
    """Calls made inside go to Wix even when cached (the readiness probe must ask Wix)."""
    token = _fresh.set(True)
    try:
        yield
    finally:
        _fresh.reset(token)


class CachingWixClient(upstream.WixClient):
    def __init__(
        self,
        settings: Settings,
        cache: CacheBackend,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        super().__init__(settings, transport=transport)
        self.cache = cache
        self._rules = cache_rules(settings)

    async def request(self, method: str, path: str, **options: Any) -> dict[str, Any]:
        rule = self._rules.get(path)
        if rule is None or _fresh.get():
            return await super().request(method, path, **options)
        key = _key(rule.kind, method, path, options)
        cached = await self.cache.get(key)
        if cached is not None:
            CACHE_LOOKUPS.labels(rule.kind, "hit").inc()
            body: dict[str, Any] = json.loads(cached)
            return body
        CACHE_LOOKUPS.labels(rule.kind, "miss").inc()
        body = await super().request(method, path, **options)
        await self.cache.set(key, json.dumps(body, separators=(",", ":")), rule.ttl)
        return body

    async def invalidate(self, kinds: Iterable[str]) -> None:
        """Drop the cached reads of `kinds` (a Wix event said they changed)."""
        for kind in kinds:
            await self.cache.drop(kind)


def _key(kind: str, method: str, path: str, options: Mapping[str, Any]) -> str:
    """`kind:digest` of the request and its caller (the Authorization is only kept hashed)."""
    request = [
        method,
        path,
        options.get("path_params"),
        options.get("params"),
        options.get("json"),
        options.get("authorization"),
    ]
    canonical = json.dumps(request, sort_keys=True, separators=(",", ":"), default=str)
    return f"{kind}:{hashlib.sha256(canonical.encode()).hexdigest()}"
