"""`services`, `service(id)` and what a service resolves: form, policy, Relay paging."""

from __future__ import annotations

from gateway.sandbox import seed
from tests.graphql import Gateway, gateway

__all__ = ["gateway"]

QUERY_SERVICES = "POST /bookings/v2/services/query"
GET_FORM = "GET /form-schema-service/v4/forms/{formId}"

PAGE = """
query($first: Int, $after: String, $filter: ServiceFilter) {
  services(first: $first, after: $after, filter: $filter) {
    totalCount
    edges { cursor node { id name type } }
    nodes { id }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}
"""


async def test_pages_follow_end_cursor_without_gaps_or_repeats(gateway: Gateway) -> None:
    first = (await gateway.data(PAGE, {"first": 3}))["services"]
    assert first["totalCount"] == 7
    assert [e["node"]["id"] for e in first["edges"]] == [n["id"] for n in first["nodes"]]
    assert first["pageInfo"]["hasNextPage"] is True
    assert first["pageInfo"]["hasPreviousPage"] is False
    assert first["pageInfo"]["endCursor"] == first["edges"][-1]["cursor"]

    after = first["pageInfo"]["endCursor"]
    second = (await gateway.data(PAGE, {"first": 3, "after": after}))["services"]
    third = (await gateway.data(PAGE, {"first": 3, "after": second["pageInfo"]["endCursor"]}))[
        "services"
    ]
    assert second["pageInfo"]["hasPreviousPage"] is True
    assert third["pageInfo"]["hasNextPage"] is False
    ids = [n["id"] for page in (first, second, third) for n in page["nodes"]]
    assert ids == [
        seed.SERVICE_MASSAGE,
        seed.SERVICE_HAIRCUT,
        seed.SERVICE_CONSULTATION,
        seed.SERVICE_FACIAL,
        seed.SERVICE_SAUNA,
        seed.SERVICE_YOGA,
        seed.SERVICE_PILATES_COURSE,
    ]


async def test_after_a_middle_edge_continues_right_after_it(gateway: Gateway) -> None:
    first = (await gateway.data(PAGE, {"first": 3}))["services"]
    middle = first["edges"][0]["cursor"]
    rest = (await gateway.data(PAGE, {"first": 2, "after": middle}))["services"]
    assert [n["id"] for n in rest["nodes"]] == [seed.SERVICE_HAIRCUT, seed.SERVICE_CONSULTATION]


async def test_filter_by_type_name_and_ids(gateway: Gateway) -> None:
    classes = await gateway.data(PAGE, {"filter": {"type": "CLASS"}})
    assert [n["id"] for n in classes["services"]["nodes"]] == [seed.SERVICE_YOGA]

    named = await gateway.data(PAGE, {"filter": {"nameStartsWith": "Express"}})
    assert [e["node"]["name"] for e in named["services"]["edges"]] == ["Express Haircut"]

    ids = [seed.SERVICE_SAUNA, seed.SERVICE_MASSAGE]
    by_id = await gateway.data(PAGE, {"filter": {"ids": ids}})
    assert sorted(n["id"] for n in by_id["services"]["nodes"]) == sorted(ids)


async def test_service_by_id_batches_into_one_query(gateway: Gateway) -> None:
    gateway.reset_calls()
    data = await gateway.data(
        """query($a: ID!, $b: ID!, $c: ID!) {
          a: service(id: $a) { name type durationMinutes bufferMinutes }
          b: service(id: $b) { name payment { rateType price { value currency } } }
          c: service(id: $c) { name }
        }""",
        {"a": seed.SERVICE_MASSAGE, "b": seed.SERVICE_HAIRCUT, "c": seed.SERVICE_YOGA},
    )
    assert data["a"] == {
        "name": "Deep Tissue Massage",
        "type": "APPOINTMENT",
        "durationMinutes": 60,
        "bufferMinutes": 15,
    }
    assert data["b"]["payment"] == {"rateType": "NO_FEE", "price": None}
    assert data["c"]["name"] == "Vinyasa Yoga"
    assert gateway.calls() == {QUERY_SERVICES: 1}


async def test_unknown_service_is_null_without_errors(gateway: Gateway) -> None:
    body = await gateway.post('{ service(id: "00000000-0000-4000-8000-00000000dead") { id } }')
    assert body == {"data": {"service": None}}


async def test_service_form_policy_and_locations(gateway: Gateway) -> None:
    data = await gateway.data(
        """query($id: ID!) { service(id: $id) {
              formId
              form { id fields { target label type required options { label value } } }
              policy { name lateBooking { enabled minutes }
                       cancellation { enabled limitLatest latestMinutes } }
              locations { id name type formattedAddress }
        } }""",
        {"id": seed.SERVICE_MASSAGE},
    )
    service = data["service"]
    assert service["formId"] == seed.FORM_MASSAGE
    fields = {f["target"]: f for f in service["form"]["fields"]}
    assert fields["email"]["type"] == "EMAIL" and fields["email"]["required"] is True
    assert fields["pressure"]["required"] is True
    assert [o["value"] for o in fields["pressure"]["options"]] == ["light", "medium", "firm"]
    assert fields["pressure"]["label"] == "Preferred pressure"
    assert fields["injuries"]["required"] is False
    assert service["policy"] == {
        "name": "No late cancellations",
        "lateBooking": {"enabled": True, "minutes": 120},
        "cancellation": {"enabled": True, "limitLatest": True, "latestMinutes": 1440},
    }
    assert service["locations"] == [
        {
            "id": seed.LOCATION_MAIN,
            "name": "Riverside Studio",
            "type": "BUSINESS",
            "formattedAddress": "12 Riverside Walk, London SE1 9PP, UK",
        }
    ]


async def test_forms_of_listed_services_load_once_per_distinct_form(gateway: Gateway) -> None:
    gateway.reset_calls()
    data = await gateway.data("{ services { nodes { name form { id } } } }")
    assert len(data["services"]["nodes"]) == 7
    # seven services share three forms (default, massage, yoga): one Get Form each
    assert gateway.calls() == {QUERY_SERVICES: 1, GET_FORM: 3}


async def test_listed_services_prime_the_services_loader(gateway: Gateway) -> None:
    gateway.reset_calls()
    data = await gateway.data(
        """query($id: ID!) { services(filter: {ids: [$id]}) { nodes {
              timeSlots(first: 2, timeZone: "Europe/London") { nodes { service { name } } }
        } } }""",
        {"id": seed.SERVICE_HAIRCUT},
    )
    slots = data["services"]["nodes"][0]["timeSlots"]["nodes"]
    assert [s["service"]["name"] for s in slots] == ["Express Haircut"] * 2
    assert gateway.calls()[QUERY_SERVICES] == 1  # `TimeSlot.service` came from the listing
