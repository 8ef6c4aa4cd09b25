"""Request and response shapes shared by Wix's bulk methods and nested request objects."""

from __future__ import annotations

from typing import Any

from gateway.sandbox.errors import WixError, invalid

Doc = dict[str, Any]


def object_field(body: Doc, name: str) -> Doc:
    """An optional nested object (e.g. `flowControlSettings`); `{}` when absent."""
    value = body.get(name)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise invalid(name, "must be an object")
    return value


def bulk_items(body: Doc, name: str, maximum: int) -> list[Any]:
    """The required, non-empty, size-capped item list of a bulk request."""
    items = body.get(name)
    if not isinstance(items, list) or not items:
        raise invalid(name, "is required", "REQUIRED_FIELD")
    if len(items) > maximum:
        raise invalid(name, f"must contain at most {maximum} items", "MAX_SIZE")
    return items


def item_result(index: int, item_id: str | None, item: Doc | None, error: WixError | None) -> Doc:
    metadata: Doc = {"id": item_id, "originalIndex": index, "success": error is None}
    if error is not None:
        metadata["error"] = {"code": error.code, "description": error.message, "data": error.data}
    return {"itemMetadata": metadata, "item": item}


def bulk_response(results: list[Doc], full: bool) -> Doc:
    """Wix bulk shape: per-item `itemMetadata` (+ `item` only with returnFullEntity)."""
    if not full:
        for result in results:
            if result["itemMetadata"]["success"]:
                result.pop("item")
    for result in results:
        if result.get("item") is None:
            result.pop("item", None)
    successes = sum(1 for r in results if r["itemMetadata"]["success"])
    return {
        "results": results,
        "bulkActionMetadata": {
            "totalSuccesses": successes,
            "totalFailures": len(results) - successes,
            "undetailedFailures": 0,
        },
    }
