"""The upstream client as Wix sees it (headers, number of calls) and as the gateway sees it (codes).

Calls are counted in the sandbox's request log; a few wire details the sandbox does not expose
(headers sent, an upstream that echoes secrets, refused connections) use an httpx mock transport.
"""

from __future__ import annotations

import functools
import inspect
import logging
import math
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest

from gateway.config import Settings
from gateway.sandbox import seed
from gateway.sandbox.app import build_sandbox_app
from gateway.sandbox.state import FaultRule, Sandbox
from gateway.upstream import Upstream, UpstreamError, WixClient
from tests.servers import free_port

SERVICE_PATH = f"/bookings/v2/services/{seed.SERVICE_MASSAGE}"
GET_SERVICE = "GET /bookings/v2/services/{serviceId}"
QUERY_SERVICES = "POST /bookings/v2/services/query"
CREATE_BOOKING = "POST /_api/bookings-service/v2/bookings"


def sandbox_client(sandbox: Sandbox, **overrides: Any) -> WixClient:
    settings = Settings(**{"backoff_base": 0.01, **overrides})
    return WixClient(settings, transport=httpx.ASGITransport(app=build_sandbox_app(sandbox)))


def calls(sandbox: Sandbox, route: str) -> int:
    return int(sandbox.request_log()["countsByRoute"].get(route, 0))


@pytest.fixture
async def upstream(sandbox: Sandbox) -> AsyncIterator[Upstream]:
    client = sandbox_client(sandbox)
    yield Upstream(client)
    await client.aclose()


class Recorder:
    """A mock Wix: answers from a list of responses (or exceptions), recording each request."""

    def __init__(self, *answers: httpx.Response | Exception) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        return answer

    def client(self, **overrides: Any) -> WixClient:
        settings = Settings(
            **{"wix_api_key": "key-123", "wix_site_id": "site-1", "backoff_base": 0.01, **overrides}
        )
        return WixClient(settings, transport=httpx.MockTransport(self))


async def raises(call: Callable[[], Any]) -> UpstreamError:
    with pytest.raises(UpstreamError) as caught:
        await call()
    return caught.value


# -- retries ------------------------------------------------------------------------------------


async def test_503_on_a_get_is_retried_and_succeeds(sandbox: Sandbox, upstream: Upstream) -> None:
    sandbox.faults.append(FaultRule(path=SERVICE_PATH, status=503, times=1))
    service = await upstream.services.get_service(seed.SERVICE_MASSAGE)
    assert service["id"] == seed.SERVICE_MASSAGE
    assert calls(sandbox, GET_SERVICE) == 2


async def test_503_on_a_post_query_is_retried(sandbox: Sandbox, upstream: Upstream) -> None:
    sandbox.faults.append(FaultRule(path="/bookings/v2/services/query", status=503, times=1))
    body = await upstream.services.query_services({"type": "CLASS"})
    assert [s["id"] for s in body["services"]] == [seed.SERVICE_YOGA]
    assert calls(sandbox, QUERY_SERVICES) == 2


async def test_503_on_a_write_is_a_typed_error_after_one_call(
    sandbox: Sandbox, upstream: Upstream
) -> None:
    sandbox.faults.append(FaultRule(path="/_api/bookings-service/v2/bookings", status=503))
    booking = {"bookedEntity": {"slot": {"serviceId": seed.SERVICE_HAIRCUT}}}
    error = await raises(lambda: upstream.bookings_writer.create_booking({"booking": booking}))
    assert (error.code, error.http_status) == ("UPSTREAM_UNAVAILABLE", 503)
    assert calls(sandbox, CREATE_BOOKING) == 1


async def test_reads_give_up_after_max_attempts(sandbox: Sandbox) -> None:
    sandbox.faults.append(FaultRule(path=SERVICE_PATH, status=502))
    client = sandbox_client(sandbox, max_attempts=4)
    error = await raises(lambda: Upstream(client).services.get_service(seed.SERVICE_MASSAGE))
    assert (error.code, error.http_status) == ("UPSTREAM_UNAVAILABLE", 502)
    assert calls(sandbox, GET_SERVICE) == 4


