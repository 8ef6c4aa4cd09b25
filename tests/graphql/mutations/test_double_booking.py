"""Double bookings through `/graphql` against the embedded sandbox: listing them, and each
resolution of Wix's sample flow "Handle double booking conflicts"
(https://dev.wix.com/docs/api-reference/business-solutions/bookings/bookings/bookings-writer-v2/sample-flows#handle-double-booking-conflicts),
including not re-processing a booking already resolved.

A conflict is made as in the wild: two customers create the same slot (a CREATED booking holds
nothing) and both pay; Confirm Or Decline confirms the second one `doubleBooked` (or leaves it
PENDING for a service that needs approval). The clock is frozen on Monday 2026-03-02 09:00 UTC.
"""

from __future__ import annotations

from gateway.sandbox import seed
from gateway.sandbox.faults import FaultRule
from tests.graphql import Gateway, gateway
from tests.graphql.mutations import ADA_FORM, Json, create_booking, queried_bookings, sandbox_slot

__all__ = ["gateway"]

BOOKING = "/_api/bookings-service/v2/bookings/{bookingId}"
RESCHEDULE_CALL = "POST /bookings/v2/bookings/{bookingId}/reschedule"
CANCEL_CALL = f"POST {BOOKING}/cancel"
CONFIRM_CALL = f"POST {BOOKING}/confirm"
DECLINE_CALL = f"POST {BOOKING}/decline"
CONFIRM_OR_DECLINE_CALL = "POST /bookings/v2/confirmation/{bookingId}:confirmOrDecline"
WRITES = (RESCHEDULE_CALL, CANCEL_CALL, CONFIRM_CALL, DECLINE_CALL, CONFIRM_OR_DECLINE_CALL)
MASSAGE_FORM = {**ADA_FORM, "phone": "+44 20 7946 0001", "pressure": "firm"}
TUESDAY_11 = {"localStart": "2026-03-03T11:00:00", "localEnd": "2026-03-03T11:30:00"}

FIELDS = "id status paymentStatus doubleBooked revision start"
RESOLVE = f"""
mutation($id: ID!, $strategy: DoubleBookingStrategy!, $slot: SlotInput, $checkout: Checkout,
         $key: String) {{
  resolveDoubleBooking(bookingId: $id, strategy: $strategy, newSlot: $slot, checkout: $checkout,
                       idempotencyKey: $key) {{
    __typename
    ... on DoubleBookingResolved {{ strategy note booking {{ {FIELDS} }} }}
    ... on AlreadyResolved {{ message booking {{ {FIELDS} }} }}
    ... on SlotUnavailable {{ message alternatives {{ localStart bookable }} }}
    ... on PolicyViolation {{ message }}
    ... on NotAllowed {{ message reason code }}
    ... on NotFound {{ message id }}
    ... on RevisionConflict {{ message currentRevision }}
    ... on IdempotencyKeyReused {{ message key }}
  }}
}}
"""
LIST = f"""
query($first: Int, $after: String) {{
  doubleBookedBookings(first: $first, after: $after) {{
    nodes {{ {FIELDS} }}
    pageInfo {{ hasNextPage endCursor }}
  }}
}}
"""


async def double_booked(gateway: Gateway, slot: Json | None = None, form: Json = ADA_FORM) -> Json:
    """Two paid customers for one slot; the second booking, as Wix stores it now."""
    writer = gateway.upstream.bookings_writer
    slot = slot or sandbox_slot()
    made = [await create_booking(gateway, slot, form) for _ in range(2)]
    for booking in made:
        await writer.confirm_or_decline_booking(booking["id"], {"paymentStatus": "PAID"})
    conflict = await stored(gateway, made[1]["id"])
    assert conflict["doubleBooked"] is True
    gateway.reset_calls()
    return conflict


def consultation() -> Json:
    """Manual approval: a paid conflict stays PENDING."""
    return sandbox_slot(seed.SERVICE_CONSULTATION, end="2026-03-03T10:45:00", staff=seed.STAFF_ANNA)


def late_massage() -> Json:
    """Strict policy: no cancel or reschedule within 24 hours (it is 5 hours away)."""
    return sandbox_slot(
        seed.SERVICE_MASSAGE, "2026-03-02T14:00:00", "2026-03-02T15:00:00", seed.STAFF_ANNA
    )


