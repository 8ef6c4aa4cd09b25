"""Wix Query Language: filter, sort and paging over JSON documents.

Used by Query Services and Query/Count Extended Bookings. Cursors are opaque base64 JSON that
carry the filter and sort of the first request, as Wix's do, so later pages send only the cursor.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from gateway.sandbox.errors import invalid

Doc = dict[str, Any]
_MISSING = object()


def lookup(doc: Any, path: str) -> Any:
    """The value at a dotted path; lists fan out (`locations.business.id` -> all ids)."""
    current: Any = doc
    for part in path.split("."):
        if isinstance(current, list):
            values = [lookup(item, part) for item in current]
            flat: list[Any] = []
            for v in values:
                if v is _MISSING:
                    continue
                flat.extend(v if isinstance(v, list) else [v])
            current = flat
        elif isinstance(current, dict) and part in current:
            current = current[part]
        else:
            return _MISSING
    return current


def _compare(op: str, value: Any, operand: Any, field: str) -> bool:
    if op == "$exists":
        return (value is not _MISSING and value is not None) == bool(operand)
    if value is _MISSING or value is None:
        if op == "$ne":
            return operand is not None
        if op == "$nin":
            return True
        return op == "$eq" and operand is None
    values = value if isinstance(value, list) else [value]
    if op == "$eq":
        return operand in values if isinstance(value, list) else value == operand
    if op == "$ne":
        return operand not in values if isinstance(value, list) else value != operand
    if op in ("$in", "$nin"):
        if not isinstance(operand, list):
            raise invalid(field, f"{op} takes an array")
        hit = any(v in operand for v in values)
        return hit if op == "$in" else not hit
    if op in ("$hasSome", "$hasAll"):
        if not isinstance(operand, list):
            raise invalid(field, f"{op} takes an array")
        if op == "$hasSome":
            return any(o in values for o in operand)
        return all(o in values for o in operand)
    if op == "$startsWith":
        return isinstance(value, str) and value.startswith(str(operand))
    if op == "$contains":
        return isinstance(value, str) and str(operand).lower() in value.lower()
    try:
        if op == "$lt":
            return bool(value < operand)
        if op == "$lte":
            return bool(value <= operand)
        if op == "$gt":
            return bool(value > operand)
        if op == "$gte":
            return bool(value >= operand)
    except TypeError:
        raise invalid(field, f"cannot compare with {op}") from None
    raise invalid(field, f"unsupported operator {op}")


def matches(doc: Doc, filter_: Any) -> bool:
    """Whether `doc` satisfies a WQL filter (its paths are paths in `doc`)."""
    if not filter_:
        return True
    if not isinstance(filter_, dict):
        raise invalid("query.filter", "must be an object")
    for key, condition in filter_.items():
        if key == "$and":
            if not all(matches(doc, f) for f in condition):
                return False
            continue
        if key == "$or":
            if not any(matches(doc, f) for f in condition):
                return False
            continue
        if key == "$not":
            if matches(doc, condition):
                return False
            continue
        value = lookup(doc, key)
        if isinstance(condition, dict) and condition and all(k.startswith("$") for k in condition):
            if not all(_compare(op, value, operand, key) for op, operand in condition.items()):
                return False
        # A bare array is treated as `$in`:
        # https://dev.wix.com/docs/rest/business-solutions/bookings/bookings/bookings-reader-v2/supported-filters
        elif isinstance(condition, list):
            if not _compare("$in", value, condition, key):
                return False
        elif not _compare("$eq", value, condition, key):
            return False
    return True


def sort_docs(docs: list[Doc], sort: Any) -> list[Doc]:
    if not sort:
        return docs
    if not isinstance(sort, list):
        raise invalid("query.sort", "must be an array")
    result = list(docs)
    for spec in reversed(sort):
        field = str(spec.get("fieldName", ""))
        descending = str(spec.get("order", "ASC")).upper() == "DESC"
        present = [d for d in result if lookup(d, field) not in (_MISSING, None)]
        absent = [d for d in result if lookup(d, field) in (_MISSING, None)]
        present.sort(key=lambda d: _sort_key(lookup(d, field)), reverse=descending)
        result = present + absent
    return result


def _sort_key(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(str(v) for v in value)
    if isinstance(value, bool):
        return int(value)
    return value


def encode_cursor(state: dict[str, Any]) -> str:
    raw = json.dumps(state, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, field: str = "cursorPaging.cursor") -> dict[str, Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        state = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, binascii.Error):
        raise invalid(field, "is not a valid cursor") from None
    if not isinstance(state, dict):
        raise invalid(field, "is not a valid cursor")
    return state


def page_limit(value: Any, default: int, maximum: int, field: str) -> int:
    if value is None:
        return default
    try:
        limit = int(value)
    except (TypeError, ValueError):
        raise invalid(field, "must be an integer") from None
    if limit < 0 or limit > maximum:
        raise invalid(field, f"must be between 0 and {maximum}", "MAX")
    return limit or default
