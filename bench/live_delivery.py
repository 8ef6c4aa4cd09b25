"""Delivery latency of a Wix event to 500 subscribers on one replica: from the moment a booking is
created on a standalone sandbox to the moment each subscriber has its `availabilityChanged`.

The sandbox (`python -m gateway sandbox`) and one gateway (`python -m gateway`, `WIX_BASE_URL`
at the sandbox, `WIX_WEBHOOK_PUBLIC_KEY` the sandbox's key) run as their own processes, on real
time (the JWTs' `exp` is checked across the two processes). The sandbox's webhook target is the
gateway's `/webhooks/wix`. This process opens `SUBSCRIBERS` WebSockets (graphql-transport-ws),
each subscribed to `availabilityChanged` of the haircut service, then creates `BOOKINGS`
bookings directly on the sandbox, one at a time, waiting until every subscriber has the event
before the next. Measured path: the sandbox's commit, its signed webhook POST, verification,
dedupe and the hub, 500 subscription messages, and their reading by this process (one event
loop, sharing the 2 cores with both servers, so the figures include the client's own work).

Prints p50, p99 and max over every (booking, subscriber) delivery.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import time
from datetime import date, timedelta
from typing import Any

import httpx
import websockets

from bench.gateway_load import API_KEY, SITE_ID, _start, _stop
from gateway.config import Settings
from gateway.sandbox import seed
from gateway.upstream import Upstream, WixClient
from gateway.upstream.bookings_writer import CREATE_BOOKING
from tests.graphql import _slot_entities
from tests.servers import free_port

SUBSCRIBERS = 500
BOOKINGS = 20
WAIT_SECONDS = 10.0
QUERY = "subscription($id: ID!) { availabilityChanged(serviceId: $id) { serviceId from to } }"
FORM = {"first_name": "Bench", "last_name": "Mark", "email": "bench@example.com"}


class Subscriber:
    def __init__(self, url: str) -> None:
        self._url = url
        self.received: list[float] = []  # when each change arrived
        self._socket: Any = None

    async def open(self) -> None:
        self._socket = await websockets.connect(
            self._url, subprotocols=[websockets.Subprotocol("graphql-transport-ws")]
        )
        await self._socket.send(json.dumps({"type": "connection_init", "payload": {}}))
        ack = json.loads(await self._socket.recv())
        assert ack["type"] == "connection_ack", ack
        subscribe = {"query": QUERY, "variables": {"id": seed.SERVICE_HAIRCUT}}
        message = {"id": "1", "type": "subscribe", "payload": subscribe}
        await self._socket.send(json.dumps(message))

    async def read(self) -> None:
        async for raw in self._socket:
            message = json.loads(raw)
            if message["type"] == "ping":
                await self._socket.send(json.dumps({"type": "pong"}))
            elif message["type"] == "next":
                assert message["payload"]["data"]["availabilityChanged"]["from"]
                self.received.append(time.perf_counter())
            elif message["type"] in ("error", "complete"):
                raise RuntimeError(f"subscription ended: {message}")

    async def close(self) -> None:
        await self._socket.close()


async def _slots(sandbox_url: str, count: int) -> list[dict[str, Any]]:
    settings = Settings(
        upstream="wix", wix_base_url=sandbox_url, wix_api_key=API_KEY, wix_site_id=SITE_ID
    )
    client = WixClient(settings)
    try:
        async with httpx.AsyncClient() as http:
            now = (await http.get(f"{sandbox_url}/_sandbox/clock")).json()["now"]
        start = date.fromisoformat(now[:10]) + timedelta(days=2)  # the sandbox's business time
        return list(await _slot_entities(Upstream(client), seed.SERVICE_HAIRCUT, start, count))
    finally:
        await client.aclose()


async def _measure(sandbox_url: str, gateway_url: str) -> list[float]:
    slots = await _slots(sandbox_url, BOOKINGS)
    ws_url = gateway_url.replace("http://", "ws://") + "/graphql"
    subscribers = [Subscriber(ws_url) for _ in range(SUBSCRIBERS)]
    for batch in range(0, SUBSCRIBERS, 50):
        await asyncio.gather(*(s.open() for s in subscribers[batch : batch + 50]))
    readers = [asyncio.create_task(s.read()) for s in subscribers]
    await asyncio.sleep(0.5)
    latencies: list[float] = []
    headers = {"Authorization": API_KEY, "wix-site-id": SITE_ID}
    try:
        async with httpx.AsyncClient(base_url=sandbox_url, headers=headers) as wix:
            for index, slot in enumerate(slots):
                body = {
                    "booking": {"bookedEntity": {"slot": slot}, "totalParticipants": 1},
                    "formSubmission": FORM,
                }
                started = time.perf_counter()
                (await wix.post(CREATE_BOOKING, json=body)).raise_for_status()
                deadline = started + WAIT_SECONDS
                while not all(len(s.received) > index for s in subscribers):
                    if time.perf_counter() > deadline:
                        missing = sum(len(s.received) <= index for s in subscribers)
                        raise RuntimeError(f"{missing} subscribers never got the event")
                    await asyncio.sleep(0.002)
                latencies.extend(s.received[index] - started for s in subscribers)
    finally:
        for reader in readers:
            reader.cancel()
        await asyncio.gather(*(s.close() for s in subscribers), return_exceptions=True)
    return latencies


def run() -> None:
    sandbox_port, gateway_port = free_port(), free_port()
    sandbox_url = f"http://127.0.0.1:{sandbox_port}"
    gateway_url = f"http://127.0.0.1:{gateway_port}"
    sandbox = _start(["sandbox", "--port", str(sandbox_port)], {}, f"{sandbox_url}/_sandbox/clock")
    try:
        public_key = httpx.get(f"{sandbox_url}/_sandbox/webhook-public-key").json()["publicKey"]
        env = {
            "WIX_BASE_URL": sandbox_url,
            "WIX_API_KEY": API_KEY,
            "WIX_SITE_ID": SITE_ID,
            "WIX_WEBHOOK_PUBLIC_KEY": public_key,
            "GATEWAY_PORT": str(gateway_port),
        }
        gateway = _start([], env, f"{gateway_url}/healthz")
        try:
            target = {"url": f"{gateway_url}/webhooks/wix"}
            httpx.post(f"{sandbox_url}/_sandbox/webhooks", json=target).raise_for_status()
            latencies = asyncio.run(_measure(sandbox_url, gateway_url))
        finally:
            _stop(gateway)
    finally:
        _stop(sandbox)
    ms = sorted(latency * 1000 for latency in latencies)
    p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))]
    print(
        f"live delivery, {SUBSCRIBERS} subscribers x {BOOKINGS} bookings ({len(ms)} deliveries): "
        f"p50 {statistics.median(ms):.1f} ms, p99 {p99:.1f} ms, max {ms[-1]:.1f} ms"
    )


if __name__ == "__main__":
    run()
