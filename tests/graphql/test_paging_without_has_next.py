"""Paging follows `pagingMetadata.cursors.next`, as Wix's SDK does (its types mark `hasNext`
internal): a Wix that leaves `hasNext` out is paged to its last page."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from gateway.clock import Clock
from gateway.config import Settings
from tests.graphql import open_gateway
from tests.servers import serve

PAGES = {None: (["b1", "b2"], "c2"), "c2": (["b3", "b4"], "c3"), "c3": (["b5"], None)}
QUERY = "query($after: String) { bookings(first: 2, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } } }"  # noqa: E501


def booking(booking_id: str) -> dict[str, object]:
    return {"id": booking_id, "status": "CONFIRMED", "revision": "1", "totalParticipants": 1}


@pytest.fixture
def wix_without_has_next() -> Iterator[str]:
    """Query Extended Bookings in three pages whose metadata has cursors but no `hasNext`."""

    async def query(request: Request) -> JSONResponse:
        paging = (await request.json())["query"]["cursorPaging"]
        ids, following = PAGES[paging.get("cursor")]
        metadata = {"count": len(ids), "cursors": {"next": following} if following else {}}
        items = [{"booking": booking(i)} for i in ids]
        return JSONResponse({"extendedBookings": items, "pagingMetadata": metadata})

    routes = [Route("/_api/bookings-reader/v2/extended-bookings/query", query, methods=["POST"])]
    with serve(Starlette(routes=routes)) as url:
        yield url


async def test_bookings_are_paged_to_the_last_page_without_has_next(
    wix_without_has_next: str, clock: Clock
) -> None:
    settings = Settings(
        upstream="wix",
        wix_base_url=wix_without_has_next,
        wix_api_key="key",
        wix_site_id="site-1",
        gc_freeze=False,
    )
    seen: list[str] = []
    after = None
    async with open_gateway(settings, clock) as gateway:
        for _ in range(len(PAGES) + 1):
            data = await gateway.data(QUERY, {"after": after})
            connection = data["bookings"]
            seen += [node["id"] for node in connection["nodes"]]
            if not connection["pageInfo"]["hasNextPage"]:
                break
            after = connection["pageInfo"]["endCursor"]
    assert seen == ["b1", "b2", "b3", "b4", "b5"]  # every page read; the last ended the list
