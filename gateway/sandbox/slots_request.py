"""Reading Time Slots requests, and the list pipeline shared by the three list methods:
zone and local range, filters, per-day caps and cursor paging
(https://dev.wix.com/docs/api-reference/business-solutions/bookings/time-slots/time-slots-v2/list-availability-time-slots).

A cursor is opaque base64 JSON (`wql.encode_cursor`) holding the first request and the sort key
of the last slot sent, so a cursor request sends only `cursorPaging` and each slot is returned
exactly once even if bookings change between pages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from gateway.sandbox import wql
from gateway.sandbox.calendar import business_zone
from gateway.sandbox.errors import WixError, invalid
from gateway.sandbox.seed import STAFF_RESOURCE_TYPE_ID
from gateway.sandbox.slots_render import VIOLATION_FLAGS
from gateway.sandbox.store import Store
from gateway.sandbox.wire import parse_local, to_local, to_utc, zone

# Wix documents no maximum range for the list methods (unconfirmed,
# https://dev.wix.com/docs/api-reference/business-solutions/bookings/time-slots/time-slots-v2/list-availability-time-slots);
# the sandbox refuses more than a year so that one request can't compute decades of slots.
MAX_RANGE_DAYS = 366
# List returns at most 10 resources per type:
# https://dev.wix.com/docs/api-reference/business-solutions/bookings/time-slots/time-slots-v2/time-slot-object
LIST_RESOURCES_CAP = 10

Key = tuple[str, str]  # (UTC start, tie-breaker: location or event id)
Item = tuple[Key, dict[str, Any]]


def missing_arguments(*fields: str) -> WixError:
    return WixError(400, "MISSING_ARGUMENTS", f"Missing arguments: {', '.join(fields)}")


def require(body: dict[str, Any], *fields: str) -> None:
    absent = [f for f in fields if body.get(f) in (None, "", [], {})]
    if absent:
        raise missing_arguments(*absent)


def at_most(body: dict[str, Any], field: str, maximum: int) -> list[Any]:
    """`body[field]` as a list of at most `maximum` items (400 validationError otherwise)."""
    value = body.get(field) or []
    if not isinstance(value, list):
        raise invalid(field, "must be an array")
    if len(value) > maximum:
        raise invalid(field, f"must contain at most {maximum} items", "MAX_SIZE")
    return value


def request_zone(store: Store, name: Any, max_length: int = 150) -> tuple[str, ZoneInfo]:
    """The request's `timeZone`, defaulting to the site's (https://dev.wix.com/docs/api-reference/business-solutions/bookings/about-time-zones)."""
    if name in (None, ""):
        site = business_zone(store)
        return site.key, site
    if isinstance(name, str) and len(name) > max_length:
        raise invalid("timeZone", f"must be at most {max_length} characters", "MAX_LENGTH")
    return str(name), zone(name)


def local_range(body: dict[str, Any], tz: ZoneInfo, now: datetime) -> tuple[datetime, datetime]:
    """UTC bounds of `fromLocalDate` (default now) .. `toLocalDate`, read in `tz`."""
    start = now
    if body.get("fromLocalDate") is not None:
        start = to_utc(parse_local(body["fromLocalDate"], "fromLocalDate"), tz)
    end = to_utc(parse_local(body["toLocalDate"], "toLocalDate"), tz)
    if end - start > timedelta(days=MAX_RANGE_DAYS):
        raise invalid("toLocalDate", f"must be within {MAX_RANGE_DAYS} days of fromLocalDate")
    return start, end


def local_instant(body: dict[str, Any], field: str, tz: ZoneInfo) -> datetime:
    return to_utc(parse_local(body[field], field), tz)


# -- filters ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SlotFilter:
    """`bookable` and `bookingPolicyViolations` filters (each present flag matched on its own)."""

    bookable: bool | None
    flags: dict[str, bool]

    @classmethod
    def of(cls, body: dict[str, Any], *, with_bookable: bool = True) -> SlotFilter:
        violations = body.get("bookingPolicyViolations") or {}
        if not isinstance(violations, dict):
            raise invalid("bookingPolicyViolations", "must be an object")
        flags = {f: bool(violations[f]) for f in VIOLATION_FLAGS if violations.get(f) is not None}
        bookable = body.get("bookable") if with_bookable else None
        return cls(None if bookable is None else bool(bookable), flags)

    def keep(self, slot: dict[str, Any]) -> bool:
        if self.bookable is not None and slot["bookable"] != self.bookable:
            return False
        violations = slot["bookingPolicyViolations"]
        return all(violations[flag] == wanted for flag, wanted in self.flags.items())


def location_matches(location: dict[str, Any], wanted: list[dict[str, Any]]) -> bool:
    """Whether a service location passes the request's `locations` filter (empty = all)."""
    if not wanted:
        return True
    for item in wanted:
        if item.get("id"):
            if item["id"] == location.get("id"):
                return True
        elif item.get("locationType") and item["locationType"] == location.get("type"):
            return True
    return False


@dataclass(frozen=True)
class ResourceRequest:
    """`resourceTypes` (a filter on slots) and `includeResourceTypeIds` (response detail only)."""

    allowed_staff: frozenset[str] | None  # None = any staff member
    impossible: bool  # a required resource type the sandbox has none of
    show_staff: bool

    @classmethod
    def of(cls, body: dict[str, Any], *, listing: bool) -> ResourceRequest:
        include = at_most(body, "includeResourceTypeIds", 100)
        types = at_most(body, "resourceTypes", 8)
        allowed: set[str] | None = None
        impossible = False
        for item in types:
            ids = item.get("resourceIds") or []
            if len(ids) > 135:
                raise invalid("resourceTypes.resourceIds", "must contain at most 135 items")
            if item.get("resourceTypeId") != STAFF_RESOURCE_TYPE_ID:
                impossible = True
            elif ids:
                allowed = set(ids) if allowed is None else allowed & set(ids)
        named = set(include) | {t.get("resourceTypeId") for t in types}
        show = STAFF_RESOURCE_TYPE_ID in named if (listing or named) else True
        return cls(None if allowed is None else frozenset(allowed), impossible, show)

    def staff(self, free: tuple[str, ...]) -> tuple[str, ...]:
        if self.impossible:
            return ()
        if self.allowed_staff is None:
            return free
        return tuple(rid for rid in free if rid in self.allowed_staff)


def per_day(items: list[Item], cap: Any, field: str) -> list[Item]:
    """At most `cap` slots per local day, bookable ones chosen first, then in start order."""
    if cap is None:
        return items
    if isinstance(cap, bool) or not isinstance(cap, int) or not 1 <= cap <= 1000:
        raise invalid(field, "must be an integer between 1 and 1000", "MAX")
    limit = cap
    by_day: dict[str, list[Item]] = {}
    for item in items:
        by_day.setdefault(item[1]["localStartDate"][:10], []).append(item)
    chosen: list[Item] = []
    for day_items in by_day.values():
        preferred = sorted(day_items, key=lambda item: (not item[1]["bookable"], item[0]))
        chosen.extend(preferred[:limit])
    return sorted(chosen, key=lambda item: item[0])


# -- cursor paging ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Paging:
    kind: str
    request: dict[str, Any]  # the first request, without its cursor
    after: Key | None
    limit: int

    @classmethod
    def open(cls, body: dict[str, Any], kind: str, default: int, maximum: int) -> Paging:
        """The effective request: the body itself, or the one a cursor carries."""
        paging = body.get("cursorPaging") or {}
        if not isinstance(paging, dict):
            raise invalid("cursorPaging", "must be an object")
        request, after = body, None
        if paging.get("cursor"):
            state = wql.decode_cursor(str(paging["cursor"]))
            if state.get("kind") != kind or not isinstance(state.get("request"), dict):
                raise invalid("cursorPaging.cursor", "is not a valid cursor")
            request, after = state["request"], _key(state.get("after"))
        stored = request.get("cursorPaging") or {}
        asked = paging.get("limit")
        limit = wql.page_limit(
            stored.get("limit") if asked is None else asked, default, maximum, "cursorPaging.limit"
        )
        first = {k: v for k, v in request.items() if k != "cursorPaging"}
        if stored.get("limit") is not None:
            first["cursorPaging"] = {"limit": stored["limit"]}
        return cls(kind, first, after, limit)

    def narrow(self, span: tuple[datetime, datetime], tz: ZoneInfo) -> tuple[datetime, datetime]:
        """A later page needs nothing before the local day of the last slot sent (whole days
        are kept, so per-day caps choose the same slots on every page)."""
        if self.after is None:
            return span
        last = datetime.fromisoformat(self.after[0].replace("Z", "+00:00"))
        midnight = to_local(last, tz).replace(hour=0, minute=0, second=0, microsecond=0)
        return max(span[0], to_utc(midnight, tz)), span[1]

    def page(self, items: list[Item]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        """The next `limit` items (sorted by key) after the cursor, and the paging metadata."""
        ordered = sorted(items, key=lambda item: item[0])
        if self.after is not None:
            ordered = [item for item in ordered if item[0] > self.after]
        chunk = ordered[: self.limit]
        has_next = len(ordered) > len(chunk)
        cursors = {}
        if has_next:
            state = {"kind": self.kind, "request": self.request, "after": list(chunk[-1][0])}
            cursors["next"] = wql.encode_cursor(state)
        return [slot for _, slot in chunk], {"cursors": cursors, "hasNext": has_next}


def _key(value: Any) -> Key:
    if not (isinstance(value, list) and len(value) == 2):
        raise invalid("cursorPaging.cursor", "is not a valid cursor")
    return str(value[0]), str(value[1])


def listed(
    items: list[Item],
    slot_filter: SlotFilter,
    cap: Any,
    cap_field: str,
    paging: Paging,
    extra: Callable[[dict[str, Any]], bool] = lambda slot: True,
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Filters, then the per-day cap (bookable first), then one page."""
    kept = [item for item in items if slot_filter.keep(item[1]) and extra(item[1])]
    return paging.page(per_day(kept, cap, cap_field))
