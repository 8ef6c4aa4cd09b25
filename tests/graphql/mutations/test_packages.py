"""Multi-service package mutations through `/graphql` against the embedded sandbox: book (with
and without confirmation, races, idempotency, a failure after the create), reschedule, add and
remove bookings (seeds/001 "Create a multi-service booking", "Reschedule a multi-service booking
and add a single-service booking").

The sandbox clock is frozen on Monday 2026-03-02 09:00 UTC (London is on GMT: local = UTC). The
usual package is on Wednesday at the main location: a haircut 09:00-09:30 (Dan) and a facial
09:30-10:45 (Ella; Chloe starts at noon).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from gateway.sandbox import seed
from gateway.sandbox.state import FaultRule
from tests.graphql import Gateway, gateway

__all__ = ["gateway"]

MONDAY_MORNING = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
WEDNESDAY_9 = "2026-03-04T09:00:00"
MSB = "/_api/bookings-service/v2/multi_service_bookings"
CREATE_MSB = f"POST {MSB}"
CONFIRM_MSB = f"POST {MSB}/{{multiServiceBookingId}}/confirm"
CANCEL_MSB = f"POST {MSB}/{{multiServiceBookingId}}/cancel"
QUERY_BOOKINGS = "POST /_api/bookings-reader/v2/extended-bookings/query"
GET_CHAIN = "POST /_api/service-availability/v2/multi-service-time-slots/get"
ACTIVE = ["CREATED", "CONFIRMED", "PENDING"]
ADA = {"firstName": "Ada", "lastName": "Lovelace", "email": "ada@example.com"}

BOOKING_FIELDS = "id status revision start end slot { serviceId resource { id } }"
PACKAGE_FIELDS = (
    f"multiServiceBooking {{ id bookingIds bookings {{ id }} }} bookings {{ {BOOKING_FIELDS} }}"
)
MEMBERS = {
    "PackageUnavailable": "message alternatives { localStart localEnd bookable "
    "nestedSlots { serviceId localStart localEnd } }",
    "FormInvalid": "message fieldErrors { target message }",
    "NotFound": "message id",
    "NotAllowed": "message reason code",
    "RevisionConflict": "message currentRevision",
    "IdempotencyKeyReused": "message key",
}


def failures(*names: str) -> str:
    return " ".join(f"... on {name} {{ {MEMBERS[name]} }}" for name in names)


BOOK = f"""
mutation($input: BookMultiServicePackageInput!) {{
  bookMultiServicePackage(input: $input) {{
    __typename
    ... on PackageBooked {{ {PACKAGE_FIELDS} }}
    {failures("PackageUnavailable", "FormInvalid", "NotFound", "IdempotencyKeyReused")}
  }}
}}
"""
RESCHEDULE = f"""
mutation($id: ID!, $start: LocalDateTime!, $key: String) {{
  rescheduleMultiServicePackage(packageId: $id, localStart: $start, idempotencyKey: $key) {{
    __typename
    ... on PackageUpdated {{ dissolved {PACKAGE_FIELDS} }}
    {
    failures(
        "PackageUnavailable", "NotAllowed", "NotFound", "RevisionConflict", "IdempotencyKeyReused"
    )
}
  }}
}}
"""
CHANGE = """
mutation($id: ID!, $bookings: [ID!]!) {
  %s(packageId: $id, bookingIds: $bookings) {
    __typename
    ... on PackageUpdated { dissolved %s }
    %s
  }
}
"""
CHANGE_FAILURES = failures("NotAllowed", "NotFound", "RevisionConflict")
ADD = CHANGE % ("addBookingsToPackage", PACKAGE_FIELDS, CHANGE_FAILURES)
REMOVE = CHANGE % ("removeBookingsFromPackage", PACKAGE_FIELDS, CHANGE_FAILURES)

Json = dict[str, Any]


@pytest.fixture(autouse=True)
def monday_morning(gateway: Gateway) -> None:
    gateway.sandbox.clock.set(MONDAY_MORNING, frozen=True)
    gateway.sandbox.reset()


def package_input(*services: Json, start: str = WEDNESDAY_9, **extra: Any) -> Json:
    services = services or (
        {"serviceId": seed.SERVICE_HAIRCUT},
        {"serviceId": seed.SERVICE_FACIAL},
    )
    return {"services": list(services), "localStart": start, "contact": ADA, **extra}


async def book(gateway: Gateway, **input: Any) -> Json:
    data = await gateway.data(BOOK, {"input": package_input(**input)})
    return dict(data["bookMultiServicePackage"])


async def booked(gateway: Gateway, **input: Any) -> Json:
    result = await book(gateway, **input)
    assert result["__typename"] == "PackageBooked", result
    return result


async def stored(gateway: Gateway, **filter: Any) -> list[Json]:
    """Bookings as the sandbox's Query Extended Bookings returns them."""
    body = await gateway.upstream.bookings_reader.query_extended_bookings(
        {"filter": filter, "cursorPaging": {"limit": 100}}
    )
    return [item["booking"] for item in body["extendedBookings"]]


