"""Subscriptions end to end on the embedded sandbox: a change the sandbox makes becomes its Wix
webhook, which the gateway verifies and turns into subscription events."""

from __future__ import annotations

from gateway.sandbox import seed
from tests.graphql import ADMIN, Gateway, gateway
from tests.graphql.mutations import create_booking, sandbox_slot
from tests.graphql.mutations.test_double_booking import consultation, double_booked, resolve
from tests.live_events.subscribing import settled, subscription

__all__ = ["gateway"]

AVAILABILITY = (
    "subscription($id: ID!) { availabilityChanged(serviceId: $id) { serviceId from to } }"
)
EVENTS = """
subscription($service: ID, $booking: ID, $token: String) {
  bookingEvents(serviceId: $service, bookingId: $booking, token: $token) {
    type eventId booking { id status doubleBooked }
  }
}
"""
DOUBLE = "subscription { doubleBookingDetected { type booking { id status doubleBooked } } }"
ADMIN_AUTH = ADMIN["authorization"]


async def test_a_booking_reaches_availability_subscribers_of_its_service(gateway: Gateway) -> None:
    slot = sandbox_slot()
    async with (
        subscription(gateway.app, AVAILABILITY, {"id": slot["serviceId"]}) as mine,
        subscription(gateway.app, AVAILABILITY, {"id": seed.SERVICE_MASSAGE}) as other,
    ):
        await create_booking(gateway, slot)
        change = (await mine.next())["data"]["availabilityChanged"]
        # The slot's wall time in London (GMT in March), as the booking page lists it.
        assert change == {
            "serviceId": slot["serviceId"],
            "from": "2026-03-03T10:00:00",
            "to": "2026-03-03T10:30:00",
        }
        assert await other.nothing_within(0.3)


async def test_admins_see_every_booking_event_in_order(gateway: Gateway) -> None:
    async with subscription(gateway.app, EVENTS, authorization=ADMIN_AUTH) as events:
        made = await create_booking(gateway, sandbox_slot())
        await gateway.upstream.bookings_writer.confirm_or_decline_booking(
            made["id"], {"paymentStatus": "PAID"}
        )
        created = (await events.next())["data"]["bookingEvents"]
        confirmed = (await events.next())["data"]["bookingEvents"]
    assert (created["type"], created["booking"]["id"]) == ("CREATED", made["id"])
    assert (confirmed["type"], confirmed["booking"]["status"]) == ("CONFIRMED", "CONFIRMED")
    assert created["eventId"] != confirmed["eventId"]


async def test_anonymous_callers_watch_bookings_only_through_their_link(gateway: Gateway) -> None:
    async with subscription(gateway.app, EVENTS) as refused:
        answer = await refused.next()
    assert answer["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"

    async with subscription(gateway.app, EVENTS, {"token": "not-a-token"}) as bad:
        answer = await bad.next()
    assert answer["errors"][0]["extensions"]["code"] == "INVALID_ANONYMOUS_TOKEN"

    mine = await create_booking(gateway, sandbox_slot())
    other = await create_booking(
        gateway, sandbox_slot(start="2026-03-03T11:00:00", end="2026-03-03T11:30:00")
    )
    writer = gateway.upstream.bookings_writer
    token = (await writer.get_anonymous_action_token(mine["id"]))["token"]
    await settled(gateway.app)  # their `created` events are not this subscriber's
    async with subscription(gateway.app, EVENTS, {"token": token}) as holder:
        await writer.confirm_or_decline_booking(other["id"], {"paymentStatus": "PAID"})
        await writer.confirm_or_decline_booking(mine["id"], {"paymentStatus": "PAID"})
        seen = (await holder.next())["data"]["bookingEvents"]
        assert (seen["type"], seen["booking"]["id"]) == ("CONFIRMED", mine["id"])
        assert await holder.nothing_within(0.3)


async def test_a_paid_double_booking_is_detected_once_and_not_after_force_confirm(
    gateway: Gateway,
) -> None:
    async with subscription(gateway.app, DOUBLE, authorization=ADMIN_AUTH) as detected:
        conflict = await double_booked(gateway, consultation())
        found = (await detected.next())["data"]["doubleBookingDetected"]
        assert found["booking"]["id"] == conflict["id"]
        assert (found["type"], found["booking"]["doubleBooked"]) == ("MARKED_AS_PENDING", True)
        assert await detected.nothing_within(0.3)  # the first, conflict-free booking: never

        forced = await resolve(gateway, conflict["id"], "FORCE_CONFIRM", checkout="CUSTOM")
        assert forced["__typename"] == "DoubleBookingResolved"
        assert await detected.nothing_within(0.5)


async def test_a_double_booking_force_confirmed_through_ecom_is_not_reported_again(
    gateway: Gateway,
) -> None:
    async with subscription(gateway.app, DOUBLE, authorization=ADMIN_AUTH) as detected:
        conflict = await double_booked(gateway)
        found = (await detected.next())["data"]["doubleBookingDetected"]
        assert (found["type"], found["booking"]["id"]) == ("CONFIRMED", conflict["id"])
        forced = await resolve(gateway, conflict["id"], "FORCE_CONFIRM", checkout="ECOM")
        assert forced["__typename"] == "DoubleBookingResolved"
        assert await detected.nothing_within(0.5)


async def test_only_admins_and_wix_identities_watch_double_bookings(gateway: Gateway) -> None:
    async with subscription(gateway.app, DOUBLE) as anonymous:
        answer = await anonymous.next()
    assert answer["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
