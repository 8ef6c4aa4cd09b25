"""What the gateway knows about the request being served, reachable from anywhere in it.

The ASGI middleware opens a `RequestScope` per HTTP request; the GraphQL extension adds the
operations it runs, and `WixClient` reports every upstream call into it. Context variables carry
the scope into resolvers and DataLoader batches (their tasks copy the context of the code that
scheduled them), so nothing has to be passed around by hand.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

# An incoming `x-request-id` is kept when it looks like an id (a proxy's or the client's);
# anything else is replaced, so log lines never carry arbitrary client text.
_INCOMING_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")


@dataclass(frozen=True, slots=True)
class UpstreamCall:
    """One attempt of one Wix call. `path` is the template: raw paths may hold tokens."""

    api: str
    method: str
    path: str
    status: int | None  # None: no response (connection failure, timeout)
    ms: float

    def to_json(self) -> dict[str, object]:
        return {"method": self.method, "path": self.path, "status": self.status, "ms": self.ms}


@dataclass(slots=True)
class RequestScope:
    request_id: str
    debug_upstream: bool = False  # the client asked for `extensions.upstream`
    operations: list[str] = field(default_factory=list)
    calls: list[UpstreamCall] = field(default_factory=list)

    @property
    def upstream_ms(self) -> float:
        return round(sum(call.ms for call in self.calls), 1)


_request: ContextVar[RequestScope | None] = ContextVar("gateway_request", default=None)
# The calls of the GraphQL operation being executed (one per operation of a batch).
_operation_calls: ContextVar[list[UpstreamCall] | None] = ContextVar(
    "gateway_operation_calls", default=None
)


def request_id_from(incoming: str | None) -> str:
    if incoming and _INCOMING_ID.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


# A subscription is one operation that lives for hours, making calls per event: past this many
# its calls are no longer recorded, so memory stays bounded (a page makes a few dozen at most).
MAX_RECORDED_CALLS = 1000


@contextmanager
def request_scope(scope: RequestScope) -> Iterator[RequestScope]:
    token = _request.set(scope)
    try:
        yield scope
    finally:
        _request.reset(token)


def current_request() -> RequestScope | None:
    return _request.get()


def current_request_id() -> str | None:
    scope = _request.get()
    return scope.request_id if scope else None


@contextmanager
def operation_calls() -> Iterator[list[UpstreamCall]]:
    """Collect the upstream calls made while the block runs (and by tasks it starts)."""
    calls: list[UpstreamCall] = []
    token = _operation_calls.set(calls)
    try:
        yield calls
    finally:
        _operation_calls.reset(token)


def add_call(call: UpstreamCall) -> None:
    """Record `call` for the request and the operation, up to `MAX_RECORDED_CALLS` each."""
    scope = _request.get()
    if scope is not None and len(scope.calls) < MAX_RECORDED_CALLS:
        scope.calls.append(call)
    calls = _operation_calls.get()
    if calls is not None and len(calls) < MAX_RECORDED_CALLS:
        calls.append(call)
