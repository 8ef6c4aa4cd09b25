"""Who is calling: the identity behind a request's `Authorization`, and whether it may call a route.

Wix runs every call as one identity (https://dev.wix.com/docs/rest/articles/get-started/about-identities):
an anonymous site visitor or a site member (both with OAuth access tokens), or an admin (an API
key, an app). Each method's page lists the permission it needs; visitors and members hold only
the public ones. The sandbox's three identities and the rule that tells them apart live here.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from gateway.sandbox.errors import WixError
from gateway.sandbox.wire import utc_iso

if TYPE_CHECKING:
    from gateway.sandbox.state import Sandbox

# Every access and refresh token the sandbox issues starts with this, so it can tell them from API
# keys. Sandbox-only: real Wix tokens are opaque to callers.
TOKEN_PREFIX = "sbx-oauth."
# Wix answers a call its identity may not make with 403 PERMISSION_DENIED and this code (the
# Create Booking and Time Slots pages list it for "identity lacks permission").
UNAUTHORIZED_OPERATION = "UNAUTHORIZED_OPERATION"


class Kind(StrEnum):
    """Wix's IdentityType names for visitors and members; API_KEY is the site owner's key."""

    VISITOR = "ANONYMOUS_VISITOR"
    MEMBER = "MEMBER"
    API_KEY = "API_KEY"


@dataclass(frozen=True)
class Identity:
    kind: Kind
    visitor_id: str | None = None
    member_id: str | None = None
    contact_id: str | None = None

    @property
    def is_admin(self) -> bool:
        return self.kind is Kind.API_KEY

    def to_json(self) -> dict[str, Any]:
        return {key: str(value) for key, value in asdict(self).items() if value is not None}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Identity:
        ids = (data.get("visitor_id"), data.get("member_id"), data.get("contact_id"))
        return cls(Kind(data["kind"]), *ids)


# Inference: any other non-empty Authorization acts as the site owner's API key (with every
# permission), so a sandbox needs no key management; Wix would check the key.
OWNER_API_KEY = Identity(Kind.API_KEY)

# Who may call a route (`WixRoute.callers`); admin-only unless the method's page lists a
# permission visitors hold (e.g. "Read Bookings - Public Data").
ADMIN_ONLY = frozenset({Kind.API_KEY})
ADMIN_AND_MEMBERS = frozenset({Kind.API_KEY, Kind.MEMBER})
EVERYONE = frozenset(Kind)


def unauthenticated(message: str) -> WixError:
    return WixError(401, "UNAUTHENTICATED", message)


def permission_denied(message: str, data: dict[str, Any] | None = None) -> WixError:
    return WixError(403, UNAUTHORIZED_OPERATION, message, data)


def identify(sandbox: Sandbox, authorization: str | None) -> Identity:
    """The identity of an `Authorization` value: 401 when missing, or a sandbox token that is
    unknown or expired (a `Bearer ` scheme is accepted, as Wix examples write it)."""
    value = (authorization or "").strip()
    if value[:7].lower() == "bearer ":
        value = value[7:].strip()
    if not value:
        raise unauthenticated("Missing Authorization header")
    if not value.startswith(TOKEN_PREFIX):
        return OWNER_API_KEY
    stored = sandbox.store.oauth_token(value, "access")
    if stored is None:
        raise unauthenticated("The access token is not valid")
    identity, expires = stored
    if expires is not None and expires <= utc_iso(sandbox.clock.now()):
        raise unauthenticated("The access token has expired")
    return Identity.from_json(identity)


def authorize(identity: Identity, callers: frozenset[Kind], method: str) -> None:
    """403 when the method is not callable by this identity."""
    if identity.kind not in callers:
        raise permission_denied(
            f"{method} can't be called as {identity.kind.value}", {"identityType": identity.kind}
        )
