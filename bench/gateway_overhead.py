"""What the GraphQL layer adds to a "my bookings" page, over the same Wix calls made by hand.

The sandbox is served by uvicorn on loopback (`tests/servers.serve`) in a child process, so that
like Wix it does not share this process's CPU; the gateway runs here, started as in production
(its lifespan freezes start-up garbage), queried through an ASGI transport, with `WIX_BASE_URL`
pointing at the sandbox. The page: 50 bookings with `allowedActions`, `service { name }` and
`form { fields { target } }`.

The comparison is kept fair, and checked before timing:
- same upstream calls: the gateway's reference-data caches are off for the measured figure (with
  them on, a repeated page makes one upstream call instead of five); the sandbox's request log
  must show the same calls for one page of each side;
- same work: the direct client makes the calls the gateway makes (Query Extended Bookings with
  allowed actions, then Query Services with `$in` and one Get Form per distinct form,
  concurrently), joins them and encodes the same response JSON the gateway sends (compared).
Both sides end with the page's JSON bytes, what a consumer of either receives (decoding them is
the consumer's work, the same for both). Rounds alternate between the sides, in an order shuffled
per round, so that load on the machine and what ran just before hit all alike. Prints p50/p99
of each and the difference at p50 (target: <= 3 ms).

The headline direct client is written as a typical one is: `response.json()` and `json.dumps`.
The gateway parses and encodes JSON with orjson, so the same direct client with orjson for both
is shown too, with the gateway's difference to it: how much of the gap is the JSON library. The
gateway with its default caches is shown for information.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import random
import statistics
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import orjson

from gateway.app import create_app
from gateway.config import Settings
from gateway.upstream import Upstream
from tests.graphql import create_bookings, next_weekday
from tests.servers import sandbox_process

BOOKINGS = 50
WARMUP = 30
ROUNDS = 300
TARGET_MS = 3.0
ORDER_SEED = 20  # the order of the sides in each round is shuffled, the same way every run
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


def gateway_settings(url: str, *, caches: bool) -> Settings:
    """The gateway on the sandbox at `url`; without `caches` it makes the same upstream calls
    as the direct client (its reference-data caches off)."""
    settings = Settings(wix_api_key=API_KEY, wix_site_id=SITE_ID, wix_base_url=url)
    if caches:
        return settings
    return dataclasses.replace(
        settings,
        cache_services_seconds=0.0,
        cache_policies_seconds=0.0,
        cache_forms_seconds=0.0,
        cache_site_properties_seconds=0.0,
    )


def _stdlib_json(response: httpx.Response) -> Any:
    return response.json()


def _orjson(response: httpx.Response) -> Any:
    return orjson.loads(response.content)


def _stdlib_dumps(page: Any) -> bytes:
    return json.dumps(page).encode()


async def _direct_page(
    http: httpx.AsyncClient,
    parse: Callable[[httpx.Response], Any] = _stdlib_json,
    encode: Callable[[Any], bytes] = _stdlib_dumps,
) -> bytes:
    """The same page without the gateway: two rounds of the same calls, joined by hand and
    encoded as the same JSON document the gateway answers with."""
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
    extended = parse(response)["extendedBookings"]
    service_ids = sorted({e["booking"]["bookedEntity"]["slot"]["serviceId"] for e in extended})
    form_ids = sorted({e["booking"]["formId"] for e in extended})
    services_call = http.post(
        "/bookings/v2/services/query",
        json={"query": {"filter": {"id": {"$in": service_ids}}, "paging": {"limit": 100}}},
    )
    form_calls = [http.get(f"/form-schema-service/v4/forms/{form_id}") for form_id in form_ids]
    services_response, *form_responses = await asyncio.gather(services_call, *form_calls)
    services = {s["id"]: {"name": s["name"]} for s in parse(services_response)["services"]}
    forms = {
        form["id"]: {
            "fields": [
                {"target": f["inputOptions"]["target"]}
                for f in form["formFields"]
                if (f.get("inputOptions") or {}).get("target")  # display-only items have none
            ]
        }
        for form in (parse(r)["form"] for r in form_responses)
    }
    nodes = []
    for e in extended:
        booking, actions = e["booking"], e["allowedActions"]
        nodes.append(
            {
                "id": booking["id"],
                "status": booking["status"],
                "start": booking["startDate"],
                "allowedActions": {
                    "cancel": bool(actions.get("cancel")),
                    "reschedule": bool(actions.get("reschedule")),
                },
                "service": services[booking["bookedEntity"]["slot"]["serviceId"]],
                "form": forms[booking["formId"]],
            }
        )
    return encode({"data": {"bookings": {"nodes": nodes}}})


async def _timings(
    *calls: Callable[[], Awaitable[object]],
) -> list[list[float]]:
    """Milliseconds per call of each of `calls`, measured in rounds of one call each, in an
    order shuffled per round: with a fixed order, two identical direct clients came out up to
    0.4 ms apart at p50 (what runs just before a call matters), the more so the later a side
    comes after the cached gateway."""
    for _ in range(WARMUP):
        for call in calls:
            await call()
    times: list[list[float]] = [[] for _ in calls]
    order = list(range(len(calls)))
    shuffle = random.Random(ORDER_SEED).shuffle
    for _ in range(ROUNDS):
        shuffle(order)
        for index in order:
            started = time.perf_counter()
            await calls[index]()
            times[index].append((time.perf_counter() - started) * 1000)
    return times


def _p(times: list[float], percentile: int) -> float:
    return statistics.quantiles(times, n=100, method="inclusive")[percentile - 1]


async def _upstream_calls(sandbox: httpx.AsyncClient, page: Callable[[], Awaitable[object]]):
    """The Wix calls (method and path, with counts) that one `page()` makes."""
    (await sandbox.delete("/_sandbox/requests")).raise_for_status()
    await page()
    return (await sandbox.get("/_sandbox/requests")).json()["counts"]


def _gateway_page(app: Any, body: dict[str, Any]) -> tuple[httpx.AsyncClient, Callable]:
    """A client of `app` over ASGI and the page through it: the response's JSON bytes (their
    content is compared with the direct client's before timing)."""
    transport = httpx.ASGITransport(app=app)
    client = httpx.AsyncClient(transport=transport, base_url="http://gateway")

    async def page() -> bytes:
        response = await client.post("/graphql", json=body)
        assert response.status_code == 200 and b'"errors"' not in response.content
        return response.content

    return client, page


