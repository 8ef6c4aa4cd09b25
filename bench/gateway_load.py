"""Throughput and latency of a typical "my bookings" query at 64 concurrent clients, with the
gateway served as in production (`python -m gateway --workers N`) by 1 and by 2 workers.

The upstream is a standalone sandbox (`python -m gateway sandbox`) on loopback with a SQLite
file holding 20 bookings; the gateway reaches it through `WIX_BASE_URL`. Both run as their own
processes, so the load generator (this process, one event loop, 64 clients over keep-alive
connections) does not share a CPU core's GIL with them. Logging is at `warning`, so the figures
are the gateway's and not its access log's. The page asks for 20 bookings with their allowed
actions, service name and form fields: one Query Extended Bookings per request, the services
and forms come from the reference-data cache after the first request.

Prints requests/s, p50 and p99 for each worker count. With the sandbox as a single process doing
the bookings query for every request, two workers may be capped by the sandbox, not the gateway.
"""

from __future__ import annotations

import asyncio
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx

from gateway.config import Settings
from gateway.upstream import Upstream, WixClient
from tests.graphql import create_bookings, next_weekday
from tests.servers import free_port

BOOKINGS = 20
CLIENTS = 64
WARMUP_SECONDS = 3.0
MEASURE_SECONDS = 10.0
WORKER_COUNTS = (1, 2)
API_KEY = "bench-key"
SITE_ID = "bench-site"
QUERY = """
query MyBookings($first: Int) {
  bookings(first: $first) {
    nodes {
      id status start end
      allowedActions { cancel reschedule }
      service { name }
      form { fields { target label required } }
    }
  }
}
"""
_CONFIG_PREFIXES = ("WIX_", "GATEWAY_", "SANDBOX_", "REDIS_", "PROMETHEUS_")


def _start(args: list[str], env: dict[str, str], ready_url: str) -> subprocess.Popen[bytes]:
    base_env = {k: v for k, v in os.environ.items() if not k.startswith(_CONFIG_PREFIXES)}
    process = subprocess.Popen(
        [sys.executable, "-m", "gateway", *args],
        env=base_env | {"GATEWAY_LOG_LEVEL": "warning"} | env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"`python -m gateway {' '.join(args)}` exited")
        try:
            headers = {"Authorization": API_KEY, "wix-site-id": SITE_ID}
            if httpx.get(ready_url, headers=headers).status_code == 200:
                return process
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"`python -m gateway {' '.join(args)}` did not start")
        time.sleep(0.1)


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


async def _seed(sandbox_url: str) -> None:
    settings = Settings(wix_base_url=sandbox_url, wix_api_key=API_KEY, wix_site_id=SITE_ID)
    client = WixClient(settings)
    try:
        await create_bookings(Upstream(client), BOOKINGS, next_weekday(0))
    finally:
        await client.aclose()


async def _load(gateway_url: str) -> tuple[float, list[float], Counter[str]]:
    """Requests/s, per-request latencies (ms) and failed requests over `MEASURE_SECONDS`, after a
    warm-up. A failure (no answer, or not the page) is counted by its reason, not timed."""
    body = {"query": QUERY, "variables": {"first": BOOKINGS}}
    limits = httpx.Limits(max_connections=CLIENTS, max_keepalive_connections=CLIENTS)
    latencies: list[float] = []
    failures: Counter[str] = Counter()
    async with httpx.AsyncClient(base_url=gateway_url, limits=limits, timeout=30) as http:
        loop = asyncio.get_running_loop()
        measure_from = loop.time() + WARMUP_SECONDS
        measure_to = measure_from + MEASURE_SECONDS

        async def client() -> None:
            while (now := loop.time()) < measure_to:
                started = time.perf_counter()
                reason = await _fetch_page(http, body)
                elapsed = (time.perf_counter() - started) * 1000
                if now < measure_from:
                    continue
                if reason is None:
                    latencies.append(elapsed)
                else:
                    failures[reason] += 1

        await asyncio.gather(*(client() for _ in range(CLIENTS)))
    return len(latencies) / MEASURE_SECONDS, latencies, failures


async def _fetch_page(http: httpx.AsyncClient, body: dict[str, Any]) -> str | None:
    """None when the page came back whole, else why not (transport error, status, error code)."""
    try:
        response = await http.post("/graphql", json=body)
    except httpx.TransportError as error:
        return type(error).__name__
    try:
        answer = response.json()
        errors = answer.get("errors") or []
        if errors:
            return str(errors[0].get("extensions", {}).get("code", "GRAPHQL_ERROR"))
        nodes = answer["data"]["bookings"]["nodes"]
    except (ValueError, KeyError, TypeError, AttributeError):
        return f"HTTP {response.status_code}"
    return None if response.status_code == 200 and len(nodes) == BOOKINGS else "short page"


def _p(values: list[float], percentile: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[percentile - 1]


def run() -> None:
    with tempfile.TemporaryDirectory() as folder:
        sandbox_port = free_port()
        sandbox_url = f"http://127.0.0.1:{sandbox_port}"
        db = str(Path(folder) / "sandbox.sqlite3")
        sandbox = _start(
            ["sandbox", "--port", str(sandbox_port), "--db", db],
            {},
            f"{sandbox_url}/site-properties/v4/properties",
        )
        try:
            asyncio.run(_seed(sandbox_url))
            print(
                f"'my bookings' ({BOOKINGS} bookings with allowed actions, service, form) at "
                f"{CLIENTS} concurrent clients, {MEASURE_SECONDS:g} s after {WARMUP_SECONDS:g} s "
                "warm-up; sandbox on loopback (file DB)"
            )
            for workers in WORKER_COUNTS:
                port = free_port()
                env = {"WIX_BASE_URL": sandbox_url, "WIX_API_KEY": API_KEY, "WIX_SITE_ID": SITE_ID}
                url = f"http://127.0.0.1:{port}"
                gateway = _start(
                    ["--workers", str(workers), "--port", str(port)], env, f"{url}/readyz"
                )
                try:
                    rate, latencies, failures = asyncio.run(_load(url))
                finally:
                    _stop(gateway)
                print(
                    f"  {workers} worker{'s' if workers > 1 else ' '}: {rate:7.1f} req/s   "
                    f"p50 {_p(latencies, 50):7.2f} ms   p99 {_p(latencies, 99):7.2f} ms   "
                    f"failed {sum(failures.values())} {dict(failures) or ''}",
                    flush=True,
                )
        finally:
            _stop(sandbox)


if __name__ == "__main__":
    run()
