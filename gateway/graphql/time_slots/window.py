"""The `from`..`to` window of a time-slot list, refused before any Wix call when Wix should not be
asked for it."""

from __future__ import annotations

from datetime import datetime, timedelta

from gateway.graphql.errors import bad_user_input

# Longest window: Wix documents no maximum for the List methods
# (https://dev.wix.com/docs/api-reference/business-solutions/bookings/time-slots/time-slots-v2);
# a year is more than any calendar shows and what the sandbox accepts.
MAX_RANGE = timedelta(days=366)


def check_window(start: datetime | None, end: datetime | None) -> None:
    """`end` must follow `start` by at most `MAX_RANGE` (a bound left out is not checked)."""
    if start is None or end is None:
        return
    if end <= start:
        raise bad_user_input("`to` must be later than `from`", "to")
    if end - start > MAX_RANGE:
        raise bad_user_input(f"`to` must be at most {MAX_RANGE.days} days after `from`", "to")
