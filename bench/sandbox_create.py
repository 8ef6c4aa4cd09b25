"""Create Booking throughput of the sandbox: N sequential, then N concurrent creates of distinct
free appointment slots (status CONFIRMED, so every create runs the full availability check against
a growing bookings table), in process through ASGI and over loopback HTTP with uvicorn.

Slots: Express Haircut with Dan (Mon-Sat 09-13, 14-17, 30 min + 10 min buffer), every 40 minutes
over the seven weeks after a fixed Monday, so no two creates compete and every one succeeds.
Prints bookings/s and the p50 / p99 latency of one create for each run; in the concurrent runs a
create's latency includes its wait behind the others (the sandbox decides one create at a time).
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

import httpx

from gateway.sandbox import seed
from gateway.sandbox.app import build_sandbox_app
from gateway.sandbox.state import Sandbox
from tests.servers import sandbox_process

N = 200
NOW = "2026-03-02T09:00:00Z"  # a Monday
PATH = "/_api/bookings-service/v2/bookings"
FORM = {"first_name": "Bench", "last_name": "Mark", "email": "bench@example.com"}
_DAN_STARTS = [(9, 0), (9, 40), (10, 20), (11, 0), (11, 40), (12, 20),
               (14, 0), (14, 40), (15, 20), (16, 0)]  # fmt: skip


def _slots() -> Iterator[tuple[str, str]]:
    """Distinct (start, end) local times Dan can take, from the Tuesday after NOW."""
    day = date(2026, 3, 3)
    while True:
        if day.weekday() != 6:  # Dan doesn't work on Sundays
            for hour, minute in _DAN_STARTS:
                start = datetime(day.year, day.month, day.day, hour, minute)
                end = start + timedelta(minutes=30)
                yield start.isoformat(), end.isoformat()
        day += timedelta(days=1)


def _body(start: str, end: str) -> dict[str, Any]:
    slot = {
        "serviceId": seed.SERVICE_HAIRCUT,
        "startDate": start,
        "endDate": end,
        "timezone": seed.TIME_ZONE,
        "resource": {"id": seed.STAFF_DAN},
        "location": {"locationType": "OWNER_BUSINESS", "id": seed.LOCATION_MAIN},
    }
    booking = {"bookedEntity": {"slot": slot}, "totalParticipants": 1, "status": "CONFIRMED"}
    return {"booking": booking, "formSubmission": FORM}


async def _create(client: httpx.AsyncClient, body: dict[str, Any]) -> float:
    started = time.perf_counter()
    response = await client.post(PATH, json=body)
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise RuntimeError(f"create failed: {response.status_code} {response.text}")
    return elapsed


async def _sequential(client: httpx.AsyncClient, bodies: list[dict[str, Any]]) -> list[float]:
    return [await _create(client, body) for body in bodies]


async def _concurrent(client: httpx.AsyncClient, bodies: list[dict[str, Any]]) -> list[float]:
    return list(await asyncio.gather(*(_create(client, body) for body in bodies)))


def _report(label: str, mode: str, latencies: list[float], wall: float) -> None:
    ordered = sorted(latencies)
    p50 = statistics.median(ordered) * 1000
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000
    print(
        f"{label:<22} {mode:<10} {len(latencies)} creates: {len(latencies) / wall:8.1f} bookings/s"
        f"   p50 {p50:6.2f} ms   p99 {p99:6.2f} ms",
        flush=True,
    )


async def _run_against(label: str, client: httpx.AsyncClient) -> None:
    (await client.post("/_sandbox/clock", json={"now": NOW, "frozen": True})).raise_for_status()
    (await client.post("/_sandbox/reset")).raise_for_status()
    slots = _slots()
    bodies = [_body(*next(slots)) for _ in range(2 * N)]
    for _ in range(5):  # warm-up on the same slots, then start from a clean store
        await _create(client, bodies[0])
        (await client.post("/_sandbox/reset")).raise_for_status()
    for mode, runner, batch in (
        ("sequential", _sequential, bodies[:N]),
        ("concurrent", _concurrent, bodies[N:]),
    ):
        started = time.perf_counter()
        latencies = await runner(client, batch)
        _report(label, mode, latencies, time.perf_counter() - started)


async def _main() -> None:
    headers = {"Authorization": "bench"}
    timeout = httpx.Timeout(60.0)  # a burst queues: the last of N waits for the N - 1 before it
    sandbox = Sandbox.open(":memory:")
    transport = httpx.ASGITransport(app=build_sandbox_app(sandbox))
    async with httpx.AsyncClient(
        transport=transport, base_url="http://s", headers=headers, timeout=timeout
    ) as c:
        await _run_against("in-process (ASGI)", c)
    with sandbox_process() as url:  # its own process: it does not share this one's GIL
        limits = httpx.Limits(max_connections=50)
        async with httpx.AsyncClient(
            base_url=url, headers=headers, limits=limits, timeout=timeout
        ) as c:
            await _run_against("loopback (uvicorn)", c)


def run() -> None:
    asyncio.run(_main())


if __name__ == "__main__":
    run()
