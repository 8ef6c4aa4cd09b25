"""Bookings Reader V2 (https://dev.wix.com/docs/api-reference/business-solutions/bookings/bookings/bookings-reader-v2/query-extended-bookings):
Query and Count Extended Bookings.

Filters are checked against the documented field/operator table
(https://dev.wix.com/docs/rest/business-solutions/bookings/bookings/bookings-reader-v2/supported-filters)
and rewritten to paths in the booking JSON (`bookedEntity.item.slot.serviceId` ->
`bookedEntity.slot.serviceId`); date operands are normalised to the stored UTC form so `...:00Z`
and `...:00.000Z` compare equal.
"""

from __future__ import annotations

from typing import Any

from gateway.sandbox import wql
from gateway.sandbox.booking_access import visible_to
from gateway.sandbox.bookings import allowed_actions, public_booking
from gateway.sandbox.errors import invalid
from gateway.sandbox.identity import ADMIN_AND_MEMBERS, Identity
from gateway.sandbox.routing import Call, route
from gateway.sandbox.state import Sandbox
from gateway.sandbox.wire import parse_utc, utc_iso

API = "Bookings Reader V2"
DOCS = "https://dev.wix.com/docs/rest/business-solutions/bookings/bookings/bookings-reader-v2"
DEFAULT_LIMIT, MAX_LIMIT = 50, 100
# Docs disagree on the default order (current page `id ASC`, older `createdDate DESC`,
# https://dev.wix.com/docs/api-reference/business-solutions/bookings/bookings/bookings-reader-v2/query-extended-bookings);
# we follow the current page. Every sort ends with `id ASC` so that pages are stable.
DEFAULT_SORT = [{"fieldName": "id", "order": "ASC"}]
# Attendance is not tracked by the sandbox: every booking reads as not yet marked.
NO_ATTENDANCE = {"status": "NOT_SET", "numberOfAttendees": 0}

Doc = dict[str, Any]
_EQ = ("$eq", "$ne", "$in")
_RANGE = ("$eq", "$ne", "$gt", "$gte", "$lt", "$lte", "$in", "$nin")
_HAS = ("$hasSome", "$hasAll")
_DATES = ("createdDate", "startDate", "endDate", "updatedDate")


def _fields() -> dict[str, tuple[str, tuple[str, ...]]]:
    """Public filter path -> (path in the booking JSON, operators), per the supported filters
    (https://dev.wix.com/docs/rest/business-solutions/bookings/bookings/bookings-reader-v2/supported-filters);
    the flattened body paths (`bookedEntity.slot...`, `totalParticipants`) are accepted too."""
    slot = ("sessionId", "eventId", "serviceId", "scheduleId", "resource.id", "location.id",
            "location.locationType")  # fmt: skip
    schedule = ("scheduleId", "serviceId", "location.id", "location.locationType")
    choices = "participantsChoices.serviceChoices.choices"
    fields: dict[str, tuple[str, tuple[str, ...]]] = {
        **{f"bookedEntity.slot.{f}": (f"bookedEntity.slot.{f}", _EQ) for f in slot},
        **{f"bookedEntity.schedule.{f}": (f"bookedEntity.schedule.{f}", _EQ) for f in schedule},
        "bookedEntity.tags": ("bookedEntity.tags", _HAS),
        "doubleBooked": ("doubleBooked", ("$eq", "$ne")),
        "participantsInfo.type.totalParticipants.value": ("totalParticipants", _RANGE),
        "totalParticipants": ("totalParticipants", _RANGE),
        f"participantsInfo.type.{choices}.optionId": (f"{choices}.optionId", _HAS),
        f"participantsInfo.type.{choices}.choice.custom.value": (f"{choices}.custom", _HAS),
        "createdBy.contactId": ("createdBy.contactId", _EQ),
        **{f: (f, _RANGE) for f in _DATES},
    }
    for name in ("id", "contactDetails.contactId", "contactDetails.email", "status",
                 "paymentStatus", "selectedPaymentOption", "externalUserId"):  # fmt: skip
        fields[name] = (name, _EQ)
    for name in ("appId", "wixUserId", "memberId", "anonymousVisitorId"):
        fields[f"createdBy.id.{name}"] = (f"createdBy.{name}", _EQ)
        fields[f"createdBy.{name}"] = (f"createdBy.{name}", _EQ)
    for path in [p for p in fields if p.startswith("bookedEntity.s")]:
        fields[path.replace("bookedEntity.", "bookedEntity.item.", 1)] = fields[path]
    return fields


