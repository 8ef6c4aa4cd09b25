"""Time slot queries: appointments, class sessions and multi-service sequences.

`from`/`to` are wall times in `timeZone`; an omitted `timeZone` is the site's (Get Site
Properties, fetched at most once per request), an omitted `from` is now and an omitted `to` is
`from` + `DEFAULT_RANGE`. `first` is Wix's `cursorPaging.limit`; later pages send only the
Wix cursor, which restores the other arguments
(https://dev.wix.com/docs/api-reference/business-solutions/bookings/time-slots/time-slots-v2/list-availability-time-slots).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Annotated

import strawberry

from gateway.bookings import slots
from gateway.bookings.slots import STAFF_RESOURCE_TYPE_ID, business_location
from gateway.graphql.common import Json, ServiceType
from gateway.graphql.context import Info
from gateway.graphql.errors import bad_user_input, check_first, is_not_found, user_errors
from gateway.graphql.pagination import (
    Connection,
    Page,
    build_connection,
    cursor_paged,
    node_fields,
)
from gateway.graphql.scalars import LocalDateTime, TimeZone
from gateway.graphql.time_slots.types import TimeSlot
from gateway.graphql.time_slots.window import check_window
from gateway.identity.visitor_fields import visitor_safe
from gateway.upstream.errors import UpstreamError
from gateway.upstream.paging import next_cursor
from gateway.wall_time import format_local

if TYPE_CHECKING:
    from gateway.graphql.services.types import Service

DEFAULT_RANGE = timedelta(days=7)
DEFAULT_FIRST = 50
MAX_FIRST = 1000  # Wix's cursorPaging.limit maximum
From = Annotated[LocalDateTime | None, strawberry.argument(name="from")]


async def _zone(info: Info, time_zone: str | None) -> str:
    return time_zone or await info.context.loaders.site_time_zone()


def _window(
    info: Info, zone: str, from_: LocalDateTime | None, to: LocalDateTime | None
) -> dict[str, str]:
    """The local window to list: `from` defaults to the business clock's now in `zone`."""
    start = from_ or LocalDateTime(info.context.clock.local_now(zone))
    end = to or start + DEFAULT_RANGE
    check_window(start, end)
    return {
        "fromLocalDate": format_local(start),
        "toLocalDate": format_local(end),
        "timeZone": zone,
    }


async def _slot_page(info: Info, response: Json, metadata_key: str) -> Page[TimeSlot]:
    """Map one List response; appointment/multi-service and event lists name their paging
    metadata differently (`cursorPagingMetadata` vs `pagingMetadata`)."""
    zone = response.get("timeZone") or await info.context.loaders.site_time_zone()
    return Page(
        nodes=[TimeSlot.from_wix(slot, zone) for slot in response.get("timeSlots") or []],
        next_page=next_cursor(response.get(metadata_key)),
    )


async def _list(
    info: Info,
    first: int | None,
    after: str | None,
    first_page: Callable[[], Awaitable[Json]],
    list_page: Callable[[Json], Awaitable[Json]],
    metadata_key: str,
) -> Connection[TimeSlot]:
    """`first_page()` builds the request body of the first page (without paging); `list_page`
    is the `TimeSlotsApi` method that sends a body."""
    limit = check_first(first, default=DEFAULT_FIRST, maximum=MAX_FIRST)
    load_services = "service" in node_fields(info)
    loaders = info.context.loaders

    async def fetch(cursor: str | None) -> Page[TimeSlot]:
        if cursor is None:
            body = {**await first_page(), "cursorPaging": {"limit": limit}}
        else:
            body = {"cursorPaging": {"cursor": cursor, "limit": limit}}
        page = await _slot_page(info, await list_page(body), metadata_key)
        if load_services:  # ahead, for the whole page: `TimeSlot.service` then needs no await
            await loaders.warm(loaders.services, (slot.service_id for slot in page.nodes))
        return page

    return await cursor_paged(after, fetch)


async def _get(info: Info, request: Awaitable[Json]) -> TimeSlot | None:
    """A single slot, or `None` when Wix answers 404 (e.g. `SLOT_NOT_FOUND`)."""
    try:
        response = await request
    except UpstreamError as error:
        if is_not_found(error):
            return None
        raise
    zone = response.get("timeZone") or await info.context.loaders.site_time_zone()
    return TimeSlot.from_wix(response["timeSlot"], zone)


async def time_slots(
    info: Info,
    service_id: strawberry.ID,
    from_: From = None,
    to: LocalDateTime | None = None,
    time_zone: TimeZone | None = None,
    bookable: bool | None = None,
    location_id: strawberry.ID | None = None,
    first: int | None = None,
    after: str | None = None,
) -> Connection[TimeSlot]:
    """Appointment slots of one service (List Availability Time Slots)."""
    check_window(from_, to)  # before the site's zone is fetched

    async def first_page() -> Json:
        body: Json = {
            "serviceId": service_id,
            **_window(info, await _zone(info, time_zone), from_, to),
            "includeResourceTypeIds": [STAFF_RESOURCE_TYPE_ID],
        }
        if bookable is not None:
            body["bookable"] = bookable
        if location_id:
            body["locations"] = [business_location(location_id)]
        return body

    list_page = info.context.upstream.time_slots.list_availability
    return await _list(info, first, after, first_page, list_page, "cursorPagingMetadata")


