"""The sandbox serves a path parameter only when it is one segment; anything else is a 400 or
404 in Wix's envelope, never another handler and never a 5xx."""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit

import httpx
import pytest

from gateway.sandbox import seed
from tests.conftest import AUTH

FORM = f"/form-schema-service/v4/forms/{seed.FORM_YOGA}"

# Raw paths as sent: httpx would normalize a literal `..`, so those are percent-encoded.
BAD_PARAMETER = [
    ("GET", "/form-schema-service/v4/forms/%2e%2e", "formId"),
    ("GET", "/form-schema-service/v4/forms/%2E", "formId"),
    ("GET", "/v1/anonymous-bookings/%2e%2e/service", "token"),
    ("POST", "/v1/anonymous-bookings/%2e%2e/cancel", "token"),
    ("POST", "/_api/bookings-service/v2/bookings/%2e%2e/confirm", "bookingId"),
    ("GET", "/bookings/v2/services/a%25b", "serviceId"),  # a `%` once decoded
    ("GET", "/bookings/v2/services/a%3Fb", "serviceId"),
    ("GET", "/bookings/v2/services/a%23b", "serviceId"),
    ("GET", "/bookings/v2/services/%20", "serviceId"),
    ("GET", "/bookings/v2/services/a%0Ab", "serviceId"),
    ("GET", "/bookings/v2/services/a%00", "serviceId"),
]
# An encoded slash or backslash: routed as it decodes, `x%2Fservice` would reach Get Service
# Anonymously with the token `x`.
ENCODED_SEPARATOR = [
    ("GET", "/v1/anonymous-bookings/x%2Fservice"),
    ("GET", "/v1/anonymous-bookings/x%2fservice"),
    ("GET", "/bookings/v2/services/a%5Cb"),
    ("POST", "/_api/bookings-service/v2/bookings/x%2F..%2Fconfirm/cancel"),
]


def _violations(response: httpx.Response) -> list[str]:
    body = response.json()
    return [v["field"] for v in body["details"]["validationError"]["fieldViolations"]]


@pytest.mark.parametrize(("method", "path", "field"), BAD_PARAMETER)
async def test_a_parameter_that_is_not_one_segment_is_400(
    wix: httpx.AsyncClient, method: str, path: str, field: str
) -> None:
    response = await wix.request(method, path, json={} if method == "POST" else None)
    assert response.status_code == 400, response.text
    assert _violations(response) == [field]
    assert response.json()["message"].startswith("INVALID_ARGUMENT")


@pytest.mark.parametrize(("method", "path"), ENCODED_SEPARATOR)
async def test_an_encoded_separator_is_404(wix: httpx.AsyncClient, method: str, path: str) -> None:
    response = await wix.request(method, path, json={} if method == "POST" else None)
    assert response.status_code == 404, response.text
    assert response.json()["details"]["applicationError"]["code"] == "NOT_FOUND"


async def test_refusals_are_logged_against_their_route(wix: httpx.AsyncClient) -> None:
    """The refused request is in the request log, with the status the client got."""
    await wix.post("/_sandbox/reset")
    assert (await wix.get("/form-schema-service/v4/forms/%2e%2e")).status_code == 400
    log = (await wix.get("/_sandbox/requests")).json()
    assert log["countsByRoute"] == {"GET /form-schema-service/v4/forms/{formId}": 1}


async def test_a_valid_id_is_still_served(wix: httpx.AsyncClient) -> None:
    response = await wix.get(FORM)
    assert response.status_code == 200
    assert response.json()["form"]["id"] == seed.FORM_YOGA


async def _raw_status(base_url: str, path: str) -> int:
    """The status uvicorn's sandbox answers for `path` sent byte for byte (no normalization)."""
    url = urlsplit(base_url)
    reader, writer = await asyncio.open_connection(url.hostname, url.port)
    headers = "".join(f"{k}: {v}\r\n" for k, v in AUTH.items())
    request = f"GET {path} HTTP/1.1\r\nHost: sandbox\r\n{headers}Connection: close\r\n\r\n"
    writer.write(request.encode())
    await writer.drain()
    status_line = await reader.readline()
    writer.close()
    await writer.wait_closed()
    return int(status_line.split()[1])


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/form-schema-service/v4/forms/..", 400),
        ("/form-schema-service/v4/forms/.", 400),
        ("/form-schema-service/v4/forms/%2e%2e", 400),
        ("/v1/anonymous-bookings/../token", 400),
        ("/v1/anonymous-bookings/a%2Fb/service", 404),
        ("/form-schema-service/v4/forms/..%2F..%2F", 404),
        (f"/form-schema-service/v4/forms/{seed.FORM_YOGA}", 200),
    ],
)
async def test_over_http_literal_dots_are_refused_too(
    wix_http: httpx.AsyncClient, served_sandbox_url: str, path: str, status: int
) -> None:
    assert await _raw_status(served_sandbox_url, path) == status
