"""Booking-policy windows are fixed durations, on both sides of a UK clock change.

Wix states the windows in minutes (`limitEarlyBookingPolicy.earliestBookingInMinutes`,
`limitLateBookingPolicy.latestBookingInMinutes`), so a window opens that many minutes of real
time before the session, not "N calendar days earlier at the same wall time": a window that
spans a clock change opens an hour apart from the calendar reading. The demo business's
standard policy opens bookings 86,400 minutes (60 days) ahead.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from gateway.clock import Clock
from gateway.sandbox import seed
from tests.sandbox.slot_helpers import GET, post

SIXTY_DAYS = timedelta(minutes=86_400)

# (session start in London wall time, its UTC instant, when its window opens in UTC)
WINDOWS = {
    # 1 May 2026 09:00 BST; 60 days earlier is 2 March, in GMT: the window spans spring-forward.
    "spring-forward": ("2026-05-01T09:00:00", datetime(2026, 5, 1, 8, 0, tzinfo=UTC)),
    # 2 November 2026 09:00 GMT; 60 days earlier is 3 September, in BST: it spans fall-back.
    "fall-back": ("2026-11-02T09:00:00", datetime(2026, 11, 2, 9, 0, tzinfo=UTC)),
}


async def haircut_at(wix: httpx.AsyncClient, local_start: str) -> dict[str, Any]:
    """Get Availability Time Slot for Dan's 30-minute haircut starting at `local_start`."""
    end = datetime.fromisoformat(local_start) + timedelta(minutes=30)
    body = {
        "serviceId": seed.SERVICE_HAIRCUT,
        "localStartDate": local_start,
        "localEndDate": end.isoformat(),
        "timeZone": seed.TIME_ZONE,
        "location": {"id": seed.LOCATION_MAIN, "locationType": "BUSINESS"},
    }
    return dict((await post(wix, GET, body))["timeSlot"])


@pytest.mark.parametrize("change", list(WINDOWS))
async def test_the_early_booking_window_opens_a_fixed_duration_before_the_session(
    wix: httpx.AsyncClient, clock: Clock, change: str
) -> None:
    local_start, start = WINDOWS[change]
    opens = start - SIXTY_DAYS
    calendar_reading = start.astimezone(ZoneInfo(seed.TIME_ZONE)) - timedelta(days=60)
    assert calendar_reading.astimezone(UTC) != opens  # the window does span a clock change

    clock.set(opens - timedelta(minutes=1), frozen=True)
    before = await haircut_at(wix, local_start)
    assert before["bookable"] is False
    violations = before["bookingPolicyViolations"]
    assert violations["tooEarlyToBook"] is True
    assert violations["earliestBookingDate"] == f"{opens:%Y-%m-%dT%H:%M}:00.000Z"

    clock.set(opens, frozen=True)
    at_opening = await haircut_at(wix, local_start)
    assert at_opening["bookingPolicyViolations"]["tooEarlyToBook"] is False
    assert at_opening["bookable"] is True
