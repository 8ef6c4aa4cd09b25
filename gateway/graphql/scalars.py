"""Custom scalars: `DateTime` (UTC instant), `LocalDateTime` (wall time, no offset), `TimeZone`.

Python values are `datetime`s (aware UTC / naive) and `str`; the `scalar_map` at the bottom is
given to the schema. Bad input raises `InvalidInput`, whose `extensions` graphql-core copies onto
the validation error, so clients get `extensions.code = BAD_USER_INPUT`.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from functools import cache
from typing import Any, NewType
from zoneinfo import available_timezones

import strawberry
from strawberry.types.scalar import ScalarDefinition

from gateway import wall_time
from gateway.graphql.errors import BAD_USER_INPUT
from gateway.wall_time import format_local

DateTime = NewType("DateTime", datetime)
LocalDateTime = NewType("LocalDateTime", datetime)
TimeZone = NewType("TimeZone", str)

_LOCAL_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?$")
# Years a date-time argument may fall in: every booking a site can hold, and far from the limits
# of `datetime` (years 1..9999), so adding a range or a duration to an argument never overflows.
EARLIEST_YEAR = 1970
LATEST_YEAR = 2100


class InvalidInput(ValueError):
    """A scalar value a client sent that cannot be used; carries GraphQL `extensions`."""

    extensions = {"code": BAD_USER_INPUT}


# --- conversions used by the domain mappers ----------------------------------------------------


def parse_instant(value: str) -> DateTime:
    """A Wix timestamp (`...Z` or with an offset) as an aware UTC datetime."""
    return DateTime(datetime.fromisoformat(value).astimezone(UTC))


def parse_optional_instant(value: str | None) -> DateTime | None:
    """`parse_instant`, or None for a timestamp Wix left out (or sent empty)."""
    return parse_instant(value) if value else None


def parse_local(value: str) -> LocalDateTime:
    """A Wix local date-time (`YYYY-MM-DDThh:mm:ss[.SSS]`, no offset)."""
    return LocalDateTime(wall_time.parse_local(value))


def format_instant(value: datetime) -> str:
    """How Wix writes instants (and so do we): UTC, millisecond precision, `Z`."""
    if value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    return f"{value.isoformat(timespec='milliseconds')[:-6]}Z"  # without "+00:00"


def local_to_utc(local: datetime, time_zone: str) -> DateTime:
    """`gateway.wall_time.local_to_utc`, typed as an instant."""
    return DateTime(wall_time.local_to_utc(local, time_zone))


@cache
def _known_zones() -> frozenset[str]:
    return frozenset(available_timezones()) | {"UTC"}


# --- the scalar definitions --------------------------------------------------------------------


def _parse_datetime(value: Any) -> DateTime:
    if not isinstance(value, str):
        raise InvalidInput("DateTime must be an ISO-8601 string")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"{value!r} is not an ISO-8601 date-time") from None
    if parsed.tzinfo is None:
        raise InvalidInput(f"{value!r} has no offset; DateTime is an instant (use Z for UTC)")
    return DateTime(_in_range(parsed, value).astimezone(UTC))


def _parse_local_datetime(value: Any) -> LocalDateTime:
    if not isinstance(value, str) or not _LOCAL_RE.match(value):
        raise InvalidInput(f"{value!r} is not a local date-time like 2025-01-10T09:00:00")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"{value!r} is not a valid local date-time") from None
    return LocalDateTime(_in_range(parsed, value))


def _in_range(parsed: datetime, value: str) -> datetime:
    if not EARLIEST_YEAR <= parsed.year <= LATEST_YEAR:
        raise InvalidInput(f"{value!r} is outside the years {EARLIEST_YEAR} to {LATEST_YEAR}")
    return parsed


def _parse_time_zone(value: Any) -> TimeZone:
    if not isinstance(value, str) or value not in _known_zones():
        raise InvalidInput(f"{value!r} is not an IANA time zone name")
    return TimeZone(value)


SCALAR_MAP: dict[object, ScalarDefinition] = {
    DateTime: strawberry.scalar(
        name="DateTime",
        description="A UTC instant in ISO-8601, e.g. `2025-01-10T15:00:00.000Z`.",
        serialize=format_instant,
        parse_value=_parse_datetime,
    ),
    LocalDateTime: strawberry.scalar(
        name="LocalDateTime",
        description="A wall-clock date-time without offset, e.g. `2025-01-10T10:00:00`; "
        "read in the time zone given next to it.",
        serialize=format_local,
        parse_value=_parse_local_datetime,
    ),
    TimeZone: strawberry.scalar(
        name="TimeZone",
        description="An IANA time zone name, e.g. `Europe/London`.",
        serialize=str,
        parse_value=_parse_time_zone,
    ),
}