async def test_500_is_not_retried(sandbox: Sandbox, upstream: Upstream) -> None:
    sandbox.faults.append(FaultRule(path=SERVICE_PATH, status=500))
    error = await raises(lambda: upstream.services.get_service(seed.SERVICE_MASSAGE))
    assert error.code == "UPSTREAM_UNAVAILABLE"
    assert calls(sandbox, GET_SERVICE) == 1


async def test_429_waits_for_retry_after(sandbox: Sandbox, upstream: Upstream) -> None:
    sandbox.faults.append(FaultRule(path=SERVICE_PATH, status=429, times=1))  # Retry-After: 1
    started = time.monotonic()
    await upstream.services.get_service(seed.SERVICE_MASSAGE)
    assert time.monotonic() - started >= 0.95
    assert calls(sandbox, GET_SERVICE) == 2


async def test_retry_after_is_capped() -> None:
    wix = Recorder(
        httpx.Response(429, headers={"retry-after": "120"}),
        httpx.Response(200, json={"service": {"id": "s1"}}),
    )
    client = wix.client(retry_after_cap=0.05)
    started = time.monotonic()
    assert await Upstream(client).services.get_service("s1") == {"id": "s1"}
    assert time.monotonic() - started < 1
    assert len(wix.requests) == 2


async def test_retry_after_beyond_the_deadline_returns_the_error_at_once() -> None:
    wix = Recorder(httpx.Response(429, headers={"retry-after": "3"}))
    client = wix.client(call_deadline=2, retry_after_cap=10)
    started = time.monotonic()
    error = await raises(lambda: Upstream(client).services.get_service("s1"))
    assert error.code == "RATE_LIMITED"
    assert time.monotonic() - started < 1
    assert len(wix.requests) == 1


async def test_connection_errors_retry_reads_but_not_writes() -> None:
    refused = httpx.ConnectError("connection refused")
    wix = Recorder(refused, httpx.Response(200, json={"properties": {"timeZone": "UTC"}}))
    upstream = Upstream(wix.client())
    assert await upstream.services.get_site_properties() == {"timeZone": "UTC"}
    assert len(wix.requests) == 2

    wix = Recorder(refused, httpx.Response(200, json={"booking": {}}))
    upstream = Upstream(wix.client())
    error = await raises(lambda: upstream.bookings_writer.cancel_booking("b1", {"revision": "1"}))
    assert (error.code, error.http_status) == ("UPSTREAM_UNAVAILABLE", None)
    assert len(wix.requests) == 1


async def test_nothing_listening_is_upstream_unavailable() -> None:
    settings = Settings(
        wix_api_key="key",
        wix_site_id="site-1",
        wix_base_url=f"http://127.0.0.1:{free_port()}",
        backoff_base=0.01,
    )
    client = WixClient(settings)
    error = await raises(lambda: Upstream(client).services.get_site_properties())
    await client.aclose()
    assert error.code == "UPSTREAM_UNAVAILABLE"
    assert "127.0.0.1" not in error.message


# -- deadline -------------------------------------------------------------------------------------


async def test_hanging_upstream_is_upstream_timeout_within_the_deadline(sandbox: Sandbox) -> None:
    sandbox.faults.append(FaultRule(path=SERVICE_PATH, latency_ms=5000))
    client = sandbox_client(sandbox, call_deadline=0.3)
    started = time.monotonic()
    error = await raises(lambda: Upstream(client).services.get_service(seed.SERVICE_MASSAGE))
    assert error.code == "UPSTREAM_TIMEOUT"
    assert error.http_status is None
    assert time.monotonic() - started < 0.3 + 1


