"""An anonymous caller (no Authorization) while the gateway has no visitor tokens: the API key
answers only the visitor-safe root fields, and everything else is refused with
`UNAUTHENTICATED` before any upstream call."""

from __future__ import annotations

from typing import Any

import pytest

from gateway.sandbox import seed
from tests.graphql import Gateway, gateway
from tests.graphql.mutations import (
    CONTACT,
    appointment_input,
    document,
    haircut_slot,
    stored_bookings,
)

__all__ = ["gateway"]

REFUSED = {
    "bookings": "{ bookings(first: 3) { nodes { contact { email } } } }",
    "bookingsCount": "{ bookingsCount }",
    "booking": '{ booking(id: "b5000000-0000-4000-8000-000000000001") { id } }',
    "doubleBookedBookings": "{ doubleBookedBookings { nodes { id } } }",
    "confirmBooking": 'mutation { confirmBooking(input: {bookingId: "b5000000-0000-4000-8000-'
    '000000000001", revision: "1"}) { __typename } }',
    "createAnonymousLink": 'mutation { createAnonymousLink(bookingId: "b5000000-0000-4000-8000-'
    '000000000001") { __typename } }',
    "through a fragment": "query { ...Mine } fragment Mine on Query { bookingsCount }",
    "beside an open field": "{ services { nodes { id } } bookingsCount }",
}


def unauthenticated(body: dict[str, Any]) -> str:
    [error] = body["errors"]
    assert error["extensions"]["code"] == "UNAUTHENTICATED", error
    assert body.get("data") is None
    return str(error["message"])


@pytest.mark.parametrize("document_text", list(REFUSED.values()), ids=list(REFUSED))
async def test_owner_operations_are_refused_before_any_upstream_call(
    gateway: Gateway, document_text: str
) -> None:
    gateway.reset_calls()
    message = unauthenticated(await gateway.post(document_text, anonymous=True))
    assert "Authorization" in message
    assert gateway.calls() == {}


async def test_browsing_works_anonymously(gateway: Gateway) -> None:
    body = await gateway.post(
        f"""{{
          services {{ nodes {{ id name }} }}
          timeSlots(serviceId: "{seed.SERVICE_HAIRCUT}", first: 2) {{ nodes {{ localStart }} }}
          form(id: "{seed.FORM_MASSAGE}") {{ id }}
          __typename
        }}""",
        anonymous=True,
    )
    assert "errors" not in body, body
    assert body["data"]["services"]["nodes"] and body["data"]["timeSlots"]["nodes"]


async def test_booking_works_anonymously_and_stays_unconfirmed(gateway: Gateway) -> None:
    slot = await haircut_slot(gateway)
    body = await gateway.post(
        document("bookAppointment"), {"input": appointment_input(slot)}, anonymous=True
    )
    assert "errors" not in body, body
    assert body["data"]["bookAppointment"]["__typename"] == "BookingCreated"
    [stored] = stored_bookings(gateway)
    assert stored["status"] == "CREATED"


@pytest.mark.parametrize(
    "owner_input",
    [
        {"confirm": True},
        {"paymentStatus": "PAID"},
        {"contact": {**CONTACT, "contactId": "c5000000-0000-4000-8000-000000000001"}},
    ],
    ids=["confirm", "paymentStatus", "contactId"],
)
async def test_owner_inputs_of_a_booking_are_refused(
    gateway: Gateway, owner_input: dict[str, Any]
) -> None:
    slot = await haircut_slot(gateway)
    gateway.reset_calls()
    variables = {"input": {**appointment_input(slot), **owner_input}}
    message = unauthenticated(
        await gateway.post(document("bookAppointment"), variables, anonymous=True)
    )
    assert next(iter(owner_input)) in message
    assert gateway.calls() == {} and stored_bookings(gateway) == []


async def test_an_owner_input_hidden_in_a_variable_default_is_refused(gateway: Gateway) -> None:
    slot = await haircut_slot(gateway)
    gateway.reset_calls()
    text = (
        "mutation($input: BookAppointmentInput!, $confirm: Boolean = true) {"
        " bookAppointment(input: $input) { __typename } }"
    )
    # `confirm` taken from a defaulted variable inside the input literal
    text = text.replace("input: $input", "input: $input")
    body = await gateway.post(
        text.replace(
            "bookAppointment(input: $input)",
            f'bookAppointment(input: {{serviceId: "{slot["serviceId"]}", '
            f'localStart: "{slot["localStartDate"]}", localEnd: "{slot["localEndDate"]}", '
            f'resourceId: "{seed.STAFF_DAN}", confirm: $confirm}})',
        ).replace("$input: BookAppointmentInput!, ", ""),
        anonymous=True,
    )
    unauthenticated(body)
    assert gateway.calls() == {}


async def test_the_admin_of_the_same_gateway_reads_bookings(gateway: Gateway) -> None:
    body = await gateway.post("{ bookingsCount }")
    assert body == {"data": {"bookingsCount": 0}}
