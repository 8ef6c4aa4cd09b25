"""The availability engine: which staff can take a session, and which sessions a service offers.

Follows time-slots.md §10. Staff working hours (local to the business zone) become UTC windows;
busy time is the blocking bookings plus their buffer (`calendar.busy_intervals`). Everything a
request needs is loaded once into a `StaffCalendar` (one bookings query for the whole range), so
listing a month of slots runs no per-slot SQL. Create Booking uses `free_staff` and
`policy_violations` from here, so what List Availability shows is exactly what can be booked.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from gateway.sandbox.calendar import Interval, business_zone, busy_intervals, working_windows
from gateway.sandbox.store import Store
from gateway.sandbox.wire import utc_iso


def duration_minutes(service: dict[str, Any]) -> int:
    constraints = service.get("schedule", {}).get("availabilityConstraints", {})
    durations = constraints.get("sessionDurations") or [60]
    return int(durations[0])


def buffer_minutes(service: dict[str, Any]) -> int:
    constraints = service.get("schedule", {}).get("availabilityConstraints", {})
    return int(constraints.get("timeBetweenSessions") or 0)


def needs_business_hours(service: dict[str, Any]) -> bool:
    """Business hours apply unless a staff member is the only resource needed (§10 input 2)."""
    return bool(service.get("serviceResources"))


def location_ids(service: dict[str, Any]) -> list[str]:
    return [loc["id"] for loc in service.get("locations", []) if loc.get("id")]


def _intersect(a: list[Interval], b: list[Interval]) -> list[Interval]:
    result = []
    for s1, e1 in a:
        for s2, e2 in b:
            start, end = max(s1, s2), min(e1, e2)
            if start < end:
                result.append((start, end))
    return sorted(result)


@dataclass
class _Busy:
    """A resource's busy intervals, searchable in O(log n) by start with a running max of ends."""

    starts: list[datetime]
    max_ends: list[datetime]

    @classmethod
    def of(cls, intervals: list[Interval]) -> _Busy:
        ordered = sorted(intervals)
        max_ends: list[datetime] = []
        for _, end in ordered:
            max_ends.append(max(end, max_ends[-1]) if max_ends else end)
        return cls([s for s, _ in ordered], max_ends)

    def overlaps(self, start: datetime, end: datetime) -> bool:
        count = bisect_left(self.starts, end)  # intervals starting before `end`
        return count > 0 and self.max_ends[count - 1] > start


class StaffCalendar:
    """Working windows and busy time of some staff over a UTC range, loaded in one go."""

    def __init__(
        self,
        store: Store,
        staff_ids: list[str],
        start: datetime,
        end: datetime,
        *,
        business_hours: bool = False,
        exclude_booking_ids: tuple[str, ...] = (),
    ) -> None:
        self.staff_ids = list(dict.fromkeys(staff_ids))
        self.zone: ZoneInfo = business_zone(store)
        resources = store.get_many("resources", self.staff_ids)
        self.names = {rid: str(doc.get("name", "")) for rid, doc in resources.items()}
        opening = store.setting("businessHours") if business_hours else None
        first = start.astimezone(self.zone).date() - timedelta(days=1)
        last = end.astimezone(self.zone).date() + timedelta(days=1)
        self.windows: dict[str, list[Interval]] = {}
        for rid in self.staff_ids:
            hours = resources.get(rid, {}).get("workingHours", {})
            windows = []
            for day in _days(first, last):
                own = working_windows(hours, day, self.zone)
                if opening is not None:
                    own = _intersect(own, working_windows(opening, day, self.zone))
                windows.extend(own)
            self.windows[rid] = sorted(windows)
        self._window_starts = {rid: [s for s, _ in w] for rid, w in self.windows.items()}
        busy = busy_intervals(store, self.staff_ids, start, end, exclude_booking_ids)
        self._busy = {rid: _Busy.of(intervals) for rid, intervals in busy.items()}

    def works(self, rid: str, start: datetime, end: datetime) -> bool:
        """Whether `[start, end]` lies inside one of the staff member's working windows."""
        windows = self.windows.get(rid, [])
        index = bisect_right(self._window_starts.get(rid, []), start) - 1
        return index >= 0 and windows[index][1] >= end

    def is_busy(self, rid: str, start: datetime, end: datetime) -> bool:
        busy = self._busy.get(rid)
        return busy is not None and busy.overlaps(start, end)

    def free(self, staff_ids: list[str], start: datetime, end: datetime, buffer: int) -> list[str]:
        """Staff working during `[start, end]` and not busy for `[start, end + buffer]`."""
        busy_until = end + timedelta(minutes=buffer)
        return [
            rid
            for rid in staff_ids
            if self.works(rid, start, end) and not self.is_busy(rid, start, busy_until)
        ]


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def free_staff(
    store: Store,
    service: dict[str, Any],
    start: datetime,
    end: datetime,
    location_id: str | None = None,
    exclude_booking_ids: tuple[str, ...] = (),
) -> list[str]:
    """Staff resource ids of `service` that work during [start, end] (UTC) and are not busy for
    [start, end + service buffer] — the same rule List Availability uses."""
    if location_id is not None and location_id not in location_ids(service):
        return []
    staff = list(service.get("staffMemberIds", []))
    buffer = buffer_minutes(service)
    calendar = StaffCalendar(
        store,
        staff,
        start,
        end + timedelta(minutes=buffer),
        business_hours=needs_business_hours(service),
        exclude_booking_ids=exclude_booking_ids,
    )
    return calendar.free(staff, start, end, buffer)


def policy_violations(
    service: dict[str, Any], policy: dict[str, Any], start: datetime, now: datetime
) -> dict[str, Any]:
    """{"tooEarlyToBook": bool, "tooLateToBook": bool, "bookOnlineDisabled": bool,
    "earliestBookingDate": "<utc iso>" (only when tooEarlyToBook)} for a session starting at
    `start` (time-slots.md §10 step 6, services-policies.md §3)."""
    ahead = start - now
    early = policy.get("limitEarlyBookingPolicy") or {}
    late = policy.get("limitLateBookingPolicy") or {}
    after_start = policy.get("bookAfterStartPolicy") or {}
    earliest = timedelta(minutes=int(early.get("earliestBookingInMinutes", 10080)))
    latest = timedelta(minutes=int(late.get("latestBookingInMinutes", 1440)))
    too_early = bool(early.get("enabled")) and ahead > earliest
    too_late = bool(late.get("enabled")) and ahead < latest
    if start <= now and not after_start.get("enabled"):
        too_late = True
    online = (service.get("onlineBooking") or {}).get("enabled", True)
    result: dict[str, Any] = {
        "tooEarlyToBook": too_early,
        "tooLateToBook": too_late,
        "bookOnlineDisabled": online is False,
    }
    if too_early:
        result["earliestBookingDate"] = utc_iso(start - earliest)
    return result
