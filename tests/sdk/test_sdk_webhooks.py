"""The official Wix JS SDK accepts the sandbox's webhooks: `webhooks.mjs` gives each delivery to
`client.webhooks.process` (AppStrategy with the sandbox's public key), which verifies the JWT,
unwraps the envelope and runs the handler registered for its event type. A delivery signed with
another key is refused."""

from __future__ import annotations

import json
import subprocess
from typing import Any

import httpx
import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

from gateway.sandbox import seed
from gateway.sandbox.state import Sandbox
from tests.frozen import FROZEN_AT
from tests.sandbox.booking_helpers import action, appointment, confirm_or_decline, created
from tests.sandbox.webhook_helpers import Receiver, listen
from tests.sdk.sdk_install import SDK_DIR, install

RUN_SECONDS = 60


def _process(public_key: str, tokens: list[str]) -> list[dict[str, Any]]:
    node = install()
    stdin = json.dumps(
        {"publicKey": public_key, "nowMs": int(FROZEN_AT.timestamp() * 1000), "tokens": tokens}
    )
    completed = subprocess.run(
        [node, "webhooks.mjs"],
        cwd=SDK_DIR,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=RUN_SECONDS,
    )
    assert completed.returncode == 0, completed.stderr
    return list(json.loads(completed.stdout))


def _forged(token: str) -> str:
    """The same claims signed with a key that is not the sandbox's."""
    claims = jwt.decode(token, options={"verify_signature": False})
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return jwt.encode(claims, other, algorithm="RS256")


async def test_the_sdk_processes_sandbox_webhooks(wix: httpx.AsyncClient, sandbox: Sandbox) -> None:
    receiver = listen(sandbox, Receiver())
    first, second = [await created(wix, appointment()) for _ in range(2)]
    await confirm_or_decline(wix, first["id"], paymentStatus="PAID")
    await confirm_or_decline(wix, second["id"], paymentStatus="PAID")  # a paid double booking
    slot = appointment(start="2026-03-03T14:00:00", end="2026-03-03T14:30:00")["bookedEntity"]
    await action(wix, first["id"], "reschedule", revision="2", **slot)
    service = {"revision": "1", "tagLine": "Quick and sharp"}
    await wix.patch(f"/bookings/v2/services/{seed.SERVICE_HAIRCUT}", json={"service": service})
    await sandbox.webhooks.drain()
    tokens = receiver.tokens
    results = _process(sandbox.webhooks.public_key_pem, [*tokens, _forged(tokens[0])])

    *accepted, forged = results
    assert forged["ok"] is False and "signature" in forged["error"], forged
    assert all(r["ok"] for r in accepted), accepted
    assert {r["instanceId"] for r in accepted} == {seed.APP_INSTANCE_ID}
    assert {r["identity"]["identityType"] for r in accepted} == {"APP"}
    handled = [r["handled"] for r in accepted]
    assert [(h["kind"], h["entityId"]) for h in handled] == [
        ("created", first["id"]),
        ("created", second["id"]),
        ("confirmed", first["id"]),
        ("confirmed", second["id"]),
        ("rescheduled", first["id"]),
        ("serviceUpdated", seed.SERVICE_HAIRCUT),
    ]
    assert [h["doubleBooked"] for h in handled[2:4]] == [None, True]
    assert handled[4]["previousStartDate"] == "2026-03-03T10:00:00.000Z"
    assert {h["eventTime"] for h in handled} == {"2026-03-02T09:00:00.000Z"}
    assert all(h["metadataEntityId"] == h["entityId"] for h in handled)
    assert accepted[-1]["eventType"] == "wix.bookings.services.v2.service_updated"
