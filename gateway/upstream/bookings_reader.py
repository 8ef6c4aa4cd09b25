"""Bookings Reader V2: Query and Count Extended Bookings
(https://dev.wix.com/docs/api-reference/business-solutions/bookings/bookings/bookings-reader-v2/query-extended-bookings).
"""

from __future__ import annotations

from typing import Any

from gateway.upstream.client import WixApi

QUERY_EXTENDED_BOOKINGS = "/_api/bookings-reader/v2/extended-bookings/query"
COUNT_EXTENDED_BOOKINGS = "/_api/bookings-reader/v2/extended-bookings/count"
# The Count response field is not documented (unconfirmed); our choice:
# https://dev.wix.com/docs/api-reference/business-solutions/bookings/bookings/bookings-reader-v2/count-extended-bookings
COUNT_FIELD = "count"


class BookingsReaderApi(WixApi):
    __slots__ = ()

    async def query_extended_bookings(
        self,
        query: dict[str, Any],
        *,
        with_allowed_actions: bool = False,
        with_attendance: bool = False,
    ) -> dict[str, Any]:
        """`{"extendedBookings": [...], "pagingMetadata": {...}}`; `query` is Wix's WQL object."""
        body: dict[str, Any] = {"query": query}
        if with_allowed_actions:
            body["withBookingAllowedActions"] = True
        if with_attendance:
            body["withBookingAttendanceInfo"] = True
        return await self._read("POST", QUERY_EXTENDED_BOOKINGS, body=body)

    async def count_extended_bookings(self, filter: dict[str, Any] | None = None) -> int:
        body = await self._read("POST", COUNT_EXTENDED_BOOKINGS, body={"filter": filter or {}})
        return int(body.get(COUNT_FIELD, 0))
