"""The `Subscription` fields: Wix's events (webhooks, `gateway.live`) as GraphQL subscriptions.

Each subscription listens to this replica's hub, which gets every event taken by any replica
(with `REDIS_URL`). Nested fields of a delivered booking (service, allowed actions...) are read
with fresh loaders per event, so a long subscription never answers from an old event's reads.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry
from graphql import GraphQLError

from gateway.graphql.context import Info
from gateway.graphql.live.access import booking_viewer
from gateway.graphql.live.types import (
    BOOKING_EVENT_TYPES,
    AvailabilityChange,
    BookingEvent,
)
from gateway.graphql.loaders import Loaders
from gateway.graphql.scalars import LocalDateTime, parse_optional_instant
from gateway.identity.visitor_fields import visitor_safe
from gateway.live.changes import LiveEvent
from gateway.live.hub import HubUnavailable, SubscriberTooSlow

SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE"
SUBSCRIBER_TOO_SLOW = "SUBSCRIBER_TOO_SLOW"


async def _live_events(info: Info) -> AsyncGenerator[LiveEvent, None]:
    """This replica's events from now on; ends with a coded error if the caller falls behind."""
    hub = info.context.live
    if hub is None:
        raise GraphQLError("Live events are off", extensions={"code": SERVICE_UNAVAILABLE})
    try:
        await hub.start()
    except HubUnavailable as error:
        raise GraphQLError(
            "Live events are unavailable, try again later",
            extensions={"code": SERVICE_UNAVAILABLE},
        ) from error
    with hub.subscribe() as subscriber:
        try:
            async for event in subscriber:
                yield event
        except SubscriberTooSlow:
            raise GraphQLError(
                "This subscription fell too far behind and was ended: subscribe again and "
                "re-read what you show",
                extensions={"code": SUBSCRIBER_TOO_SLOW},
            ) from None


def _fresh_loaders(info: Info) -> None:
    context = info.context
    context.loaders = Loaders(context.upstream, business=context.business)


async def availability_changed(
    info: Info, service_id: strawberry.ID
) -> AsyncGenerator[AvailabilityChange, None]:
    async for live in _live_events(info):
        for change in live.availability:
            if change.service_id == service_id:
                yield AvailabilityChange(
                    service_id=strawberry.ID(change.service_id),
                    from_=LocalDateTime(change.start) if change.start else None,
                    to=LocalDateTime(change.end) if change.end else None,
                )


async def booking_events(
    info: Info,
    service_id: strawberry.ID | None = None,
    booking_id: strawberry.ID | None = None,
    token: str | None = None,
) -> AsyncGenerator[BookingEvent, None]:
    viewer = await booking_viewer(info, token)
    async for live in _live_events(info):
        booking, event = live.booking, live.event
        kind = BOOKING_EVENT_TYPES.get(event.slug)
        if booking is None or kind is None:
            continue
        if service_id is not None and event.service_id != service_id:
            continue
        if booking_id is not None and booking.get("id") != booking_id:
            continue
        _fresh_loaders(info)
        if (seen := await viewer.view(info, booking)) is not None:
            yield BookingEvent(
                type=kind,
                booking=seen,
                event_id=strawberry.ID(event.id),
                event_time=parse_optional_instant(event.event_time),
            )


async def double_booking_detected(info: Info) -> AsyncGenerator[BookingEvent, None]:
    viewer = await booking_viewer(info, None, links=False)
    async for live in _live_events(info):
        booking, event = live.booking, live.event
        if not live.double_booking or booking is None:
            continue
        _fresh_loaders(info)
        if (seen := await viewer.view(info, booking)) is not None:
            yield BookingEvent(
                type=BOOKING_EVENT_TYPES[event.slug],
                booking=seen,
                event_id=strawberry.ID(event.id),
                event_time=parse_optional_instant(event.event_time),
            )


@strawberry.type
class LiveSubscriptions:
    availability_changed = strawberry.subscription(
        resolver=availability_changed,
        metadata=visitor_safe(),
        description="The service's slots may have changed in a range (someone booked, "
        "cancelled or rescheduled, or the service changed): list availability again. Needs no "
        "Authorization header.",
    )
    booking_events = strawberry.subscription(
        resolver=booking_events,
        metadata=visitor_safe(),
        description="Bookings as they are created and changed, optionally of one service or "
        "one booking. Admins see all; a Wix token sees what Wix lets it read; `token` (an "
        "anonymous link's) watches that link's booking and needs no Authorization header.",
    )
    double_booking_detected = strawberry.subscription(
        resolver=double_booking_detected,
        description="Bookings Wix confirmed or marked pending as double-booked (resolve them "
        "with `resolveDoubleBooking`; a booking force-resolved is not reported again).",
    )