async def test_deadline_covers_retries_of_a_slow_failing_upstream(sandbox: Sandbox) -> None:
    sandbox.faults.append(FaultRule(path=SERVICE_PATH, latency_ms=250, status=503))
    client = sandbox_client(sandbox, call_deadline=0.6, max_attempts=10)
    started = time.monotonic()
    error = await raises(lambda: Upstream(client).services.get_service(seed.SERVICE_MASSAGE))
    assert error.code in {"UPSTREAM_TIMEOUT", "UPSTREAM_UNAVAILABLE"}
    assert time.monotonic() - started < 0.6 + 1
    assert calls(sandbox, GET_SERVICE) < 10


# -- error mapping --------------------------------------------------------------------------------


async def test_wix_application_code_is_kept(upstream: Upstream) -> None:
    error = await raises(lambda: upstream.services.get_service("no-such-service"))
    assert error.code == "SERVICE_NOT_FOUND"
    assert error.extensions["httpStatus"] == 404
    assert error.extensions["requestId"]
    assert error.extensions["wixMessage"] == "Service no-such-service not found"
    assert error.extensions["data"] == {"id": "no-such-service"}


async def test_validation_error_is_bad_user_input_with_field_violations(upstream: Upstream) -> None:
    error = await raises(lambda: upstream.services.query_services(limit=1000))
    assert (error.code, error.http_status) == ("BAD_USER_INPUT", 400)
    [violation] = error.extensions["fieldViolations"]
    assert violation["field"] == "query.paging.limit"


@pytest.mark.parametrize(
    ("status", "code"),
    [
        (400, "BAD_USER_INPUT"),
        (401, "UNAUTHENTICATED"),
        (403, "FORBIDDEN"),
        (404, "NOT_FOUND"),
        (429, "RATE_LIMITED"),
        (500, "UPSTREAM_UNAVAILABLE"),
        (504, "UPSTREAM_UNAVAILABLE"),
    ],
)
async def test_status_without_a_specific_code(sandbox: Sandbox, status: int, code: str) -> None:
    """The sandbox sends these like Wix: a generic status name in the envelope, or no body."""
    sandbox.faults.append(FaultRule(path=SERVICE_PATH, status=status))
    client = sandbox_client(sandbox, max_attempts=1)
    error = await raises(lambda: Upstream(client).services.get_service(seed.SERVICE_MASSAGE))
    assert (error.code, error.http_status) == (code, status)
    assert error.extensions["requestId"]


async def test_body_that_is_not_json_is_upstream_unavailable() -> None:
    wix = Recorder(httpx.Response(200, text="<html>maintenance</html>"))
    error = await raises(lambda: Upstream(wix.client()).services.get_site_properties())
    assert (error.code, error.http_status) == ("UPSTREAM_UNAVAILABLE", 200)


async def test_json_that_orjson_refuses_is_still_read() -> None:
    wix = Recorder(httpx.Response(200, content=b'{"properties": {"timeZone": "UTC", "x": NaN}}'))
    properties = await Upstream(wix.client()).services.get_site_properties()
    assert properties["timeZone"] == "UTC"
    assert math.isnan(properties["x"])


async def test_an_empty_success_body_is_an_empty_object() -> None:
    wix = Recorder(httpx.Response(200, content=b" "))
    assert await Upstream(wix.client()).bookings_writer.create_booking({}) == {}


# -- credentials ----------------------------------------------------------------------------------


async def test_api_key_and_site_id_are_sent() -> None:
    wix = Recorder(httpx.Response(200, json={"properties": {}}))
    await Upstream(wix.client(wix_site_id="site-9")).services.get_site_properties()
    [request] = wix.requests
    assert request.url == "https://www.wixapis.com/site-properties/v4/properties"
    assert request.headers["authorization"] == "key-123"
    assert request.headers["wix-site-id"] == "site-9"


async def test_a_base_url_with_a_path_keeps_it() -> None:
    wix = Recorder(httpx.Response(200, json={"service": {"id": "s-1"}}))
    client = wix.client(wix_base_url="http://wix.test/prefix/")
    await Upstream(client).services.get_service("s-1")
    await Upstream(client).services.get_service("s-1")
    assert [str(r.url) for r in wix.requests] == 2 * [
        "http://wix.test/prefix/bookings/v2/services/s-1"
    ]


