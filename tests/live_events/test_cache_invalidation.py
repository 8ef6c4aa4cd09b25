"""A Wix event drops the cached reads it made stale: a renamed service shows its new name at
once, instead of after the services TTL."""

from __future__ import annotations

import httpx

from gateway.sandbox import seed
from gateway.sandbox.app import build_sandbox_app
from tests.conftest import AUTH
from tests.graphql import Gateway, gateway
from tests.live_events.subscribing import settled

__all__ = ["gateway"]

NAME = "query($id: ID!) { service(id: $id) { name } }"
SERVICE = f"/bookings/v2/services/{seed.SERVICE_HAIRCUT}"


async def _name(gateway: Gateway) -> str:
    return str((await gateway.data(NAME, {"id": seed.SERVICE_HAIRCUT}))["service"]["name"])


async def _rename_on_the_sandbox(gateway: Gateway) -> None:
    """Update Service straight on the sandbox (not through the gateway), then let its webhook,
    if any, be delivered and dispatched."""
    transport = httpx.ASGITransport(app=build_sandbox_app(gateway.sandbox))
    async with httpx.AsyncClient(transport=transport, base_url="http://wix", headers=AUTH) as wix:
        revision = (await wix.get(SERVICE)).json()["service"]["revision"]
        change = {"id": seed.SERVICE_HAIRCUT, "revision": revision, "name": "Express Trim"}
        (await wix.patch(SERVICE, json={"service": change})).raise_for_status()
    await settled(gateway.app)


async def test_a_service_update_is_seen_before_its_cache_entry_expires(gateway: Gateway) -> None:
    before = await _name(gateway)
    assert await _name(gateway) == before  # the second read is the cache's
    await _rename_on_the_sandbox(gateway)
    assert await _name(gateway) == "Express Trim"


async def test_without_the_event_the_cache_answers_until_its_ttl(gateway: Gateway) -> None:
    """The control: the same update with no webhook target leaves the cached name."""
    before = await _name(gateway)
    gateway.sandbox.webhooks.remove_local_target(gateway.app.state.sandbox_webhook_target)
    await _rename_on_the_sandbox(gateway)
    assert await _name(gateway) == before