async def time_slot(
    info: Info,
    service_id: strawberry.ID,
    local_start: LocalDateTime,
    local_end: LocalDateTime,
    time_zone: TimeZone | None = None,
    location_id: strawberry.ID | None = None,
) -> TimeSlot | None:
    """One appointment slot with all its free resources, to re-check before booking."""
    body: Json = {
        "serviceId": service_id,
        "localStartDate": format_local(local_start),
        "localEndDate": format_local(local_end),
        "timeZone": await _zone(info, time_zone),
    }
    if location_id:
        body["location"] = business_location(location_id)
    return await _get(info, info.context.upstream.time_slots.get_availability(body))


async def event_time_slots(
    info: Info,
    service_ids: list[strawberry.ID] | None = None,
    from_: From = None,
    to: LocalDateTime | None = None,
    time_zone: TimeZone | None = None,
    min_open_spots: int | None = None,
    bookable: bool | None = None,
    first: int | None = None,
    after: str | None = None,
) -> Connection[TimeSlot]:
    """Class sessions (List Event Time Slots). `bookable: true` leaves out sessions that cannot
    be booked; otherwise all are listed. `minOpenSpots` drops sessions a party cannot fit in."""
    check_window(from_, to)  # before the site's zone is fetched
    if min_open_spots is not None and min_open_spots < 1:
        raise bad_user_input("`minOpenSpots` must be at least 1", "minOpenSpots")

    async def first_page() -> Json:
        body: Json = {
            **_window(info, await _zone(info, time_zone), from_, to),
            "includeNonBookable": not bookable,
        }
        if service_ids:
            body["serviceIds"] = list(service_ids)
        if min_open_spots is not None:
            body["minBookableCapacity"] = min_open_spots
        return body

    list_page = info.context.upstream.time_slots.list_event
    return await _list(info, first, after, first_page, list_page, "pagingMetadata")


async def event_time_slot(
    info: Info, event_id: strawberry.ID, time_zone: TimeZone | None = None
) -> TimeSlot | None:
    """One class session by its event id."""
    zone = await _zone(info, time_zone)
    return await _get(info, info.context.upstream.time_slots.get_event(event_id, zone))


async def multi_service_time_slots(
    info: Info,
    services: list[strawberry.ID],
    from_: From = None,
    to: LocalDateTime | None = None,
    time_zone: TimeZone | None = None,
    location_id: strawberry.ID | None = None,
    bookable: bool | None = None,
    first: int | None = None,
    after: str | None = None,
) -> Connection[TimeSlot]:
    """Back-to-back slots for 2+ appointment services, in the order given. Wix needs one
    location for all of them; without `locationId` the first service's first business location
    is used (read through the services loader)."""
    check_window(from_, to)  # before the site's zone is fetched
    if len(services) < 2:
        raise bad_user_input("`services` needs at least two service ids", "services")

    async def first_page() -> Json:
        location = location_id or await first_business_location(info, services)
        body: Json = {
            "services": [
                {"serviceId": sid, "includeResourceTypeIds": [STAFF_RESOURCE_TYPE_ID]}
                for sid in services
            ],
            **_window(info, await _zone(info, time_zone), from_, to),
            "location": business_location(location),
        }
        if bookable is not None:
            body["bookable"] = bookable
        return body

    list_page = info.context.upstream.time_slots.list_multi_service
    return await _list(info, first, after, first_page, list_page, "cursorPagingMetadata")


async def first_business_location(info: Info, service_ids: list[strawberry.ID]) -> str:
    """Where a multi-service chain takes place when the caller names none
    (`gateway.bookings.slots.first_business_location`, over the request's loaders)."""
    from gateway.graphql.lookups import RequestLookups  # it needs the types that import this

    with user_errors():
        return await slots.first_business_location(
            RequestLookups(info.context.loaders), [str(i) for i in service_ids]
        )


async def service_time_slots(
    info: Info,
    service: Service,
    from_: LocalDateTime | None,
    to: LocalDateTime | None,
    time_zone: TimeZone | None,
    bookable: bool | None,
    location_id: strawberry.ID | None,
    first: int | None,
    after: str | None,
) -> Connection[TimeSlot]:
    """`Service.timeSlots`: the list that fits the service type."""
    if service.type == ServiceType.APPOINTMENT:
        return await time_slots(
            info, service.id, from_, to, time_zone, bookable, location_id, first, after
        )
    if service.type == ServiceType.CLASS:
        return await event_time_slots(
            info, [service.id], from_, to, time_zone, None, bookable, first, after
        )
    return build_connection(Page(nodes=[], next_page=None), token=None, skip=0, has_previous=False)


@strawberry.type
class TimeSlotQueries:
    time_slots: Connection[TimeSlot] = strawberry.field(
        metadata=visitor_safe(),
        resolver=time_slots,
        description="Appointment slots of a service, by start time. `from`/`to` are wall "
        "times in `timeZone` (default: the site's zone); `from` defaults to now, `to` to "
        "`from` + 7 days.",
    )
    time_slot: TimeSlot | None = strawberry.field(
        metadata=visitor_safe(),
        resolver=time_slot,
        description="One appointment slot with all its free resources, to re-check before "
        "booking; null when it is not available.",
    )
    event_time_slots: Connection[TimeSlot] = strawberry.field(
        metadata=visitor_safe(),
        resolver=event_time_slots,
        description="Class sessions. `bookable: true` leaves out sessions that cannot be "
        "booked; `minOpenSpots` leaves out those a party of that size cannot join.",
    )
    event_time_slot: TimeSlot | None = strawberry.field(
        metadata=visitor_safe(),
        resolver=event_time_slot,
        description="One class session by its event id.",
    )
    multi_service_time_slots: Connection[TimeSlot] = strawberry.field(
        metadata=visitor_safe(),
        resolver=multi_service_time_slots,
        description="Back-to-back slots for two or more appointment services, in the order "
        "given, at one location (default: the first service's first business location).",
    )
