"""List Availability for SERVICE_CONSULTATION (5 staff, 2 locations) over 31 days, through the
sandbox app in process. Target: p50 <= 100 ms for the whole listing (every cursor page)."""

from __future__ import annotations

import asyncio
import statistics
import time
from datetime import timedelta
from zoneinfo import ZoneInfo

import httpx

from gateway.sandbox import seed
from gateway.sandbox.app import build_sandbox_app
from gateway.sandbox.state import Sandbox
from gateway.sandbox.wire import local_iso, to_local

TARGET_P50_MS = 100.0
WARMUP = 3
ITERATIONS = 40
PATH = "/_api/service-availability/v2/time-slots"


async def _list_all(client: httpx.AsyncClient, body: dict) -> tuple[int, int]:
    """Every slot of the range, following cursors; returns (slots, pages)."""
    slots, pages = 0, 0
    request = body
    while True:
        response = await client.post(PATH, json=request)
        response.raise_for_status()
        page = response.json()
        slots += len(page["timeSlots"])
        pages += 1
        metadata = page["cursorPagingMetadata"]
        if not metadata["hasNext"]:
            return slots, pages
        request = {"cursorPaging": {"cursor": metadata["cursors"]["next"]}}


async def _measure() -> tuple[list[float], int, int]:
    sandbox = Sandbox.open(":memory:")
    zone = ZoneInfo(seed.TIME_ZONE)
    start = to_local(sandbox.clock.now(), zone).replace(hour=0, minute=0, second=0, microsecond=0)
    body = {
        "serviceId": seed.SERVICE_CONSULTATION,
        "fromLocalDate": local_iso(start + timedelta(days=1)),
        "toLocalDate": local_iso(start + timedelta(days=32)),
        "timeZone": seed.TIME_ZONE,
    }
    transport = httpx.ASGITransport(app=build_sandbox_app(sandbox))
    client = httpx.AsyncClient(
        transport=transport, base_url="http://sandbox", headers={"Authorization": "bench"}
    )
    timings: list[float] = []
    async with client as c:
        for _ in range(WARMUP):
            await _list_all(c, body)
        for _ in range(ITERATIONS):
            started = time.perf_counter()
            slots, pages = await _list_all(c, body)
            timings.append((time.perf_counter() - started) * 1000)
    return timings, slots, pages


def run() -> None:
    timings, slots, pages = asyncio.run(_measure())
    p50 = statistics.median(timings)
    p95 = statistics.quantiles(timings, n=20)[-1]
    print(f"List Availability, SERVICE_CONSULTATION, 31 days: {slots} slots in {pages} page(s)")
    print(f"{len(timings)} iterations: p50 {p50:.1f} ms, p95 {p95:.1f} ms")
    verdict = "met" if p50 <= TARGET_P50_MS else "NOT met"
    print(f"target p50 <= {TARGET_P50_MS:.0f} ms: {verdict}")


if __name__ == "__main__":
    run()
