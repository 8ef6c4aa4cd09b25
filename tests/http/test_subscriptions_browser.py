"""Subscriptions from browsers: which pages may open a WebSocket (browsers apply no CORS to
them), CORS for GraphQL over SSE, GraphiQL's subscription socket, and the settings."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest
from websockets.exceptions import InvalidStatus

from gateway.config import ConfigurationError, Settings
from tests.http.subscriptions import SSE, served, settings_for, socket, sse_all

APP = "https://app.example.com"
OTHER = "https://evil.example.net"


@pytest.fixture(scope="module")
def with_cors() -> Iterator[str]:
    with served(settings_for(cors_origins=f"{APP}, https://admin.example.com")) as url:
        yield url


@pytest.fixture(scope="module")
def without_cors() -> Iterator[str]:
    with served() as url:
        yield url


@pytest.mark.parametrize("origin", [APP, None], ids=["listed-origin", "no-origin"])
async def test_listed_origins_and_non_browser_clients_may_open_sockets(
    with_cors: str, origin: str | None
) -> None:
    async with socket(with_cors, origin=origin) as ws:
        assert await ws.run("{ hello }") == [{"data": {"hello": "world"}}]


@pytest.mark.parametrize("fixture", ["with_cors", "without_cors"])
async def test_a_page_on_another_origin_may_not_open_a_socket(
    fixture: str, request: pytest.FixtureRequest
) -> None:
    base = request.getfixturevalue(fixture)
    with pytest.raises(InvalidStatus) as refused:
        async with socket(base, origin=OTHER):
            pass
    assert refused.value.response.status_code == 403
    [error] = json.loads(refused.value.response.body or b"")["errors"]
    assert error["extensions"]["code"] == "ORIGIN_NOT_ALLOWED"


@pytest.mark.parametrize("fixture", ["with_cors", "without_cors"])
async def test_graphiql_opens_its_subscription_socket_on_the_same_path(
    fixture: str, request: pytest.FixtureRequest
) -> None:
    """The page GET /graphql serves derives its subscription URL from its own address (ws:// or
    wss:// for https), and a socket from that page's origin speaks graphql-transport-ws."""
    base = request.getfixturevalue(fixture)
    async with httpx.AsyncClient(base_url=base) as http:
        page = (await http.get("/graphql", headers={"accept": "text/html"})).text
    assert 'const fetchURL = window.location.href.split("?")[0];' in page
    assert 'parsedURL.protocol === "http:" ? "ws:" : "wss:"' in page
    assert "const subscriptionUrl = httpUrlToWebSockeUrl(fetchURL);" in page
    assert "subscriptionUrl," in page  # handed to GraphiQL.createFetcher
    async with socket(base, origin=base) as ws:  # what the page's graphql-ws client opens
        assert await ws.run("subscription { count(to: 1) }") == [{"data": {"count": 1}}]


async def test_sse_requests_pass_the_cors_preflight(with_cors: str) -> None:
    preflight = {
        "origin": APP,
        "access-control-request-method": "POST",
        "access-control-request-headers": "accept, content-type, authorization, last-event-id",
    }
    async with httpx.AsyncClient(base_url=with_cors) as http:
        response = await http.options("/graphql", headers=preflight)
        assert response.status_code == 200
        allowed = set(response.headers["access-control-allow-headers"].lower().split(", "))
        assert {"accept", "content-type", "authorization", "last-event-id"} <= allowed
        body = {"query": "subscription { count(to: 1) }"}
        headers = {**SSE, "origin": APP}
        async with http.stream("POST", "/graphql", json=body, headers=headers) as stream:
            assert stream.headers["access-control-allow-origin"] == APP
            assert await sse_all(stream) == [("next", {"data": {"count": 1}}), ("complete", None)]


def test_the_subscription_settings_come_from_the_environment() -> None:
    settings = Settings.from_env(
        {
            "GATEWAY_SUBSCRIPTION_MAX_CONNECTIONS": "50",
            "GATEWAY_SUBSCRIPTION_MAX_PER_CONNECTION": "5",
            "GATEWAY_SUBSCRIPTION_INIT_TIMEOUT_SECONDS": "2.5",
            "GATEWAY_SUBSCRIPTION_IDLE_SECONDS": "30",
            "GATEWAY_SUBSCRIPTION_KEEPALIVE_SECONDS": "5",
        }
    )
    assert settings.subscription_max_connections == 50
    assert settings.subscription_max_per_connection == 5
    assert settings.subscription_init_timeout == 2.5
    assert settings.subscription_idle_seconds == 30.0
    assert settings.subscription_keepalive_seconds == 5.0
    defaults = Settings()
    assert (defaults.subscription_max_connections, defaults.subscription_idle_seconds) == (
        1000,
        120.0,
    )


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("GATEWAY_SUBSCRIPTION_MAX_CONNECTIONS", "0"),
        ("GATEWAY_SUBSCRIPTION_MAX_PER_CONNECTION", "0"),
        ("GATEWAY_SUBSCRIPTION_INIT_TIMEOUT_SECONDS", "0"),
        ("GATEWAY_SUBSCRIPTION_IDLE_SECONDS", "-1"),
        ("GATEWAY_SUBSCRIPTION_KEEPALIVE_SECONDS", "0"),
        ("GATEWAY_CORS_ORIGINS", "app.example.com"),  # not an origin: no scheme
        ("GATEWAY_CORS_ORIGINS", "https://app.example.com/path"),
    ],
)
def test_bad_values_stop_the_start_naming_the_variable(variable: str, value: str) -> None:
    with pytest.raises(ConfigurationError, match=variable):
        Settings.from_env({variable: value})
