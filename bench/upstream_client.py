"""What `WixClient` adds to one Wix call: Get Service against the sandbox served by uvicorn on
loopback in a child process (so that, like Wix, it does not share this process's CPU), through
`Upstream.services.get_service` on a `WixClient`, on the gateway's `CachingWixClient` with its
caches off, and through a bare `httpx.AsyncClient` with `response.json()`; rounds alternate.

Prints p50/p99 wall time per call and this process's CPU time per call; the difference in CPU
between two ways is the client's own cost, which the loopback round trip blurs in wall time (the
CPU figure itself includes the socket work the platform charges to the process, large in some
sandboxed kernels). Target: the client adds <= 0.2 ms at p50.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Awaitable, Callable

import httpx
import uvloop

from gateway.cache.backends import MemoryCache
from gateway.cache.client import CachingWixClient
from gateway.clock import Clock
from gateway.config import Settings
from gateway.sandbox import seed
from gateway.upstream import Upstream, WixClient
from tests.servers import sandbox_process

TARGET_OVERHEAD_P50_MS = 0.2
ROUNDS = 8
CALLS_PER_ROUND = 250
PATH = f"/bookings/v2/services/{seed.SERVICE_MASSAGE}"


def _percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


async def _measure(url: str) -> dict[str, tuple[list[float], float]]:
    """Per way of calling: the wall milliseconds of every call, and CPU microseconds per call."""
    settings = Settings(wix_api_key="bench", wix_site_id="bench", wix_base_url=url)
    uncached = dataclasses.replace(settings, cache_services_seconds=0.0)
    bare = httpx.AsyncClient(base_url=url, headers={"Authorization": "bench"})
    client = WixClient(settings)
    caching = CachingWixClient(uncached, MemoryCache(settings.cache_max_entries, Clock().timestamp))

    async def direct() -> None:
        response = await bare.get(PATH)
        response.raise_for_status()
        response.json()

    def through(wix: WixClient) -> Callable[[], Awaitable[None]]:
        async def call() -> None:
            await Upstream(wix).services.get_service(seed.SERVICE_MASSAGE)

        return call

    calls: dict[str, Callable[[], Awaitable[None]]] = {
        "httpx": direct,
        "WixClient": through(client),
        "Caching, off": through(caching),
    }
    wall: dict[str, list[float]] = {name: [] for name in calls}
    cpu: dict[str, float] = dict.fromkeys(calls, 0.0)
    for call in calls.values():  # warm-up: connections, caches
        for _ in range(50):
            await call()
    for _ in range(ROUNDS):
        for name, call in calls.items():
            cpu_started = time.process_time()
            for _ in range(CALLS_PER_ROUND):
                started = time.perf_counter()
                await call()
                wall[name].append((time.perf_counter() - started) * 1000)
            cpu[name] += time.process_time() - cpu_started
    for closing in (bare, client, caching):
        await closing.aclose()
    per_call = 1e6 / (ROUNDS * CALLS_PER_ROUND)
    return {name: (wall[name], cpu[name] * per_call) for name in calls}


def run() -> None:
    with sandbox_process() as url:
        results = uvloop.run(_measure(url))
    for name, (samples, cpu_us) in results.items():
        p50, p99 = _percentile(samples, 0.5), _percentile(samples, 0.99)
        print(
            f"{name:12s} p50 {p50:.3f} ms   p99 {p99:.3f} ms   CPU {cpu_us:5.1f} us/call"
            f"   ({len(samples)} calls)"
        )
    httpx_p50 = _percentile(results["httpx"][0], 0.5)
    for name in ("WixClient", "Caching, off"):
        overhead = _percentile(results[name][0], 0.5) - httpx_p50
        cpu_added = results[name][1] - results["httpx"][1]
        verdict = "ok" if overhead <= TARGET_OVERHEAD_P50_MS else "OVER TARGET"
        print(
            f"{name} adds at p50: {overhead:+.3f} ms (target <= {TARGET_OVERHEAD_P50_MS} ms) "
            f"{verdict}; CPU {cpu_added:+.1f} us/call"
        )
