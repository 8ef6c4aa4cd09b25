"""Read-only checks against a real Wix site: the contract our paths and shapes rely on.

Run with `WIX_API_KEY` and `WIX_SITE_ID` set (an API key with Bookings and Forms read permissions);
nothing here writes to the site.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from typing import Any

import pytest

from gateway.clock import Clock
from gateway.config import Settings
from gateway.upstream import Upstream, WixClient

pytestmark = [
    pytest.mark.live,
    pytest.mark.skipif(
        not (os.environ.get("WIX_API_KEY") and os.environ.get("WIX_SITE_ID")),
        reason="set WIX_API_KEY and WIX_SITE_ID to run live checks",
    ),
]

DEFAULT_FORM_ID = "00000000-0000-0000-0000-000000000000"


@pytest.fixture
async def upstream() -> AsyncIterator[Upstream]:
    client = WixClient(Settings.from_env())
    yield Upstream(client)
    await client.aclose()


async def _services(upstream: Upstream, filter: dict[str, Any] | None = None) -> list[Any]:
    return list((await upstream.services.query_services(filter, limit=20))["services"])


async def test_services_query(upstream: Upstream) -> None:
    body = await upstream.services.query_services(limit=5)
    assert "pagingMetadata" in body
    for service in body["services"]:
        assert service["id"] and service["type"] in {"APPOINTMENT", "CLASS", "COURSE"}
        fetched = await upstream.services.get_service(service["id"])
        assert fetched["id"] == service["id"]


async def test_appointment_time_slots_in_the_site_time_zone(upstream: Upstream) -> None:
    time_zone = (await upstream.services.get_site_properties())["timeZone"]
    services = await _services(upstream, {"type": "APPOINTMENT"})
    if not services:
        pytest.skip("the site has no appointment services")
    start = Clock().local_now(time_zone)  # real time: real Wix lists from the real "now"
    body = await upstream.time_slots.list_availability(
        {
            "serviceId": services[0]["id"],
            "fromLocalDate": start.isoformat(),
            "toLocalDate": (start + timedelta(days=7)).isoformat(),
            "timeZone": time_zone,
            "cursorPaging": {"limit": 10},
        }
    )
    assert body["timeZone"] == time_zone
    for slot in body.get("timeSlots", []):
        assert slot["serviceId"] == services[0]["id"]
        local_start = datetime.fromisoformat(slot["localStartDate"])
        assert local_start.tzinfo is None and local_start >= start


async def test_booking_form_summary(upstream: Upstream) -> None:
    services = await _services(upstream)
    form_ids = {s.get("form", {}).get("id") for s in services} - {None, DEFAULT_FORM_ID}
    if not form_ids:
        pytest.skip("no service has its own booking form")
    form_id = sorted(form_ids)[0]
    summary = await upstream.forms.get_form_summary(form_id)
    assert summary["id"] == form_id
    assert all(field.get("target") for field in summary["fields"] if not field.get("deleted"))
