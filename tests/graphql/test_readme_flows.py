"""The README's mutation example runs with its example variables and a slot from a live query."""

from __future__ import annotations

import json
import re

from tests.graphql import Gateway, gateway
from tests.graphql.readme_examples import README

__all__ = ["gateway"]

EXAMPLE = re.compile(r"```graphql\n(mutation .*?)```\s.*?```json\n(.*?)```", re.DOTALL)

NEXT_SLOT = """
query NextSlot($serviceId: ID!) {
  service(id: $serviceId) {
    timeSlots(bookable: true, first: 1) {
      nodes { localStart localEnd timeZone resources { id } }
    }
  }
}
"""


async def test_readme_booking_example_books_and_replays(gateway: Gateway) -> None:
    examples = EXAMPLE.findall(README.read_text(encoding="utf-8"))
    assert examples, "the README's mutation example (with its variables) is missing"
    mutation, raw_variables = examples[0]
    variables = json.loads(raw_variables)
    service_id = variables["input"]["serviceId"]
    slots = await gateway.data(NEXT_SLOT, {"serviceId": service_id})
    slot = slots["service"]["timeSlots"]["nodes"][0]
    variables["input"].update(
        localStart=slot["localStart"],
        localEnd=slot["localEnd"],
        timeZone=slot["timeZone"],
        resourceId=slot["resources"][0]["id"],
    )

    first = await gateway.data(mutation, variables)
    outcome = first["bookAppointment"]
    assert outcome["__typename"] == "BookingCreated"
    assert outcome["booking"]["status"] == "CONFIRMED"

    gateway.reset_calls()
    replay = await gateway.data(mutation, variables)
    assert replay == first  # the idempotency key: the same outcome
    # no write: only the allowed actions the selection asks for are read again
    assert set(gateway.calls()) <= {"POST /bookings/v2/bulk/bookings/calculate_allowed_actions"}