async def stored(gateway: Gateway, booking_id: str) -> Json:
    (booking,) = await queried_bookings(gateway, id=booking_id)
    return booking


async def resolve(
    gateway: Gateway,
    booking_id: str,
    strategy: str,
    slot: Json | None = None,
    checkout: str | None = None,
    key: str | None = None,
) -> Json:
    given = {"id": booking_id, "strategy": strategy, "slot": slot, "checkout": checkout,
             "key": key}  # fmt: skip
    variables = {name: value for name, value in given.items() if value is not None}
    return dict((await gateway.data(RESOLVE, variables))["resolveDoubleBooking"])


def writes(gateway: Gateway) -> int:
    calls = gateway.calls()
    return sum(calls[route] for route in WRITES)


async def listed(gateway: Gateway) -> list[str]:
    data = await gateway.data(LIST)
    return [node["id"] for node in data["doubleBookedBookings"]["nodes"]]


async def assert_already_resolved(gateway: Gateway, booking_id: str, *strategies: str) -> None:
    gateway.reset_calls()
    for strategy in strategies:
        again = await resolve(gateway, booking_id, strategy, TUESDAY_11, "ECOM")
        assert again["__typename"] == "AlreadyResolved", again
        assert again["message"] and again["booking"]["id"] == booking_id
    assert writes(gateway) == 0


# -- listing ---------------------------------------------------------------------------------


async def test_double_booked_bookings_are_listed_and_paged(gateway: Gateway) -> None:
    first = await double_booked(gateway)
    later = await double_booked(gateway, sandbox_slot(start="2026-03-03T14:00:00",
                                                      end="2026-03-03T14:30:00"))  # fmt: skip
    assert await listed(gateway) == [first["id"], later["id"]]

    page = (await gateway.data(LIST, {"first": 1}))["doubleBookedBookings"]
    assert [n["id"] for n in page["nodes"]] == [first["id"]]
    assert page["nodes"][0]["doubleBooked"] is True
    assert page["pageInfo"]["hasNextPage"] is True
    after = page["pageInfo"]["endCursor"]
    rest = (await gateway.data(LIST, {"first": 1, "after": after}))["doubleBookedBookings"]
    assert [n["id"] for n in rest["nodes"]] == [later["id"]]


# -- standard resolution ---------------------------------------------------------------------


async def test_reschedule_resolves_the_conflict(gateway: Gateway) -> None:
    conflict = await double_booked(gateway)
    result = await resolve(gateway, conflict["id"], "RESCHEDULE", TUESDAY_11)

    assert result["__typename"] == "DoubleBookingResolved" and result["strategy"] == "RESCHEDULE"
    moved = result["booking"]
    assert (moved["start"], moved["status"], moved["doubleBooked"]) == (
        "2026-03-03T11:00:00.000Z",
        "CONFIRMED",
        False,
    )
    assert gateway.calls()[RESCHEDULE_CALL] == 1
    assert await listed(gateway) == []
    await assert_already_resolved(gateway, conflict["id"], "RESCHEDULE", "FORCE_DECLINE")


async def test_reschedule_to_a_taken_slot_changes_nothing(gateway: Gateway) -> None:
    conflict = await double_booked(gateway)
    taken = {"localStart": "2026-03-03T10:00:00", "localEnd": "2026-03-03T10:30:00",
             "resourceId": seed.STAFF_DAN}  # fmt: skip
    result = await resolve(gateway, conflict["id"], "RESCHEDULE", taken)

    assert result["__typename"] == "SlotUnavailable" and result["alternatives"]
    assert writes(gateway) == 0
    assert (await stored(gateway, conflict["id"]))["revision"] == conflict["revision"]


