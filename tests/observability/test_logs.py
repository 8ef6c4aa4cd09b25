"""Structured logs: one JSON object per line with the request id, operation names and the
upstream call count and time of the request."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from gateway.observability.logs import JsonFormatter, use_json_logs
from tests.graphql import create_bookings, next_weekday
from tests.protection import gateway_app, graphql

Lines = Callable[[], list[dict[str, Any]]]


@pytest.fixture
def json_lines() -> Iterator[Lines]:
    """What the `gateway` loggers have written so far, each line parsed as JSON (a line that is
    not JSON fails the test)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("gateway")
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


async def test_the_request_line_carries_request_id_operation_and_upstream_figures(
    json_lines: Lines,
) -> None:
    query = "query MyBookings { bookings(first: 10) { nodes { id service { name } } } }"
    async with gateway_app() as gateway:
        await create_bookings(gateway.upstream, 4, next_weekday(0))
        gateway.reset_calls()
        await graphql(gateway, query, headers={"x-request-id": "req-logs-1"})
        upstream_calls = gateway.sandbox.request_log()["total"]
        await graphql(
            gateway,
            "query Broken { bookings(first: 0) { nodes { id } } }",
            headers={"x-request-id": "req-logs-2"},
        )
    [line] = [e for e in json_lines() if e.get("request_id") == "req-logs-1"]
    assert line["logger"] == "gateway.access"
    assert line["operations"] == ["MyBookings"]
    assert (line["method"], line["path"], line["status"]) == ("POST", "/graphql", 200)
    assert line["upstream_calls"] == upstream_calls == 2  # the page, then the services batch
    assert line["upstream_ms"] > 0 and line["ms"] >= line["upstream_ms"]

    # Every line logged while serving a request carries its id, not only the summary.
    broken = [e for e in json_lines() if e.get("request_id") == "req-logs-2"]
    assert {e["logger"] for e in broken} == {"gateway.graphql", "gateway.access"}
    assert broken[-1]["operations"] == ["Broken"] and broken[-1]["upstream_calls"] == 0


def test_extra_fields_and_tracebacks_are_kept(json_lines: Lines) -> None:
    log = logging.getLogger("gateway.test")
    log.warning("plain %s", "message", extra={"answer": 42})
    try:
        raise ValueError("with a traceback")
    except ValueError:
        log.exception("failed")
    plain, failed = json_lines()
    assert plain["message"] == "plain message" and plain["answer"] == 42
    assert plain["level"] == "warning" and "request_id" not in plain
    assert failed["message"] == "failed"
    assert "ValueError: with a traceback" in failed["exception"]


def test_json_log_format_switches_the_existing_handlers() -> None:
    logger = logging.getLogger("gateway")
    handler = logging.StreamHandler(io.StringIO())
    logger.addHandler(handler)
    others = [h for name in ("", "uvicorn") for h in logging.getLogger(name).handlers]
    formatters = [h.formatter for h in others]
    try:
        use_json_logs()
        assert isinstance(handler.formatter, JsonFormatter)
    finally:
        logger.removeHandler(handler)
        for other, formatter in zip(others, formatters, strict=True):
            other.setFormatter(formatter)  # pytest's own handlers hang on the root logger