async def active_bookings(gateway: Gateway) -> list[Json]:
    return await stored(gateway, status={"$in": ACTIVE})


def times(bookings: list[Json]) -> list[tuple[str, str]]:
    return [(b["start"][11:16], b["end"][11:16]) for b in bookings]


# -- book ------------------------------------------------------------------------------------


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
    for booking in await stored(gateway, id={"$in": package["bookingIds"]}):
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
    made = await stored(gateway, **{"bookedEntity.item.slot.serviceId": seed.SERVICE_FACIAL})
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
    assert len(await stored(gateway, status="CANCELED")) == 18


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


# -- reschedule ------------------------------------------------------------------------------


async def reschedule(gateway: Gateway, package_id: str, start: str, key: str | None = None) -> Json:
    data = await gateway.data(RESCHEDULE, {"id": package_id, "start": start, "key": key})
    return dict(data["rescheduleMultiServicePackage"])


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


async def gateway_bookings(gateway: Gateway, package_id: str) -> list[Json]:
    query = f'{{ multiServiceBooking(id: "{package_id}") {{ bookings {{ {BOOKING_FIELDS} }} }} }}'
    return list((await gateway.data(query))["multiServiceBooking"]["bookings"])


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


async def until(condition: Callable[[], bool]) -> None:
    for _ in range(500):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the condition did not come true within 5 s")


async def test_a_change_made_meanwhile_is_a_revision_conflict(gateway: Gateway) -> None:
    """The package is confirmed between the gateway reading its revisions and Wix getting the
    reschedule (held back by a fault rule): nothing moves, the booking now is reported."""
    made = await booked(gateway)
    package_id = made["multiServiceBooking"]["id"]
    gateway.sandbox.faults.append(FaultRule(path=f"{MSB}/*/reschedule", latency_ms=500))
    gateway.reset_calls()
    moving = asyncio.create_task(reschedule(gateway, package_id, "2026-03-04T11:00:00"))
    await until(lambda: GET_CHAIN in gateway.calls())  # the last read before the write
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


async def standalone_haircut(gateway: Gateway, start: str, end: str) -> Json:
    slot = {
        "serviceId": seed.SERVICE_HAIRCUT,
        "startDate": start,
        "endDate": end,
        "timezone": seed.TIME_ZONE,
        "resource": {"id": seed.STAFF_DAN},
        "location": {"id": seed.LOCATION_MAIN, "locationType": "OWNER_BUSINESS"},
    }
    body = {
        "booking": {"bookedEntity": {"slot": slot}, "totalParticipants": 1},
        "formSubmission": {
            "first_name": "Ada",
            "last_name": "Lovelace",
            "email": "ada@example.com",
        },
    }
    return dict((await gateway.upstream.bookings_writer.create_booking(body))["booking"])


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
    (joined,) = await stored(gateway, id=extra["id"])
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
    (alone,) = await stored(gateway, id=extra["id"])
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
    for booking in await stored(gateway, id={"$in": [first, middle, last]}):
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
