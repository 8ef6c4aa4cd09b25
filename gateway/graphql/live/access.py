"""Who may watch which bookings, by the gateway's caller rules (`gateway.identity`):

- an **admin** sees every booking as Wix sent it with the event;
- a **Wix identity** (a forwarded token) sees a booking only if Wix lets that token read it, and
  as Wix shows it to that token: it is read again with the token, one read per event;
- the **holder of an anonymous link** (`token`) sees that link's booking only, as Get Booking
  Anonymously shows it;
- anyone else sees no bookings (`UNAUTHENTICATED`).
"""

from __future__ import annotations

from typing import Protocol

from graphql import GraphQLError

from gateway.bookings import anonymous
from gateway.graphql.bookings.types import Booking
from gateway.graphql.context import Info
from gateway.graphql.lookups import flow_context
from gateway.identity.callers import CallerKind
from gateway.identity.visitor_fields import NEEDS_IDENTITY, UNAUTHENTICATED
from gateway.live.events import Json

INVALID_ANONYMOUS_TOKEN = "INVALID_ANONYMOUS_TOKEN"


class BookingViewer(Protocol):
    async def view(self, info: Info, booking: Json) -> Booking | None:
        """The booking as this caller may see it; None when they may not."""
        ...


class AsSent:
    async def view(self, info: Info, booking: Json) -> Booking | None:
        return Booking.from_wix(booking)


class AsWixShowsIt:
    async def view(self, info: Info, booking: Json) -> Booking | None:
        booking_id = booking.get("id")
        if not isinstance(booking_id, str):
            return None
        return await info.context.loaders.bookings.load(booking_id)


class LinkHolder:
    def __init__(self, token: str, booking_id: str) -> None:
        self._token = token
        self._booking_id = booking_id

    async def view(self, info: Info, booking: Json) -> Booking | None:
        if booking.get("id") != self._booking_id:
            return None
        current = await anonymous.read_anonymously(flow_context(info), self._token)
        return Booking.from_wix(current["booking"]) if current else None


async def booking_viewer(info: Info, token: str | None, *, links: bool = True) -> BookingViewer:
    """The caller's view of bookings; raises a coded `GraphQLError` when they have none."""
    if token is not None and links:
        current = await anonymous.read_anonymously(flow_context(info), token)
        if current is None:
            raise GraphQLError(
                "The link's token is not valid, or its booking no longer exists",
                extensions={"code": INVALID_ANONYMOUS_TOKEN},
            )
        return LinkHolder(token, str(current["booking"]["id"]))
    caller = info.context.caller
    if caller is not None and caller.kind is CallerKind.ADMIN:
        return AsSent()
    if caller is not None and caller.kind is CallerKind.WIX:
        return AsWixShowsIt()
    raise GraphQLError(
        f"Watching bookings needs an identity: {NEEDS_IDENTITY}",
        extensions={"code": UNAUTHENTICATED},
    )
