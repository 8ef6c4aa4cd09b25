"""What the idempotency backends share: a claim on a key, its states, and the backend protocol."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any, Protocol

DAY_SECONDS = 24 * 3600
DEFAULT_LEASE_SECONDS = 60.0
PENDING, DONE, AMBIGUOUS = "pending", "done", "ambiguous"
Result = dict[str, Any]


class IdempotencyKeyReused(Exception):
    """The key was already used with a different input."""


def new_token() -> str:
    """Who holds a claim: renewing, finishing or releasing checks it, so a claim that expired
    and was taken by another request is never touched by its former owner."""
    return uuid.uuid4().hex


@dataclass
class Claim:
    """What `begin` found: we own the key now (`token`; `ambiguous` when we took it over from
    an earlier run that may have written, to resolve it), or a finished result."""

    owned: bool
    result: Result | None = None
    token: str = ""
    ambiguous: bool = False


class Backend(Protocol):
    lease_seconds: float

    async def begin(self, key: str, fingerprint: str) -> Claim: ...
    async def renew(self, key: str, token: str) -> bool: ...
    async def finish(self, key: str, token: str, fingerprint: str, result: Result) -> None: ...
    async def mark_ambiguous(self, key: str, token: str, fingerprint: str) -> None: ...
    async def release(self, key: str, token: str) -> None: ...
