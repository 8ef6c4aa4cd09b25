"""Booking queries over Bookings Reader V2 (Query / Count Extended Bookings)."""

from __future__ import annotations

import asyncio

import strawberry

from gateway.graphql.bookings.filters import BookingFilter, BookingSort
from gateway.graphql.bookings.types import Booking, MultiServiceBooking
from gateway.graphql.context import Info
from gateway.graphql.errors import check_first
from gateway.graphql.loaders import Loaders
from gateway.graphql.pagination import Connection, Page, cursor_paged, node_fields
from gateway.upstream.paging import next_cursor

DEFAULT_FIRST = 50  # Query Extended Bookings' default page
MAX_FIRST = 100  # and its maximum


async def _load_ahead(loaders: Loaders, bookings: list[Booking], wanted: frozenset[str]) -> None:
    """The page's services and forms, one batch each, before the page is returned: each
    booking's `service` and `form` then resolve without an await of their own."""
    warming = []
    if "service" in wanted:
        warming.append(loaders.warm(loaders.services, (b.service_id for b in bookings)))
    if "form" in wanted:
        warming.append(loaders.warm(loaders.forms, (b.form_id for b in bookings)))
    await asyncio.gather(*warming)


async def bookings(
    info: Info,
    filter: BookingFilter | None = None,
    sort: BookingSort = BookingSort.START_ASC,
    first: int | None = None,
    after: str | None = None,
) -> Connection[Booking]:
    """Bookings matching `filter`. When `allowedActions` is selected, Wix adds them to this
    page (`withBookingAllowedActions`) and they prime the allowed-actions loader."""
    limit = check_first(first, default=DEFAULT_FIRST, maximum=MAX_FIRST)
    wanted = node_fields(info)
    loaders = info.context.loaders

    async def fetch(cursor: str | None) -> Page[Booking]:
        query: dict[str, object]
        if cursor is None:
            query = {"sort": sort.to_wql(), "cursorPaging": {"limit": limit}}
            if filter:
                query["filter"] = filter.to_wql()
        else:  # the cursor restores filter and sort
            query = {"cursorPaging": {"cursor": cursor, "limit": limit}}
        body = await info.context.upstream.bookings_reader.query_extended_bookings(
            query, with_allowed_actions="allowedActions" in wanted
        )
        nodes = [loaders.booking(item) for item in body.get("extendedBookings") or []]
        await _load_ahead(loaders, nodes, wanted)
        metadata = body.get("pagingMetadata") or {}
        return Page(nodes=nodes, next_page=next_cursor(metadata), total=metadata.get("total"))

    return await cursor_paged(after, fetch)


async def booking(info: Info, id: strawberry.ID) -> Booking | None:
    """One booking (Wix has no Get: a batched Query Extended Bookings by `id`)."""
    return await info.context.loaders.bookings.load(id)


async def bookings_count(info: Info, filter: BookingFilter | None = None) -> int:
    """How many bookings match `filter` (Count Extended Bookings)."""
    wql = filter.to_wql() if filter else None
    return await info.context.upstream.bookings_reader.count_extended_bookings(wql)


async def multi_service_booking(info: Info, id: strawberry.ID) -> MultiServiceBooking | None:
    return await info.context.loaders.multi_service_bookings.load(id)


@strawberry.type
class BookingQueries:
    bookings: Connection[Booking] = strawberry.field(
        resolver=bookings,
        description="Bookings matching `filter` (Query Extended Bookings); `first` is 1 to 100, "
        "50 when omitted.",
    )
    booking: Booking | None = strawberry.field(
        resolver=booking, description="One booking; null when there is none with this id."
    )
    bookings_count: int = strawberry.field(
        resolver=bookings_count, description="How many bookings match `filter`."
    )
    multi_service_booking: MultiServiceBooking | None = strawberry.field(
        resolver=multi_service_booking,
        description="One multi-service booking; null when there is none with this id.",
    )