FIELDS = _fields()


def _operand(field: str, value: Any) -> Any:
    """Date operands in the stored form (`utc_iso`), so string comparison is time comparison."""
    if field not in _DATES:
        return value
    if isinstance(value, list):
        return [_operand(field, v) for v in value]
    return utc_iso(parse_utc(value, f"query.filter.{field}"))


def resolve_filter(filter_: Any) -> Doc:
    """Validate a filter against the supported filters and rewrite it to booking JSON paths
    (400 otherwise)."""
    if filter_ in (None, {}):
        return {}
    if not isinstance(filter_, dict):
        raise invalid("query.filter", "must be an object")
    resolved: Doc = {}
    for key, condition in filter_.items():
        if key in ("$and", "$or"):
            if not isinstance(condition, list):
                raise invalid(f"query.filter.{key}", "must be an array")
            resolved[key] = [resolve_filter(part) for part in condition]
            continue
        if key == "$not":
            resolved[key] = resolve_filter(condition)
            continue
        if key not in FIELDS:
            raise invalid(f"query.filter.{key}", "is not a supported filter field")
        path, operators = FIELDS[key]
        field = path if path in _DATES else key
        if isinstance(condition, dict) and condition and all(k.startswith("$") for k in condition):
            ops = condition
        elif isinstance(condition, list):  # a bare array reads as `$in` (supported filters)
            ops = {"$in": condition}
        else:
            ops = {"$eq": condition}
        for op in ops:
            if op not in operators:
                raise invalid(f"query.filter.{key}", f"doesn't support {op}")
        resolved[path] = {op: _operand(field, operand) for op, operand in ops.items()}
    return resolved


def resolve_sort(sort: Any) -> list[Doc]:
    if sort in (None, []):
        sort = DEFAULT_SORT
    if not isinstance(sort, list):
        raise invalid("query.sort", "must be an array")
    resolved = []
    for spec in sort:
        name = spec.get("fieldName") if isinstance(spec, dict) else None
        if name not in FIELDS:
            raise invalid("query.sort.fieldName", f"{name!r} is not sortable")
        order = str(spec.get("order") or "ASC").upper()
        if order not in ("ASC", "DESC"):
            raise invalid("query.sort.order", "must be ASC or DESC")
        resolved.append({"fieldName": FIELDS[name][0], "order": order})
    return [*resolved, {"fieldName": "id", "order": "ASC"}]


def _view(doc: Doc) -> Doc:
    """What filters and sorts read: the wire fields with `doubleBooked` always present. Every
    stored booking gets one per query and only reads it, so it shares the document's values
    (only the page's bookings are copied, by `public_booking`)."""
    view = {key: value for key, value in doc.items() if key != "_sandbox"}
    view["doubleBooked"] = bool(doc.get("doubleBooked"))
    return view


def _matching(sandbox: Sandbox, filter_: Doc, caller: Identity) -> list[tuple[Doc, Doc]]:
    """(stored doc, filter view) of every booking the caller may see that matches an already
    resolved filter (a member sees their own bookings only, `booking_access.visible_to`)."""
    docs = [doc for doc in sandbox.store.bookings_where() if visible_to(caller, doc)]
    pairs = [(doc, _view(doc)) for doc in docs]
    return [(doc, view) for doc, view in pairs if wql.matches(view, filter_)]


def _extended(sandbox: Sandbox, doc: Doc, body: Doc) -> Doc:
    extended: Doc = {"booking": public_booking(doc)}
    if body.get("withBookingAllowedActions"):
        extended["allowedActions"] = allowed_actions(sandbox, doc)
    if body.get("withBookingAttendanceInfo"):
        extended["attendance"] = dict(NO_ATTENDANCE)
    if body.get("withFormSubmissions") or body.get("withFormSubmission"):
        submission_id = doc.get("formSubmissionId")
        submission = sandbox.store.get("submissions", submission_id) if submission_id else None
        extended["formSubmissions"] = [submission] if submission else []
    return extended


