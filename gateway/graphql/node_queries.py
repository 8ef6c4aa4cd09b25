"""`node(id:)` and `nodes(ids:)`: any `Node` by its Wix id, whatever its type.

An id does not say its type (it is the raw Wix GUID), so `node` asks every kind at once through
the request's DataLoaders: ids looked up in one event-loop tick share one call per kind that Wix
can read in bulk (Query Services, Query Extended Bookings by `id $in`), and Wix has no bulk read
of forms or multi-service bookings, so those cost one Get per id. Wix GUIDs are unique across
entity types, so at most one kind has the id; the others answer nothing (404 or an empty page).

Authorization is each kind's own: `node` reads as the caller, so it finds what the caller's
lookup by id would (a member sees only their own bookings; a kind Wix refuses the caller, e.g.
bookings for a visitor token, counts as not found). An anonymous caller on the API key (no
`WIX_CLIENT_ID`) is looked up only in the kinds whose root lookup is open to it
(`visitor_safe`): services and forms, never bookings.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import strawberry
from aiodataloader import DataLoader

from gateway.graphql.context import Info
from gateway.graphql.errors import bad_user_input
from gateway.graphql.loaders import Loaders
from gateway.graphql.node import Node
from gateway.identity.visitor_fields import visitor_safe
from gateway.upstream.errors import UpstreamError

MAX_IDS = 100  # `nodes(ids:)`: Query Services and Query Extended Bookings take 100 ids a call
FORBIDDEN = 403


@dataclass(frozen=True, slots=True)
class NodeKind:
    """One type `node` can return: its loader and the root field that reads it by id."""

    type_name: str
    root_field: str  # its lookup by id; `visitor_safe` must match that field's
    loader: Callable[[Loaders], DataLoader[str, Any]]
    visitor_safe: bool


KINDS = (
    NodeKind("Service", "service", lambda loaders: loaders.services, visitor_safe=True),
    NodeKind("Form", "form", lambda loaders: loaders.forms, visitor_safe=True),
    NodeKind("Booking", "booking", lambda loaders: loaders.bookings, visitor_safe=False),
    NodeKind(
        "MultiServiceBooking",
        "multiServiceBooking",
        lambda loaders: loaders.multi_service_bookings,
        visitor_safe=False,
    ),
)
VISITOR_KINDS = tuple(kind for kind in KINDS if kind.visitor_safe)
BULK_KINDS = 2  # services and bookings: one call for every id of a tick (the others: per id)


def _kinds(info: Info) -> tuple[NodeKind, ...]:
    caller = info.context.caller
    return VISITOR_KINDS if caller is not None and caller.visitor_only else KINDS


def _refused(error: BaseException) -> bool:
    """Wix refuses this caller the kind (403): nothing of it is the caller's to see."""
    return isinstance(error, UpstreamError) and error.http_status == FORBIDDEN


async def find(info: Info, id: str) -> Node | None:
    """The object with Wix id `id` in whichever kind has it, else None. An error of a kind
    fails the lookup only when no kind found the id (it might have been that kind's)."""
    loaders = info.context.loaders
    kinds = _kinds(info)
    results = await asyncio.gather(
        *(kind.loader(loaders).load(id) for kind in kinds), return_exceptions=True
    )
    errors = []
    for result in results:
        if isinstance(result, BaseException):
            if not _refused(result):
                errors.append(result)
        elif result is not None:
            found: Node = result
            return found
    if errors:
        raise errors[0]
    return None


async def node(info: Info, id: strawberry.ID) -> Node | None:
    return await find(info, str(id))


async def nodes(info: Info, ids: list[strawberry.ID]) -> list[Node | None]:
    if len(ids) > MAX_IDS:
        raise bad_user_input(f"`ids` may hold at most {MAX_IDS} ids", "ids")
    return list(await asyncio.gather(*(find(info, str(id)) for id in ids)))


@strawberry.type
class NodeQueries:
    node: Node | None = strawberry.field(
        metadata=visitor_safe(),
        resolver=node,
        description="The object with this Wix id (a `Service`, `Booking`, `Form` or "
        "`MultiServiceBooking`), as the caller may read it; null when there is none. Every "
        "kind is asked at once: one call per kind (forms and multi-service bookings: per id), "
        "ids of one request batched together. Anonymous callers without a Wix visitor token "
        "find services and forms only.",
    )
    nodes: list[Node | None] = strawberry.field(
        metadata=visitor_safe(),
        resolver=nodes,
        description=f"`node` for each id, in order (null where none); at most {MAX_IDS} ids.",
    )
