"""The three kinds of caller and what each one sends to Wix.

- **Admin**: `Authorization: Bearer <key>` with a key from `GATEWAY_ADMIN_KEYS`. Calls go to
  Wix with the API key; the admin key itself never leaves the gateway.
- **Wix identity**: any other `Authorization` (a visitor, member or app token, or an API key):
  forwarded unchanged, so Wix decides what it may do.
- **Anonymous**: no `Authorization`. With `WIX_CLIENT_ID`, a Wix visitor token (one visitor per
  client session, see `visitor_sessions`); without it, the API key, but only for the root fields
  marked visitor-safe (`visitor_fields`).
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from enum import StrEnum

from gateway.identity.visitor_sessions import VisitorSessions

BEARER = "bearer "


class CallerKind(StrEnum):
    ADMIN = "admin"
    WIX = "wix"
    ANONYMOUS = "anonymous"


@dataclass(frozen=True, slots=True)
class Caller:
    kind: CallerKind
    # What goes to Wix as `Authorization`; None sends the configured API key.
    authorization: str | None
    # Who this is, for scoping idempotency keys: a hash, never the secret itself.
    scope: str
    # Anonymous on the API key: only visitor-safe root fields (`visitor_fields`).
    visitor_only: bool = False
    # The visitor session to hand back to the client (`X-Visitor-Refresh-Token`).
    visitor_refresh_token: str | None = None


class AdminKeys:
    """`GATEWAY_ADMIN_KEYS`, compared in constant time (every key, whatever matches first)."""

    def __init__(self, keys: list[str]) -> None:
        self._keys = [key.encode() for key in keys]

    def match(self, authorization: str) -> bytes | None:
        """The admin key `authorization` carries as `Bearer <key>`, if any."""
        if not self._keys or authorization[: len(BEARER)].lower() != BEARER:
            return None
        presented = authorization[len(BEARER) :].strip().encode()
        found = None
        for key in self._keys:
            if hmac.compare_digest(presented, key):
                found = key
        return found


class Callers:
    """Decides the `Caller` of a request from its headers."""

    def __init__(self, admin_keys: AdminKeys, visitors: VisitorSessions | None) -> None:
        self._admin_keys = admin_keys
        self._visitors = visitors

    async def identify(self, authorization: str | None, visitor_refresh: str | None) -> Caller:
        """Raises `UpstreamError` when Wix cannot give an anonymous caller a visitor token."""
        authorization = (authorization or "").strip() or None
        if authorization is not None:
            if key := self._admin_keys.match(authorization):
                return Caller(CallerKind.ADMIN, None, _scope("admin", key))
            return Caller(CallerKind.WIX, authorization, _scope("wix", authorization.encode()))
        if self._visitors is None:
            return Caller(CallerKind.ANONYMOUS, None, "anonymous", visitor_only=True)
        session = await self._visitors.session(visitor_refresh)
        return Caller(
            CallerKind.ANONYMOUS,
            session.access_token,
            _scope("visitor", session.refresh_token.encode()),
            visitor_refresh_token=session.refresh_token,
        )


def _scope(kind: str, secret: bytes) -> str:
    return f"{kind}:{hashlib.sha256(secret).hexdigest()[:32]}"