async def test_reschedule_needs_a_new_slot(gateway: Gateway) -> None:
    conflict = await double_booked(gateway)
    body = await gateway.post(RESOLVE, {"id": conflict["id"], "strategy": "RESCHEDULE"})
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_reschedule_of_a_pending_booking_is_finalized(gateway: Gateway) -> None:
    """Custom checkout: after the move Confirm Or Decline decides; a service that needs
    approval keeps the booking PENDING for the business."""
    conflict = await double_booked(gateway, consultation())
    assert conflict["status"] == "PENDING"
    slot = {"localStart": "2026-03-03T13:10:00", "localEnd": "2026-03-03T13:55:00"}
    result = await resolve(gateway, conflict["id"], "RESCHEDULE", slot)

    assert result["__typename"] == "DoubleBookingResolved"
    assert (result["booking"]["status"], result["booking"]["doubleBooked"]) == ("PENDING", False)
    assert gateway.calls()[CONFIRM_OR_DECLINE_CALL] == 1


async def test_a_move_whose_finalization_is_refused_is_resolved_and_keeps_its_key(
    gateway: Gateway,
) -> None:
    """The move is done when Confirm Or Decline refuses: the outcome says so, and a retry with
    the same key replays it instead of moving the booking again."""
    conflict = await double_booked(gateway, consultation())
    gateway.sandbox.faults.append(
        FaultRule(path="/bookings/v2/confirmation/*", method="POST", status=428, times=1)
    )
    slot = {"localStart": "2026-03-03T13:10:00", "localEnd": "2026-03-03T13:55:00"}
    first = await resolve(gateway, conflict["id"], "RESCHEDULE", slot, key="move-1")
    assert first["__typename"] == "DoubleBookingResolved"
    assert "Confirm Or Decline was refused" in first["note"]
    again = await resolve(gateway, conflict["id"], "RESCHEDULE", slot, key="move-1")
    assert again == first
    assert gateway.calls()[RESCHEDULE_CALL] == 1


async def test_cancel_refunds_and_waives_the_fee(gateway: Gateway) -> None:
    conflict = await double_booked(gateway)
    result = await resolve(gateway, conflict["id"], "CANCEL")

    assert result["__typename"] == "DoubleBookingResolved"
    assert result["booking"]["status"] == "CANCELED"
    now = await stored(gateway, conflict["id"])
    assert now["flowControlSettings"] == {"withRefund": True, "waiveCancellationFee": True}
    assert await listed(gateway) == []
    await assert_already_resolved(gateway, conflict["id"], "CANCEL", "FORCE_CONFIRM")


async def test_standard_resolution_needs_the_allowed_actions(gateway: Gateway) -> None:
    """Within the strict policy's 24 hours neither cancel nor reschedule is allowed: only
    force resolution is left, and it works."""
    conflict = await double_booked(gateway, late_massage(), MASSAGE_FORM)
    for strategy, slot in (("CANCEL", None), ("RESCHEDULE", TUESDAY_11)):
        refused = await resolve(gateway, conflict["id"], strategy, slot)
        assert refused["__typename"] == "NotAllowed", refused
        assert refused["code"] == f"{strategy}_NOT_ALLOWED"
    assert writes(gateway) == 0

    declined = await resolve(gateway, conflict["id"], "FORCE_DECLINE", checkout="ECOM")
    assert declined["__typename"] == "DoubleBookingResolved"
    assert declined["booking"]["status"] == "CANCELED" and "eCommerce" in declined["note"]
    flags = (await stored(gateway, conflict["id"]))["flowControlSettings"]
    assert flags == {"withRefund": True, "waiveCancellationFee": True,
                     "ignoreCancellationPolicy": True}  # fmt: skip


# -- force resolution ------------------------------------------------------------------------


async def test_force_confirm_with_a_custom_checkout_confirms_a_pending_booking(
    gateway: Gateway,
) -> None:
    conflict = await double_booked(gateway, consultation())
    result = await resolve(gateway, conflict["id"], "FORCE_CONFIRM", checkout="CUSTOM")

    assert result["__typename"] == "DoubleBookingResolved"
    assert result["booking"]["status"] == "CONFIRMED"
    assert gateway.calls()[CONFIRM_CALL] == 1
    await assert_already_resolved(gateway, conflict["id"])  # CONFIRMED: nothing left to force
    again = await resolve(gateway, conflict["id"], "FORCE_CONFIRM", checkout="CUSTOM")
    assert again["__typename"] == "AlreadyResolved" and writes(gateway) == 0


