"""Changing a multi-service package through `/graphql` against the embedded sandbox:
reschedule it, add bookings to it, take bookings out of it ("Reschedule a
multi-service booking and add a single-service booking" in
https://dev.wix.com/docs/api-reference/business-solutions/bookings/bookings/bookings-writer-v2/sample-flows).

The sandbox clock is frozen on Monday 2026-03-02 09:00 UTC (London is on GMT: local = UTC); the
usual package is described in `package_helpers`.
"""

from __future__ import annotations

import asyncio

from gateway.sandbox import seed
from gateway.sandbox.state import FaultRule
from tests.graphql import Gateway, gateway
from tests.graphql.mutations import queried_bookings, wait_for_call
from tests.graphql.mutations.package_helpers import (
    ADD,
    GET_CHAIN,
    MSB,
    REMOVE,
    booked,
    gateway_bookings,
    reschedule,
    standalone_haircut,
    times,
)

__all__ = ["gateway"]

# -- reschedule ------------------------------------------------------------------------------


async def test_reschedule_moves_every_booking_and_keeps_the_staff(gateway: Gateway) -> None:
    made = await booked(gateway, confirm=True)
    package_id = made["multiServiceBooking"]["id"]
    result = await reschedule(gateway, package_id, "2026-03-04T11:00:00")

    assert result["__typename"] == "PackageUpdated" and result["dissolved"] is False
    bookings = result["bookings"]
    assert [b["id"] for b in bookings] == [b["id"] for b in made["bookings"]]
    assert times(bookings) == [("11:00", "11:30"), ("11:30", "12:45")]
    assert [b["slot"]["resource"]["id"] for b in bookings] == [seed.STAFF_DAN, seed.STAFF_ELLA]
    assert [b["status"] for b in bookings] == ["CONFIRMED", "CONFIRMED"]
    assert [int(b["revision"]) for b in bookings] == [
        int(b["revision"]) + 1 for b in made["bookings"]
    ]
    assert times(await gateway_bookings(gateway, package_id)) == times(bookings)


async def test_reschedule_to_a_taken_time_changes_nothing(gateway: Gateway) -> None:
    made = await booked(gateway, confirm=True)
    await booked(gateway, confirm=True, start="2026-03-04T11:00:00")
    result = await reschedule(gateway, made["multiServiceBooking"]["id"], "2026-03-04T11:00:00")

    assert result["__typename"] == "PackageUnavailable" and result["alternatives"]
    still = await gateway_bookings(gateway, made["multiServiceBooking"]["id"])
    assert times(still) == [("09:00", "09:30"), ("09:30", "10:45")]


async def test_reschedule_within_the_strict_policy_window_is_not_allowed(gateway: Gateway) -> None:
    massage = {"serviceId": seed.SERVICE_MASSAGE}
    haircut = {"serviceId": seed.SERVICE_HAIRCUT}
    made = await booked(gateway, services=[massage, haircut], start="2026-03-02T14:00:00")
    gateway.reset_calls()
    result = await reschedule(gateway, made["multiServiceBooking"]["id"], "2026-03-03T14:00:00")

    assert (result["__typename"], result["code"]) == ("NotAllowed", "RESCHEDULE_NOT_ALLOWED")
    assert f"POST {MSB}/{{multiServiceBookingId}}/reschedule" not in gateway.calls()


async def test_a_change_made_meanwhile_is_a_revision_conflict(gateway: Gateway) -> None:
    """The package is confirmed between the gateway reading its revisions and Wix getting the
    reschedule (held back by a fault rule): nothing moves, the booking now is reported."""
    made = await booked(gateway)
    package_id = made["multiServiceBooking"]["id"]
    gateway.sandbox.faults.append(FaultRule(path=f"{MSB}/*/reschedule", latency_ms=500))
    gateway.reset_calls()
    moving = asyncio.create_task(reschedule(gateway, package_id, "2026-03-04T11:00:00"))
    await wait_for_call(gateway, GET_CHAIN)  # the last read before the write
    infos = [{"bookingId": b["id"], "revision": b["revision"]} for b in made["bookings"]]
    writer = gateway.upstream.bookings_writer
    await writer.confirm_multi_service_booking(package_id, {"confirmBookingsInfo": infos})
    result = await moving

    assert (result["__typename"], result["currentRevision"]) == ("RevisionConflict", "2")
    still = await gateway_bookings(gateway, package_id)
    assert times(still) == [("09:00", "09:30"), ("09:30", "10:45")]
    assert [b["status"] for b in still] == ["CONFIRMED", "CONFIRMED"]


async def test_reschedule_of_an_unknown_package_is_not_found(gateway: Gateway) -> None:
    missing = "00000000-0000-4000-8000-00000000dead"
    result = await reschedule(gateway, missing, "2026-03-04T13:00:00")
    assert (result["__typename"], result["id"]) == ("NotFound", missing)


