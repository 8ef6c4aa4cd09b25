"""Time Slots V2: appointment, class (event) and multi-service availability
(https://dev.wix.com/docs/api-reference/business-solutions/bookings/time-slots/time-slots-v2/introduction).

Every method is a read, so every one is retried; bodies are passed through as Wix documents them.
"""

from __future__ import annotations

from typing import Any

from gateway.upstream.client import WixApi

LIST_AVAILABILITY = "/_api/service-availability/v2/time-slots"
GET_AVAILABILITY = "/_api/service-availability/v2/time-slots/get"
LIST_EVENT = "/_api/service-availability/v2/time-slots/event"
GET_EVENT = "/_api/service-availability/v2/time-slots/event/{eventId}"
LIST_MULTI_SERVICE = "/_api/service-availability/v2/multi-service-time-slots"
GET_MULTI_SERVICE = "/_api/service-availability/v2/multi-service-time-slots/get"


class TimeSlotsApi(WixApi):
    __slots__ = ()

    async def list_availability(self, body: dict[str, Any]) -> dict[str, Any]:
        """Appointment slots: `{timeSlots, timeZone, cursorPagingMetadata}`."""
        return await self._read("POST", LIST_AVAILABILITY, body=body)

    async def get_availability(self, body: dict[str, Any]) -> dict[str, Any]:
        """One appointment slot with all its resources: `{timeSlot, timeZone}`."""
        return await self._read("POST", GET_AVAILABILITY, body=body)

    async def list_event(self, body: dict[str, Any]) -> dict[str, Any]:
        """Class sessions: `{timeSlots, timeZone, pagingMetadata}`."""
        return await self._read("POST", LIST_EVENT, body=body)

    async def get_event(self, event_id: str, time_zone: str | None = None) -> dict[str, Any]:
        """One class session: `{timeSlot, timeZone}`."""
        params = {"timeZone": time_zone} if time_zone else None
        return await self._read("GET", GET_EVENT, params=params, eventId=event_id)

    async def list_multi_service(self, body: dict[str, Any]) -> dict[str, Any]:
        """Back-to-back slots of 2+ services: `{timeSlots, timeZone, cursorPagingMetadata}`."""
        return await self._read("POST", LIST_MULTI_SERVICE, body=body)

    async def get_multi_service(self, body: dict[str, Any]) -> dict[str, Any]:
        """One multi-service slot: `{timeSlot, timeZone}`."""
        return await self._read("POST", GET_MULTI_SERVICE, body=body)
