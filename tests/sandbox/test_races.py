"""Concurrent creates and confirmations of one slot: exactly the capacity wins
(https://dev.wix.com/docs/api-reference/business-solutions/bookings/bookings/bookings-writer-v2/confirm-or-decline-booking).

Create and Confirm-Or-Decline run their checks and writes in one store transaction, so however
the requests interleave, the slot is decided one booking at a time.
"""

from __future__ import annotations

import asyncio
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from gateway.sandbox import booking_checks
from gateway.sandbox.api.bookings_writer import create_booking
from gateway.sandbox.errors import WixError
from gateway.sandbox.routing import Call
from gateway.sandbox.state import Sandbox
from tests.sandbox.booking_helpers import (
    FORM,
    YOGA_FORM,
    YOGA_TONIGHT,
    appointment,
    class_session,
    code,
    confirm_or_decline,
    create,
    created,
)


def confirmed_in_store(sandbox: Sandbox) -> int:
    return int(sandbox.store.scalar("SELECT COUNT(*) FROM bookings WHERE status = 'CONFIRMED'"))


async def test_twenty_confirmed_creates_for_one_slot(
    wix: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    responses = await asyncio.gather(
        *(create(wix, appointment(status="CONFIRMED")) for _ in range(20))
    )
    assert sorted(r.status_code for r in responses) == [200] + [428] * 19
    assert {code(r) for r in responses if r.status_code == 428} == {"SLOT_NOT_AVAILABLE"}
    assert confirmed_in_store(sandbox) == 1


async def test_twenty_threads_creating_one_slot(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same race with real parallelism: the handler called from 20 OS threads released
    together. The availability check is slowed to yield the GIL, so without the store
    transaction several threads would pass it before any of them saves."""
    real_free_staff = booking_checks.free_staff

    def slow_free_staff(*args: Any, **kwargs: Any) -> list[str]:
        free = real_free_staff(*args, **kwargs)
        time.sleep(0.02)
        return free

    monkeypatch.setattr(booking_checks, "free_staff", slow_free_staff)
    body = {"booking": appointment(status="CONFIRMED"), "formSubmission": FORM}
    start_together = threading.Barrier(20)

    def attempt(_: int) -> int:
        start_together.wait()
        try:
            create_booking.handler(sandbox, Call({}, {}, body))
        except WixError as error:
            assert error.code == "SLOT_NOT_AVAILABLE"
            return error.status
        return 200

    with ThreadPoolExecutor(max_workers=20) as pool:
        statuses = list(pool.map(attempt, range(20)))
    assert sorted(statuses) == [200] + [428] * 19
    assert confirmed_in_store(sandbox) == 1


async def create_then_decide(
    wix: httpx.AsyncClient, count: int, booking: dict[str, Any], form: dict[str, Any], **body: Any
) -> list[dict[str, Any]]:
    """`count` customers each create a booking, then all confirm-or-decline at once.

    The barrier models the documented double-booking race (every customer got a booking before
    anyone paid): a create after the winner was confirmed is refused outright with 428 instead,
    as the first test shows."""
    everyone_created = asyncio.Barrier(count)

    async def customer() -> dict[str, Any]:
        made = await created(wix, booking, form=form)
        await everyone_created.wait()
        response = await confirm_or_decline(wix, made["id"], **body)
        assert response.status_code == 200, response.text
        return dict(response.json()["booking"])

    return list(await asyncio.gather(*(customer() for _ in range(count))))


async def test_twenty_free_bookings_confirm_one_and_decline_the_rest(
    wix: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    decided = await create_then_decide(wix, 20, appointment(), FORM)
    assert sorted(b["status"] for b in decided) == ["CONFIRMED"] + ["DECLINED"] * 19
    assert not any(b.get("doubleBooked") for b in decided)
    assert confirmed_in_store(sandbox) == 1


async def test_twenty_paid_bookings_all_confirm_nineteen_double_booked(
    wix: httpx.AsyncClient,
) -> None:
    decided = await create_then_decide(wix, 20, appointment(), FORM, paymentStatus="PAID")
    assert [b["status"] for b in decided] == ["CONFIRMED"] * 20
    assert sum(1 for b in decided if b.get("doubleBooked")) == 19


async def test_thirty_class_bookings_fill_ten_places(
    wix: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    decided = await create_then_decide(wix, 30, class_session(YOGA_TONIGHT), YOGA_FORM)
    assert sorted(b["status"] for b in decided) == ["CONFIRMED"] * 10 + ["DECLINED"] * 20
    assert confirmed_in_store(sandbox) == 10