async def _measure(url: str) -> None:
    app = create_app(gateway_settings(url, caches=False))
    cached_app = create_app(gateway_settings(url, caches=True))
    headers = {"Authorization": API_KEY, "wix-site-id": SITE_ID}
    body = {"query": QUERY, "variables": {"first": BOOKINGS}}
    gateway, through_gateway = _gateway_page(app, body)
    cached_gateway, through_cached_gateway = _gateway_page(cached_app, body)
    async with (
        app.router.lifespan_context(app),
        cached_app.router.lifespan_context(cached_app),
        gateway,
        cached_gateway,
        httpx.AsyncClient(base_url=url, headers=headers) as direct,
    ):
        await create_bookings(Upstream(app.state.wix_client), BOOKINGS, next_weekday(0))

        async def by_hand() -> bytes:
            return await _direct_page(direct)

        async def by_hand_orjson() -> bytes:
            return await _direct_page(direct, _orjson, orjson.dumps)

        same_calls = await _upstream_calls(direct, by_hand)
        assert await _upstream_calls(direct, through_gateway) == same_calls, "not the same calls"
        page = json.loads(await through_gateway())
        assert json.loads(await by_hand()) == page, "not the same response"
        assert json.loads(await by_hand_orjson()) == page, "not the same response"
        assert len(page["data"]["bookings"]["nodes"]) == BOOKINGS
        direct_ms, orjson_ms, gateway_ms, cached_ms = await _timings(
            by_hand, by_hand_orjson, through_gateway, through_cached_gateway
        )
    added = _p(gateway_ms, 50) - _p(direct_ms, 50)
    calls = sum(same_calls.values())
    print(f"'my bookings' page: {BOOKINGS} bookings, {ROUNDS} rounds after {WARMUP} warm-up")
    rows = (
        (f"direct httpx ({calls} calls)", direct_ms),
        ("direct httpx + orjson", orjson_ms),
        (f"gateway ({calls} calls)", gateway_ms),
        ("gateway, caches on", cached_ms),
    )
    for label, times in rows:
        print(f"  {label:<25} p50 {_p(times, 50):6.2f} ms   p99 {_p(times, 99):6.2f} ms")
    verdict = "met" if added <= TARGET_MS else "NOT met"
    print(f"  added by the gateway at p50: {added:.2f} ms (target <= {TARGET_MS:g} ms: {verdict})")
    over_orjson = _p(gateway_ms, 50) - _p(orjson_ms, 50)
    print(f"  ... over the direct client with orjson: {over_orjson:.2f} ms")


def run() -> None:
    with sandbox_process() as url:
        asyncio.run(_measure(url))


if __name__ == "__main__":
    run()
