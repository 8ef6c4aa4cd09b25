"""The limits a request is held to, read from the settings the app was built with."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from gateway.config import Settings


@dataclass(frozen=True, slots=True)
class Limits:
    max_depth: int
    max_aliases: int
    max_tokens: int
    max_cost: int
    max_page_size: int
    introspection: bool


@lru_cache(maxsize=16)
def limits_of(settings: Settings | None) -> Limits:
    """The limits of `settings` (the defaults when a context carries none)."""
    settings = settings or Settings()
    return Limits(
        max_depth=settings.max_query_depth,
        max_aliases=settings.max_aliases,
        max_tokens=settings.max_tokens,
        max_cost=settings.max_query_cost,
        max_page_size=settings.max_page_size,
        introspection=settings.introspection,
    )
