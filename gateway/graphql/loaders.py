"""The request's DataLoaders: every lookup by id made while resolving one request is batched.

One `Loaders` is created per HTTP request (`gateway.http.context`; a batch shares one), so
caches never outlive the request or leak between callers with different credentials. Loaders are
built lazily: a request pays only for the loaders its query touches.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Awaitable, Callable, Iterable, Sequence
from functools import cached_property
from typing import Any

from aiodataloader import DataLoader

from gateway.graphql.bookings.types import AllowedActions, Booking, MultiServiceBooking
from gateway.graphql.common import Json
from gateway.graphql.errors import is_not_found
from gateway.graphql.forms.types import Form
from gateway.graphql.services.types import BookingPolicy, Service
from gateway.observability.dataloader import MeasuredDataLoader
from gateway.upstream import Upstream
from gateway.upstream.errors import UpstreamError

MAX_IDS_PER_QUERY = 100  # Query Services and Query Extended Bookings return at most 100 items
# Used only if Get Site Properties has no `timeZone` (Wix always sets one).
FALLBACK_TIME_ZONE = "UTC"


async def _each(
    keys: Sequence[str], fetch: Callable[[str], Awaitable[Json]], build: Callable[[Json], Any]
) -> list[Any]:
    """For APIs without a batch read: one concurrent call per distinct key. Per key the result
    is the built value, `None` when Wix answers 404, or the error (failing only that key)."""
    results = await asyncio.gather(*(fetch(key) for key in keys), return_exceptions=True)
    values: list[Any] = []
    for result in results:
        if isinstance(result, BaseException):
            values.append(None if is_not_found(result) else result)
        else:
            values.append(build(result))
    return values


Batch = Callable[[list[str]], Awaitable[list[Any]]]


def _weak(batch: Batch) -> Batch:
    """`batch` (a bound method of `Loaders`) without a strong reference to its `Loaders`.

    Otherwise each loader would hold its `Loaders`, which holds the loader: a reference cycle,
    so everything a request loaded (bookings, services, forms, responses; ~1000 objects for a
    page) would wait for the cyclic garbage collector instead of being freed when the request
    ends, and each collection took 30-60 ms.
    """
    method = weakref.WeakMethod(batch)

    async def load(keys: list[str]) -> list[Any]:
        bound = method()
        if bound is None:  # the request is over: nobody waits for these keys
            raise RuntimeError("the request's loaders are gone")
        return await bound(keys)

    load.__name__ = batch.__name__  # what `MeasuredDataLoader` labels its batches with
    return load


class Loaders:
    def __init__(self, upstream: Upstream, business: Upstream | None = None) -> None:
        """`upstream` is bound to the caller; `business` (default: the same) to the API key,
        for the one read every caller needs and visitors may not make (the site's zone)."""
        self._upstream = upstream
        self._business = business or upstream
        self._site_time_zone: asyncio.Future[str] | None = None

    @cached_property
    def services(self) -> DataLoader[str, Service | None]:
        """Services by id: one Query Services with `id $in` per tick."""
        return MeasuredDataLoader(_weak(self._load_services), max_batch_size=MAX_IDS_PER_QUERY)

    @cached_property
    def forms(self) -> DataLoader[str, Form | None]:
        """Forms by id: one Get Form per distinct form (Wix Forms has no batch read)."""
        return MeasuredDataLoader(_weak(self._load_forms))

    @cached_property
    def policies(self) -> DataLoader[str, BookingPolicy | None]:
        return MeasuredDataLoader(_weak(self._load_policies))

    @cached_property
    def bookings(self) -> DataLoader[str, Booking | None]:
        """Bookings by id: one Query Extended Bookings with `id $in` per tick."""
        return MeasuredDataLoader(_weak(self._load_bookings), max_batch_size=MAX_IDS_PER_QUERY)

    @cached_property
    def allowed_actions(self) -> DataLoader[str, AllowedActions | None]:
        """Allowed actions by booking id: one Bulk Calculate Allowed Actions per tick."""
        return MeasuredDataLoader(
            _weak(self._load_allowed_actions), max_batch_size=MAX_IDS_PER_QUERY
        )

    @cached_property
    def multi_service_bookings(self) -> DataLoader[str, MultiServiceBooking | None]:
        return MeasuredDataLoader(_weak(self._load_multi_service_bookings))

    def site_time_zone(self) -> Awaitable[str]:
        """The site's IANA zone: one Get Site Properties per request, when first needed."""
        if self._site_time_zone is None:
            self._site_time_zone = asyncio.ensure_future(self._fetch_site_time_zone())
        return self._site_time_zone

    @staticmethod
    async def warm(loader: DataLoader[str, Any], keys: Iterable[str | None]) -> None:
        """Load `keys` now, in one batch, so that resolvers find them ready (`common.ready`).
        A failed load stays cached as that key's error: later loads do not call Wix again."""
        wanted = list(dict.fromkeys(key for key in keys if key))
        results = await asyncio.gather(*map(loader.load, wanted), return_exceptions=True)
        for key, result in zip(wanted, results, strict=True):
            if isinstance(result, Exception):
                loader.prime(key, result)

    def booking(self, extended: Json) -> Booking:
        """Map one Query Extended Bookings item and prime the loaders with what it carries."""
        booking = Booking.from_wix(extended["booking"])
        self.bookings.prime(booking.id, booking)
        if "allowedActions" in extended:
            actions = AllowedActions.from_wix(extended["allowedActions"])
            self.allowed_actions.prime(booking.id, actions)
        return booking

    async def _fetch_site_time_zone(self) -> str:
        # With the API key: the zone is public (every booking page shows times in it), while
        # Get Site Properties is not open to visitor and member tokens.
        properties = await self._business.services.get_site_properties()
        return str(properties.get("timeZone") or FALLBACK_TIME_ZONE)

    async def _load_services(self, ids: list[str]) -> list[Service | None]:
        body = await self._upstream.services.query_services({"id": {"$in": ids}}, limit=len(ids))
        found = {s["id"]: Service.from_wix(s) for s in body.get("services") or []}
        return [found.get(i) for i in ids]

    async def _load_forms(self, ids: list[str]) -> list[Form | None]:
        return await _each(ids, self._upstream.forms.get_form, Form.from_wix)

    async def _load_policies(self, ids: list[str]) -> list[BookingPolicy | None]:
        return await _each(ids, self._upstream.services.get_booking_policy, BookingPolicy.from_wix)

    async def _load_bookings(self, ids: list[str]) -> list[Booking | None]:
        body = await self._upstream.bookings_reader.query_extended_bookings(
            {"filter": {"id": {"$in": ids}}, "cursorPaging": {"limit": len(ids)}}
        )
        found: dict[str, Booking] = {
            b.id: b for b in map(self.booking, body.get("extendedBookings") or [])
        }
        return [found.get(i) for i in ids]

    async def _load_allowed_actions(self, ids: list[str]) -> list[AllowedActions | None]:
        results = await self._upstream.bookings_writer.bulk_calculate_allowed_actions(ids)
        by_id: dict[str, Any] = {}
        for position, result in enumerate(results):
            metadata = result.get("itemMetadata") or {}
            key = metadata.get("id") or ids[int(metadata.get("originalIndex", position))]
            by_id[key] = _allowed_actions(result)
        return [by_id.get(i) for i in ids]

    async def _load_multi_service_bookings(
        self, ids: list[str]
    ) -> list[MultiServiceBooking | None]:
        fetch = self._upstream.bookings_writer.get_multi_service_booking
        return await _each(ids, fetch, self._multi_service_booking)

    def _multi_service_booking(self, msb: Json) -> MultiServiceBooking:
        for item in msb.get("bookings") or []:
            if item.get("booking"):
                booking = Booking.from_wix(item["booking"])
                self.bookings.prime(booking.id, booking)
        return MultiServiceBooking.from_wix(msb)


def _allowed_actions(result: Json) -> AllowedActions | UpstreamError:
    """One Bulk Calculate Allowed Actions result, or its per-item error."""
    metadata = result.get("itemMetadata") or {}
    if metadata.get("success") is False or "item" not in result:
        error = metadata.get("error") or {}
        message = str(error.get("description") or "Wix could not calculate allowed actions")
        extensions = {
            "code": error.get("code") or "UPSTREAM_UNAVAILABLE",
            "httpStatus": None,
            "requestId": None,
            "wixMessage": message,
        }
        if error.get("data"):
            extensions["data"] = error["data"]
        return UpstreamError(message, extensions)
    return AllowedActions.from_wix(result["item"])
