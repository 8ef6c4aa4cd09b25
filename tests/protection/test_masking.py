"""A bug in the gateway reaches the client as "Internal server error" and a request id; the log
has the traceback under the same id. Errors clients caused pass through unchanged."""

from __future__ import annotations

import logging

import httpx
import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.routing import Route

from gateway.graphql.loaders import Loaders
from gateway.observability.middleware import ObservabilityMiddleware
from gateway.upstream.services import ServicesApi
from tests.protection import gateway_app, graphql

SECRET = "secret detail of the bug"


async def _broken(*args: object, **kwargs: object) -> None:
    raise RuntimeError(SECRET)


async def test_an_unexpected_exception_is_masked_and_logged_with_the_request_id(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(ServicesApi, "query_services", _broken)
    caplog.set_level(logging.INFO)
    async with gateway_app() as gateway:
        response = await graphql(
            gateway, "{ services { nodes { id } } }", headers={"x-request-id": "req-42"}
        )
    body = response.json()
    assert body["data"] is None
    [error] = body["errors"]
    assert error["message"] == "Internal server error"
    assert error["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "requestId": "req-42"}
    assert error["path"] == ["services"]
    assert SECRET not in response.text and "Traceback" not in response.text
    assert response.headers["x-request-id"] == "req-42"

    [logged] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert "req-42" in logged.getMessage()
    assert logged.exc_info is not None and str(logged.exc_info[1]) == SECRET


async def test_expected_errors_keep_their_message_and_code() -> None:
    async with gateway_app() as gateway:
        body = (await graphql(gateway, "{ bookings(first: 0) { nodes { id } } }")).json()
    [error] = body["errors"]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "argument": "first"}
    assert error["message"] != "Internal server error"


async def test_a_crash_outside_graphql_is_a_json_500_with_the_request_id(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken_init(self: Loaders, *args: object, **kwargs: object) -> None:
        raise RuntimeError(SECRET)

    monkeypatch.setattr(Loaders, "__init__", broken_init)
    async with gateway_app() as gateway:
        response = await graphql(gateway, "{ __typename }")
    assert response.status_code == 500
    request_id = response.headers["x-request-id"]
    assert response.json() == {
        "errors": [
            {
                "message": "Internal server error",
                "extensions": {"code": "INTERNAL_SERVER_ERROR", "requestId": request_id},
            }
        ]
    }
    assert any(r.exc_info and str(r.exc_info[1]) == SECRET for r in caplog.records)


async def test_the_middleware_alone_turns_a_crash_into_a_json_500() -> None:
    async def crash(request: Request) -> None:
        raise ZeroDivisionError(SECRET)

    app = Starlette(routes=[Route("/", crash)], middleware=[Middleware(ObservabilityMiddleware)])
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://app") as client:
        response = await client.get("/")
    assert response.status_code == 500
    assert (
        response.json()["errors"][0]["extensions"]["requestId"]
        == (response.headers["x-request-id"])
    )
    assert SECRET not in response.text
