"""The availability engine, where the sandbox decides a slot is free: which staff can take a
session, and which sessions a service offers (class and course places: `calendar.py`).

Follows "Availability calculation" in https://dev.wix.com/docs/api-reference/business-solutions/bookings/time-slots/time-slots-v2/introduction
(and the method pages). Staff working hours (local to the business zone) become UTC windows;
busy time is the blocking bookings plus their buffer (`calendar.busy_intervals`). Everything a
request needs is loaded once into a `StaffCalendar` (one bookings query for the whole range), so
listing a month of slots runs no per-slot SQL. Create Booking uses `free_staff` and
`policy_violations` from here, so what List Availability shows is exactly what can be booked.

Candidate starts are laid every split interval (duration + buffer, Wix's `sameAsDuration`) from
the start of each operating window, not from the end of each booking: the grid stays put when a
booking lands, and a booked staff member simply drops out of the slots it overlaps (the sandbox's
reading of "Resource availability").
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

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
    """Business hours apply unless a staff member is the only resource needed
    ("Operating hours" in https://dev.wix.com/docs/api-reference/business-solutions/bookings/time-slots/time-slots-v2/introduction)."""
    return bool(service.get("serviceResources"))


def location_ids(service: dict[str, Any]) -> list[str]:
    return [loc["id"] for loc in service.get("locations", []) if loc.get("id")]


def staff_of(service: dict[str, Any]) -> list[str]:
    return list(service.get("staffMemberIds", []))


def _intersect(a: list[Interval], b: list[Interval]) -> list[Interval]:
    result = []
    for s1, e1 in a:
        for s2, e2 in b:
            start, end = max(s1, s2), min(e1, e2)
            if start < end:
                result.append((start, end))
    return sorted(result)


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


class _Windows:
    """Sorted, non-overlapping intervals; `contains` is a binary search."""

    def __init__(self, intervals: list[Interval]) -> None:
        self.intervals = sorted(intervals)
        self._starts = [s for s, _ in self.intervals]

    def contains(self, start: datetime, end: datetime) -> bool:
        index = bisect_right(self._starts, start) - 1
        return index >= 0 and self.intervals[index][1] >= end


class _Busy:
    """Possibly overlapping intervals sorted by start, with a running max of ends: O(log n)."""

    def __init__(self, intervals: list[Interval]) -> None:
        ordered = sorted(intervals)
        self._starts = [s for s, _ in ordered]
        self._max_ends: list[datetime] = []
        for _, end in ordered:
            self._max_ends.append(max(end, self._max_ends[-1]) if self._max_ends else end)

    def overlaps(self, start: datetime, end: datetime) -> bool:
        count = bisect_left(self._starts, end)  # intervals starting before `end`
        return count > 0 and self._max_ends[count - 1] > start


class StaffCalendar:
    """Working windows, business hours and busy time of some staff over a UTC range."""

    def __init__(
        self,
        store: Store,
        staff_ids: list[str],
        start: datetime,
        end: datetime,
        exclude_booking_ids: tuple[str, ...] = (),
    ) -> None:
        self.staff_ids = list(dict.fromkeys(staff_ids))
        zone = business_zone(store)
        resources = store.get_many("resources", self.staff_ids)
        self.names = {rid: str(doc.get("name", "")) for rid, doc in resources.items()}
        days = _days(start.astimezone(zone).date() - timedelta(days=1), end.astimezone(zone).date())
        opening = store.setting("businessHours") or {}
        self.business = _Windows([w for d in days for w in working_windows(opening, d, zone)])
        self.windows = {}
        for rid in self.staff_ids:
            hours = resources.get(rid, {}).get("workingHours", {})
            self.windows[rid] = _Windows([w for d in days for w in working_windows(hours, d, zone)])
        busy = busy_intervals(store, self.staff_ids, start, end, exclude_booking_ids)
        self._busy = {rid: _Busy(intervals) for rid, intervals in busy.items()}

    def operating(self, rid: str, business_hours: bool) -> list[Interval]:
        """The staff member's working windows (∩ business hours when the service needs them)."""
        own = self.windows[rid].intervals
        return _intersect(own, self.business.intervals) if business_hours else own

    def works(self, rid: str, start: datetime, end: datetime, business_hours: bool) -> bool:
        inside = self.windows[rid].contains(start, end)
        return inside and (not business_hours or self.business.contains(start, end))

    def free(
        self,
        staff_ids: list[str],
        start: datetime,
        end: datetime,
        buffer: int,
        business_hours: bool = False,
    ) -> list[str]:
        """Staff working during `[start, end]` and not busy for `[start, end + buffer]`."""
        busy_until = end + timedelta(minutes=buffer)
        return [
            rid
            for rid in staff_ids
            if rid in self.windows
            and self.works(rid, start, end, business_hours)
            and not self._busy[rid].overlaps(start, busy_until)
        ]


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
    buffer = buffer_minutes(service)
    staff = staff_of(service)
    calendar = StaffCalendar(
        store, staff, start, end + timedelta(minutes=buffer), exclude_booking_ids
    )
    return calendar.free(staff, start, end, buffer, needs_business_hours(service))


def policy_violations(
    service: dict[str, Any], policy: dict[str, Any], start: datetime, now: datetime
) -> dict[str, Any]:
    """{"tooEarlyToBook": bool, "tooLateToBook": bool, "bookOnlineDisabled": bool,
    "earliestBookingDate": "<utc iso>" (only when tooEarlyToBook)} for a session starting at
    `start` (https://dev.wix.com/docs/api-reference/business-solutions/bookings/policies/booking-policies/booking-policy-object)."""
    # Windows are durations on the timeline (Wix states them in minutes before the start), not
    # calendar days at the same wall time, so one spanning a clock change opens an hour apart
    # from the calendar reading. https://dev.wix.com/docs/api-reference/business-solutions/
    # bookings/policies/booking-policies/booking-policy-object
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


# -- candidate sessions ---------------------------------------------------------------------


@dataclass(frozen=True)
class Opening:
    """A candidate session of one service (UTC) and the staff free for it, in service order."""

    service_id: str
    start: datetime
    end: datetime
    staff: tuple[str, ...]


def appointment_openings(
    calendar: StaffCalendar, service: dict[str, Any], start: datetime, end: datetime
) -> list[Opening]:
    """Every candidate start in [start, end) with at least one free staff member.

    `calendar` must cover [start, end + duration + buffer]."""
    duration = timedelta(minutes=duration_minutes(service))
    buffer = buffer_minutes(service)
    step = duration + timedelta(minutes=buffer)
    business_hours = needs_business_hours(service)
    staff = [rid for rid in staff_of(service) if rid in calendar.windows]
    starts: set[datetime] = set()
    for rid in staff:
        for window_start, window_end in calendar.operating(rid, business_hours):
            moment = window_start
            while moment + duration <= window_end and moment < end:
                if moment >= start:
                    starts.add(moment)
                moment += step
    openings = []
    for moment in sorted(starts):
        free = calendar.free(staff, moment, moment + duration, buffer, business_hours)
        if free:
            openings.append(Opening(service["id"], moment, moment + duration, tuple(free)))
    return openings


def service_openings(
    store: Store, service: dict[str, Any], start: datetime, end: datetime
) -> tuple[StaffCalendar, list[Opening]]:
    """Load the calendar for one appointment service and list its openings in [start, end)."""
    reach = timedelta(minutes=duration_minutes(service) + buffer_minutes(service))
    calendar = StaffCalendar(store, staff_of(service), start, end + reach)
    return calendar, appointment_openings(calendar, service, start, end)


StaffPick = Callable[[tuple[str, ...]], tuple[str, ...]]


def chain_openings(
    store: Store,
    services: list[dict[str, Any]],
    start: datetime,
    end: datetime,
    picks: Sequence[StaffPick] | None = None,
) -> tuple[StaffCalendar, list[tuple[Opening, ...]]]:
    """Back-to-back sessions of `services` in order, each leg starting when the previous ends;
    chain starts are the first service's candidate starts in [start, end). `picks[i]` narrows
    the staff leg `i` may use (a `resourceTypes` filter)."""
    reach = timedelta(minutes=sum(duration_minutes(s) + buffer_minutes(s) for s in services))
    staff = [rid for service in services for rid in staff_of(service)]
    calendar = StaffCalendar(store, staff, start, end + reach)
    chains = []
    for first in appointment_openings(calendar, services[0], start, end):
        chain = _chain_from(calendar, services, first.start, picks)
        if chain is not None:
            chains.append(chain)
    return calendar, chains


def _chain_from(
    calendar: StaffCalendar,
    services: list[dict[str, Any]],
    start: datetime,
    picks: Sequence[StaffPick] | None,
) -> tuple[Opening, ...] | None:
    legs: list[Opening] = []
    occupied: list[Interval] = []
    moment = start
    for index, service in enumerate(services):
        end = moment + timedelta(minutes=duration_minutes(service))
        buffer = buffer_minutes(service)
        free = tuple(
            calendar.free(staff_of(service), moment, end, buffer, needs_business_hours(service))
        )
        if picks is not None:
            free = picks[index](free)
        if not free:
            return None
        legs.append(Opening(service["id"], moment, end, free))
        occupied.append((moment, end + timedelta(minutes=buffer)))
        moment = end
    usable = [
        tuple(rid for rid in leg.staff if _assignable(legs, occupied, index, rid))
        for index, leg in enumerate(legs)
    ]
    if not all(usable):
        return None
    return tuple(
        Opening(leg.service_id, leg.start, leg.end, staff)
        for leg, staff in zip(legs, usable, strict=True)
    )


def _assignable(legs: list[Opening], occupied: list[Interval], fixed: int, rid: str) -> bool:
    """Whether staff can be picked per leg, with `rid` on leg `fixed`, so that nobody holds two
    legs whose occupied time (session + buffer) overlaps."""
    chosen: list[str] = []

    def clash(i: int, j: int) -> bool:
        (s1, e1), (s2, e2) = occupied[i], occupied[j]
        return s1 < e2 and s2 < e1

    def place(i: int) -> bool:
        if i == len(legs):
            return True
        for candidate in (rid,) if i == fixed else legs[i].staff:
            if any(chosen[j] == candidate and clash(j, i) for j in range(i)):
                continue
            chosen.append(candidate)
            if place(i + 1):
                return True
            chosen.pop()
        return False

    return place(0)
