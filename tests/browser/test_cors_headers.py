"""Which request headers a page on an allowed origin may send (no browser needed; the browser
side is `test_cors_apollo`): what common clients send, plus `GATEWAY_CORS_HEADERS`."""

from __future__ import annotations

import pytest

from gateway.config import ConfigurationError, Settings
from tests.http import running

APP = "https://app.example.com"
# What Apollo Client (client awareness, CSRF prevention) and OpenTelemetry's browser
# instrumentation send, besides JSON and a token.
COMMON = [
    "content-type",
    "authorization",
    "apollographql-client-name",
    "apollographql-client-version",
    "apollo-require-preflight",
    "x-apollo-operation-name",
    "traceparent",
    "tracestate",
    "baggage",
    "last-event-id",
]


def preflight(headers: list[str]) -> dict[str, str]:
    return {
        "origin": APP,
        "access-control-request-method": "POST",
        "access-control-request-headers": ", ".join(headers),
    }


async def test_what_common_clients_send_passes_the_preflight() -> None:
    async with running(Settings(gc_freeze=False, cors_origins=APP)) as gateway:
        response = await gateway.http.options("/graphql", headers=preflight(COMMON))
        refused = await gateway.http.options("/graphql", headers=preflight(["x-tenant-id"]))
    assert response.status_code == 200
    allowed = response.headers["access-control-allow-headers"].lower().replace(" ", "").split(",")
    assert set(COMMON) <= set(allowed)
    assert refused.status_code == 400


async def test_the_setting_adds_headers() -> None:
    settings = Settings.from_env(
        {"GATEWAY_CORS_ORIGINS": APP, "GATEWAY_CORS_HEADERS": " X-Tenant-Id, ,x-feature-flags "},
        gc_freeze=False,
    )
    assert settings.cors_header_list == ["x-tenant-id", "x-feature-flags"]
    async with running(settings) as gateway:
        response = await gateway.http.options(
            "/graphql", headers=preflight([*COMMON, "X-Tenant-Id", "x-feature-flags"])
        )
    assert response.status_code == 200
    allowed = response.headers["access-control-allow-headers"].lower()
    assert "x-tenant-id" in allowed and "x-feature-flags" in allowed


@pytest.mark.parametrize("entry", ["x tenant", "x-tenant:id", "x-tenant\\n", "*", "tenänt", "a(b)"])
def test_entries_that_are_not_header_names_stop_the_start(entry: str) -> None:
    with pytest.raises(ConfigurationError) as refused:
        Settings(cors_origins=APP, cors_headers=f"x-ok, {entry}")
    assert str(refused.value).startswith("GATEWAY_CORS_HEADERS: ")
    assert "is not a header name" in str(refused.value)


def test_header_names_may_use_every_token_character() -> None:
    names = "x-a_b.c, X~!#$%&'*+^`|9"
    assert Settings(cors_headers=names).cors_header_list == ["x-a_b.c", "x~!#$%&'*+^`|9"]
