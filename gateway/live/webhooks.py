"""Reading a Wix webhook delivery: verify the JWT, then unwrap Wix's envelope into a `WixEvent`.

Wix POSTs each event as a JWT signed RS256 with the app's key
(https://dev.wix.com/docs/build-apps/develop-your-app/api-integrations/events-and-webhooks/about-webhooks).
Its claims are `{data, iat, exp}`, `data` being a JSON string of `{eventType, instanceId, data,
identity}` whose own `data` is a JSON string of the event
(https://dev.wix.com/docs/rest/articles/getting-started/webhook-structure); the official SDK
unwraps it the same way (`@wix/sdk`, `event-handlers-modules.js`).

Nothing of a body is read before its signature and expiry are checked: a delivery that fails
there is `Unverified` (401); one that is signed but not shaped like a Wix event is `Malformed`
(400).
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from gateway.clock import Clock
from gateway.live.events import WixEvent
from gateway.text import json_problem

# Wix signs with RS256 only; any other `alg` (`none`, an HMAC keyed with the public key) is forged.
ALGORITHMS = ["RS256"]
# Tolerated difference between Wix's clock and ours when checking `exp`, in seconds (inference:
# Wix documents no skew; a minute covers ordinary NTP drift).
CLOCK_SKEW_SECONDS = 60
MAX_JSON_DEPTH = 32


class Unverified(Exception):
    """Not signed by the configured key, or expired: answered 401."""


class Malformed(Exception):
    """Signed, but not a Wix event envelope: answered 400."""


def load_public_key(text: str) -> str:
    """The PEM from `WIX_WEBHOOK_PUBLIC_KEY`: as the dashboard shows it (several lines), with
    escaped newlines (`\\n` in a one-line variable), or base64 of the PEM, as the SDK accepts."""
    text = text.strip()
    if "-----BEGIN" in text:
        return text.replace("\\n", "\n")
    try:
        return base64.b64decode(text, validate=True).decode().strip()
    except (binascii.Error, UnicodeDecodeError):
        return text  # not base64 either: PyJWT reports the key as invalid at start


class WebhookVerifier:
    def __init__(self, public_key_pem: str, clock: Clock) -> None:
        """Raises `ValueError` when the key is not an RSA public key in PEM."""
        key = load_pem_public_key(load_public_key(public_key_pem).encode())
        if not isinstance(key, RSAPublicKey):
            raise ValueError("the webhook public key is not an RSA key")
        self._key = key
        self._clock = clock

    def verify(self, body: bytes) -> WixEvent:
        claims = self._claims(body)
        try:
            envelope = _json_object(claims.get("data"))
            event = _json_object(envelope.get("data"))
            return WixEvent.from_wix(envelope, event)
        except (ValueError, TypeError, KeyError, RecursionError) as error:
            raise Malformed(str(error)) from None

    def _claims(self, body: bytes) -> dict[str, Any]:
        """The verified claims; `exp` is checked against the gateway's clock, not the host's."""
        try:
            claims: dict[str, Any] = jwt.decode(
                body,
                self._key,
                algorithms=ALGORITHMS,
                options={"verify_exp": False, "verify_iat": False, "require": ["exp"]},
            )
        except jwt.PyJWTError as error:
            raise Unverified(type(error).__name__) from None
        expires = claims["exp"]
        if not isinstance(expires, int | float) or isinstance(expires, bool):
            raise Unverified("exp is not a number")
        if expires + CLOCK_SKEW_SECONDS < self._clock.timestamp():
            raise Unverified("expired")
        return claims


def _json_object(text: Any) -> dict[str, Any]:
    """A JSON object from a string field of the envelope (a nested document, bounded depth)."""
    if not isinstance(text, str):
        raise ValueError("expected a JSON string")
    value = json.loads(text)
    if not isinstance(value, dict):
        raise ValueError("expected a JSON object")
    if problem := json_problem(value, MAX_JSON_DEPTH):
        raise ValueError(f"the event's JSON is {problem}")
    return value
