"""What an event means to subscribers: availability ranges in the business's wall time, and the
double-booking rule of Wix's sample flow."""

from __future__ import annotations

import json
from datetime import datetime

from gateway.live.changes import AvailabilityRange, live_event
from gateway.live.events import WixEvent
from tests.live_events import booking, booking_event


def _event(event: dict) -> WixEvent:
    envelope = {"eventType": f"{event['entityFqdn']}_{event['slug']}"}
    return WixEvent.from_wix(envelope, json.loads(json.dumps(event)))


async def _site_zone() -> str:
    return "America/New_York"


async def test_a_booking_changes_its_own_time_in_the_slot_zone() -> None:
    live = await live_event(_event(booking_event("created", booking())), _site_zone)
    # 09:00Z on 10 March 2026 is 09:00 in London (GMT): the slot's zone wins over the site's.
    assert live.availability == (
        AvailabilityRange("svc-1", datetime(2026, 3, 10, 9), datetime(2026, 3, 10, 10)),
    )


async def test_without_a_slot_zone_the_site_zone_is_used() -> None:
    plain = booking()
    del plain["bookedEntity"]["slot"]["timezone"]
    live = await live_event(_event(booking_event("canceled", plain)), _site_zone)
    assert live.availability == (
        AvailabilityRange("svc-1", datetime(2026, 3, 10, 5), datetime(2026, 3, 10, 6)),
    )


async def test_a_reschedule_changes_both_the_old_and_the_new_time() -> None:
    event = booking_event(
        "rescheduled",
        booking(),
        previousStartDate="2026-03-09T14:00:00Z",
        previousEndDate="2026-03-09T15:00:00Z",
    )
    live = await live_event(_event(event), _site_zone)
    assert [(r.start, r.end) for r in live.availability] == [
        (datetime(2026, 3, 10, 9), datetime(2026, 3, 10, 10)),
        (datetime(2026, 3, 9, 14), datetime(2026, 3, 9, 15)),
    ]


async def test_a_service_change_may_change_all_its_slots() -> None:
    service = {"id": "svc-9", "name": "Yoga", "revision": "3"}
    event = {
        "id": "e-1",
        "entityFqdn": "wix.bookings.services.v2.service",
        "slug": "updated",
        "entityId": "svc-9",
        "updatedEvent": {"currentEntity": service},
    }
    live = await live_event(_event(event), _site_zone)
    assert live.availability == (AvailabilityRange("svc-9", None, None),)
    assert live.booking is None and live.double_booking is False


async def test_double_bookings_follow_the_sample_flow_rule() -> None:
    async def detected(slug: str, body: dict, **fields: object) -> bool:
        live = await live_event(_event(booking_event(slug, booking(**fields), **body)), _site_zone)
        return live.double_booking

    assert await detected("confirmed", {"doubleBooked": True})
    assert await detected("markedAsPending", {"doubleBooked": True})
    # Not reported: no double booking in the action, another action, or a force resolution.
    assert not await detected("confirmed", {})
    assert not await detected("confirmed", {"doubleBooked": False}, doubleBooked=True)
    assert not await detected("rescheduled", {"doubleBooked": True})
    assert not await detected(
        "confirmed",
        {"doubleBooked": True},
        flowControlSettings={"skipAvailabilityValidation": True},
    )


async def test_stringified_entities_of_older_deliveries_are_read() -> None:
    event = booking_event("created", booking())
    event["createdEvent"] = {"entityAsJson": json.dumps(booking(booking_id="b-7"))}
    live = await live_event(_event(event), _site_zone)
    assert live.booking is not None and live.booking["id"] == "b-7"
