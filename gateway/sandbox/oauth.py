"""Issuing and refreshing the visitor and member tokens of Wix Headless OAuth.

Access tokens live 4 hours (https://dev.wix.com/docs/go-headless/coding/rest-api/visitors-and-members/make-api-calls-with-oauth),
by the sandbox clock; refresh tokens are "long-lived" there, with no lifetime given. Both are
random (`secrets.token_urlsafe`), start with `identity.TOKEN_PREFIX`, and are kept in the store,
so a file-backed sandbox keeps them across restarts and `reset` forgets them.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import timedelta
from typing import Any

from gateway.sandbox.identity import TOKEN_PREFIX, Identity, Kind
from gateway.sandbox.state import Sandbox
from gateway.sandbox.wire import utc_iso

ACCESS_TOKEN_SECONDS = 14400  # 4 h, documented
# Inference: Wix gives refresh tokens no documented lifetime, so the sandbox never expires them.
REFRESH_TOKEN_SECONDS: int | None = None
TOKEN_BYTES = 32


def _new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(TOKEN_BYTES)


def _expiry(sandbox: Sandbox, seconds: int | None) -> str | None:
    return None if seconds is None else utc_iso(sandbox.clock.now() + timedelta(seconds=seconds))


def _access(sandbox: Sandbox, identity: Identity, refresh_token: str) -> dict[str, Any]:
    token = _new_token()
    store = sandbox.store
    with store.transaction():
        store.drop_expired_tokens(utc_iso(sandbox.clock.now()))
        store.put_oauth_token(
            token, "access", identity.to_json(), _expiry(sandbox, ACCESS_TOKEN_SECONDS)
        )
    return {
        "access_token": token,
        "refresh_token": refresh_token,
        "expires_in": ACCESS_TOKEN_SECONDS,
        "token_type": "Bearer",
    }


def issue(sandbox: Sandbox, identity: Identity) -> dict[str, Any]:
    """A new access and refresh token pair for `identity`."""
    refresh = _new_token()
    with sandbox.store.transaction():
        sandbox.store.put_oauth_token(
            refresh, "refresh", identity.to_json(), _expiry(sandbox, REFRESH_TOKEN_SECONDS)
        )
        return _access(sandbox, identity, refresh)


def new_visitor(sandbox: Sandbox) -> dict[str, Any]:
    return issue(sandbox, Identity(Kind.VISITOR, visitor_id=str(uuid.uuid4())))


def member(sandbox: Sandbox, member_id: str) -> dict[str, Any] | None:
    """Tokens for a seeded member (None when there is no such member)."""
    doc = sandbox.store.get("members", member_id)
    if doc is None:
        return None
    return issue(sandbox, Identity(Kind.MEMBER, member_id=doc["id"], contact_id=doc["contactId"]))


def refresh(sandbox: Sandbox, refresh_token: str) -> dict[str, Any] | None:
    """A new access token for the refresh token's visitor or member (the same refresh token is
    returned, unchanged); None when the refresh token is unknown or expired."""
    stored = sandbox.store.oauth_token(refresh_token, "refresh")
    if stored is None:
        return None
    identity, expires = stored
    if expires is not None and expires <= utc_iso(sandbox.clock.now()):
        return None
    return _access(sandbox, Identity.from_json(identity), refresh_token)
