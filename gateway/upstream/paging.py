"""Reading Wix's cursor paging the way Wix's own SDK does.

The SDK pages on `pagingMetadata.cursors.next` (its types mark `hasNext` internal), so a cursor
is the signal; `hasNext: false`, when Wix sends it, still ends the list.
"""

from __future__ import annotations

from typing import Any


def next_cursor(metadata: dict[str, Any] | None) -> str | None:
    """The Wix cursor of the next page from a response's paging metadata, if there is one."""
    metadata = metadata or {}
    cursor = (metadata.get("cursors") or {}).get("next")
    if not cursor or metadata.get("hasNext") is False:
        return None
    return str(cursor)
