"""The route table: one `WixRoute` per Wix method the sandbox serves.

Starlette routing, the auth rule and the OpenAPI document are all generated from this table, so
a path is written once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gateway.sandbox.state import Sandbox


@dataclass(frozen=True)
class Call:
    """What a handler sees of a request (the Authorization header is checked before, in `app.py`;
    anonymous methods get their token as a path parameter)."""

    params: dict[str, str]
    query: dict[str, list[str]]
    body: dict[str, Any]

    def query_one(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[0] if values else None


Handler = Callable[["Sandbox", Call], dict[str, Any]]


@dataclass(frozen=True)
class WixRoute:
    method: str
    paths: tuple[str, ...]  # the documented path first, then aliases
    handler: Handler
    name: str  # the Wix doc name, e.g. "Create Booking"
    api: str  # e.g. "Bookings Writer V2"
    doc: str  # the public doc URL
    auth: bool = True  # anonymous-token paths take the token instead
    query_params: tuple[str, ...] = field(default_factory=tuple)

    @property
    def template(self) -> str:
        return self.paths[0]


def route(
    method: str,
    paths: str | tuple[str, ...],
    name: str,
    api: str,
    doc: str,
    *,
    auth: bool = True,
    query_params: tuple[str, ...] = (),
) -> Callable[[Handler], WixRoute]:
    """Decorator that turns a handler into a `WixRoute`."""

    def wrap(handler: Handler) -> WixRoute:
        all_paths = (paths,) if isinstance(paths, str) else paths
        return WixRoute(method, all_paths, handler, name, api, doc, auth, query_params)

    return wrap
