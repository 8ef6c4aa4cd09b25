"""Multi-service bookings of Bookings Writer V2
(https://dev.wix.com/docs/api-reference/business-solutions/bookings/bookings/bookings-writer-v2/create-multi-service-booking).

Get Multi Service Booking Availability (path from third-party code only) is left out:
the sandbox does not serve it and the gateway does not need it.

Request wrappers of these methods are partly unconfirmed, so bodies are passed through as the
caller builds them.
"""

from __future__ import annotations

from typing import Any

from gateway.upstream.client import WixApi

# One path per Wix method, written out in full so that searching for a documented path finds it.
CREATE_MULTI_SERVICE_BOOKING = "/_api/bookings-service/v2/multi_service_bookings"
GET_MULTI_SERVICE_BOOKING = (
    "/_api/bookings-service/v2/multi_service_bookings/{multiServiceBookingId}"
)
RESCHEDULE_MULTI_SERVICE_BOOKING = (
    "/_api/bookings-service/v2/multi_service_bookings/{multiServiceBookingId}/reschedule"
)
CANCEL_MULTI_SERVICE_BOOKING = (
    "/_api/bookings-service/v2/multi_service_bookings/{multiServiceBookingId}/cancel"
)
CONFIRM_MULTI_SERVICE_BOOKING = (
    "/_api/bookings-service/v2/multi_service_bookings/{multiServiceBookingId}/confirm"
)
DECLINE_MULTI_SERVICE_BOOKING = (
    "/_api/bookings-service/v2/multi_service_bookings/{multiServiceBookingId}/decline"
)
MARK_MULTI_SERVICE_BOOKING_AS_PENDING = (
    "/_api/bookings-service/v2/multi_service_bookings/{multiServiceBookingId}/mark_as_pending"
)
ADD_BOOKINGS_TO_MULTI_SERVICE_BOOKING = (
    "/_api/bookings-service/v2/multi_service_bookings/add_bookings_to_multi_service_booking"
)
REMOVE_BOOKINGS_FROM_MULTI_SERVICE_BOOKING = (
    "/_api/bookings-service/v2/multi_service_bookings/remove_bookings_from_multi_service_booking"
)
BULK_GET_MULTI_SERVICE_BOOKING_ALLOWED_ACTIONS = (
    "/bookings/multiServiceBookings/v2/bulk/multi_service_bookings/get_allowed_actions"
)


class MultiServiceBookingsApi(WixApi):
    __slots__ = ()

    async def get_multi_service_booking(self, msb_id: str) -> dict[str, Any]:
        """The `multiServiceBooking`."""
        body = await self._read("GET", GET_MULTI_SERVICE_BOOKING, multiServiceBookingId=msb_id)
        return body["multiServiceBooking"]

    async def bulk_get_multi_service_booking_allowed_actions(
        self, msb_ids: list[str]
    ) -> dict[str, Any]:
        return await self._read(
            "POST",
            BULK_GET_MULTI_SERVICE_BOOKING_ALLOWED_ACTIONS,
            body={"multiServiceBookingIds": msb_ids},
        )

    async def create_multi_service_booking(self, body: dict[str, Any]) -> dict[str, Any]:
        return await self._write("POST", CREATE_MULTI_SERVICE_BOOKING, body=body)

    async def reschedule_multi_service_booking(
        self, msb_id: str, body: dict[str, Any]
    ) -> dict[str, Any]:
        return await self._msb_action(RESCHEDULE_MULTI_SERVICE_BOOKING, msb_id, body)

    async def cancel_multi_service_booking(
        self, msb_id: str, body: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        return await self._msb_action(CANCEL_MULTI_SERVICE_BOOKING, msb_id, body)

    async def confirm_multi_service_booking(
        self, msb_id: str, body: dict[str, Any]
    ) -> dict[str, Any]:
        return await self._msb_action(CONFIRM_MULTI_SERVICE_BOOKING, msb_id, body)

    async def decline_multi_service_booking(
        self, msb_id: str, body: dict[str, Any]
    ) -> dict[str, Any]:
        return await self._msb_action(DECLINE_MULTI_SERVICE_BOOKING, msb_id, body)

    async def mark_multi_service_booking_as_pending(
        self, msb_id: str, body: dict[str, Any]
    ) -> dict[str, Any]:
        return await self._msb_action(MARK_MULTI_SERVICE_BOOKING_AS_PENDING, msb_id, body)

    async def add_bookings_to_multi_service_booking(self, body: dict[str, Any]) -> dict[str, Any]:
        return await self._write("POST", ADD_BOOKINGS_TO_MULTI_SERVICE_BOOKING, body=body)

    async def remove_bookings_from_multi_service_booking(
        self, body: dict[str, Any]
    ) -> dict[str, Any]:
        return await self._write("POST", REMOVE_BOOKINGS_FROM_MULTI_SERVICE_BOOKING, body=body)

    async def _msb_action(
        self, path: str, msb_id: str, body: dict[str, Any] | None
    ) -> dict[str, Any]:
        return await self._write("POST", path, body=body or {}, multiServiceBookingId=msb_id)
