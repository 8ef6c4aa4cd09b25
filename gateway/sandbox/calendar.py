"""The sandbox's calendar: working hours, class sessions, course sessions and busy time.

Time Slots (availability) and Bookings Writer (create/confirm checks) both read the calendar from
here, so a slot that List Availability shows is exactly a slot that Create Booking accepts.

Class sessions are not stored: a class's weekly timetable yields them on demand, and an event id
encodes its schedule and UTC start (`<scheduleId>-<YYYYMMDDTHHMMSSZ>`), so any future week has
sessions however long the sandbox has been running. Course sessions are the fixed list in the
course's schedule.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from gateway.sandbox.store import Store
from gateway.sandbox.wire import parse_utc, to_utc, utc_iso

# Statuses that occupy a resource or a place (PENDING treated as blocking, as the Mark Booking As
# Pending page says; the Writer V2 introduction says it doesn't block):
# https://dev.wix.com/docs/api-reference/business-solutions/bookings/bookings/bookings-writer-v2/mark-booking-as-pending
BLOCKING_STATUSES = ("CONFIRMED", "PENDING")
ACTIVE_STATUSES = ("CREATED", "CONFIRMED", "PENDING", "WAITING_LIST")

# Fewer than the 999 variables older SQLite builds allow in one statement.
_MAX_SQL_PARAMETERS = 500
_EVENT_ID = re.compile(r"^(?P<schedule>[0-9a-f-]{36})-(?P<start>\d{8}T\d{6}Z)$")

Interval = tuple[datetime, datetime]


@dataclass(frozen=True)
class Session:
    """One class or course session."""

    event_id: str
    service_id: str
    schedule_id: str
    start: datetime  # UTC
    end: datetime  # UTC
    resource_id: str
    location_id: str
    capacity: int


def business_zone(store: Store) -> ZoneInfo:
    properties = store.setting("siteProperties") or {}
    return ZoneInfo(properties.get("timeZone", "UTC"))


def event_id(schedule_id: str, start: datetime) -> str:
    return f"{schedule_id}-{start.astimezone(UTC).strftime('%Y%m%dT%H%M%SZ')}"


def parse_event_id(value: str) -> tuple[str, datetime] | None:
    match = _EVENT_ID.match(value)
    if not match:
        return None
    start = datetime.strptime(match["start"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    return match["schedule"], start


def local_span(day: date, start: str, end: str, tz: ZoneInfo) -> Interval:
    """The UTC interval of local "HH:MM" times `start`-`end` on local `day`."""
    return _utc_at(day, start, tz), _utc_at(day, end, tz)


def _utc_at(day: date, hh_mm: str, tz: ZoneInfo) -> datetime:
    hour, minute = (int(x) for x in hh_mm.split(":"))
    return to_utc(datetime(day.year, day.month, day.day, hour, minute), tz)


def working_windows(hours: dict[str, list[list[str]]], day: date, tz: ZoneInfo) -> list[Interval]:
    """The UTC intervals of `hours` (per weekday, local "HH:MM" spans) on local `day`."""
    return [local_span(day, start, end, tz) for start, end in hours.get(str(day.weekday()), [])]


def busy_intervals(
    store: Store,
    resource_ids: list[str],
    start: datetime,
    end: datetime,
    exclude_booking_ids: tuple[str, ...] = (),
) -> dict[str, list[Interval]]:
    """Per resource, the time its blocking bookings occupy (session + the service's buffer).

    Every availability check runs this, so it reads the indexed columns (and the buffer kept in
    the booking's `_sandbox` index) without decoding whole booking documents."""
    busy: dict[str, list[Interval]] = {rid: [] for rid in resource_ids}
    if not resource_ids:
        return busy
    marks = ",".join("?" * len(resource_ids))
    statuses = ",".join("?" * len(BLOCKING_STATUSES))
    rows = store.rows(
        "SELECT id, resource_id, start_utc, end_utc, json_extract(doc, '$._sandbox.buffer_minutes')"
        f" FROM bookings WHERE resource_id IN ({marks}) AND status IN ({statuses})"
        " AND start_utc < ? AND end_utc > ? ORDER BY rowid",
        (
            *resource_ids,
            *BLOCKING_STATUSES,
            utc_iso(end + timedelta(days=1)),
            utc_iso(start - timedelta(days=1)),
        ),
    )
    for booking_id, resource_id, start_utc, end_utc, buffer in rows:
        if booking_id in exclude_booking_ids:
            continue
        s = parse_utc(start_utc, "start")
        e = parse_utc(end_utc, "end") + timedelta(minutes=buffer or 0)
        if s < end and e > start:
            busy[resource_id].append((s, e))
    return busy
    marks = ",".join("?" * len(resource_ids))
    statuses = ",".join("?" * len(BLOCKING_STATUSES))
    rows = store.bookings_where(
        f"resource_id IN ({marks}) AND status IN ({statuses}) AND start_utc < ? AND end_utc > ?",
        (
            *resource_ids,
            *BLOCKING_STATUSES,
            utc_iso(end + timedelta(days=1)),
            utc_iso(start - timedelta(days=1)),
        ),
    )
    for booking in rows:
        if booking["id"] in exclude_booking_ids:
            continue
        index = booking["_sandbox"]
        s = parse_utc(index["start_utc"], "start")
        e = parse_utc(index["end_utc"], "end") + timedelta(minutes=index.get("buffer_minutes", 0))
        if s < end and e > start:
            busy[index["resource_id"]].append((s, e))
    return busy


def class_sessions(
    store: Store, service: dict[str, Any], start: datetime, end: datetime
) -> list[Session]:
    """Sessions of a CLASS (from its weekly timetable) or COURSE (fixed list) starting in range."""
    schedule = store.get("schedules", service["schedule"]["id"])
    if schedule is None:
        return []
    capacity = int(service.get("defaultCapacity", 1))
    sessions: list[Session] = []
    if service["type"] == "COURSE":
        for item in schedule.get("sessions", []):
            s, e = parse_utc(item["start"], "start"), parse_utc(item["end"], "end")
            if start <= s < end:
                sessions.append(_session(service, schedule, s, e, item, capacity))
        return sessions
    tz = business_zone(store)
    day = start.astimezone(tz).date() - timedelta(days=1)
    last = end.astimezone(tz).date() + timedelta(days=1)
    while day <= last:
        for item in schedule.get("timetable", []):
            if item["weekday"] != day.weekday():
                continue
            s, e = local_span(day, item["start"], item["end"], tz)
            if start <= s < end:
                sessions.append(_session(service, schedule, s, e, item, capacity))
        day += timedelta(days=1)
    sessions.sort(key=lambda x: x.start)
    return sessions


def _session(
    service: dict[str, Any],
    schedule: dict[str, Any],
    start: datetime,
    end: datetime,
    item: dict[str, Any],
    capacity: int,
) -> Session:
    return Session(
        event_id=event_id(schedule["id"], start),
        service_id=service["id"],
        schedule_id=schedule["id"],
        start=start,
        end=end,
        resource_id=item["resourceId"],
        location_id=item["locationId"],
        capacity=capacity,
    )


def find_session(store: Store, event_id_: str) -> Session | None:
    """The class or course session an event id names, if it exists in its timetable."""
    parsed = parse_event_id(event_id_)
    if parsed is None:
        return None
    schedule_id, start = parsed
    schedule = store.get("schedules", schedule_id)
    if schedule is None:
        return None
    service = store.get("services", schedule["serviceId"])
    if service is None:
        return None
    for session in class_sessions(store, service, start, start + timedelta(seconds=1)):
        if session.event_id == event_id_:
            return session
    return None


def booked_participants(
    store: Store,
    *,
    event_id: str | None = None,
    schedule_id: str | None = None,
    exclude_booking_ids: tuple[str, ...] = (),
) -> int:
    """Participants of blocking bookings for one class session, or for a whole course."""
    column, value = ("event_id", event_id) if event_id else ("schedule_id", schedule_id)
    marks = ",".join("?" * len(BLOCKING_STATUSES))
    params: tuple[Any, ...] = (value, *BLOCKING_STATUSES)
    where = f"{column} = ? AND status IN ({marks})"
    if exclude_booking_ids:
        where += f" AND id NOT IN ({','.join('?' * len(exclude_booking_ids))})"
        params = (*params, *exclude_booking_ids)
    total = store.scalar(
        f"SELECT COALESCE(SUM(participants), 0) FROM bookings WHERE {where}", params
    )
    return int(total or 0)


def participants_by_status(store: Store, event_ids: Sequence[str]) -> dict[str, Counter[str]]:
    """Per class session, the participants of its bookings by status: one query for a listing
    (what `booked_participants` counts for one session is the sum over BLOCKING_STATUSES)."""
    counts: dict[str, Counter[str]] = {event_id: Counter() for event_id in event_ids}
    for first in range(0, len(event_ids), _MAX_SQL_PARAMETERS):
        chunk = tuple(event_ids[first : first + _MAX_SQL_PARAMETERS])
        rows = store.rows(
            "SELECT event_id, status, SUM(participants) FROM bookings "
            f"WHERE event_id IN ({','.join('?' * len(chunk))}) GROUP BY event_id, status",
            chunk,
        )
        for event_id, status, participants in rows:
            counts[event_id][status] = int(participants or 0)
    return counts


def staff_names(store: Store, resource_ids: Iterable[str]) -> dict[str, str]:
    """The names `availableResources` shows, by staff resource id (one query)."""
    resources = store.get_many("resources", list(dict.fromkeys(resource_ids)))
    return {rid: str(doc.get("name", "")) for rid, doc in resources.items()}