@route("POST", ("/_api/bookings-reader/v2/extended-bookings/query",
                "/bookings/bookings-reader/v2/extended-bookings/query"),
       "Query Extended Bookings", API, f"{DOCS}/query-extended-bookings",
       callers=ADMIN_AND_MEMBERS)  # fmt: skip
def query_extended_bookings(sandbox: Sandbox, call: Call) -> Doc:
    """Cursor paging (default 50, at most 100; the cursor carries filter and sort) or the
    legacy offset `paging`."""
    query = call.body.get("query") or {}
    if not isinstance(query, dict):
        raise invalid("query", "must be an object")
    cursor_paging = query.get("cursorPaging") or {}
    offset_paging = query.get("paging")
    if cursor_paging.get("cursor"):
        state = wql.decode_cursor(str(cursor_paging["cursor"]), "query.cursorPaging.cursor")
        filter_, sort, offset = state.get("filter", {}), state.get("sort", []), state.get("offset")
        limit_value = cursor_paging.get("limit", state.get("limit"))
        if not isinstance(offset, int) or not isinstance(sort, list):
            raise invalid("query.cursorPaging.cursor", "is not a valid cursor")
    else:
        filter_, sort = resolve_filter(query.get("filter")), resolve_sort(query.get("sort"))
        offset, limit_value = 0, cursor_paging.get("limit")
        if isinstance(offset_paging, dict):
            offset, limit_value = _offset(offset_paging.get("offset")), offset_paging.get("limit")
    field = "query.paging.limit" if offset_paging else "query.cursorPaging.limit"
    limit = wql.page_limit(limit_value, DEFAULT_LIMIT, MAX_LIMIT, field)
    with sandbox.store.transaction():
        matched = _matching(sandbox, filter_, call.caller)
        ordered = [doc for doc, _ in _sorted(matched, sort)]
        page = ordered[offset : offset + limit]
        extended = [_extended(sandbox, doc, call.body) for doc in page]
    has_next = offset + len(page) < len(ordered)
    metadata: Doc = {"count": len(page), "cursors": {}, "hasNext": has_next}
    if offset_paging:
        metadata.update(offset=offset, total=len(ordered))
    else:
        state = {"filter": filter_, "sort": sort, "limit": limit}
        if has_next:
            metadata["cursors"]["next"] = wql.encode_cursor({**state, "offset": offset + limit})
        if offset:
            prev = max(offset - limit, 0)
            metadata["cursors"]["prev"] = wql.encode_cursor({**state, "offset": prev})
    return {"extendedBookings": extended, "pagingMetadata": metadata}


def _offset(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise invalid("query.paging.offset", "must be a non-negative integer")
    return value


def _sorted(pairs: list[tuple[Doc, Doc]], sort: list[Doc]) -> list[tuple[Doc, Doc]]:
    """Sort by the filter views (the paths the sort names), keeping each stored doc alongside."""
    by_id = {view["id"]: (doc, view) for doc, view in pairs}
    views = wql.sort_docs([view for _, view in pairs], sort)
    return [by_id[view["id"]] for view in views]


@route("POST", ("/_api/bookings-reader/v2/extended-bookings/count",
                "/bookings/bookings-reader/v2/extended-bookings/count"),
       "Count Extended Bookings", API, f"{DOCS}/count-extended-bookings",
       callers=ADMIN_AND_MEMBERS)  # fmt: skip
def count_extended_bookings(sandbox: Sandbox, call: Call) -> Doc:
    """`{count}` (field name unconfirmed, https://dev.wix.com/docs/api-reference/business-solutions/bookings/bookings/bookings-reader-v2/count-extended-bookings)."""
    filter_ = call.body.get("filter")
    if filter_ is None:
        filter_ = (call.body.get("query") or {}).get("filter")
    resolved = resolve_filter(filter_)
    with sandbox.store.transaction():
        return {"count": len(_matching(sandbox, resolved, call.caller))}


ROUTES = [query_extended_bookings, count_extended_bookings]
