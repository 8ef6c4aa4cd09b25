"""A package changed by someone else between the gateway's read and its write: Wix answers
BOOKING_REVISION_MISMATCH (the code its SDK declares), and the caller gets RevisionConflict."""

from __future__ import annotations

import asyncio

from gateway.sandbox.state import FaultRule
from tests.graphql import Gateway, gateway
from tests.graphql.mutations.package_helpers import RESCHEDULE, booked

__all__ = ["gateway"]

RESCHEDULE_PATH = "/_api/bookings-service/v2/multi_service_bookings/*/reschedule"


async def test_a_stale_package_revision_is_a_revision_conflict(gateway: Gateway) -> None:
    package = (await booked(gateway))["multiServiceBooking"]
    first_id = package["bookingIds"][0]
    hold = FaultRule(path=RESCHEDULE_PATH, latency_ms=300, times=1)  # the write waits
    gateway.sandbox.faults.append(hold)
    variables = {"id": package["id"], "start": "2026-03-04T11:00:00", "key": None}
    moving = asyncio.create_task(gateway.post(RESCHEDULE, variables))
    await asyncio.sleep(0.1)  # the gateway has read the revisions and is waiting on its write
    with gateway.sandbox.store.transaction():  # another writer changes one booking meanwhile
        doc = gateway.sandbox.store.get("bookings", first_id)
        assert doc is not None
        doc["revision"] = str(int(doc["revision"]) + 1)
        gateway.sandbox.store.put_booking(doc)
    body = await moving
    outcome = body["data"]["rescheduleMultiServicePackage"]
    assert outcome["__typename"] == "RevisionConflict", body
    assert outcome["currentRevision"] == "2"  # the revision the other writer left
