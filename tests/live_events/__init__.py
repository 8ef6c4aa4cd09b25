"""Signed Wix webhook deliveries for tests: Wix's JWT envelope around an event."""

from __future__ import annotations

import json
import uuid
from functools import cache
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

INSTANCE_ID = "9d2e3f4a-0000-4000-8000-00000000a11e"


@cache
def key_pair(name: str) -> tuple[rsa.RSAPrivateKey, str]:
    """A private key and its public PEM (one per name, made once per test run)."""
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return private, public.decode()


def booking_event(slug: str, booking: dict[str, Any], **body: Any) -> dict[str, Any]:
    """A Bookings Writer V2 event as Wix sends it (`created`, `updated` or an action)."""
    event: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "entityFqdn": "wix.bookings.v2.booking",
        "slug": slug,
        "entityId": booking["id"],
        "eventTime": "2026-03-02T09:00:00Z",
        "triggeredByAnonymizeRequest": False,
    }
    if slug == "created":
        event["createdEvent"] = {"entity": booking}
    elif slug == "updated":
        event["updatedEvent"] = {"currentEntity": booking}
    else:
        event["actionEvent"] = {"body": {"booking": booking, **body}}
    return event


def event_type(event: dict[str, Any]) -> str:
    fqdn = event["entityFqdn"]
    return f"{fqdn}_{event['slug']}"


def sign(
    event: dict[str, Any],
    *,
    now: float,
    lifetime: float = 600,
    key: str = "wix",
    event_type_: str | None = None,
) -> bytes:
    """The JWT Wix would POST for `event`, issued at `now`."""
    envelope = {
        "eventType": event_type_ or event_type(event),
        "instanceId": INSTANCE_ID,
        "data": json.dumps(event),
        "identity": json.dumps({"identityType": "APP", "appId": str(uuid.uuid4())}),
    }
    return sign_claims(
        {"data": json.dumps(envelope), "iat": int(now), "exp": int(now + lifetime)}, key=key
    )


def sign_claims(claims: dict[str, Any], *, key: str = "wix") -> bytes:
    private, _ = key_pair(key)
    return jwt.encode(claims, private, algorithm="RS256").encode()


def booking(booking_id: str = "b-1", service_id: str = "svc-1", **fields: Any) -> dict[str, Any]:
    return {
        "id": booking_id,
        "status": "CONFIRMED",
        "startDate": "2026-03-10T09:00:00Z",
        "endDate": "2026-03-10T10:00:00Z",
        "bookedEntity": {
            "slot": {
                "serviceId": service_id,
                "startDate": "2026-03-10T09:00:00Z",
                "endDate": "2026-03-10T10:00:00Z",
                "timezone": "Europe/London",
            }
        },
        "totalParticipants": 1,
        "revision": "2",
        **fields,
    }
