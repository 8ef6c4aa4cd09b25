"""Ids and tokens that can't be one path segment get a coded answer and cost no Wix call.

An id (form, booking, package, class session) that breaks the rule is `BAD_USER_INPUT`, from
queries and mutations alike: what Wix answers for a malformed id, without asking it. A token
that breaks it is an invalid token: `anonymousBooking` is null and the anonymous mutations
answer `InvalidAnonymousToken`, as for a token Wix doesn't know.
"""

from __future__ import annotations

from typing import Any

import pytest

from gateway.sandbox import seed
from tests.graphql import Gateway, gateway

__all__ = ["gateway"]

HOSTILE = ["..", ".", "a/b", "%2e%2e", "a?b", "a#b", "", "\n", "a" * 10 * 1024]
FORM = "query($id: ID!) { form(id: $id) { id name } }"
UNKNOWN_TOKEN = "q3Vx0_pZ-7hYc1mKf2LrT9sWb4nEoA6dJ8gUiH5yXk0"


async def refused(gateway: Gateway, query: str, variables: dict[str, Any], field: str) -> None:
    """The request answers one `BAD_USER_INPUT` error naming the path parameter `field`, and
    Wix is not called."""
    gateway.reset_calls()
    body = await gateway.post(query, variables)
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT", error
    assert [v["field"] for v in error["extensions"]["fieldViolations"]] == [field]
    assert gateway.calls() == {}


@pytest.mark.parametrize("hostile", HOSTILE, ids=repr)
async def test_form_with_a_climbing_id_is_bad_input(gateway: Gateway, hostile: str) -> None:
    await refused(gateway, FORM, {"id": hostile}, "formId")


async def test_form_with_a_well_formed_unknown_id_still_asks_wix(gateway: Gateway) -> None:
    gateway.reset_calls()
    body = await gateway.post(FORM, {"id": "00000000-0000-4000-8000-0000000000cc"})
    assert body == {"data": {"form": None}}
    assert gateway.calls() == {"GET /form-schema-service/v4/forms/{formId}": 1}


async def test_multi_service_booking_with_a_climbing_id_is_bad_input(gateway: Gateway) -> None:
    query = "query($id: ID!) { multiServiceBooking(id: $id) { id } }"
    await refused(gateway, query, {"id": ".."}, "multiServiceBookingId")


async def test_event_time_slot_with_a_climbing_id_is_bad_input(gateway: Gateway) -> None:
    query = (
        "query($id: ID!, $tz: TimeZone) { eventTimeSlot(eventId: $id, timeZone: $tz) { eventId } }"
    )
    await refused(gateway, query, {"id": "..", "tz": seed.TIME_ZONE}, "eventId")


@pytest.mark.parametrize("mutation", ["confirmBooking", "declineBooking", "markBookingAsPending"])
@pytest.mark.parametrize("hostile", ["..", "a/b", "x:confirmOrDecline"])
async def test_status_change_of_a_climbing_booking_id_is_bad_input(
    gateway: Gateway, mutation: str, hostile: str
) -> None:
    query = f"""mutation($input: BookingStatusInput!) {{
      {mutation}(input: $input) {{ __typename }}
    }}"""
    await refused(gateway, query, {"input": {"bookingId": hostile, "revision": "1"}}, "bookingId")


@pytest.mark.parametrize(
    ("mutation", "input_type", "extra"),
    [
        ("cancelBooking", "CancelBookingInput", {"revision": "1"}),
        ("confirmBooking", "BookingStatusInput", {}),  # no revision: the booking is read first
    ],
)
async def test_a_flow_that_reads_first_finds_no_such_booking(
    gateway: Gateway, mutation: str, input_type: str, extra: dict[str, str]
) -> None:
    """These flows first read the booking with Query Extended Bookings, where the id travels in
    the JSON body, not the path: nothing matches, so `NotFound`, and no path call is made."""
    gateway.reset_calls()
    query = f"mutation($input: {input_type}!) {{ {mutation}(input: $input) {{ __typename }} }}"
    data = await gateway.data(query, {"input": {"bookingId": "..", **extra}})
    assert data[mutation]["__typename"] == "NotFound"
    assert gateway.calls() == {"POST /_api/bookings-reader/v2/extended-bookings/query": 1}


async def test_anonymous_link_for_a_climbing_booking_id_is_bad_input(gateway: Gateway) -> None:
    query = "mutation($id: ID!) { createAnonymousLink(bookingId: $id) { __typename } }"
    await refused(gateway, query, {"id": ".."}, "bookingId")


@pytest.mark.parametrize("hostile", HOSTILE, ids=repr)
async def test_anonymous_booking_with_a_malformed_token_is_null(
    gateway: Gateway, hostile: str
) -> None:
    """As for a token Wix doesn't know (the field's documented answer), but without a call."""
    gateway.reset_calls()
    query = "query($token: String!) { anonymousBooking(token: $token) { booking { id } } }"
    assert await gateway.post(query, {"token": hostile}) == {"data": {"anonymousBooking": None}}
    assert gateway.calls() == {}
    assert await gateway.post(query, {"token": UNKNOWN_TOKEN}) == {
        "data": {"anonymousBooking": None}
    }
    assert gateway.calls() == {"GET /v1/anonymous-bookings/{token}": 1}


@pytest.mark.parametrize("hostile", ["..", "../../bookings", "%2e%2e"])
async def test_anonymous_cancel_with_a_malformed_token_is_an_invalid_token(
    gateway: Gateway, hostile: str
) -> None:
    gateway.reset_calls()
    query = """mutation($token: String!) {
      cancelBookingAnonymously(token: $token) {
        __typename ... on InvalidAnonymousToken { message }
      }
    }"""
    result = (await gateway.data(query, {"token": hostile}))["cancelBookingAnonymously"]
    assert result["__typename"] == "InvalidAnonymousToken"
    assert hostile not in result["message"]
    assert gateway.calls() == {}
