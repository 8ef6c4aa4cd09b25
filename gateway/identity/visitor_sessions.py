"""Wix visitor tokens for anonymous callers, one visitor per client session.

A client that brings no `Authorization` gets a visitor session: the gateway asks Wix's token
endpoint for visitor tokens (anonymous grant) and returns the refresh token to the client in
`X-Visitor-Refresh-Token`. A client that sends it back stays the same Wix visitor (what Wix's
own SDK does with stored tokens); the gateway keeps the access token until shortly before it
expires, then refreshes it. A refresh token Wix no longer accepts starts a new visitor.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass

from gateway.clock import Clock
from gateway.upstream.errors import UPSTREAM_UNAVAILABLE, UpstreamError
from gateway.upstream.oauth import OAuthApi

# Refresh an access token this long before Wix says it expires (clock skew, slow requests).
EXPIRY_MARGIN_SECONDS = 60.0
# Wix documents 4 hours for visitor access tokens; used when an answer leaves `expires_in` out.
DEFAULT_EXPIRES_IN_SECONDS = 14_400
# Sessions kept in process (least recently used dropped first): bounded whatever clients send.
MAX_SESSIONS = 10_000
# Wix refusing a refresh token (unknown, expired, revoked): start a new visitor instead.
REFUSED_REFRESH_STATUSES = frozenset({400, 401, 403, 404})


@dataclass(frozen=True, slots=True)
class VisitorSession:
    access_token: str
    refresh_token: str
    expires_at: float  # Clock.timestamp()


class VisitorSessions:
    def __init__(
        self, oauth: OAuthApi, client_id: str, clock: Clock, max_sessions: int = MAX_SESSIONS
    ) -> None:
        self._oauth = oauth
        self._client_id = client_id
        self._clock = clock
        self._max_sessions = max_sessions
        self._sessions: OrderedDict[str, VisitorSession] = OrderedDict()

    async def session(self, refresh_token: str | None) -> VisitorSession:
        """The caller's visitor session: cached, refreshed, or new."""
        if refresh_token:
            key = _key(refresh_token)
            cached = self._sessions.get(key)
            if cached is not None and cached.expires_at - EXPIRY_MARGIN_SECONDS > self._now():
                self._sessions.move_to_end(key)
                return cached
            try:
                tokens = await self._oauth.refreshed_tokens(self._client_id, refresh_token)
                return self._keep(tokens, refresh_token)
            except UpstreamError as error:
                if error.http_status not in REFUSED_REFRESH_STATUSES:
                    raise
                self._sessions.pop(key, None)
        return self._keep(await self._oauth.visitor_tokens(self._client_id), None)

    def _keep(self, tokens: dict[str, object], sent_refresh_token: str | None) -> VisitorSession:
        access = tokens.get("access_token")
        refresh = tokens.get("refresh_token") or sent_refresh_token
        if not isinstance(access, str) or not isinstance(refresh, str) or not access:
            raise UpstreamError(
                "Wix's token endpoint answered without visitor tokens",
                {"code": UPSTREAM_UNAVAILABLE, "httpStatus": 200},
            )
        session = VisitorSession(access, refresh, self._now() + _lifetime(tokens))
        key = _key(refresh)
        self._sessions[key] = session
        self._sessions.move_to_end(key)
        while len(self._sessions) > self._max_sessions:
            self._sessions.popitem(last=False)
        return session

    def _now(self) -> float:
        return self._clock.timestamp()


def _lifetime(tokens: dict[str, object]) -> float:
    """`expires_in` in seconds, or Wix's documented 4 hours when missing or unreadable."""
    try:
        seconds = float(tokens.get("expires_in") or 0)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        seconds = 0.0
    return seconds if seconds > 0 else DEFAULT_EXPIRES_IN_SECONDS


def _key(refresh_token: str) -> str:
    """Sessions are found by a hash: the map never holds refresh tokens as keys."""
    return hashlib.sha256(refresh_token.encode()).hexdigest()
