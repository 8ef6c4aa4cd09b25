"""Small types and JSON helpers shared by more than one domain package."""

from __future__ import annotations

from asyncio import Future
from collections.abc import Awaitable
from enum import Enum
from functools import cache
from typing import Any, TypeAlias, TypeVar

import strawberry

EnumT = TypeVar("EnumT", bound=Enum)
T = TypeVar("T")

Json = dict[str, Any]
MaybeAwaitable: TypeAlias = T | Awaitable[T]


def ready(future: Future[T]) -> MaybeAwaitable[T]:
    """A loader's value itself when it is already loaded, else the future.

    Resolvers return this instead of awaiting: a value needs no task or await in graphql-core,
    and list resolvers load a whole page's related objects ahead (see `Loaders.warm`), so the
    page's items complete without one await per item.
    """
    if future.done() and not future.cancelled() and future.exception() is None:
        return future.result()
    return future


@cache
def _members(enum: type[Enum]) -> dict[str, Enum]:
    """`enum.__members__` as a plain dict: `enum[name]` is a Python-level call, a page of
    bookings makes hundreds of these lookups."""
    return dict(enum.__members__)


def enum_or(enum: type[EnumT], value: Any, fallback: EnumT) -> EnumT:
    """`enum[value]`, or `fallback` for a value Wix added after this schema was written."""
    member = _members(enum).get(value) if isinstance(value, str) else None
    return fallback if member is None else member  # type: ignore[return-value]


def enum_or_none(enum: type[EnumT], value: Any) -> EnumT | None:
    return _members(enum).get(value) if isinstance(value, str) else None  # type: ignore[return-value]


@strawberry.enum(description="Which availability and booking flow a service uses.")
class ServiceType(Enum):
    APPOINTMENT = "APPOINTMENT"
    CLASS = "CLASS"
    COURSE = "COURSE"
    UNKNOWN = "UNKNOWN"


@strawberry.enum(description="Where a service or slot takes place (Services V2, Time Slots V2).")
class LocationType(Enum):
    BUSINESS = "BUSINESS"
    CUSTOM = "CUSTOM"
    CUSTOMER = "CUSTOMER"
    UNKNOWN = "UNKNOWN"


@strawberry.type(description="A place a service or slot happens.")
class Location:
    id: strawberry.ID | None
    name: str | None
    formatted_address: str | None
    type: LocationType

    @classmethod
    def from_wix(cls, loc: Json) -> Location:
        """Accepts a Time Slots location (`locationType`, flat) or a service location
        (`type`, `business {id name address}`, `calculatedAddress`)."""
        business = loc.get("business") or {}
        address = loc.get("calculatedAddress") or business.get("address") or {}
        return cls(
            id=loc.get("id") or business.get("id"),
            name=loc.get("name") or business.get("name"),
            formatted_address=loc.get("formattedAddress") or address.get("formattedAddress"),
            type=enum_or(
                LocationType, loc.get("locationType") or loc.get("type"), LocationType.UNKNOWN
            ),
        )
