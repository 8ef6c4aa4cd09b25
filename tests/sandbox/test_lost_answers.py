"""Lost answers: fault rules `when: "after"` (the handler's write commits, then the answer is
delayed, replaced by a status or dropped) and `drop: true` (the connection closes without any
answer), in process (`wix`) and over real HTTP (`wix_http`, uvicorn)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from gateway.sandbox.dropped import AnswerDropped
from tests.sandbox.booking_helpers import CREATE, FORM, QUERY, appointment, create

# The first appointment's start (10:00 London = UTC in March) and a second, free slot.
START = "2026-03-03T10:00:00Z"
LATER = appointment(start="2026-03-03T11:00:00", end="2026-03-03T11:30:00")
LATER_START = "2026-03-03T11:00:00Z"
# What an HTTP client raises for a connection closed without an answer (a FIN or a reset).
LOST = (httpx.RemoteProtocolError, httpx.ReadError)


@pytest.fixture(params=["wix", "wix_http"])
def client(request: pytest.FixtureRequest) -> httpx.AsyncClient:
    """The sandbox in process and over real HTTP: every test runs on both."""
    client: httpx.AsyncClient = request.getfixturevalue(request.param)
    return client


async def add_fault(client: httpx.AsyncClient, **rule: Any) -> None:
    response = await client.post("/_sandbox/faults", json={"path": CREATE, **rule})
    assert response.status_code == 200, response.text


async def bookings_at(client: httpx.AsyncClient, start: str) -> list[dict[str, Any]]:
    """The bookings starting at `start`, as Query Extended Bookings returns them (API key)."""
    response = await client.post(QUERY, json={"query": {"filter": {"startDate": start}}})
    assert response.status_code == 200, response.text
    return [extended["booking"] for extended in response.json()["extendedBookings"]]


async def logged_creates(client: httpx.AsyncClient) -> list[int | None]:
    """The statuses the request log shows for Create Booking calls."""
    log = (await client.get("/_sandbox/requests")).json()
    return [r["status"] for r in log["requests"] if r["path"] == CREATE]


async def test_status_after_the_write_answers_504_but_the_booking_exists(
    client: httpx.AsyncClient,
) -> None:
    await add_fault(client, method="POST", status=504, when="after")
    response = await create(client, appointment())
    assert (response.status_code, response.content) == (504, b"")
    (booking,) = await bookings_at(client, START)
    assert booking["status"] == "CREATED"
    assert booking["contactDetails"]["email"] == FORM["email"]
    assert await logged_creates(client) == [504]


async def test_drop_after_the_write_is_a_transport_error_and_the_booking_exists(
    client: httpx.AsyncClient,
) -> None:
    await add_fault(client, method="POST", drop=True, when="after")
    with pytest.raises(LOST):
        await create(client, appointment())
    assert len(await bookings_at(client, START)) == 1
    assert await logged_creates(client) == [None]


async def test_drop_before_the_handler_creates_nothing(client: httpx.AsyncClient) -> None:
    await add_fault(client, drop=True)  # `when` defaults to "before"
    with pytest.raises(LOST):
        await create(client, appointment())
    await client.delete("/_sandbox/faults")
    assert await bookings_at(client, START) == []
    assert await logged_creates(client) == [None]


async def test_times_limits_a_lost_answer_to_one_request(client: httpx.AsyncClient) -> None:
    await add_fault(client, status=503, when="after", times=1)
    assert (await create(client, appointment())).status_code == 503
    second = await create(client, LATER)
    assert second.status_code == 200, second.text
    assert [b["id"] for b in await bookings_at(client, LATER_START)] == [
        second.json()["booking"]["id"]
    ]
    assert len(await bookings_at(client, START)) == 1
    (rule,) = (await client.get("/_sandbox/faults")).json()["rules"]
    assert (rule["when"], rule["drop"], rule["times"]) == ("after", False, 0)


async def test_an_after_rule_waits_for_a_request_that_reaches_the_handler(
    client: httpx.AsyncClient,
) -> None:
    """`times` counts the requests a rule acted on: a 503 before the handler spares the
    `after` rule for the next request."""
    await add_fault(client, status=503, times=1)
    await add_fault(client, status=504, when="after", times=1)
    assert (await create(client, appointment())).status_code == 503
    assert await bookings_at(client, START) == []
    assert (await create(client, appointment())).status_code == 504
    assert len(await bookings_at(client, START)) == 1
    assert await logged_creates(client) == [503, 504]


async def test_latency_after_the_write_delays_the_answer_not_the_booking(
    client: httpx.AsyncClient,
) -> None:
    await add_fault(client, method="POST", latencyMs=1500, when="after")
    creating = asyncio.create_task(create(client, appointment()))
    seen: list[dict[str, Any]] = []
    for _ in range(100):  # a concurrent reader, polling while the answer is held back
        seen = await bookings_at(client, START)
        if seen:
            break
        await asyncio.sleep(0.01)
    assert len(seen) == 1 and not creating.done()
    response = await creating
    assert response.status_code == 200, response.text
    assert response.json()["booking"]["id"] == seen[0]["id"]


async def test_in_process_the_drop_reaches_the_client_as_a_protocol_error(
    wix: httpx.AsyncClient,
) -> None:
    """httpx's ASGITransport hands the app's exception to the client: it is the error an HTTP
    client raises for a closed connection, so callers handle both transports alike."""
    await add_fault(wix, drop=True, when="after")
    with pytest.raises(AnswerDropped) as raised:
        await create(wix, appointment())
    assert isinstance(raised.value, httpx.RemoteProtocolError)
    assert raised.value.request.url.path == CREATE


class _Errors(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def uvicorn_errors() -> Iterator[list[logging.LogRecord]]:
    """Errors uvicorn logs (its own logger does not propagate to the root one)."""
    errors = _Errors()
    logger = logging.getLogger("uvicorn.error")
    logger.addHandler(errors)
    yield errors.records
    logger.removeHandler(errors)


async def test_over_http_the_server_closes_the_connection_and_keeps_serving(
    wix_http: httpx.AsyncClient, uvicorn_errors: list[logging.LogRecord]
) -> None:
    await add_fault(wix_http, drop=True, when="after", times=1)
    with pytest.raises(LOST) as raised:
        await create(wix_http, appointment())
    assert not isinstance(raised.value, AnswerDropped)  # a real closed socket, not a stand-in
    second = await create(wix_http, LATER)
    assert second.status_code == 200, second.text
    assert [r.getMessage() for r in uvicorn_errors] == []  # no 500, no "Exception in ASGI"


@pytest.mark.parametrize(
    ("rule", "complaint"),
    [
        ({"when": "later"}, "when"),
        ({"when": None}, "when"),
        ({"drop": "yes"}, "drop"),
        ({"drop": 1}, "drop"),
        ({"drop": True, "status": 503}, "status"),
    ],
)
async def test_bad_when_or_drop_is_a_400_and_adds_no_rule(
    wix: httpx.AsyncClient, rule: dict[str, Any], complaint: str
) -> None:
    rules = [{"path": "*", "status": 503}, {"path": "*", **rule}]
    response = await wix.post("/_sandbox/faults", json={"rules": rules})
    assert response.status_code == 400
    assert complaint in response.json()["message"]
    assert (await wix.get("/_sandbox/faults")).json() == {"rules": []}


async def test_rules_list_when_and_drop(wix: httpx.AsyncClient) -> None:
    lost = {"path": "/b", "when": "after", "drop": True}
    await wix.post("/_sandbox/faults", json={"rules": [{"path": "/a"}, lost]})
    rules = (await wix.get("/_sandbox/faults")).json()["rules"]
    assert [(r["path"], r["when"], r["drop"]) for r in rules] == [
        ("/a", "before", False),
        ("/b", "after", True),
    ]
