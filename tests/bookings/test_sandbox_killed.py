"""The upstream dies while 16 flows wait on Confirm Or Decline, and comes back: after one
reconciliation pass no booking is left that a customer was not told about."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from gateway.clock import Clock
from gateway.config import Settings
from tests.frozen import FROZEN_AT_WIRE
from tests.graphql import open_gateway
from tests.graphql.mutations import appointment_input, document, haircut_slot
from tests.served import clean_environment
from tests.servers import free_port

FLOWS = 16
OWNER = {"Authorization": "owner-api-key"}
CONFIRM_OR_DECLINE = "/bookings/v2/confirmation/*"


@contextmanager
def sandbox_on(db: Path, port: int) -> Iterator[subprocess.Popen[bytes]]:
    """`python -m gateway sandbox` on a file, its clock frozen at the tests' instant."""
    process = subprocess.Popen(
        [sys.executable, "-m", "gateway", "sandbox", "--port", str(port), "--db", str(db)],
        env=clean_environment(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            frozen = {"now": FROZEN_AT_WIRE, "frozen": True}
            httpx.post(f"{url}/_sandbox/clock", json=frozen, timeout=1).raise_for_status()
            break
        except httpx.HTTPError:
            assert time.monotonic() < deadline and process.poll() is None, "no sandbox"
            time.sleep(0.1)
    try:
        yield process
    finally:
        process.kill()
        process.wait(timeout=10)


async def statuses(url: str) -> list[str]:
    async with httpx.AsyncClient(base_url=url, headers=OWNER) as wix:
        body = {"query": {"cursorPaging": {"limit": 100}}}
        answer = await wix.post("/_api/bookings-reader/v2/extended-bookings/query", json=body)
        answer.raise_for_status()
        return sorted(item["booking"]["status"] for item in answer.json()["extendedBookings"])


async def test_no_orphan_survives_an_upstream_that_died_mid_flow(
    tmp_path: Path, clock: Clock
) -> None:
    db, port = tmp_path / "wix.sqlite3", free_port()
    url = f"http://127.0.0.1:{port}"
    settings = Settings(
        upstream="wix",
        wix_base_url=url,
        wix_api_key=OWNER["Authorization"],
        wix_site_id="site-1",
        outbox_db=str(tmp_path / "outbox.sqlite3"),
        call_deadline=2.0,
        max_attempts=1,
        gc_freeze=False,
    )
    async with open_gateway(settings, clock) as gateway:
        with sandbox_on(db, port) as sandbox:
            async with httpx.AsyncClient(base_url=url) as controls:
                (await controls.post("/_sandbox/reset")).raise_for_status()  # at the frozen now
                rule = {"path": CONFIRM_OR_DECLINE, "latencyMs": 30_000}
                (await controls.post("/_sandbox/faults", json=rule)).raise_for_status()
            slot = await haircut_slot(gateway)
            variables = {"input": appointment_input(slot, confirm=True)}
            flows = [
                asyncio.create_task(gateway.post(document("bookAppointment"), variables))
                for _ in range(FLOWS)
            ]
            while (await statuses(url)).count("CREATED") < FLOWS:  # noqa: ASYNC110 - another process
                await asyncio.sleep(0.05)
            sandbox.kill()  # every flow is waiting on Confirm Or Decline
            answers = await asyncio.gather(*flows)
        errors = [answer["errors"][0]["extensions"] for answer in answers]
        assert {error["code"] for error in errors} == {"UPSTREAM_UNAVAILABLE"}
        assert len({error["bookingId"] for error in errors}) == FLOWS  # each names its booking

        with sandbox_on(db, port):  # back, with the bookings it had committed
            assert await statuses(url) == ["CREATED"] * FLOWS
            assert await gateway.app.state.reconciler.run_once() == FLOWS
            assert await statuses(url) == ["CANCELED"] * FLOWS
