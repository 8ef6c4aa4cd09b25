"""Anonymous booking actions: a customer without an account acts through a token
(https://dev.wix.com/docs/api-reference/business-solutions/bookings/bookings/bookings-writer-v2/get-anonymous-action-token).

The token is the credential and sits in the URL path, so it is passed as the `token` path
parameter, which the client scrubs from error texts and never logs (`SECRET_PATH_PARAMS`).
Calls made with a token are `anonymous`: they carry no Authorization (nor the API key).
"""

from __future__ import annotations

from typing import Any

from gateway.upstream.client import WixApi

GET_ANONYMOUS_ACTION_TOKEN = "/v1/anonymous-bookings/{bookingId}/token"
GET_BOOKING_ANONYMOUSLY = "/v1/anonymous-bookings/{token}"
GET_SERVICE_ANONYMOUSLY = "/v1/anonymous-bookings/{token}/service"
# Cancel/Reschedule Anonymously are known from third-party code only; their pages:
# https://dev.wix.com/docs/api-reference/business-solutions/bookings/bookings/bookings-writer-v2/anonymous-booking-actions-service-cancel-booking-anonymously
# https://dev.wix.com/docs/api-reference/business-solutions/bookings/bookings/bookings-writer-v2/anonymous-booking-actions-service-reschedule-booking-anonymously
CANCEL_BOOKING_ANONYMOUSLY = "/v1/anonymous-bookings/{token}/cancel"
RESCHEDULE_BOOKING_ANONYMOUSLY = "/v1/anonymous-bookings/{token}/reschedule"


class AnonymousActionsApi(WixApi):
    __slots__ = ()

    async def get_anonymous_action_token(self, booking_id: str) -> dict[str, Any]:
        """Mint a token for a booking (the response field name is unconfirmed: likely `token`)."""
        return await self._read("GET", GET_ANONYMOUS_ACTION_TOKEN, bookingId=booking_id)

    async def get_booking_anonymously(self, token: str) -> dict[str, Any]:
        return await self._read("GET", GET_BOOKING_ANONYMOUSLY, anonymous=True, token=token)

    async def get_service_anonymously(self, token: str) -> dict[str, Any]:
        return await self._read("GET", GET_SERVICE_ANONYMOUSLY, anonymous=True, token=token)

    async def cancel_booking_anonymously(
        self, token: str, body: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        return await self._write(
            "POST", CANCEL_BOOKING_ANONYMOUSLY, body=body or {}, anonymous=True, token=token
        )

    async def reschedule_booking_anonymously(
        self, token: str, body: dict[str, Any]
    ) -> dict[str, Any]:
        return await self._write(
            "POST", RESCHEDULE_BOOKING_ANONYMOUSLY, body=body, anonymous=True, token=token
        )
