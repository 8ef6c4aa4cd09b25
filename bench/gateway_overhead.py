"""What the GraphQL layer adds to a "my bookings" page, over the same Wix calls made by hand.

The sandbox is served by uvicorn on loopback (`tests/servers.serve`) in a child process, so that
like Wix it does not share this process's CPU; the gateway runs here, started as in production
(its lifespan freezes start-up garbage), queried through an ASGI transport, with `WIX_BASE_URL`
pointing at the sandbox. The page: 50 bookings with `allowedActions`, `service { name }` and
`form { fields { target } }`. The direct client makes the calls the gateway makes (Query Extended
Bookings with allowed actions, then Query Services with `$in` and one Get Form per distinct form,
concurrently) and joins the results. Rounds alternate between the two so that load on the
machine hits both alike. Prints p50/p99 of both and the difference at p50 (target: <= 3 ms).
"""

from __future__ import annotations

import asyncio
import multiprocessing
import statistics
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any

import httpx

from gateway.app import create_app
from gateway.config import Settings
from gateway.sandbox.app import build_sandbox_app
from gateway.sandbox.state import Sandbox
from gateway.upstream import Upstream
from tests.graphql import create_bookings, next_weekday
from tests.servers import free_port, serve

BOOKINGS = 50
WARMUP = 30
ROUNDS = 300
TARGET_MS = 3.0
API_KEY = "bench-key"
SITE_ID = "bench-site"

QUERY = """
query MyBookings($first: Int) {
  bookings(first: $first) {
    nodes {
      id status start
      allowedActions { cancel reschedule }
      service { name }
      form { fields { target } }
    }
  }
}
"""


async def _direct_page(http: httpx.AsyncClient) -> list[dict[str, Any]]:
    """The same page without the gateway: three rounds of the same calls, joined by hand."""
    response = await http.post(
        "/_api/bookings-reader/v2/extended-bookings/query",
        json={
            "query": {
                "sort": [{"fieldName": "startDate", "order": "ASC"}],
                "cursorPaging": {"limit": BOOKINGS},
            },
            "withBookingAllowedActions": True,
        },
    )
    extended = response.json()["extendedBookings"]
    service_ids = sorted({e["booking"]["bookedEntity"]["slot"]["serviceId"] for e in extended})
    form_ids = sorted({e["booking"]["formId"] for e in extended})
    services_call = http.post(
        "/bookings/v2/services/query",
        json={"query": {"filter": {"id": {"$in": service_ids}}, "paging": {"limit": 100}}},
    )
    form_calls = [http.get(f"/form-schema-service/v4/forms/{form_id}") for form_id in form_ids]
    services_response, *form_responses = await asyncio.gather(services_call, *form_calls)
    names = {s["id"]: s["name"] for s in services_response.json()["services"]}
    forms = {
        form["id"]: [f["inputOptions"]["target"] for f in form["formFields"]]
        for form in (r.json()["form"] for r in form_responses)
    }
    return [
        {
            "id": e["booking"]["id"],
            "allowedActions": e["allowedActions"],
            "service": names[e["booking"]["bookedEntity"]["slot"]["serviceId"]],
            "form": forms[e["booking"]["formId"]],
        }
        for e in extended
    ]


async def _timings(
    *calls: Callable[[], Awaitable[object]],
) -> list[list[float]]:
    """Milliseconds per call of each of `calls`, measured in alternating rounds."""
    for _ in range(WARMUP):
        for call in calls:
            await call()
    times: list[list[float]] = [[] for _ in calls]
    for _ in range(ROUNDS):
        for call, samples in zip(calls, times, strict=True):
            started = time.perf_counter()
            await call()
            samples.append((time.perf_counter() - started) * 1000)
    return times


def _p(times: list[float], percentile: int) -> float:
    return statistics.quantiles(times, n=100, method="inclusive")[percentile - 1]


async def _measure(url: str) -> None:
    settings = Settings(wix_api_key=API_KEY, wix_site_id=SITE_ID, wix_base_url=url)
    app = create_app(settings)
    headers = {"Authorization": API_KEY, "wix-site-id": SITE_ID}
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://gateway") as gateway,
        httpx.AsyncClient(base_url=url, headers=headers) as direct,
    ):
        await create_bookings(Upstream(app.state.wix_client), BOOKINGS, next_weekday(0))
        body = {"query": QUERY, "variables": {"first": BOOKINGS}}

        async def through_gateway() -> object:
            response = await gateway.post("/graphql", json=body)
            result = response.json()
            assert "errors" not in result and len(result["data"]["bookings"]["nodes"]) == BOOKINGS
            return result

        async def by_hand() -> object:
            page = await _direct_page(direct)
            assert len(page) == BOOKINGS
            return page

        direct_ms, gateway_ms = await _timings(by_hand, through_gateway)
    added = _p(gateway_ms, 50) - _p(direct_ms, 50)
    print(f"'my bookings' page: {BOOKINGS} bookings, {ROUNDS} rounds after {WARMUP} warm-up")
    for label, times in (("direct httpx", direct_ms), ("gateway", gateway_ms)):
        print(f"  {label:<13} p50 {_p(times, 50):6.2f} ms   p99 {_p(times, 99):6.2f} ms")
    print(f"  added by the gateway at p50: {added:.2f} ms (target <= {TARGET_MS:g} ms)")


def _serve_sandbox(port: int) -> None:
    """The child process: a fresh sandbox on `port` until terminated."""
    with serve(build_sandbox_app(Sandbox.open(":memory:")), port=port):
        while True:
            time.sleep(3600)


@contextmanager
def _sandbox_process() -> Iterator[str]:
    port = free_port()
    child = multiprocessing.get_context("spawn").Process(
        target=_serve_sandbox, args=(port,), daemon=True
    )
    child.start()
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"{url}/_sandbox/clock", timeout=1).raise_for_status()
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline or not child.is_alive():
                    raise RuntimeError("the sandbox process did not start") from None
                time.sleep(0.1)
        yield url
    finally:
        child.terminate()
        child.join(timeout=10)


def run() -> None:
    with _sandbox_process() as url:
        asyncio.run(_measure(url))


if __name__ == "__main__":
    run()
