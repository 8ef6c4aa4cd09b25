"""Independent root fields run concurrently: three services' `timeSlots` in one query take about
as long as one, with 100 ms of latency injected on every Time Slots call of the sandbox.

Runs the gateway on its embedded sandbox; prints the median of each query and their ratio
(target: at most 1.3).
"""

from __future__ import annotations

import asyncio
import statistics
import time

import httpx

from gateway.app import create_app
from gateway.config import Settings
from gateway.sandbox import seed
from gateway.sandbox.state import FaultRule
from tests.graphql import next_weekday

LATENCY_MS = 100
ROUNDS = 15
TARGET_RATIO = 1.3
SERVICES = (seed.SERVICE_HAIRCUT, seed.SERVICE_FACIAL, seed.SERVICE_MASSAGE)

SLOTS = "timeSlots(serviceId: $s{n}, from: $from, to: $to, timeZone: $tz) {{ nodes {{ start }} }}"


def _query(services: int) -> str:
    params = ", ".join(f"$s{n}: ID!" for n in range(services))
    fields = "\n  ".join(f"s{n}: " + SLOTS.format(n=n) for n in range(services))
    return (
        f"query({params}, $from: LocalDateTime, $to: LocalDateTime, $tz: TimeZone) {{\n"
        f"  {fields}\n}}"
    )


async def _median_ms(http: httpx.AsyncClient, services: int) -> float:
    day = next_weekday(2)
    variables = {
        **{f"s{n}": SERVICES[n] for n in range(services)},
        "from": f"{day}T09:00:00",
        "to": f"{day}T18:00:00",
        "tz": seed.TIME_ZONE,
    }
    body = {"query": _query(services), "variables": variables}
    times = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        result = (await http.post("/graphql", json=body)).json()
        times.append((time.perf_counter() - started) * 1000)
        assert "errors" not in result and all(v["nodes"] for v in result["data"].values())
    return statistics.median(times)


async def _measure() -> None:
    app = create_app(Settings())
    app.state.sandbox.faults.append(
        FaultRule(path="/_api/service-availability/*", latency_ms=LATENCY_MS)
    )
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://gateway") as http,
    ):
        one = await _median_ms(http, 1)
        three = await _median_ms(http, 3)
    print(f"timeSlots with {LATENCY_MS} ms injected per Time Slots call, median of {ROUNDS}")
    print(f"  one service    {one:7.1f} ms")
    print(f"  three services {three:7.1f} ms")
    print(f"  ratio {three / one:.2f} (target <= {TARGET_RATIO})")


def run() -> None:
    asyncio.run(_measure())


if __name__ == "__main__":
    run()
