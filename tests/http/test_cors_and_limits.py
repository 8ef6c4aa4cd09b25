"""The CORS allowlist and the request body size limit."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest

from gateway.config import Settings
from gateway.sandbox import seed
from tests.graphql import Gateway, gateway
from tests.http import running, total_calls

__all__ = ["gateway"]

APP = "https://app.example.com"
OTHER = "https://evil.example.net"
YOGA = {"query": f'{{ service(id: "{seed.SERVICE_YOGA}") {{ name }} }}'}


def preflight(origin: str) -> dict[str, str]:
    return {
        "origin": origin,
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type, authorization, x-gateway-debug-upstream",
    }


@pytest.fixture
async def with_cors() -> AsyncIterator[Gateway]:
    settings = Settings(gc_freeze=False, cors_origins=f"{APP}, https://admin.example.com")
    async with running(settings) as gateway:
        yield gateway


async def test_an_allowed_origin_passes_the_preflight(with_cors: Gateway) -> None:
    response = await with_cors.http.options("/graphql", headers=preflight(APP))
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == APP
    assert "POST" in response.headers["access-control-allow-methods"]
    allowed = response.headers["access-control-allow-headers"].lower()
    assert {"content-type", "authorization", "x-gateway-debug-upstream"} <= set(
        allowed.replace(" ", "").split(",")
    )


async def test_an_allowed_origin_can_read_answers_and_the_request_id(with_cors: Gateway) -> None:
    response = await with_cors.http.post("/graphql", json=YOGA, headers={"origin": APP})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == APP
    assert "x-request-id" in response.headers["access-control-expose-headers"]


async def test_other_origins_get_no_cors_headers(with_cors: Gateway) -> None:
    refused = await with_cors.http.options("/graphql", headers=preflight(OTHER))
    assert refused.status_code == 400
    assert "access-control-allow-origin" not in refused.headers
    answer = await with_cors.http.post("/graphql", json=YOGA, headers={"origin": OTHER})
    assert "access-control-allow-origin" not in answer.headers


async def test_without_an_allowlist_no_origin_is_allowed(gateway: Gateway) -> None:
    response = await gateway.http.options("/graphql", headers=preflight(APP))
    assert response.status_code == 405
    assert "access-control-allow-origin" not in response.headers


async def test_rate_limited_answers_carry_cors_headers() -> None:
    settings = Settings(
        gc_freeze=False, cors_origins=APP, rate_limit_per_second=0.001, rate_limit_burst=1
    )
    async with running(settings) as gateway:
        assert (await gateway.http.post("/graphql", json=YOGA, headers={"origin": APP})).is_success
        limited = await gateway.http.post("/graphql", json=YOGA, headers={"origin": APP})
        assert limited.status_code == 429
        assert limited.headers["access-control-allow-origin"] == APP
        assert "retry-after" in limited.headers["access-control-expose-headers"]


# Body size -----------------------------------------------------------------------------------

LIMIT = 2_000


@pytest.fixture
async def small() -> AsyncIterator[Gateway]:
    async with running(Settings(gc_freeze=False, max_body_bytes=LIMIT)) as gateway:
        gateway.reset_calls()
        yield gateway


def padded(size: int) -> bytes:
    """A valid request body of exactly `size` bytes (the query padded with a comment)."""

    def body(padding: int) -> bytes:
        return json.dumps({"query": YOGA["query"] + " #" + "x" * padding}).encode()

    return body(size - len(body(0)))


async def test_a_body_at_the_limit_is_served(small: Gateway) -> None:
    response = await small.http.post(
        "/graphql", content=padded(LIMIT), headers={"content-type": "application/json"}
    )
    assert response.status_code == 200
    assert response.json() == {"data": {"service": {"name": "Vinyasa Yoga"}}}


async def test_a_declared_body_over_the_limit_is_413_before_any_call(small: Gateway) -> None:
    response = await small.http.post(
        "/graphql", content=padded(LIMIT + 1), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    error = response.json()["errors"][0]
    assert error["extensions"] == {"code": "REQUEST_TOO_LARGE", "maxBytes": LIMIT}
    assert total_calls(small) == 0


async def test_a_streamed_body_over_the_limit_is_413(small: Gateway) -> None:
    async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: chunked
        body = padded(3 * LIMIT)
        for start in range(0, len(body), 500):
            yield body[start : start + 500]

    response = await small.http.post(
        "/graphql", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "REQUEST_TOO_LARGE"
    assert total_calls(small) == 0


async def test_a_large_batch_is_held_to_the_same_limit(small: Gateway) -> None:
    response = await small.http.post("/graphql", json=[YOGA] * 10)
    assert response.status_code == 200, response.text
    too_large = await small.http.post("/graphql", json=[YOGA] * 30)
    assert too_large.status_code == 413
