"""No credential in any log line: anonymous-link tokens (in the query text, in variables, in
GET query strings), the caller's `Authorization` and the gateway's API key, at DEBUG level,
for what the served process prints and for every record logged in process."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import httpx
import pytest

from gateway.observability.access_log import mask_target
from tests.protection import gateway_app
from tests.served import served_gateway

API_KEY = "apikey-Q7f3-never-logged"
AUTHORIZATION = "authz-K2p9-never-logged"
TOKENS = [f"anontoken-{n}-Zx9secretvalue" for n in range(4)]
LITERAL = '{{ anonymousBooking(token: "{token}") {{ booking {{ id }} }} }}'
WITH_VARIABLE = "query Anon($t: String!) { anonymousBooking(token: $t) { booking { id } } }"
SECRETS = [API_KEY, AUTHORIZATION, *TOKENS]
CLIENT_REQUEST = "HTTP Request: GET http://gateway/graphql?"


def _requests() -> Iterator[tuple[str, dict[str, object]]]:
    """(method, httpx keyword arguments): each token once in query text, once in variables,
    over GET and POST; the caller's Authorization on half of them."""
    auth = {"authorization": AUTHORIZATION, "accept": "application/json"}
    yield "GET", {"params": {"query": LITERAL.format(token=TOKENS[0])}, "headers": auth}
    variables = json.dumps({"t": TOKENS[1]})
    extensions = json.dumps({"note": TOKENS[1]})
    yield "GET", {"params": {"query": WITH_VARIABLE, "variables": variables, "token": TOKENS[1],
                             "extensions": extensions}}  # fmt: skip
    yield "POST", {"json": {"query": LITERAL.format(token=TOKENS[2])}, "headers": auth}
    yield "POST", {"json": {"query": WITH_VARIABLE, "variables": {"t": TOKENS[3]}}}


def _assert_no_secret(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text, f"{secret!r} was logged:\n{text}"


@pytest.mark.parametrize("log_format", ["text", "json"])
def test_the_served_process_prints_no_secret(log_format: str) -> None:
    env = {"WIX_API_KEY": API_KEY, "WIX_SITE_ID": "site-1", "GATEWAY_LOG_FORMAT": log_format}
    # The API key makes the gateway call Wix, so point it at a port nobody listens on: the
    # calls fail (logged as warnings), which is one more path the key must not take to a log.
    env["WIX_BASE_URL"] = "http://127.0.0.1:9"
    env["WIX_MAX_ATTEMPTS"] = "1"
    with served_gateway("--log-level", "debug", env=env) as served:
        with httpx.Client(base_url=served.base, timeout=30) as client:
            for method, arguments in _requests():
                response = client.request(method, "/graphql", **arguments)  # type: ignore[arg-type]
                assert response.status_code == 200, response.text
    output = served.output()
    assert output.count("GET /graphql?query=***") == 2, output  # the access log saw them
    _assert_no_secret(output)


async def test_no_record_logged_in_process_holds_a_secret(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Every record of every logger (httpx's request lines, the gateway's upstream calls and
    GraphQL errors), with the embedded sandbox answering the token calls (401: unknown)."""
    caplog.set_level(logging.DEBUG)
    async with gateway_app() as gateway:
        for method, arguments in _requests():
            response = await gateway.http.request(method, "/graphql", **arguments)  # type: ignore[arg-type]
            assert response.status_code == 200, response.text
            assert response.json()["data"] == {"anonymousBooking": None}
    # The test's own client logs its request URLs (httpx): those lines are not the gateway's.
    records = [r for r in caplog.records if CLIENT_REQUEST not in r.getMessage()]
    assert any("anonymous-bookings" in r.getMessage() for r in records)  # the upstream calls
    _assert_no_secret("\n".join(f"{r.getMessage()} {r.__dict__}" for r in records))


def test_access_log_targets_keep_parameter_names_only() -> None:
    target = f"/graphql?query=%7B+a+%7D&variables=%7B%22t%22%3A+%22{TOKENS[0]}%22%7D&{TOKENS[1]}"
    assert mask_target(target) == "/graphql?query=***&variables=***&***"
    assert mask_target("/healthz") == "/healthz"
