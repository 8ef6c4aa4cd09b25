"""Bookings Writer V2: create and change bookings; allowed actions
(https://dev.wix.com/docs/api-reference/business-solutions/bookings/bookings/bookings-writer-v2/introduction).

Paths are the ones the method pages list first. Where Wix shows two families for one method,
that choice is noted on the constant. Multi-service and anonymous methods live in their own
modules and are mixed in, so callers see one `bookings_writer`. Update Extended Fields (known
from third-party code only) is left out: the sandbox does not serve it.
"""

from __future__ import annotations

from typing import Any

from gateway.upstream.anonymous import AnonymousActionsApi
from gateway.upstream.multi_service import MultiServiceBookingsApi

# One path per Wix method, written out in full so that searching for a documented path finds it.
CREATE_BOOKING = "/_api/bookings-service/v2/bookings"
BULK_CREATE_BOOKING = "/bookings/v2/bulk/bookings/create"
# Reschedule and Update Number Of Participants are documented on older pages under
# `/bookings/v2/bookings/...` (third-party code uses `/_api/bookings-service/v2/...`).
RESCHEDULE_BOOKING = "/bookings/v2/bookings/{bookingId}/reschedule"
UPDATE_NUMBER_OF_PARTICIPANTS = "/bookings/v2/bookings/{bookingId}/update_number_of_participants"
CONFIRM_OR_DECLINE_BOOKING = "/bookings/v2/confirmation/{bookingId}:confirmOrDecline"
BULK_CONFIRM_OR_DECLINE_BOOKING = "/bookings/v2/bulk/bookings/confirmOrDecline"
CONFIRM_BOOKING = "/_api/bookings-service/v2/bookings/{bookingId}/confirm"
DECLINE_BOOKING = "/_api/bookings-service/v2/bookings/{bookingId}/decline"
CANCEL_BOOKING = "/_api/bookings-service/v2/bookings/{bookingId}/cancel"
# Mark Booking As Pending's path is known from third-party code only; the method's page:
# https://dev.wix.com/docs/api-reference/business-solutions/bookings/bookings/bookings-writer-v2/mark-booking-as-pending
MARK_BOOKING_AS_PENDING = "/_api/bookings-service/v2/bookings/{bookingId}/mark_booking_as_pending"
BULK_CALCULATE_ALLOWED_ACTIONS = "/bookings/v2/bulk/bookings/calculate_allowed_actions"


class BookingsWriterApi(MultiServiceBookingsApi, AnonymousActionsApi):
    """Every method returns Wix's response body (`{"booking": ...}` for single-booking changes)."""

    __slots__ = ()

    async def bulk_calculate_allowed_actions(self, booking_ids: list[str]) -> list[dict[str, Any]]:
        """The `results`: `[{itemMetadata: {id, ...}, item: {cancel, reschedule}}]`. A read."""
        body = await self._read(
            "POST", BULK_CALCULATE_ALLOWED_ACTIONS, body={"bookingIds": booking_ids}
        )
        return body.get("results", [])

    async def create_booking(self, body: dict[str, Any]) -> dict[str, Any]:
        return await self._write("POST", CREATE_BOOKING, body=body)

    async def bulk_create_booking(self, body: dict[str, Any]) -> dict[str, Any]:
        return await self._write("POST", BULK_CREATE_BOOKING, body=body)

    async def reschedule_booking(self, booking_id: str, body: dict[str, Any]) -> dict[str, Any]:
        return await self._booking_action(RESCHEDULE_BOOKING, booking_id, body)

    async def confirm_or_decline_booking(
        self, booking_id: str, body: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        return await self._booking_action(CONFIRM_OR_DECLINE_BOOKING, booking_id, body)

    async def bulk_confirm_or_decline_booking(self, body: dict[str, Any]) -> dict[str, Any]:
        return await self._write("POST", BULK_CONFIRM_OR_DECLINE_BOOKING, body=body)

    async def confirm_booking(self, booking_id: str, body: dict[str, Any]) -> dict[str, Any]:
        return await self._booking_action(CONFIRM_BOOKING, booking_id, body)

    async def decline_booking(self, booking_id: str, body: dict[str, Any]) -> dict[str, Any]:
        return await self._booking_action(DECLINE_BOOKING, booking_id, body)

    async def cancel_booking(self, booking_id: str, body: dict[str, Any]) -> dict[str, Any]:
        return await self._booking_action(CANCEL_BOOKING, booking_id, body)

    async def update_number_of_participants(
        self, booking_id: str, body: dict[str, Any]
    ) -> dict[str, Any]:
        return await self._booking_action(UPDATE_NUMBER_OF_PARTICIPANTS, booking_id, body)

    async def mark_booking_as_pending(
        self, booking_id: str, body: dict[str, Any]
    ) -> dict[str, Any]:
        return await self._booking_action(MARK_BOOKING_AS_PENDING, booking_id, body)

    async def _booking_action(
        self, path: str, booking_id: str, body: dict[str, Any] | None
    ) -> dict[str, Any]:
        return await self._write("POST", path, body=body or {}, bookingId=booking_id)