async def test_cookies_set_by_wix_are_never_sent_again() -> None:
    """One client serves every caller: a cookie kept for one would travel with the others."""
    wix = Recorder(httpx.Response(200, json={"properties": {}}, headers={"set-cookie": "s=1"}))
    client = wix.client()
    await Upstream(client, "member-token").services.get_site_properties()
    await Upstream(client).services.get_site_properties()
    assert [r.headers.get("cookie") for r in wix.requests] == [None, None]


async def test_forwarded_authorization_wins_over_the_key() -> None:
    wix = Recorder(httpx.Response(200, json={"properties": {}}))
    client = wix.client(wix_site_id="site-9")
    await Upstream(client, "visitor-token").services.get_site_properties()
    [request] = wix.requests
    assert request.headers["authorization"] == "visitor-token"
    assert "wix-site-id" not in request.headers


async def test_embedded_sandbox_needs_no_key(upstream: Upstream) -> None:
    properties = await upstream.services.get_site_properties()
    assert properties["timeZone"] == seed.TIME_ZONE


def _echo(request: httpx.Request) -> httpx.Response:
    """An upstream that repeats the request's credentials and URL in its error."""
    echoed = f"{request.headers.get('authorization')} {request.url}"
    details = {"applicationError": {"code": "ECHO", "description": echoed, "data": {"e": echoed}}}
    return httpx.Response(404, json={"message": echoed, "details": details})


@pytest.mark.parametrize("caller", [None, "member-token-abc"])
async def test_no_secret_reaches_errors_or_logs(
    caller: str | None, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="gateway.upstream")
    settings = Settings(wix_api_key="key-123", wix_site_id="site-9")
    client = WixClient(settings, transport=httpx.MockTransport(_echo))
    writer = Upstream(client, caller).bookings_writer
    token = "anon-token-xyz"
    for call in (
        lambda: writer.get_booking_anonymously(token),
        lambda: writer.cancel_booking_anonymously(token, {}),
    ):
        error = await raises(call)
        assert error.code == "ECHO"
        exposed = f"{error} {error.message} {error.extensions} {caplog.text}"
        assert "/v1/anonymous-bookings/" in exposed
        for secret in ("key-123", token, caller or "key-123"):
            assert secret not in exposed


# -- paths ----------------------------------------------------------------------------------------


def _api_calls(upstream: Upstream) -> list[tuple[str, Callable[[], Any]]]:
    """Every public method of every API, with placeholder arguments chosen by parameter name."""

    def argument(name: str) -> Any:
        if name.endswith("_ids"):
            return ["unknown-id"]
        if name.endswith("_id") or name == "token":
            return "unknown-id"
        return {}  # body, query

    calls: list[tuple[str, Callable[[], Any]]] = []
    for api_name in Upstream.__slots__:
        api = getattr(upstream, api_name)
        for name, method in inspect.getmembers(api, inspect.iscoroutinefunction):
            if name.startswith("_"):
                continue
            parameters = inspect.signature(method).parameters.values()
            args = [argument(p.name) for p in parameters if p.default is inspect.Parameter.empty]
            calls.append((f"{api_name}.{name}", functools.partial(method, *args)))
    return calls


async def test_every_api_method_reaches_a_method_the_sandbox_serves(
    sandbox: Sandbox, upstream: Upstream
) -> None:
    """The sandbox logs only requests that matched one of its Wix routes (unknown paths 404)."""
    unserved = []
    for name, call in _api_calls(upstream):
        before = sandbox.request_log()["total"]
        try:
            await call()
        except UpstreamError:
            pass  # placeholder ids are unknown; what matters is that the route matched
        if sandbox.request_log()["total"] != before + 1:
            unserved.append(name)
    assert unserved == []
