"""The booking flows' `Lookups` over the request's DataLoaders: a flow's reads of services,
forms and the site's zone share the request's cache (and its call counts), and the bookings a
flow reads or changes are primed for the response."""

from __future__ import annotations

from gateway.bookings.flow import FlowContext, FormFieldSpec, FormSpec, Json, ServiceInfo
from gateway.graphql.bookings.types import Booking
from gateway.graphql.common import LocationType
from gateway.graphql.context import Info
from gateway.graphql.forms.types import Form
from gateway.graphql.loaders import Loaders
from gateway.graphql.services.types import Service


def service_info(service: Service) -> ServiceInfo:
    return ServiceInfo(
        id=str(service.id),
        type=service.type.value,
        schedule_id=str(service.schedule_id) if service.schedule_id else None,
        default_capacity=service.default_capacity,
        form_id=str(service.form_id) if service.form_id else None,
        duration_minutes=service.duration_minutes,
        requires_approval=service.online_booking.require_manual_approval,
        business_location_ids=tuple(
            str(location.id)
            for location in service.locations
            if location.id and location.type == LocationType.BUSINESS
        ),
    )


def form_spec(form: Form) -> FormSpec:
    return FormSpec(
        tuple(
            FormFieldSpec(
                target=item.target,
                type=item.type.value,
                required=item.required,
                hidden=item.hidden,
                options=tuple(option.value for option in item.options),
            )
            for item in form.fields
        )
    )


class RequestLookups:
    """`gateway.bookings.flow.Lookups` for one request."""

    def __init__(self, loaders: Loaders) -> None:
        self._loaders = loaders

    async def service(self, service_id: str) -> ServiceInfo | None:
        service = await self._loaders.services.load(service_id)
        return service_info(service) if service else None

    async def services(self, service_ids: list[str]) -> list[ServiceInfo | None]:
        found = await self._loaders.services.load_many(service_ids)
        return [service_info(s) if isinstance(s, Service) else None for s in found]

    async def form(self, form_id: str) -> FormSpec | None:
        form = await self._loaders.forms.load(form_id)
        return form_spec(form) if form else None

    async def site_time_zone(self) -> str:
        return await self._loaders.site_time_zone()

    def booking_read(self, extended: Json) -> None:
        """A booking read fresh (with its allowed actions) replaces what the request had."""
        booking_id = str(extended["booking"]["id"])
        self._loaders.bookings.clear(booking_id)
        self._loaders.allowed_actions.clear(booking_id)
        self._loaders.booking(extended)

    def booking_written(self, booking: Json) -> None:
        """A changed booking: as Wix returned it; its allowed actions are read again."""
        booking_id = str(booking["id"])
        self._loaders.bookings.clear(booking_id)
        self._loaders.bookings.prime(booking_id, Booking.from_wix(booking))
        self._loaders.allowed_actions.clear(booking_id)


def flow_context(info: Info) -> FlowContext:
    """What a booking flow runs with, for this request's caller."""
    context = info.context
    return FlowContext(
        upstream=context.upstream,
        business=context.business_upstream,
        lookups=RequestLookups(context.loaders),
        clock=context.clock,
        settings=context.settings,
        outbox=context.outbox,
    )
