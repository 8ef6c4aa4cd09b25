"""The route table: one `WixRoute` per Wix method the sandbox serves.

Starlette routing, the auth rule and the OpenAPI document are all generated from this table, so
a path is written once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from gateway.sandbox.errors import STATUS_CODES, WixError, invalid
from gateway.sandbox.identity import ADMIN_ONLY, OWNER_API_KEY, Identity, Kind

if TYPE_CHECKING:
    from gateway.sandbox.events import Event
    from gateway.sandbox.state import Sandbox


@dataclass(frozen=True)
class Call:
    """What a handler sees of a request: the caller's identity comes from the Authorization header
    (checked before, in `app.py`); anonymous methods get their token as a path parameter. The
    handler records the webhooks its changes emit in `events` (`events.py`); `app.py` sends them
    once the handler has returned."""

    params: dict[str, str]
    query: dict[str, list[str]]
    body: dict[str, Any]
    identity: Identity | None = None  # None on routes that take no Authorization
    events: list[Event] = field(default_factory=list)

    @property
    def caller(self) -> Identity:
        """The caller of an authenticated route (the API key when none was resolved)."""
        return self.identity or OWNER_API_KEY

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
    callers: frozenset[Kind] = ADMIN_ONLY  # identities that may call it (`identity.py`)
    form_body: bool = False  # also accepts application/x-www-form-urlencoded
    # The application error codes the method declares in the Wix SDK and the sandbox answers
    # (besides the generic ones, `errors.GENERIC_CODES`); `app.py` refuses to send any other.
    codes: tuple[str, ...] = ()

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
    callers: frozenset[Kind] = ADMIN_ONLY,
    form_body: bool = False,
    codes: tuple[str, ...] = (),
) -> Callable[[Handler], WixRoute]:
    """Decorator that turns a handler into a `WixRoute`."""

    def wrap(handler: Handler) -> WixRoute:
        all_paths = (paths,) if isinstance(paths, str) else paths
        return WixRoute(
            method,
            all_paths,
            handler,
            name,
            api,
            doc,
            auth,
            query_params,
            callers,
            form_body,
            codes,
        )

    return wrap


# A path parameter is one segment: Starlette matches `{name}` on the percent-decoded path, so
# `%2e%2e` arrives as `..` and `%2F` as a segment break (another route may match). Wix ids,
# event ids and tokens never hold these characters, and `.`/`..` are never ids.
_NOT_IN_A_SEGMENT = re.compile(r"[/\\?#%\s\x00-\x1f\x7f]")
_ENCODED_SEPARATORS = (b"%2f", b"%5c")


def path_error(path_params: Mapping[str, Any], raw_path: bytes | None) -> WixError | None:
    """Why the request's path can't be served as routed, or None: 404 when the raw path held an
    encoded slash or backslash (it was routed on segments the client never sent), 400 with a
    field violation for a parameter that is not one segment (empty, dots only, a delimiter)."""
    raw = (raw_path or b"").split(b"?", 1)[0].lower()
    if any(separator in raw for separator in _ENCODED_SEPARATORS):
        return WixError(404, STATUS_CODES[404], "No Wix method at this path")
    for name, value in path_params.items():
        text = str(value)
        if not text.strip(".") or _NOT_IN_A_SEGMENT.search(text):
            return invalid(name, "must be a single path segment", "FORMAT")
    return None
