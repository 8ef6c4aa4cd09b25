"""The app's own `/webhooks/wix`, fed by the embedded sandbox: a genuine delivery replayed word
for word, and deliveries signed with another key, change nothing a subscriber sees (malformed
ones: `test_webhook_receiver`)."""

from __future__ import annotations

import json

import jwt

from tests.graphql import Gateway, gateway
from tests.graphql.mutations import create_booking, sandbox_slot
from tests.live_events import booking, booking_event, sign, sign_claims
from tests.live_events.subscribing import settled, subscription

__all__ = ["gateway"]

AVAILABILITY = "subscription($id: ID!) { availabilityChanged(serviceId: $id) { from } }"


async def _post(gateway: Gateway, body: bytes) -> tuple[int, dict]:
    response = await gateway.http.post(
        "/webhooks/wix", content=body, headers={"content-type": "text/plain"}
    )
    return response.status_code, response.json()


async def test_replayed_and_forged_deliveries_change_nothing(gateway: Gateway) -> None:
    delivered: list[str] = []

    async def record(token: str) -> int:
        delivered.append(token)
        return 200

    gateway.sandbox.webhooks.add_local_target(record)
    slot = sandbox_slot()
    async with subscription(gateway.app, AVAILABILITY, {"id": slot["serviceId"]}) as watching:
        await create_booking(gateway, slot)
        assert (await watching.next())["data"]["availabilityChanged"]["from"]
        await settled(gateway.app)
        [genuine] = delivered  # the very JWT the gateway took

        assert await _post(gateway, genuine.encode()) == (200, {"status": "duplicate"})
        now = gateway.clock.timestamp()
        forged = sign(booking_event("created", booking(service_id=slot["serviceId"])), now=now)
        status, body = await _post(gateway, forged)
        assert (status, body["errors"][0]["extensions"]["code"]) == (401, "UNAUTHENTICATED")
        claims = jwt.decode(genuine, options={"verify_signature": False})
        envelope = json.loads(claims["data"])
        resigned_by_attacker = sign_claims({**claims, "data": json.dumps(envelope)})
        status, _ = await _post(gateway, resigned_by_attacker)
        assert status == 401
        await settled(gateway.app)
        assert await watching.nothing_within(0.3)
