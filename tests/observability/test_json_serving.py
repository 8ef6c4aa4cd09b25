"""`GATEWAY_LOG_FORMAT=json` as served: every line `python -m gateway` prints is a JSON object,
uvicorn's start-up, access and shutdown lines included, with one worker and with several."""

from __future__ import annotations

import json

import httpx
import pytest

from tests.served import served_gateway


@pytest.mark.parametrize("workers", [1, 2])
def test_every_printed_line_is_json(workers: int) -> None:
    env = {"GATEWAY_LOG_FORMAT": "json"}
    with served_gateway("--workers", str(workers), env=env) as served:
        response = httpx.post(f"{served.base}/graphql", json={"query": "{ __typename }"})
        assert response.json() == {"data": {"__typename": "Query"}}
    lines = served.output().splitlines()
    entries = []
    for line in lines:
        try:
            entries.append(json.loads(line))
        except json.JSONDecodeError:
            pytest.fail(f"not JSON: {line!r}\n" + "\n".join(lines))
    loggers = {entry["logger"] for entry in entries}
    assert {"uvicorn.error", "uvicorn.access", "gateway.access"} <= loggers, lines
    messages = [entry["message"] for entry in entries]
    assert any(m.startswith("GraphiQL: ") for m in messages)
    assert sum("Application startup complete" in m for m in messages) == workers
    assert any('"POST /graphql HTTP/1.1" 200' in m for m in messages)
