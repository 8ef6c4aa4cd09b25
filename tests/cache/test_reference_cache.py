"""Reference data (services, policies, site properties, forms) is read from Wix once per TTL and
caller; availability only when configured; bookings and the slot re-check never."""

from __future__ import annotations

from collections import Counter

import pytest

from gateway.config import Settings
from gateway.sandbox import seed
from gateway.upstream import Upstream, UpstreamError
from tests.graphql import Gateway, create_bookings, next_weekday
from tests.protection import gateway_app, graphql

SERVICE_PAGE = f"""{{
  service(id: "{seed.SERVICE_MASSAGE}") {{ name form {{ fields {{ target }} }} }}
  services(first: 3) {{ nodes {{ id }} }}
}}"""
HAIRCUT_SLOTS = f"""{{
  timeSlots(serviceId: "{seed.SERVICE_HAIRCUT}", first: 20) {{
    nodes {{ localStart localEnd bookable }}
  }}
}}"""


def upstream_of(gateway: Gateway, authorization: str | None = None) -> Upstream:
    return Upstream(gateway.app.state.wix_client, authorization)


async def read_reference_data(upstream: Upstream) -> list[object]:
    return [
        await upstream.services.get_service(seed.SERVICE_MASSAGE),
        await upstream.services.query_services({"type": "CLASS"}),
        await upstream.services.get_booking_policy(seed.POLICY_STRICT),
        await upstream.services.get_site_properties(),
        await upstream.forms.get_form(seed.FORM_MASSAGE),
        await upstream.forms.get_form_summary(seed.FORM_MASSAGE),
    ]


async def test_each_reference_read_reaches_wix_once_within_its_ttl() -> None:
    async with gateway_app() as gateway:
        first = await read_reference_data(upstream_of(gateway))
        again = await read_reference_data(upstream_of(gateway))
        assert again == first
        calls = gateway.calls()
        assert sum(calls.values()) == 6 and set(calls.values()) == {1}, calls


async def test_a_repeated_page_makes_no_upstream_call_for_reference_data() -> None:
    async with gateway_app() as gateway:
        first = (await graphql(gateway, SERVICE_PAGE)).json()
        calls_before = sum(gateway.calls().values())
        assert calls_before > 0
        again = (await graphql(gateway, SERVICE_PAGE)).json()
        assert again == first and "errors" not in first
        assert sum(gateway.calls().values()) == calls_before


async def test_responses_are_cached_per_caller() -> None:
    async with gateway_app() as gateway:
        for authorization in (None, "visitor-a", "visitor-b", "visitor-a", None):
            await upstream_of(gateway, authorization).services.get_service(seed.SERVICE_MASSAGE)
        assert gateway.calls() == {"GET /bookings/v2/services/{serviceId}": 3}


async def test_a_kind_with_ttl_0_is_not_cached_and_errors_never_are() -> None:
    async with gateway_app(cache_services_seconds=0) as gateway:
        for _ in range(2):
            await upstream_of(gateway).services.get_service(seed.SERVICE_MASSAGE)
            with pytest.raises(UpstreamError):
                await upstream_of(gateway).forms.get_form("no-such-form")
        assert gateway.calls() == {
            "GET /bookings/v2/services/{serviceId}": 2,
            "GET /form-schema-service/v4/forms/{formId}": 2,
        }


async def test_bookings_are_never_cached() -> None:
    query = "{ bookings(first: 10) { nodes { id status } } bookingsCount }"
    async with gateway_app(cache_availability_seconds=5) as gateway:
        await create_bookings(upstream_of(gateway), 3, next_weekday(0))
        gateway.reset_calls()
        first = (await graphql(gateway, query)).json()
        await upstream_of(gateway).bookings_writer.cancel_booking(
            first["data"]["bookings"]["nodes"][0]["id"], {"revision": "1"}
        )
        again = (await graphql(gateway, query)).json()
        calls = gateway.calls()
    assert calls["POST /_api/bookings-reader/v2/extended-bookings/query"] == 2
    assert calls["POST /_api/bookings-reader/v2/extended-bookings/count"] == 2
    statuses = Counter(n["status"] for n in again["data"]["bookings"]["nodes"])
    assert statuses["CANCELED"] == 1


async def test_availability_is_not_cached_by_default() -> None:
    async with gateway_app() as gateway:
        for _ in range(2):
            assert "errors" not in (await graphql(gateway, HAIRCUT_SLOTS)).json()
        assert gateway.calls()["POST /_api/service-availability/v2/time-slots"] == 2


async def test_availability_lists_are_cached_when_configured_but_the_slot_recheck_is_not() -> None:
    async with gateway_app(cache_availability_seconds=5) as gateway:
        slots = (await graphql(gateway, HAIRCUT_SLOTS)).json()["data"]["timeSlots"]["nodes"]
        await graphql(gateway, HAIRCUT_SLOTS)
        # The frozen clock's Monday 09:00: the first hour's slots are too late to book (60 min).
        slot = next(slot for slot in slots if slot["bookable"])
        recheck = f"""{{ timeSlot(serviceId: "{seed.SERVICE_HAIRCUT}",
            localStart: "{slot["localStart"]}", localEnd: "{slot["localEnd"]}") {{ bookable }} }}"""
        for _ in range(2):
            assert (await graphql(gateway, recheck)).json()["data"]["timeSlot"]["bookable"]
        calls = gateway.calls()
    assert calls["POST /_api/service-availability/v2/time-slots"] == 1
    assert calls["POST /_api/service-availability/v2/time-slots/get"] == 2


def test_availability_may_be_cached_for_a_few_seconds_only() -> None:
    with pytest.raises(ValueError, match="GATEWAY_CACHE_AVAILABILITY_SECONDS"):
        Settings(cache_availability_seconds=30)


async def test_readiness_always_asks_wix() -> None:
    async with gateway_app() as gateway:
        await upstream_of(gateway).services.get_site_properties()
        for _ in range(2):
            assert (await gateway.http.get("/readyz")).status_code == 200
        assert gateway.calls() == {"GET /site-properties/v4/properties": 3}


async def test_replicas_share_the_cache_in_redis(redis_url: str) -> None:
    async with (
        gateway_app(redis_url=redis_url) as first,
        gateway_app(redis_url=redis_url) as second,
    ):
        caller = f"caller-{id(first)}"  # fresh entries for this test
        body = await upstream_of(first, caller).services.get_service(seed.SERVICE_YOGA)
        assert await upstream_of(second, caller).services.get_service(seed.SERVICE_YOGA) == body
        assert first.calls() == {"GET /bookings/v2/services/{serviceId}": 1}
        assert second.calls() == {}
