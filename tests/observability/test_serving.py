"""`python -m gateway --workers 2`, as in production: requests are served by two processes,
`/metrics` adds up every worker's counts (multiprocess mode), and SIGTERM lets a request in
flight finish before the workers stop."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from gateway.clock import Clock
from gateway.sandbox.app import build_sandbox_app
from gateway.sandbox.state import FaultRule, Sandbox
from tests.servers import free_port, serve

WORKERS = 2
REQUESTS = 12
SLOW_MS = 1500
SLOW_PATH = "/bookings/v2/services/query"
_CONFIG_PREFIXES = ("WIX_", "GATEWAY_", "SANDBOX_", "REDIS_", "PROMETHEUS_")


@pytest.fixture
def sandbox(clock: Clock) -> Iterator[tuple[Sandbox, str]]:
    sandbox = Sandbox.open(":memory:", clock)
    with serve(build_sandbox_app(sandbox)) as url:
        yield sandbox, url


def _start(url: str, metrics_dir: Path) -> tuple[subprocess.Popen[str], str]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(_CONFIG_PREFIXES)}
    env |= {
        "WIX_BASE_URL": url,
        "WIX_API_KEY": "test-key",
        "WIX_SITE_ID": "test-site",
        "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
    }
    command = [sys.executable, "-m", "gateway", "--workers", str(WORKERS), "--port", str(port)]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        assert process.poll() is None, process.communicate()[0]
        try:
            if httpx.get(f"{base}/healthz").status_code == 200:
                return process, base
        except httpx.TransportError:
            pass
        assert time.monotonic() < deadline, "the gateway did not start"
        time.sleep(0.1)


def _graphql_requests(metrics_text: str) -> float:
    return sum(
        sample.value
        for family in text_string_to_metric_families(metrics_text)
        for sample in family.samples
        if sample.name == "gateway_http_requests_total" and sample.labels["path"] == "/graphql"
    )


def test_two_workers_share_metrics_and_drain_on_sigterm(
    sandbox: tuple[Sandbox, str], tmp_path: Path
) -> None:
    state, url = sandbox
    process, base = _start(url, tmp_path)
    try:
        for _ in range(REQUESTS):  # a new connection each: both workers get some
            response = httpx.post(f"{base}/graphql", json={"query": "{ __typename }"})
            assert response.json() == {"data": {"__typename": "Query"}}
        assert _graphql_requests(httpx.get(f"{base}/metrics").text) == REQUESTS

        state.faults.append(FaultRule(path=SLOW_PATH, latency_ms=SLOW_MS))
        answers: list[httpx.Response] = []
        slow = threading.Thread(
            target=lambda: answers.append(
                httpx.post(
                    f"{base}/graphql",
                    json={"query": "{ services(first: 2) { nodes { name } } }"},
                    timeout=30,
                )
            )
        )
        slow.start()
        deadline = time.monotonic() + 10
        while not any(r.path == SLOW_PATH for r in state.requests):  # the call is in flight
            assert time.monotonic() < deadline
            time.sleep(0.02)
        process.send_signal(signal.SIGTERM)
        slow.join(timeout=30)
    finally:
        if process.poll() is None:
            process.terminate()
        output = process.communicate(timeout=30)[0]

    [answer] = answers
    assert answer.status_code == 200
    assert len(answer.json()["data"]["services"]["nodes"]) == 2
    assert process.returncode in (0, -signal.SIGTERM), output
    assert output.count("Application shutdown complete") == WORKERS, output
