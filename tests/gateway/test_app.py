"""The gateway app over ASGI: health, readiness against the upstream, lifespan, settings."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator

import httpx
import pytest
from starlette.applications import Starlette

from gateway.app import GC_GEN0_THRESHOLD, create_app
from gateway.clock import Clock
from gateway.config import WIX_PUBLIC_BASE_URL, ConfigurationError, Settings
from gateway.sandbox.state import FaultRule, Sandbox

SITE_PROPERTIES = "/site-properties/v4/properties"


@pytest.fixture
def app(clock: Clock) -> Starlette:
    return create_app(Settings(gc_freeze=False), clock)


@pytest.fixture
async def gateway(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
        yield client


async def test_healthz_needs_no_upstream(app: Starlette, gateway: httpx.AsyncClient) -> None:
    app.state.sandbox.faults.append(FaultRule(path="*", status=503))
    response = await gateway.get("/healthz")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})
    assert app.state.sandbox.request_log()["total"] == 0


async def test_readyz_asks_the_embedded_sandbox(app: Starlette, gateway: httpx.AsyncClient) -> None:
    response = await gateway.get("/readyz")
    assert (response.status_code, response.json()) == (200, {"status": "ready"})
    sandbox: Sandbox = app.state.sandbox
    assert sandbox.request_log()["countsByRoute"] == {f"GET {SITE_PROPERTIES}": 1}


async def test_readyz_is_503_when_wix_is_down(app: Starlette, gateway: httpx.AsyncClient) -> None:
    app.state.sandbox.faults.append(FaultRule(path=SITE_PROPERTIES, status=503))
    response = await gateway.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "code": "UPSTREAM_UNAVAILABLE"}


async def test_graphql_is_served(gateway: httpx.AsyncClient) -> None:
    response = await gateway.post("/graphql", json={"query": "{ __typename }"})
    assert response.status_code == 200
    assert response.json()["data"] == {"__typename": "Query"}


async def test_standalone_sandbox_over_http(served_sandbox_url: str, clock: Clock) -> None:
    settings = Settings(
        wix_base_url=served_sandbox_url, wix_api_key="any", wix_site_id="any", gc_freeze=False
    )
    app = create_app(settings, clock)
    assert app.state.sandbox is None
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
        response = await client.get("/readyz")
    await app.state.wix_client.aclose()
    assert response.status_code == 200


async def test_lifespan_closes_the_upstream_client(app: Starlette) -> None:
    async with app.router.lifespan_context(app):
        assert not app.state.wix_client.is_closed
    assert app.state.wix_client.is_closed


async def test_start_up_freezes_the_garbage_collector(clock: Clock) -> None:
    app = create_app(Settings(gc_freeze=True), clock)
    before = gc.get_threshold()
    try:
        async with app.router.lifespan_context(app):
            assert gc.get_freeze_count() > 0
            assert gc.get_threshold()[0] == GC_GEN0_THRESHOLD
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


def test_settings_choose_the_upstream() -> None:
    embedded = Settings.from_env({})
    assert embedded.uses_embedded_sandbox and embedded.api_key
    real = Settings.from_env({"WIX_API_KEY": "k", "WIX_SITE_ID": "s"})
    assert real.upstream_mode == "wix"
    assert (real.base_url, real.api_key, real.site_id) == (WIX_PUBLIC_BASE_URL, "k", "s")
    standalone = Settings.from_env(
        {
            "GATEWAY_UPSTREAM": "wix",
            "WIX_API_KEY": "k",
            "WIX_SITE_ID": "s",
            "WIX_BASE_URL": "http://127.0.0.1:8081/",
        }
    )
    assert (standalone.uses_embedded_sandbox, standalone.base_url) == (
        False,
        "http://127.0.0.1:8081",
    )
    # The embedded sandbox may still mint visitor tokens for its demo OAuth client.
    assert Settings.from_env({"GATEWAY_UPSTREAM": "sandbox", "WIX_CLIENT_ID": "c"}).wix_client_id


@pytest.mark.parametrize(
    ("environ", "names"),
    [
        ({"GATEWAY_UPSTREAM": "wix"}, "WIX_API_KEY"),
        ({"GATEWAY_UPSTREAM": "wix", "WIX_API_KEY": "k"}, "WIX_SITE_ID"),
        # Any Wix variable means Wix: a forgotten key never falls back to the demo business.
        ({"WIX_SITE_ID": "s"}, "WIX_API_KEY"),
        ({"WIX_BASE_URL": "http://127.0.0.1:8081"}, "WIX_API_KEY"),
        ({"WIX_CLIENT_ID": "c"}, "WIX_API_KEY"),
        ({"GATEWAY_UPSTREAM": "sandbox", "WIX_API_KEY": "k"}, "WIX_API_KEY"),
        ({"GATEWAY_UPSTREAM": "staging"}, "GATEWAY_UPSTREAM"),
    ],
)
def test_a_configuration_that_would_not_reach_the_intended_upstream_is_refused(
    environ: dict[str, str], names: str
) -> None:
    with pytest.raises(ConfigurationError, match=names):
        Settings.from_env(environ)


def test_settings_parse_numbers_and_flags() -> None:
    settings = Settings.from_env(
        {"GATEWAY_PORT": "9000", "WIX_CALL_DEADLINE_SECONDS": "2.5", "GATEWAY_GC_FREEZE": "off"}
    )
    assert (settings.port, settings.call_deadline, settings.gc_freeze) == (9000, 2.5, False)
    with pytest.raises(ValueError, match="WIX_MAX_ATTEMPTS"):
        Settings.from_env({"WIX_MAX_ATTEMPTS": "many"})
    with pytest.raises(ValueError, match="WIX_MAX_ATTEMPTS"):
        Settings.from_env({"WIX_MAX_ATTEMPTS": "0"})


@pytest.mark.parametrize(
    ("variable", "refused", "accepted", "requirement"),
    [
        ("WIX_READ_TIMEOUT_SECONDS", "0", "0.01", "must be greater than 0"),
        ("GATEWAY_WORKERS", "0", "1", "must be at least 1"),
        ("GATEWAY_MAX_BODY_BYTES", "0", "1", "must be at least 1"),
        ("GATEWAY_CACHE_FORMS_SECONDS", "-1", "0", "must not be negative"),
    ],
)
def test_settings_refuse_numbers_out_of_bounds(
    variable: str, refused: str, accepted: str, requirement: str
) -> None:
    with pytest.raises(ValueError, match=f"^{variable} {requirement}$"):
        Settings.from_env({variable: refused})
    assert Settings.from_env({variable: accepted})
