"""`services(...)` (Query Services, offset paging under Relay cursors) and `service(id)`."""

from __future__ import annotations

import strawberry

from gateway.graphql.context import Info
from gateway.graphql.errors import check_first
from gateway.graphql.pagination import Connection, Page, node_fields, offset_paged
from gateway.graphql.services.filters import ServiceFilter
from gateway.graphql.services.types import Service
from gateway.identity.visitor_fields import visitor_safe

MAX_FIRST = 100  # Query Services' paging.limit maximum (and default)


async def services(
    info: Info,
    first: int | None = None,
    after: str | None = None,
    filter: ServiceFilter | None = None,
) -> Connection[Service]:
    """Services sorted by creation date, as Wix sorts them."""
    limit = check_first(first, default=MAX_FIRST, maximum=MAX_FIRST)
    wql = filter.to_wql() if filter else None
    load_forms = "form" in node_fields(info)
    loaders = info.context.loaders

    async def fetch(offset: int) -> Page[Service]:
        body = await info.context.upstream.services.query_services(wql, limit=limit, offset=offset)
        nodes = [Service.from_wix(s) for s in body.get("services") or []]
        for service in nodes:  # later `service(id)` / `Booking.service` in this request
            loaders.services.prime(service.id, service)
        if load_forms:  # ahead, for the whole page: `Service.form` then needs no await
            await loaders.warm(loaders.forms, (service.form_id for service in nodes))
        metadata = body.get("pagingMetadata") or {}
        total = metadata.get("total")
        has_next = metadata.get("hasNext")
        if has_next is None:  # Wix documents `total`; live responses also carry `hasNext`
            has_next = total is not None and offset + len(nodes) < total
        next_page = str(offset + len(nodes)) if has_next and nodes else None
        return Page(nodes=nodes, next_page=next_page, total=total)

    return await offset_paged(after, fetch)


async def service(info: Info, id: strawberry.ID) -> Service | None:
    """One service; null when there is none with this id."""
    return await info.context.loaders.services.load(id)


@strawberry.type
class ServiceQueries:
    services: Connection[Service] = strawberry.field(
        metadata=visitor_safe(),
        resolver=services,
        description="Services in creation order (Query Services).",
    )
    service: Service | None = strawberry.field(
        metadata=visitor_safe(),
        resolver=service,
        description="One service; null when there is none with this id.",
    )
