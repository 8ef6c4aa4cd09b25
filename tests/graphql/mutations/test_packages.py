"""Booking a multi-service package through `/graphql` against the embedded sandbox: with and
without confirmation, staff asked for, taken times, bad input, form answers, a failure after the
create, races and idempotency ("Create a multi-service booking" in
https://dev.wix.com/docs/api-reference/business-solutions/bookings/bookings/bookings-writer-v2/sample-flows).

The sandbox clock is frozen on Monday 2026-03-02 09:00 UTC (London is on GMT: local = UTC); the
usual package is described in `package_helpers`.
"""

from __future__ import annotations

import asyncio

from gateway.sandbox import seed
from gateway.sandbox.state import FaultRule
from tests.graphql import Gateway, gateway
from tests.graphql.mutations import QUERY_BOOKINGS, queried_bookings
from tests.graphql.mutations.package_helpers import (
    ADA,
    BOOK,
    CANCEL_MSB,
    CONFIRM_MSB,
    CREATE_MSB,
    MSB,
    WEDNESDAY_9,
    active_bookings,
    book,
    booked,
    package_input,
    times,
)

__all__ = ["gateway"]


async def test_book_and_confirm_a_package(gateway: Gateway) -> None:
    gateway.reset_calls()
    result = await booked(gateway, confirm=True)

    bookings = result["bookings"]
    assert times(bookings) == [("09:00", "09:30"), ("09:30", "10:45")]
    assert [b["status"] for b in bookings] == ["CONFIRMED", "CONFIRMED"]
    assert [b["slot"]["serviceId"] for b in bookings] == [seed.SERVICE_HAIRCUT, seed.SERVICE_FACIAL]
    staff = [b["slot"]["resource"]["id"] for b in bookings]
    assert staff == [seed.STAFF_DAN, seed.STAFF_ELLA]
    package = result["multiServiceBooking"]
    assert package["bookingIds"] == [b["id"] for b in bookings]
    assert [b["id"] for b in package["bookings"]] == package["bookingIds"]
    calls = gateway.calls()
    assert calls[CREATE_MSB] == 1 and calls[CONFIRM_MSB] == 1
    assert calls[QUERY_BOOKINGS] == 0  # the package's bookings came with Wix's answers
    for booking in await queried_bookings(gateway, id={"$in": package["bookingIds"]}):
        assert booking["multiServiceBookingInfo"]["id"] == package["id"]
        assert booking["contactDetails"]["email"] == ADA["email"]


async def test_without_confirm_the_bookings_stay_created(gateway: Gateway) -> None:
    result = await booked(gateway)
    assert [b["status"] for b in result["bookings"]] == ["CREATED", "CREATED"]
    assert CONFIRM_MSB not in gateway.calls()


async def test_the_staff_member_asked_for_is_booked(gateway: Gateway) -> None:
    """At 12:20 Dan or Ella can cut hair and Chloe or Ella can do the facial."""
    haircut = {"serviceId": seed.SERVICE_HAIRCUT, "resourceId": seed.STAFF_ELLA}
    facial = {"serviceId": seed.SERVICE_FACIAL, "resourceId": seed.STAFF_CHLOE}
    result = await booked(gateway, services=[haircut, facial], start="2026-03-04T12:20:00")
    assert [b["slot"]["resource"]["id"] for b in result["bookings"]] == [
        seed.STAFF_ELLA,
        seed.STAFF_CHLOE,
    ]


async def test_a_taken_time_is_unavailable_with_the_nearest_alternatives(gateway: Gateway) -> None:
    await booked(gateway, confirm=True)
    gateway.reset_calls()
    result = await book(gateway, confirm=True)

    assert result["__typename"] == "PackageUnavailable"
    assert result["message"]
    alternatives = result["alternatives"]
    assert 1 <= len(alternatives) <= 5
    assert all(slot["bookable"] for slot in alternatives)
    starts = [slot["localStart"] for slot in alternatives]
    assert starts == sorted(starts) and WEDNESDAY_9 not in starts
    for slot in alternatives:
        haircut, facial = slot["nestedSlots"]
        assert (haircut["serviceId"], facial["serviceId"]) == (
            seed.SERVICE_HAIRCUT,
            seed.SERVICE_FACIAL,
        )
        assert haircut["localEnd"] == facial["localStart"]
    assert CREATE_MSB not in gateway.calls()


