"""What a Wix event means to subscribers, worked out once per event on each replica.

- **Availability**: a booking event frees or takes the time of its booking (both times, for a
  reschedule), in the business's wall time; a service event may change any of its slots.
- **Double bookings**: Wix's sample flow "Handle double booking conflicts" listens for Booking
  Confirmed and Booking Marked As Pending and acts on those whose data says `doubleBooked`
  (https://dev.wix.com/docs/api-reference/business-solutions/bookings/bookings/bookings-writer-v2/sample-flows#handle-double-booking-conflicts).
  A booking carrying `flowControlSettings.skipAvailabilityValidation` was force-resolved
  already, so it is never reported again.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from gateway.live.events import BOOKING_FQDN, SERVICE_FQDN, Json, WixEvent, booking_service_id
from gateway.wall_time import zone

DOUBLE_BOOKING_SLUGS = frozenset({"confirmed", "markedAsPending"})
# Cached reads (`gateway.cache`) an event makes stale, by the entity it is about.
STALE_CACHE_KINDS = {
    BOOKING_FQDN: ("availability",),
    SERVICE_FQDN: ("services", "policies", "availability"),
}
SiteTimeZone = Callable[[], Awaitable[str]]


@dataclass(frozen=True, slots=True)
class AvailabilityRange:
    """Wall times in the business's zone; None: unbounded (a service change)."""

    service_id: str
    start: datetime | None
    end: datetime | None


@dataclass(frozen=True, slots=True)
class LiveEvent:
    event: WixEvent
    availability: tuple[AvailabilityRange, ...]
    double_booking: bool

    @property
    def booking(self) -> Json | None:
        return self.event.booking


async def live_event(event: WixEvent, site_time_zone: SiteTimeZone) -> LiveEvent:
    return LiveEvent(event, await _availability(event, site_time_zone), _double_booking(event))


def _double_booking(event: WixEvent) -> bool:
    booking = event.booking
    if booking is None or event.slug not in DOUBLE_BOOKING_SLUGS:
        return False
    flow = booking.get("flowControlSettings") or {}
    return (event.body or {}).get("doubleBooked") is True and not flow.get(
        "skipAvailabilityValidation"
    )


async def _availability(
    event: WixEvent, site_time_zone: SiteTimeZone
) -> tuple[AvailabilityRange, ...]:
    if event.entity_fqdn == SERVICE_FQDN and event.entity_id:
        return (AvailabilityRange(event.entity_id, None, None),)
    booking = event.booking
    if event.entity_fqdn != BOOKING_FQDN or booking is None:
        return ()
    service_id = booking_service_id(booking)
    if service_id is None:
        return ()
    time_zone = _booked_time_zone(booking) or await site_time_zone()
    times = [(booking.get("startDate"), booking.get("endDate"))]
    body = event.body or {}
    if body.get("previousStartDate"):
        times.append((body.get("previousStartDate"), body.get("previousEndDate")))
    ranges = []
    for start, end in times:
        local_start, local_end = _local(start, time_zone), _local(end, time_zone)
        if local_start is not None or local_end is not None:
            ranges.append(AvailabilityRange(service_id, local_start, local_end))
    return tuple(dict.fromkeys(ranges))


def _booked_time_zone(booking: Json) -> str | None:
    booked = booking.get("bookedEntity") or {}
    for kind in ("slot", "schedule"):
        name = (booked.get(kind) or {}).get("timezone")
        if isinstance(name, str) and name:
            return name
    return None


def _local(instant: object, time_zone: str) -> datetime | None:
    """A Wix UTC timestamp as wall time in `time_zone` (None when absent or unreadable)."""
    if not isinstance(instant, str) or not instant:
        return None
    try:
        utc = datetime.fromisoformat(instant).astimezone(UTC)
        return utc.astimezone(zone(time_zone)).replace(tzinfo=None)
    except (ValueError, KeyError):  # KeyError: ZoneInfoNotFoundError, an unknown zone
        return None
