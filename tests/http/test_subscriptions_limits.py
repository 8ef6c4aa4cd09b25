"""The bounds of subscriptions: open streams per process across both transports, operations per
socket, the `connection_init` wait, idle sockets, keep-alive pings, message size, and a client
that stops reading while others are served."""

from __future__ import annotations

import asyncio
import json
import time

import httpx
import pytest
from websockets.exceptions import InvalidStatus

from tests.http.subscriptions import (
    SSE,
    TRACK,
    Refused,
    served,
    settings_for,
    socket,
    sse_events,
    until,
)

FOREVER = "subscription { forever }"


def refused_upgrade(error: InvalidStatus) -> tuple[int, str]:
    body = json.loads(error.response.body or b"{}")
    return error.response.status_code, body["errors"][0]["extensions"]["code"]


async def test_open_streams_are_bounded_across_both_transports() -> None:
    with served(settings_for(subscription_max_connections=2)) as url:
        async with (
            httpx.AsyncClient(base_url=url, headers=SSE, timeout=5) as http,
            socket(url) as first,
            http.stream("POST", "/graphql", json={"query": FOREVER}) as stream,
        ):
            assert stream.status_code == 200
            with pytest.raises(InvalidStatus) as refused:
                async with socket(url):
                    pass
            assert refused_upgrade(refused.value) == (503, "TOO_MANY_SUBSCRIPTIONS")
            assert refused.value.response.headers["retry-after"]
            full = await http.post("/graphql", json={"query": FOREVER})
            assert full.status_code == 503
            assert full.json()["errors"][0]["extensions"]["code"] == "TOO_MANY_SUBSCRIPTIONS"
            assert "retry-after" in full.headers
            assert await first.run("{ hello }") == [{"data": {"hello": "world"}}]
        # Both closed: their slots are free again.
        async with socket(url) as again:
            assert await again.run("{ hello }") == [{"data": {"hello": "world"}}]


async def test_operations_per_socket_are_bounded() -> None:
    with served(settings_for(subscription_max_per_connection=2)) as url:
        async with socket(url) as ws:
            for operation_id in ("a", "b"):
                await ws.subscribe(operation_id, FOREVER)
                assert (await ws.receive())["type"] == "next"
            with pytest.raises(Refused) as refused:
                await ws.run(FOREVER, "c")
            assert refused.value.codes == ["TOO_MANY_SUBSCRIPTIONS"]
            await ws.send({"id": "a", "type": "complete"})
            assert (await ws.run("{ hello }", "d")) == [{"data": {"hello": "world"}}]


async def test_a_socket_must_say_connection_init_in_time() -> None:
    with served(settings_for(subscription_init_timeout=0.2)) as url:
        async with socket(url, init=False) as ws:
            assert (await ws.closed())[0] == 4408


async def test_a_socket_without_operations_is_closed_once_idle() -> None:
    with served(settings_for(subscription_idle_seconds=0.3)) as url:
        async with socket(url) as idle:
            started = time.monotonic()
            code, reason = await idle.closed()
        assert code == 1000 and "0.3" in reason
        assert 0.25 < time.monotonic() - started < 2
        async with socket(url) as busy:
            await busy.subscribe("1", FOREVER)
            await busy.receive()
            await asyncio.sleep(0.6)  # twice the idle time, with an active subscription
            await busy.send({"type": "ping"})
            assert await busy.receive() == {"type": "pong"}
            await busy.send({"id": "1", "type": "complete"})
            assert (await busy.closed())[0] == 1000  # idle again from the completion


async def test_the_server_pings_to_keep_the_socket_alive() -> None:
    with served(settings_for(subscription_keepalive_seconds=0.1)) as url:
        async with socket(url) as ws:
            assert await ws.receive(pings=True) == {"type": "ping"}
            await ws.send({"type": "pong"})
            assert await ws.run("{ hello }") == [{"data": {"hello": "world"}}]


async def test_a_message_larger_than_the_body_limit_closes_the_socket() -> None:
    with served(settings_for(max_body_bytes=1000)) as url:
        async with socket(url) as ws:
            await ws.subscribe("1", "{ hello }" + " " * 1000)
            assert (await ws.closed())[0] == 1009


async def test_a_client_that_stops_reading_holds_up_no_one_else() -> None:
    """One socket floods a client that reads nothing: its sends stall (the generator stops
    being pulled, so nothing piles up), while another socket and SSE are served at once."""
    with served() as url:
        async with socket(url, max_queue=1, compression=None) as stalled:
            await stalled.subscribe("flood", "subscription { flood(size: 65536) }")
            await until(lambda: TRACK.produced > 10)
            await _until_steady(lambda: TRACK.produced)
            produced = TRACK.produced
            async with socket(url) as other:
                events = await other.run("subscription { count(to: 3, pause: 0.01) }")
            assert len(events) == 3
            async with httpx.AsyncClient(base_url=url, headers=SSE, timeout=5) as http:
                body = {"query": "subscription { count(to: 2) }"}
                async with http.stream("POST", "/graphql", json=body) as response:
                    assert len([e async for e in sse_events(response)]) == 3
            # Bounded: at most the socket buffers' worth (~64 KB messages) more was produced.
            assert TRACK.produced - produced < 100
            stalled.connection.transport.abort()  # no close handshake with a stalled peer


async def _until_steady(read: object, quiet: float = 0.3) -> None:
    """Until `read()` stops changing for `quiet` seconds."""
    last = read()  # type: ignore[operator]
    while True:
        await asyncio.sleep(quiet)
        now = read()  # type: ignore[operator]
        if now == last:
            return
        last = now