async def test_a_time_outside_working_hours_is_unavailable(gateway: Gateway) -> None:
    result = await book(gateway, start="2026-03-04T22:00:00")
    assert result["__typename"] == "PackageUnavailable"
    assert len(await active_bookings(gateway)) == 0


async def test_an_unknown_service_is_not_found(gateway: Gateway) -> None:
    missing = "e5000000-0000-4000-8000-0000000000ff"
    result = await book(
        gateway, services=[{"serviceId": seed.SERVICE_HAIRCUT}, {"serviceId": missing}]
    )
    assert (result["__typename"], result["id"]) == ("NotFound", missing)


async def test_a_class_or_a_single_service_is_bad_input(gateway: Gateway) -> None:
    for services in (
        [{"serviceId": seed.SERVICE_HAIRCUT}, {"serviceId": seed.SERVICE_YOGA}],
        [{"serviceId": seed.SERVICE_HAIRCUT}],
    ):
        body = await gateway.post(BOOK, {"input": package_input(*services)})
        assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert len(await active_bookings(gateway)) == 0


async def test_form_answers_are_checked_before_anything_is_written(gateway: Gateway) -> None:
    gateway.reset_calls()
    result = await book(gateway, contact={"firstName": "Ada"}, formSubmission={"shoe_size": 9})
    assert result["__typename"] == "FormInvalid"
    targets = {error["target"] for error in result["fieldErrors"]}
    assert targets == {"last_name", "email", "shoe_size"}
    assert CREATE_MSB not in gateway.calls()


async def test_confirm_failing_after_the_create_leaves_no_bookings(gateway: Gateway) -> None:
    gateway.sandbox.faults.append(FaultRule(path=f"{MSB}/*/confirm", status=500))
    body = await gateway.post(BOOK, {"input": package_input(confirm=True)})

    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "UPSTREAM_UNAVAILABLE"
    calls = gateway.calls()
    assert calls[CREATE_MSB] == 1 and calls[CANCEL_MSB] == 1
    made = await queried_bookings(
        gateway, **{"bookedEntity.item.slot.serviceId": seed.SERVICE_FACIAL}
    )
    assert [b["status"] for b in made] == ["CANCELED"]
    assert await active_bookings(gateway) == []


async def test_concurrent_packages_for_one_time_settle_at_confirmation(gateway: Gateway) -> None:
    """Creates held back together all succeed (a CREATED booking holds no time); confirming
    decides: one package wins, the nine that come back double-booked are canceled again."""
    gateway.sandbox.faults += [
        FaultRule(path=MSB, method="POST", latency_ms=100),  # every create waits for the others
        FaultRule(path=f"{MSB}/*/confirm", latency_ms=200),  # and every confirm for the creates
    ]
    results = await asyncio.gather(*(book(gateway, confirm=True) for _ in range(10)))

    kinds = sorted(r["__typename"] for r in results)
    assert kinds == ["PackageBooked"] + ["PackageUnavailable"] * 9
    calls = gateway.calls()
    assert (calls[CREATE_MSB], calls[CONFIRM_MSB], calls[CANCEL_MSB]) == (10, 10, 9)
    (winner,) = [r for r in results if r["__typename"] == "PackageBooked"]
    active = await active_bookings(gateway)
    assert sorted(b["id"] for b in active) == sorted(winner["multiServiceBooking"]["bookingIds"])
    assert all(b["status"] == "CONFIRMED" and not b.get("doubleBooked") for b in active)
    assert len(await queried_bookings(gateway, status="CANCELED")) == 18


async def test_one_idempotency_key_books_once(gateway: Gateway) -> None:
    input = package_input(confirm=True, idempotencyKey="package-1")
    gateway.reset_calls()
    first, second = await asyncio.gather(
        gateway.data(BOOK, {"input": input}), gateway.data(BOOK, {"input": input})
    )
    assert first == second and first["bookMultiServicePackage"]["__typename"] == "PackageBooked"
    assert gateway.calls()[CREATE_MSB] == 1
    assert len(await active_bookings(gateway)) == 2

    other = await gateway.data(BOOK, {"input": {**input, "localStart": "2026-03-04T13:00:00"}})
    assert other["bookMultiServicePackage"]["__typename"] == "IdempotencyKeyReused"
    assert gateway.calls()[CREATE_MSB] == 1
