"""What a booking flow runs with: the caller's and the business's Wix clients, the clock, the
settings, the outbox, and lookups of services, forms and the site's zone.

Flows know nothing of GraphQL: the adapter builds a `FlowContext` per request and implements
`Lookups` over the request's DataLoaders, so a flow's reads share the request's cache.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from gateway.clock import Clock

if TYPE_CHECKING:
    from gateway.bookings.outbox import Outbox
    from gateway.config import Settings
    from gateway.upstream import Upstream

Json = dict[str, Any]


class InvalidInput(Exception):
    """A request the flow refuses before calling Wix (a bad argument, not a business outcome)."""

    def __init__(self, message: str, argument: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.argument = argument


@dataclass(frozen=True, slots=True)
class ServiceInfo:
    """What flows read of a Wix service (`type`: APPOINTMENT, CLASS, COURSE or UNKNOWN)."""

    id: str
    type: str
    schedule_id: str | None = None
    default_capacity: int | None = None
    form_id: str | None = None
    duration_minutes: int | None = None
    requires_approval: bool = False
    business_location_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class FormFieldSpec:
    """One input of a booking form; `type` is the field's kind as the forms API reads it
    (`STRING`, `EMAIL`, `NUMBER`, ...)."""

    target: str
    type: str
    required: bool = False
    hidden: bool = False
    options: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class FormSpec:
    fields: tuple[FormFieldSpec, ...] = field(default_factory=tuple)


class Lookups(Protocol):
    """Reads a flow shares with the rest of the request, and what it tells the request's cache
    about bookings it read or changed."""

    async def service(self, service_id: str) -> ServiceInfo | None: ...
    async def services(self, service_ids: list[str]) -> list[ServiceInfo | None]: ...
    async def form(self, form_id: str) -> FormSpec | None: ...
    async def site_time_zone(self) -> str: ...
    def booking_read(self, extended: Json) -> None: ...
    def booking_written(self, booking: Json) -> None: ...


@dataclass(slots=True)
class FlowContext:
    """`upstream` acts for the caller; `business` (the API key) for what the gateway does on
    its own behalf: reading back a write whose answer was lost, undoing it."""

    upstream: Upstream
    business: Upstream
    lookups: Lookups
    clock: Clock = field(default_factory=Clock)
    settings: Settings | None = None
    outbox: Outbox | None = None

    @property
    def flow_outbox(self) -> Outbox:
        """Where a flow that creates bookings leaves its stamps (`gateway.bookings.outbox`)."""
        if self.outbox is None:
            raise RuntimeError("the app has no outbox (app.state.outbox)")
        return self.outbox