async def test_force_confirm_of_a_confirmed_booking_with_a_custom_checkout_is_done(
    gateway: Gateway,
) -> None:
    conflict = await double_booked(gateway)
    assert conflict["status"] == "CONFIRMED"
    result = await resolve(gateway, conflict["id"], "FORCE_CONFIRM", checkout="CUSTOM")
    assert result["__typename"] == "AlreadyResolved" and writes(gateway) == 0


async def test_force_confirm_with_ecom_marks_the_booking_force_resolved(gateway: Gateway) -> None:
    """eCommerce: Reschedule Booking to its own slot with `skipAvailabilityValidation`; that
    flag on the booking is what stops any later resolution."""
    conflict = await double_booked(gateway)
    result = await resolve(gateway, conflict["id"], "FORCE_CONFIRM", checkout="ECOM")

    assert result["__typename"] == "DoubleBookingResolved"
    booking = result["booking"]
    assert (booking["status"], booking["start"]) == ("CONFIRMED", "2026-03-03T10:00:00.000Z")
    assert gateway.calls()[RESCHEDULE_CALL] == 1
    now = await stored(gateway, conflict["id"])
    assert now["flowControlSettings"]["skipAvailabilityValidation"] is True
    await assert_already_resolved(gateway, conflict["id"], "FORCE_CONFIRM", "CANCEL",
                                  "RESCHEDULE", "FORCE_DECLINE")  # fmt: skip


async def test_force_confirm_with_ecom_skips_the_business_approval(gateway: Gateway) -> None:
    conflict = await double_booked(gateway, consultation())
    result = await resolve(gateway, conflict["id"], "FORCE_CONFIRM", checkout="ECOM")
    assert result["booking"]["status"] == "CONFIRMED"
    flags = (await stored(gateway, conflict["id"]))["flowControlSettings"]
    assert flags["skipAvailabilityValidation"] is flags["skipBusinessConfirmation"] is True


async def test_force_decline_with_a_custom_checkout_declines(gateway: Gateway) -> None:
    conflict = await double_booked(gateway, consultation())
    result = await resolve(gateway, conflict["id"], "FORCE_DECLINE", checkout="CUSTOM")

    assert result["__typename"] == "DoubleBookingResolved"
    assert result["booking"]["status"] == "DECLINED" and result["note"]
    assert gateway.calls()[DECLINE_CALL] == 1
    await assert_already_resolved(gateway, conflict["id"], "FORCE_DECLINE", "FORCE_CONFIRM")


async def test_force_decline_of_a_confirmed_booking_cancels_it(gateway: Gateway) -> None:
    conflict = await double_booked(gateway)
    result = await resolve(gateway, conflict["id"], "FORCE_DECLINE", checkout="CUSTOM")
    assert result["booking"]["status"] == "CANCELED"
    assert gateway.calls()[CANCEL_CALL] == 1 and DECLINE_CALL not in gateway.calls()


# -- the rest --------------------------------------------------------------------------------


async def test_a_booking_that_is_not_double_booked_is_already_resolved(gateway: Gateway) -> None:
    conflict = await double_booked(gateway)
    (first,) = [b for b in await queried_bookings(gateway) if b["id"] != conflict["id"]]
    result = await resolve(gateway, first["id"], "CANCEL")
    assert result["__typename"] == "AlreadyResolved"
    assert (await stored(gateway, first["id"]))["status"] == "CONFIRMED"


async def test_an_unknown_booking_is_not_found(gateway: Gateway) -> None:
    missing = "00000000-0000-4000-8000-00000000dead"
    result = await resolve(gateway, missing, "CANCEL")
    assert (result["__typename"], result["id"]) == ("NotFound", missing)


async def test_resolution_is_idempotent_under_a_key(gateway: Gateway) -> None:
    conflict = await double_booked(gateway)
    first = await resolve(gateway, conflict["id"], "CANCEL", key="resolve-1")
    second = await resolve(gateway, conflict["id"], "CANCEL", key="resolve-1")
    assert first == second and first["__typename"] == "DoubleBookingResolved"
    assert gateway.calls()[CANCEL_CALL] == 1
    reused = await resolve(gateway, conflict["id"], "FORCE_DECLINE", key="resolve-1")
    assert reused["__typename"] == "IdempotencyKeyReused"
