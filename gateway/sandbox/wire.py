"""Wix wire formats: UTC timestamps, local date-times, int64-as-string revisions."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from gateway.sandbox.errors import WixError, invalid

_LOCAL_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?$")
_ZONES: frozenset[str] | None = None
# Dates the sandbox accepts: far wider than any booking, and far enough from `datetime`'s own
# limits (years 1..9999) that adding a slot, a buffer or a year of range can never overflow.
EARLIEST_YEAR = 1900
LATEST_YEAR = 2200


def utc_iso(moment: datetime) -> str:
    """`2025-01-10T15:00:00.000Z`: how Wix renders timestamps."""
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def local_iso(moment: datetime) -> str:
    """`2025-01-10T10:00:00`: how Wix renders Bookings local date-times (no offset)."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


def parse_local(value: Any, field: str) -> datetime:
    """A naive local date-time; accepts `...:ss` and `...:ss.SSS`, rejects dates and offsets."""
    if not isinstance(value, str) or not _LOCAL_RE.match(value):
        raise invalid(field, "must be a valid local date-time", "FORMAT")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:  # well formed but no such date, e.g. 2025-02-30
        raise invalid(field, "must be a valid local date-time", "FORMAT") from None
    return _in_range(moment, field)


def parse_utc(value: Any, field: str) -> datetime:
    """An ISO-8601 instant with `Z` or an offset."""
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise invalid(field, "must be a valid ISO-8601 date-time", "FORMAT") from None
    if moment.tzinfo is None:
        raise invalid(field, "must carry a time zone offset", "FORMAT")
    return _in_range(moment, field).astimezone(UTC)


def parse_instant(value: Any, zone: ZoneInfo, field: str) -> datetime:
    """Booking start/end: local (`...:ss[.SSS]`, read in `zone`) or with an offset."""
    if not isinstance(value, str):
        raise WixError(400, "INVALID_DATE_FORMAT", f"{field} must be an ISO date-time")
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise WixError(400, "INVALID_DATE_FORMAT", f"{field} must be an ISO date-time") from None
    _in_range(moment, field)
    if moment.tzinfo is None:
        return to_utc(moment, zone)
    return moment.astimezone(UTC)


def _in_range(moment: datetime, field: str) -> datetime:
    if not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
        years = f"{EARLIEST_YEAR} to {LATEST_YEAR}"
        raise invalid(field, f"must be a date-time in the years {years}", "OUT_OF_RANGE")
    return moment


def zone(name: Any, field: str = "timeZone") -> ZoneInfo:
    """A validated IANA zone."""
    global _ZONES
    if _ZONES is None:
        _ZONES = frozenset(available_timezones()) | {"UTC"}
    if not isinstance(name, str) or name not in _ZONES:
        raise invalid(field, "must be a valid IANA time zone", "TIME_ZONE")
    try:
        return ZoneInfo(name)
    except ZoneInfoNotFoundError:
        raise invalid(field, "must be a valid IANA time zone", "TIME_ZONE") from None


def to_utc(local: datetime, tz: ZoneInfo) -> datetime:
    """Local wall time in `tz` -> UTC. A time in the spring-forward gap moves forward one hour."""
    aware = local.replace(tzinfo=tz)
    back = aware.astimezone(UTC).astimezone(tz).replace(tzinfo=None)
    if back != local:  # non-existent local time
        aware = (local + timedelta(hours=1)).replace(tzinfo=tz)
    return aware.astimezone(UTC)


def to_local(moment: datetime, tz: ZoneInfo) -> datetime:
    """UTC instant -> naive local wall time in `tz`."""
    return moment.astimezone(tz).replace(tzinfo=None)


def parse_revision(value: Any, field: str = "revision") -> int:
    if value is None or value == "":
        raise invalid(field, "is required", "REQUIRED_FIELD")
    try:
        return int(str(value))
    except ValueError:
        raise invalid(field, "must be an int64 string", "FORMAT") from None


def compact(value: Any) -> Any:
    """Drop `None` values recursively, as proto3 JSON omits unset fields."""
    if isinstance(value, dict):
        return {k: compact(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [compact(v) for v in value]
    return value