async def test_reschedule_is_idempotent_under_a_key(gateway: Gateway) -> None:
    made = await booked(gateway, confirm=True)
    package_id = made["multiServiceBooking"]["id"]
    first = await reschedule(gateway, package_id, "2026-03-04T11:00:00", key="move-1")
    again = await reschedule(gateway, package_id, "2026-03-04T11:00:00", key="move-1")
    assert again == first and first["__typename"] == "PackageUpdated"
    reused = await reschedule(gateway, package_id, "2026-03-04T14:00:00", key="move-1")
    assert reused["__typename"] == "IdempotencyKeyReused"
    current = await gateway_bookings(gateway, package_id)
    assert [b["revision"] for b in current] == [b["revision"] for b in first["bookings"]]


# -- add and remove --------------------------------------------------------------------------


async def test_reschedule_then_add_a_booking_at_the_end(gateway: Gateway) -> None:
    """The sample flow: move the package, then add a booking that starts where it ends."""
    made = await booked(gateway, confirm=True)
    package_id = made["multiServiceBooking"]["id"]
    moved = await reschedule(gateway, package_id, "2026-03-04T14:00:00")
    assert times(moved["bookings"]) == [("14:00", "14:30"), ("14:30", "15:45")]
    extra = await standalone_haircut(gateway, "2026-03-04T15:45:00", "2026-03-04T16:15:00")

    result = await gateway.data(ADD, {"id": package_id, "bookings": [extra["id"]]})
    added = result["addBookingsToPackage"]
    assert added["__typename"] == "PackageUpdated"
    assert [b["id"] for b in added["bookings"]][-1] == extra["id"]
    assert added["multiServiceBooking"]["bookingIds"][-1] == extra["id"]
    (joined,) = await queried_bookings(gateway, id=extra["id"])
    assert joined["multiServiceBookingInfo"]["id"] == package_id
    assert int(joined["revision"]) == int(extra["revision"]) + 1


async def test_add_a_booking_with_a_gap_is_not_allowed(gateway: Gateway) -> None:
    made = await booked(gateway, confirm=True)
    extra = await standalone_haircut(gateway, "2026-03-04T12:00:00", "2026-03-04T12:30:00")
    result = await gateway.data(
        ADD, {"id": made["multiServiceBooking"]["id"], "bookings": [extra["id"]]}
    )
    failure = result["addBookingsToPackage"]
    assert failure["__typename"] == "NotAllowed" and failure["reason"]
    (alone,) = await queried_bookings(gateway, id=extra["id"])
    assert "multiServiceBookingInfo" not in alone


async def test_add_an_unknown_booking_is_not_found(gateway: Gateway) -> None:
    made = await booked(gateway)
    missing = "00000000-0000-4000-8000-00000000beef"
    result = await gateway.data(
        ADD, {"id": made["multiServiceBooking"]["id"], "bookings": [missing]}
    )
    assert (result["addBookingsToPackage"]["__typename"], result["addBookingsToPackage"]["id"]) == (
        "NotFound",
        missing,
    )


async def test_remove_the_last_booking_then_dissolve_the_package(gateway: Gateway) -> None:
    three = [{"serviceId": seed.SERVICE_HAIRCUT}, {"serviceId": seed.SERVICE_FACIAL},
             {"serviceId": seed.SERVICE_HAIRCUT}]  # fmt: skip
    made = await booked(gateway, services=three, confirm=True)
    package_id = made["multiServiceBooking"]["id"]
    first, middle, last = (b["id"] for b in made["bookings"])

    refused = (await gateway.data(REMOVE, {"id": package_id, "bookings": [middle]}))[
        "removeBookingsFromPackage"
    ]
    assert refused["__typename"] == "NotAllowed"

    kept = (await gateway.data(REMOVE, {"id": package_id, "bookings": [last]}))[
        "removeBookingsFromPackage"
    ]
    assert kept["__typename"] == "PackageUpdated" and kept["dissolved"] is False
    assert [b["id"] for b in kept["bookings"]] == [first, middle]

    gone = (await gateway.data(REMOVE, {"id": package_id, "bookings": [middle]}))[
        "removeBookingsFromPackage"
    ]
    assert gone["dissolved"] is True and gone["multiServiceBooking"] is None
    assert [b["id"] for b in gone["bookings"]] == [first]
    for booking in await queried_bookings(gateway, id={"$in": [first, middle, last]}):
        assert "multiServiceBookingInfo" not in booking
        assert booking["status"] == "CONFIRMED"
    lookup = await gateway.data(f'{{ multiServiceBooking(id: "{package_id}") {{ id }} }}')
    assert lookup["multiServiceBooking"] is None


async def test_remove_a_booking_of_another_package_is_not_found(gateway: Gateway) -> None:
    made = await booked(gateway)
    other = await standalone_haircut(gateway, "2026-03-04T14:00:00", "2026-03-04T14:30:00")
    result = await gateway.data(
        REMOVE, {"id": made["multiServiceBooking"]["id"], "bookings": [other["id"]]}
    )
    assert result["removeBookingsFromPackage"]["__typename"] == "NotFound"
