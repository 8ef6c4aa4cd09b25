"""Relay connections over Wix paging: one cursor format for cursor-paged and offset-paged APIs.

A Relay cursor names a position as `(page, index)`: `page` is the token that fetches one upstream
page (the Wix cursor, or for offset-paged APIs the offset as a string; `None` is the first page,
fetched from the field's arguments) and `index` is the edge's place within that page (`-1` means
"before the first edge"). The last edge of a page that has a next page points at
`(next page, -1)`, so paging with `after: endCursor` costs one upstream call per page. `after` a
cursor in the middle of a page re-fetches that page and drops the edges up to the cursor, so that
page holds fewer than `first` edges.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Awaitable, Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import strawberry
from strawberry.types.nodes import SelectedField, Selection

from gateway.graphql.context import Info
from gateway.graphql.errors import bad_user_input

NodeT = TypeVar("NodeT")


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


def _edge_cursor(root: Edge[Any]) -> str:
    return encode_cursor(*root.position)


@strawberry.type
class Edge(Generic[NodeT]):
    """`cursor` is encoded only when asked for: most pages are read through `nodes`."""

    cursor: str = strawberry.field(resolver=_edge_cursor)
    node: NodeT
    position: strawberry.Private[tuple[str | None, int]]  # (page, index), see the module doc


@strawberry.type
class Connection(Generic[NodeT]):
    edges: list[Edge[NodeT]]
    nodes: list[NodeT]
    page_info: PageInfo
    total_count: int | None = strawberry.field(
        default=None, description="Total matches, when the upstream API reports it for free."
    )


@dataclass(frozen=True)
class Position:
    page: str | None
    index: int


START = Position(None, -1)


@dataclass(frozen=True)
class Page(Generic[NodeT]):
    """One upstream page: its nodes, the token of the next page (if any) and the total."""

    nodes: Sequence[NodeT]
    next_page: str | None
    total: int | None = None


def encode_cursor(page: str | None, index: int) -> str:
    raw = json.dumps([page, index], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> Position:
    if cursor is None:
        return START
    try:
        page, index = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if (page is None or isinstance(page, str)) and isinstance(index, int) and index >= -1:
            return Position(page, index)
    except (ValueError, TypeError, binascii.Error):
        pass
    raise bad_user_input("`after` is not a cursor this API returned", "after")


def build_connection(
    page: Page[NodeT], *, token: str | None, skip: int, has_previous: bool
) -> Connection[NodeT]:
    """Edges for `page` (fetched with `token`) from its `skip`-th node on."""
    nodes = list(page.nodes[skip:])
    positions = [(token, skip + i) for i in range(len(nodes))]
    if positions and page.next_page is not None:
        positions[-1] = (page.next_page, -1)
    return Connection(
        edges=[Edge(position=p, node=n) for p, n in zip(positions, nodes, strict=True)],
        nodes=nodes,
        page_info=PageInfo(
            has_next_page=page.next_page is not None,
            has_previous_page=has_previous,
            start_cursor=encode_cursor(*positions[0]) if positions else None,
            end_cursor=encode_cursor(*positions[-1]) if positions else None,
        ),
        total_count=page.total,
    )


async def cursor_paged(
    after: str | None, fetch: Callable[[str | None], Awaitable[Page[NodeT]]]
) -> Connection[NodeT]:
    """A connection over a Wix cursor-paged API; `fetch(None)` fetches the first page."""
    position = decode_cursor(after)
    page = await fetch(position.page)
    return build_connection(
        page, token=position.page, skip=position.index + 1, has_previous=position != START
    )


async def offset_paged(
    after: str | None, fetch: Callable[[int], Awaitable[Page[NodeT]]]
) -> Connection[NodeT]:
    """A connection over an offset-paged API; `fetch(offset)` returns the page there and
    `Page.next_page` as `str(next offset)` when there is more."""
    position = decode_cursor(after)
    try:
        offset = int(position.page or 0) + position.index + 1
    except ValueError:
        raise bad_user_input("`after` is not a cursor this API returned", "after") from None
    page = await fetch(offset)
    return build_connection(page, token=str(offset), skip=0, has_previous=offset > 0)


def _fields(selections: Iterable[Selection]) -> Iterator[SelectedField]:
    """The fields of a selection set, with fragments spread in."""
    for selection in selections:
        if isinstance(selection, SelectedField):
            yield selection
        else:
            yield from _fields(selection.selections)


def node_fields(info: Info) -> frozenset[str]:
    """The fields a query selects on this connection's nodes (`nodes { ... }` and
    `edges { node { ... } }`): what the resolver may load ahead for the whole page."""
    names: set[str] = set()
    for connection in _fields(info.selected_fields):
        for field in _fields(connection.selections):
            if field.name == "nodes":
                names.update(f.name for f in _fields(field.selections))
            elif field.name == "edges":
                for node in (f for f in _fields(field.selections) if f.name == "node"):
                    names.update(f.name for f in _fields(node.selections))
    return frozenset(names)
