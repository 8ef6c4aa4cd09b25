"""Failed flows leave no booking behind: what they cannot undo at once, the reconciler does."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from redis.asyncio import Redis

from gateway.bookings.outbox import Outbox, RedisOutbox, SqliteOutbox, orphan_grace
from gateway.bookings.reconciler import WATCH_SECONDS
from gateway.bookings.stamps import new_stamp
from gateway.sandbox.state import FaultRule
from tests.graphql import Gateway, gateway
from tests.graphql.mutations import (
    appointment_input,
    create_booking,
    document,
    haircut_slot,
    sandbox_slot,
    stored_bookings,
)

__all__ = ["gateway"]

CONFIRM_OR_DECLINE = "/bookings/v2/confirmation/*"
CANCEL = "/_api/bookings-service/v2/bookings/*/cancel"


def statuses(gateway: Gateway) -> list[str]:
    return sorted(booking["status"] for booking in stored_bookings(gateway))


async def test_an_undo_that_fails_is_finished_by_the_reconciler(gateway: Gateway) -> None:
    """Confirm Or Decline answers 500 and so does the undo: the customer gets an error naming
    the booking, and the next reconciliation pass cancels it."""
    slot = await haircut_slot(gateway)
    gateway.sandbox.faults += [
        FaultRule(path=CONFIRM_OR_DECLINE, status=500, times=1),
        FaultRule(path=CANCEL, status=500, times=1),
    ]
    body = await gateway.post(
        document("bookAppointment"), {"input": appointment_input(slot, confirm=True)}
    )
    [error] = body["errors"]
    [booking] = stored_bookings(gateway)
    assert error["extensions"]["bookingId"] == booking["id"]
    assert booking["status"] == "CREATED"

    assert await gateway.app.state.reconciler.run_once() == 1
    assert statuses(gateway) == ["CANCELED"]


async def test_a_failed_confirm_is_undone_at_once_with_the_current_revision(
    gateway: Gateway,
) -> None:
    slot = await haircut_slot(gateway)
    gateway.sandbox.faults.append(FaultRule(path=CONFIRM_OR_DECLINE, status=500, times=1))
    body = await gateway.post(
        document("bookAppointment"), {"input": appointment_input(slot, confirm=True)}
    )
    assert body["errors"][0]["extensions"]["bookingId"]
    assert statuses(gateway) == ["CANCELED"]
    assert await gateway.app.state.reconciler.run_once() == 0


async def test_a_flow_that_died_is_cleaned_up_after_its_grace(gateway: Gateway) -> None:
    """A process that died between create and answer left its stamp in the outbox and a
    CREATED booking in Wix: untouched while the flow could still be running, cancelled after."""
    stamp = new_stamp()
    outbox = gateway.app.state.outbox
    await outbox.add(stamp, gateway.clock.timestamp() + orphan_grace(gateway.app.state.settings))
    await create_booking(gateway, sandbox_slot(), externalUserId=stamp)
    reconciler = gateway.app.state.reconciler
    assert await reconciler.run_once() == 0 and statuses(gateway) == ["CREATED"]
    gateway.clock.advance(timedelta(seconds=orphan_grace(gateway.app.state.settings) + 1))
    assert await reconciler.run_once() == 1 and statuses(gateway) == ["CANCELED"]


async def test_a_late_create_is_caught_by_the_watch(gateway: Gateway) -> None:
    """A stamp found with nothing to cancel is looked at once more: a create Wix received just
    before the flow gave up, landing afterwards, is cancelled then."""
    stamp = new_stamp()
    outbox = gateway.app.state.outbox
    await outbox.add(stamp, gateway.clock.timestamp())
    reconciler = gateway.app.state.reconciler
    assert await reconciler.run_once() == 0
    await create_booking(gateway, sandbox_slot(), externalUserId=stamp)  # lands late
    gateway.clock.advance(timedelta(seconds=WATCH_SECONDS + 1))
    assert await reconciler.run_once() == 1 and statuses(gateway) == ["CANCELED"]
    gateway.clock.advance(timedelta(seconds=WATCH_SECONDS + 1))
    assert await outbox.due(gateway.clock.timestamp(), 10) == []


async def test_a_successful_booking_leaves_nothing_in_the_outbox(gateway: Gateway) -> None:
    slot = await haircut_slot(gateway)
    body = await gateway.post(
        document("bookAppointment"), {"input": appointment_input(slot, confirm=True)}
    )
    assert body["data"]["bookAppointment"]["__typename"] == "BookingCreated"
    far = gateway.clock.timestamp() + 10 * WATCH_SECONDS
    assert await gateway.app.state.outbox.due(far, 10) == []
    [booking] = stored_bookings(gateway)
    assert booking["externalUserId"].startswith("gateway-attempt-")


@pytest.fixture(params=["sqlite", "redis"])
async def durable_outbox(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[tuple[Outbox, object]]:
    if request.param == "sqlite":
        path = str(tmp_path / "outbox.sqlite3")
        first = SqliteOutbox(path)
        yield first, lambda: SqliteOutbox(path)
        first.close()
        return
    redis = Redis.from_url(request.getfixturevalue("redis_url"))
    key = f"test:outbox:{new_stamp()}"
    yield RedisOutbox(redis, key), lambda: RedisOutbox(redis, key)
    await redis.aclose()


async def test_the_outbox_survives_a_restart(durable_outbox: tuple[Outbox, object]) -> None:
    outbox, reopen = durable_outbox
    await outbox.add("gateway-attempt-a", 100.0)
    await outbox.add("gateway-attempt-b", 300.0)
    if isinstance(outbox, SqliteOutbox):
        outbox.close()
    again = reopen()  # type: ignore[operator]
    assert await again.due(200.0, 10) == ["gateway-attempt-a"]
    await again.postpone("gateway-attempt-b", 150.0)
    await again.remove("gateway-attempt-a")
    assert await again.due(200.0, 10) == ["gateway-attempt-b"]
