"""Wall time (a local date-time without an offset, as Wix's Time Slots write it) and its zone.

Plain `datetime`s, shared by the booking domain and the GraphQL scalars (which wrap them in their
`LocalDateTime` / `DateTime` types).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo


def parse_local(value: str) -> datetime:
    """A Wix local date-time (`YYYY-MM-DDThh:mm:ss[.SSS]`, no offset)."""
    return datetime.fromisoformat(value)


def format_local(value: datetime) -> str:
    return f"{value:%Y-%m-%dT%H:%M:%S}"


@cache
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def local_to_utc(local: datetime, time_zone: str) -> datetime:
    """Wall time in `time_zone` -> UTC. A wall time in a spring-forward gap moves forward one
    hour (as Wix documents for slots); an ambiguous one takes its first occurrence."""
    tz = zone(time_zone)
    aware = local.replace(tzinfo=tz)
    utc = aware.astimezone(UTC)
    if utc.astimezone(tz).replace(tzinfo=None) != local:
        utc = (local + timedelta(hours=1)).replace(tzinfo=tz).astimezone(UTC)
    return utc
