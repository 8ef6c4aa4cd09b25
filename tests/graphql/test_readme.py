"""Every gateway example of the README runs as written, in the README's order, on a gateway as
`make run` starts it (the embedded sandbox with its demo bookings), served on a loopback port:
each ```graphql block (with its ```json variables) over HTTP, and each ```sh block of `curl
localhost:8000` commands with curl itself. Every answer is HTTP 200 without GraphQL errors
(but those a command's comment names), and every list a query shows has something in it."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from graphql import parse
from starlette.applications import Starlette

from gateway.app import create_app
from gateway.clock import Clock
from gateway.config import Settings
from gateway.graphql.schema import schema
from gateway.identity.visitor_fields import refusal
from gateway.sandbox import seed
from tests.graphql.readme_examples import (
    CURL_TIMEOUT_EXIT,
    CurlCall,
    GraphQLExample,
    ShellExample,
    gateway_examples,
    start_shell,
)
from tests.servers import serve

# What GraphiQL users are told to send for the business's operations (README, Security model).
BUSINESS = {"authorization": "dev"}
CURL_SECONDS = 20.0
STREAM_SECONDS = 5.0  # how long the event-stream example listens


@pytest.fixture
def served(clock: Clock) -> Iterator[tuple[Starlette, str]]:
    """The gateway as `python -m gateway` serves it (demo bookings on), on the test's clock."""
    app = create_app(Settings(sandbox_demo_bookings=True, gc_freeze=False), clock)
    with serve(app) as url:
        yield app, url


def test_the_readme_has_gateway_examples_of_each_kind() -> None:
    examples = gateway_examples()
    graphql = [e for e in examples if isinstance(e, GraphQLExample)]
    assert len([e for e in graphql if not e.is_mutation]) >= 4
    assert len([e for e in graphql if e.variables is not None]) >= 3
    assert len([e for e in examples if isinstance(e, ShellExample)]) >= 4
    assert any(isinstance(e, ShellExample) and e.streams for e in examples)


@pytest.mark.skipif(shutil.which("curl") is None, reason="the README's shell examples use curl")
def test_every_gateway_example_runs_after_make_run(served: tuple[Starlette, str]) -> None:
    app, url = served
    outcomes: list[dict[str, Any]] = []
    streamed: list[CurlCall] = []
    with httpx.Client(base_url=url, timeout=30) as http:
        for example in gateway_examples():
            where = f"README line {example.line}"
            if isinstance(example, GraphQLExample):
                data = _run_graphql(http, example, where)
                if example.is_mutation:
                    outcomes.extend(data.values())
                continue
            if example.streams:
                streamed += _run_stream(app, http, url, example)
                continue
            for call in start_shell(example, url, CURL_SECONDS).wait(CURL_SECONDS * 2):
                _check_call(call, where)

    # The booking example books (confirmed: the business's view); the corrected form books
    # under the key its invalid first attempt had left free.
    assert [o["__typename"] for o in outcomes] == [
        "BookingCreated",
        "FormInvalid",
        "BookingCreated",
    ]
    assert outcomes[0]["booking"]["status"] == "CONFIRMED"
    assert outcomes[1]["code"] == "FORM_INVALID"
    assert [error["target"] for error in outcomes[1]["fieldErrors"]] == ["pressure"]
    assert outcomes[2]["booking"]["status"] == "CREATED"
    [stream] = streamed
    assert stream.exit_code == CURL_TIMEOUT_EXIT and stream.status == 200
    assert "event: next" in stream.output and seed.SERVICE_HAIRCUT in stream.output


def _run_graphql(http: httpx.Client, example: GraphQLExample, where: str) -> dict[str, Any]:
    """As GraphiQL would send it: with no header, unless the operation is the business's."""
    variables = example.variables or {}
    business = refusal(schema._schema, parse(example.document), None, variables) is not None
    body = {"query": example.document, "variables": variables}
    response = http.post("/graphql", json=body, headers=BUSINESS if business else {})
    assert response.status_code == 200, (where, response.text)
    answer = response.json()
    assert "errors" not in answer, (where, answer["errors"])
    data: dict[str, Any] = answer["data"]
    if not example.is_mutation:
        lists = list(_node_lists(data))
        assert lists and all(lst and None not in lst for lst in lists), f"{where}: no data: {data}"
    return data


def _run_stream(
    app: Starlette, http: httpx.Client, url: str, example: ShellExample
) -> list[CurlCall]:
    """The subscription example listens while a haircut is booked, as its text says to do in
    another terminal; it ends when curl's time is up."""
    running = start_shell(example, url, STREAM_SECONDS)
    deadline = time.monotonic() + STREAM_SECONDS
    while app.state.live.subscriber_count == 0:
        assert time.monotonic() < deadline, "the stream example never subscribed"
        time.sleep(0.02)
    _book_a_haircut(http)
    return running.wait(STREAM_SECONDS * 4)


NEXT_HAIRCUT = """query($service: ID!) {
  timeSlots(serviceId: $service, bookable: true, first: 1) {
    nodes { localStart localEnd timeZone }
  }
}"""


def _book_a_haircut(http: httpx.Client) -> None:
    variables = {"service": seed.SERVICE_HAIRCUT}
    slots = http.post("/graphql", json={"query": NEXT_HAIRCUT, "variables": variables}).json()
    [slot] = slots["data"]["timeSlots"]["nodes"]
    booking = {
        "serviceId": seed.SERVICE_HAIRCUT,
        "localStart": slot["localStart"],
        "localEnd": slot["localEnd"],
        "timeZone": slot["timeZone"],
        "contact": {"firstName": "Ada", "lastName": "Lovelace", "email": "ada@example.com"},
    }
    mutation = (
        "mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { __typename } }"
    )
    answer = http.post("/graphql", json={"query": mutation, "variables": {"input": booking}})
    assert answer.json()["data"]["bookAppointment"]["__typename"] == "BookingCreated"


def _check_call(call: CurlCall, where: str) -> None:
    assert call.exit_code == 0, (where, call)
    assert call.status == 200, (where, call)
    answer = call.json()
    errors = answer.get("errors") if isinstance(answer, dict) else None
    for error in errors or []:
        named = {error.get("message"), (error.get("extensions") or {}).get("code")}
        assert any(name and name in call.comment for name in named), (where, error, call)
    cache_control = call.comment.partition("Cache-Control:")[2].strip()
    if cache_control:
        assert f"cache-control: {cache_control.lower()}" in call.headers, (where, call)


def _node_lists(value: object) -> Iterator[list[object]]:
    """Every `nodes` list in an answer (connections' and `nodes(ids:)`'s)."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "nodes" and isinstance(item, list):
                yield item
            else:
                yield from _node_lists(item)
    elif isinstance(value, list):
        for item in value:
            yield from _node_lists(item)
