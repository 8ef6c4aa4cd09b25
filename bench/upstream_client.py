"""What `WixClient` adds to one Wix call: Get Service against the sandbox served by uvicorn on
loopback, through `Upstream.services.get_service` and through a bare `httpx.AsyncClient`, calls
interleaved in rounds. Target: the client adds <= 0.2 ms at p50."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

import httpx
import uvloop

from gateway.config import Settings
from gateway.sandbox import seed
from gateway.sandbox.app import build_sandbox_app
from gateway.upstream import Upstream, WixClient
from tests.servers import serve

TARGET_OVERHEAD_P50_MS = 0.2
ROUNDS = 4
CALLS_PER_ROUND = 500
PATH = f"/bookings/v2/services/{seed.SERVICE_MASSAGE}"


def _percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


async def _measure(url: str) -> dict[str, list[float]]:
    bare = httpx.AsyncClient(base_url=url, headers={"Authorization": "bench"})
    client = WixClient(Settings(wix_api_key="bench", wix_base_url=url))
    upstream = Upstream(client)

    async def direct() -> None:
        response = await bare.get(PATH)
        response.raise_for_status()
        response.json()

    async def through_client() -> None:
        await upstream.services.get_service(seed.SERVICE_MASSAGE)

    calls: dict[str, Callable[[], Awaitable[None]]] = {
        "httpx": direct,
        "WixClient": through_client,
    }
    timings: dict[str, list[float]] = {name: [] for name in calls}
    for call in calls.values():  # warm-up: connections, caches
        for _ in range(50):
            await call()
    for _ in range(ROUNDS):
        for name, call in calls.items():
            for _ in range(CALLS_PER_ROUND):
                started = time.perf_counter()
                await call()
                timings[name].append((time.perf_counter() - started) * 1000)
    await bare.aclose()
    await client.aclose()
    return timings


def run() -> None:
    with serve(build_sandbox_app()) as url:
        timings = uvloop.run(_measure(url))
    for name, samples in timings.items():
        p50, p99 = _percentile(samples, 0.5), _percentile(samples, 0.99)
        print(f"{name:10s} p50 {p50:.3f} ms   p99 {p99:.3f} ms   ({len(samples)} calls)")
    overhead = _percentile(timings["WixClient"], 0.5) - _percentile(timings["httpx"], 0.5)
    verdict = "ok" if overhead <= TARGET_OVERHEAD_P50_MS else "OVER TARGET"
    print(
        f"WixClient overhead at p50: {overhead:+.3f} ms "
        f"(target <= {TARGET_OVERHEAD_P50_MS} ms) {verdict}"
    )
