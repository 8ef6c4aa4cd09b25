"""Services V2, Booking Policies and Site Properties
(https://dev.wix.com/docs/api-reference/business-solutions/bookings/services/services-v2/introduction).
"""

from __future__ import annotations

from typing import Any

from gateway.upstream.client import WixApi

QUERY_SERVICES = "/bookings/v2/services/query"
GET_SERVICE = "/bookings/v2/services/{serviceId}"
GET_BOOKING_POLICY = "/bookings/v1/booking-policies/{bookingPolicyId}"
GET_SITE_PROPERTIES = "/site-properties/v4/properties"


class ServicesApi(WixApi):
    __slots__ = ()

    async def query_services(
        self,
        filter: dict[str, Any] | None = None,
        *,
        limit: int = 100,
        offset: int = 0,
        sort: list[dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        """`{"services": [...], "pagingMetadata": {...}}`; Query Services pages by offset."""
        query: dict[str, Any] = {"paging": {"limit": limit, "offset": offset}}
        if filter:
            query["filter"] = filter
        if sort:
            query["sort"] = sort
        return await self._read("POST", QUERY_SERVICES, body={"query": query})

    async def get_service(self, service_id: str) -> dict[str, Any]:
        """The `service`."""
        body = await self._read("GET", GET_SERVICE, serviceId=service_id)
        return body["service"]

    async def get_booking_policy(self, policy_id: str) -> dict[str, Any]:
        """The `bookingPolicy`."""
        body = await self._read("GET", GET_BOOKING_POLICY, bookingPolicyId=policy_id)
        return body["bookingPolicy"]

    async def get_site_properties(self) -> dict[str, Any]:
        """The `properties` (the business time zone is `timeZone`)."""
        body = await self._read("GET", GET_SITE_PROPERTIES)
        return body["properties"]
