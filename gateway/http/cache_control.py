"""`Cache-Control` for queries over GET, persisted ones above all: their URL is short and stable,
so a CDN or the app's HTTP cache can keep the answer.

An answer may be kept as long as the shortest-lived data it shows is cached by the gateway
itself: each upstream-backed field maps to the Wix reads it makes (`FIELD_READS`), and each read
to its TTL (`gateway.cache.client.cache_rules`). A read that is not cached (bookings, the slot
re-check, a kind whose TTL is 0), or an upstream-backed field this table does not know (every
field of the cost table is upstream-backed), makes the answer `no-store`. A caller with its own
`Authorization` gets `private`: Wix answers per identity.
"""

from __future__ import annotations

from functools import lru_cache

from graphql import GraphQLError, GraphQLSchema, TypeInfo, TypeInfoVisitor, Visitor, parse, visit
from graphql.language import DocumentNode, FieldNode

from gateway.cache.client import cache_rules
from gateway.config import Settings
from gateway.graphql.document_cache import CACHED_DOCUMENTS, cacheable
from gateway.protection.cost import FIELD_COSTS
from gateway.upstream import forms, services, time_slots

NO_STORE = "no-store"
# An answer that needs no Wix data (`__typename`, introspection) changes only with a deploy.
NO_UPSTREAM_MAX_AGE = 60

_SLOT_LISTS = (time_slots.LIST_AVAILABILITY, services.GET_SITE_PROPERTIES)
# Field coordinate -> the Wix reads (path templates) it may make.
FIELD_READS: dict[str, tuple[str, ...]] = {
    "Query.services": (services.QUERY_SERVICES,),
    "Query.service": (services.QUERY_SERVICES,),
    "Query.form": (forms.GET_FORM,),
    "Query.timeSlots": _SLOT_LISTS,
    "Query.eventTimeSlots": (time_slots.LIST_EVENT, services.GET_SITE_PROPERTIES),
    "Query.multiServiceTimeSlots": (
        time_slots.LIST_MULTI_SERVICE,
        services.GET_SITE_PROPERTIES,
        services.QUERY_SERVICES,  # the first service's business location
    ),
    "Service.form": (forms.GET_FORM,),
    "Service.policy": (services.GET_BOOKING_POLICY,),
    "Service.timeSlots": (*_SLOT_LISTS, time_slots.LIST_EVENT),
    "TimeSlot.service": (services.QUERY_SERVICES,),
    "NestedTimeSlot.service": (services.QUERY_SERVICES,),
}


class CacheControl:
    def __init__(self, schema: GraphQLSchema, settings: Settings) -> None:
        self._schema = schema
        self._ttls = {template: rule.ttl for template, rule in cache_rules(settings).items()}
        self._cached_max_age = lru_cache(maxsize=CACHED_DOCUMENTS)(self._max_age)

    def max_age(self, query: str) -> int | None:
        """Seconds the answer may be kept; remembered only for documents small enough to be
        cached (a large one is parsed again)."""
        return self._cached_max_age(query) if cacheable(query) else self._max_age(query)

    def header(self, query: str, *, private: bool) -> str:
        """The header for a successful answer to `query` (a valid document)."""
        max_age = self.max_age(query)
        if max_age is None:
            return NO_STORE
        return f"{'private' if private else 'public'}, max-age={max_age}"

    def _max_age(self, query: str) -> int | None:
        """Seconds the answer may be kept, None when it must not be stored."""
        try:
            coordinates = field_coordinates(self._schema, parse(query))
        except GraphQLError:
            return None
        ttls: list[float] = []
        for coordinate in coordinates:
            reads = FIELD_READS.get(coordinate)
            if reads is None:
                if coordinate in FIELD_COSTS:
                    return None  # upstream-backed, not known to be cached
                continue
            for template in reads:
                if template not in self._ttls:
                    return None
                ttls.append(self._ttls[template])
        return int(min(ttls)) if ttls else NO_UPSTREAM_MAX_AGE


def field_coordinates(schema: GraphQLSchema, document: DocumentNode) -> set[str]:
    """`Type.field` of every field the document selects (in any operation or fragment)."""
    type_info = TypeInfo(schema)
    found: set[str] = set()

    class Collect(Visitor):
        def enter_field(self, node: FieldNode, *_: object) -> None:
            parent = type_info.get_parent_type()
            if parent is not None:
                found.add(f"{parent.name}.{node.name.value}")

    visit(document, TypeInfoVisitor(type_info, Collect()))
    return found
