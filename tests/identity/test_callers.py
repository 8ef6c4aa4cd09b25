"""What each kind of caller sends to Wix, seen from Wix's side (a recording upstream)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from gateway.clock import Clock
from gateway.config import Settings
from gateway.identity.callers import AdminKeys
from tests.graphql import open_gateway
from tests.servers import serve

API_KEY = "the-wix-api-key"
ADMIN_KEYS = "first-admin-secret,second-admin-secret"
SERVICES = "{ services { nodes { id } } }"


def wix_settings(url: str, **extra: Any) -> Settings:
    """`wix` mode against `url`, with this module's API key and admin keys."""
    values: dict[str, Any] = {
        "upstream": "wix",
        "wix_base_url": url,
        "wix_api_key": API_KEY,
        "wix_site_id": "site-1",
        "admin_keys": ADMIN_KEYS,
        "gc_freeze": False,
    }
    return Settings(**(values | extra))


@pytest.fixture
def recording_wix() -> Iterator[tuple[str, list[str | None]]]:
    """A Wix stand-in that answers Query Services and records each call's Authorization."""
    seen: list[str | None] = []

    async def query_services(request: Request) -> JSONResponse:
        seen.append(request.headers.get("authorization"))
        return JSONResponse({"services": [], "pagingMetadata": {"count": 0, "total": 0}})

    app = Starlette(routes=[Route("/bookings/v2/services/query", query_services, methods=["POST"])])
    with serve(app) as url:
        yield url, seen


@pytest.mark.parametrize(
    ("authorization", "sent"),
    [
        ("Bearer second-admin-secret", API_KEY),  # an admin: the API key, never the admin key
        ("bearer first-admin-secret", API_KEY),
        ("Bearer not-an-admin-secret", "Bearer not-an-admin-secret"),  # forwarded unchanged
        ("member-token-123", "member-token-123"),
        (None, API_KEY),  # anonymous, no client id: the API key (visitor-safe fields only)
    ],
)
async def test_each_caller_reaches_wix_with_the_right_authorization(
    recording_wix: tuple[str, list[str | None]],
    clock: Clock,
    authorization: str | None,
    sent: str,
) -> None:
    url, seen = recording_wix
    settings = wix_settings(url)
    async with open_gateway(settings, clock) as gateway:
        headers = {"authorization": authorization} if authorization else {}
        response = await gateway.send(SERVICES, anonymous=True, headers=headers)
    assert "errors" not in response.json(), response.text
    assert seen == [sent]


def test_admin_keys_match_whole_keys_only() -> None:
    keys = AdminKeys(["k1-secret", "k2-secret"])
    assert keys.match("Bearer k2-secret") == b"k2-secret"
    for other in (
        "Bearer k2-secre",
        "Bearer k2-secretX",
        "k2-secret",
        "Basic k2-secret",
        "Bearer ",
    ):
        assert keys.match(other) is None
    assert AdminKeys([]).match("Bearer ") is None


async def test_a_lost_token_endpoint_is_a_coded_503(
    clock: Clock, recording_wix: tuple[str, list[str | None]]
) -> None:
    """Wix's token endpoint is missing (404 on the stand-in, then retried reads give up): the
    anonymous caller gets a coded error, not a 500, and nothing runs."""
    url, seen = recording_wix
    settings = wix_settings(url, wix_client_id="client-1", admin_keys="")
    async with open_gateway(settings, clock) as gateway:
        response = await gateway.send(SERVICES, anonymous=True)
    assert response.status_code == 503
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "UPSTREAM_UNAVAILABLE"
    assert "visitor session" in error["message"]
    assert seen == []


async def test_the_admin_key_is_not_forwarded_even_with_a_client_id(
    recording_wix: tuple[str, list[str | None]], clock: Clock
) -> None:
    url, seen = recording_wix
    settings = wix_settings(url, wix_client_id="client-1")
    async with open_gateway(settings, clock) as gateway:
        response = await gateway.http.post(
            "/graphql",
            json={"query": SERVICES},
            headers={"authorization": "Bearer first-admin-secret"},
        )
    assert response.status_code == 200 and seen == [API_KEY]
