"""Hostile input to the gateway: answered 400 (or a coded GraphQL error), never 500, with no
upstream call; parse and validation errors carry Apollo's codes on every transport."""

from __future__ import annotations

import json
from typing import Any

import pytest

from gateway.sandbox import seed
from tests.graphql import Gateway, gateway
from tests.http import GRAPHQL_RESPONSE_JSON, persisted

__all__ = ["gateway"]

HEADERS = {"accept": GRAPHQL_RESPONSE_JSON, "content-type": "application/json"}
SLOTS = (
    "query($from: LocalDateTime, $to: LocalDateTime) { timeSlots("
    f'serviceId: "{seed.SERVICE_HAIRCUT}", from: $from, to: $to) {{ nodes {{ localStart }} }} }}'
)


async def raw_post(gateway: Gateway, content: bytes | str) -> Any:
    return await gateway.http.post("/graphql", content=content, headers=HEADERS)


def codes(body: Any) -> list[str | None]:
    return [(e.get("extensions") or {}).get("code") for e in body["errors"]]


@pytest.mark.parametrize("opening", ["[", '{"a":'])
async def test_json_nested_100000_deep_is_a_coded_400(gateway: Gateway, opening: str) -> None:
    gateway.reset_calls()
    response = await raw_post(gateway, opening * 100_000)
    assert response.status_code == 400
    assert codes(response.json()) == ["BAD_REQUEST"]
    assert gateway.calls() == {}


async def test_deep_json_in_get_variables_is_a_coded_400(gateway: Gateway) -> None:
    params = {"query": "{ __typename }", "variables": "[" * 20_000}  # a URL holds less than 100k
    response = await gateway.http.get("/graphql", params=params, headers=HEADERS)
    assert response.status_code == 400
    assert codes(response.json()) == ["BAD_REQUEST"]


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"from": "9999-12-31T00:00:00"}, "outside the years"),
        ({"from": "0001-01-01T00:00:00"}, "outside the years"),
        ({"from": "2030-01-01T00:00:00", "to": "2100-01-01T00:00:00"}, "at most 366 days"),
        ({"from": "2030-01-01T00:00:00", "to": "2031-01-03T00:00:00"}, "at most 366 days"),
    ],
)
async def test_out_of_range_dates_are_bad_user_input_before_any_call(
    gateway: Gateway, variables: dict[str, str], message: str
) -> None:
    gateway.reset_calls()
    response = await raw_post(gateway, json.dumps({"query": SLOTS, "variables": variables}))
    body = response.json()
    assert response.status_code in (200, 400)
    assert codes(body) == ["BAD_USER_INPUT"]
    assert message in body["errors"][0]["message"]
    assert gateway.calls() == {}


async def test_a_date_literal_in_year_9999_is_bad_user_input(gateway: Gateway) -> None:
    query = '{ timeSlots(serviceId: "x", from: "9999-12-31T00:00:00") { nodes { localStart } } }'
    gateway.reset_calls()
    response = await raw_post(gateway, json.dumps({"query": query}))
    assert response.status_code == 400
    assert codes(response.json()) == ["BAD_USER_INPUT"]
    assert gateway.calls() == {}


async def test_a_lone_surrogate_in_a_contact_name_is_bad_user_input(gateway: Gateway) -> None:
    mutation = (
        "mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { __typename } }"
    )
    variables = {
        "input": {
            "serviceId": seed.SERVICE_HAIRCUT,
            "localStart": "2030-01-07T10:00:00",
            "localEnd": "2030-01-07T10:30:00",
            "contact": {"firstName": "\ud800", "email": "a@example.com"},
        }
    }
    gateway.reset_calls()
    # `json.dumps` escapes the surrogate as `\ud800`, as an attacker's client would send it.
    response = await raw_post(gateway, json.dumps({"query": mutation, "variables": variables}))
    assert response.status_code == 400
    assert codes(response.json()) == ["BAD_USER_INPUT"]
    assert "$input" in response.json()["errors"][0]["message"]
    assert gateway.calls() == {}


async def test_a_lone_surrogate_in_the_operation_name_is_bad_user_input(gateway: Gateway) -> None:
    response = await raw_post(gateway, '{"query": "{ __typename }", "operationName": "\\udfff"}')
    assert response.status_code == 400
    assert codes(response.json()) == ["BAD_USER_INPUT"]
    # The name is not a metrics label either: /metrics still encodes.
    assert (await gateway.http.get("/metrics")).status_code == 200


@pytest.mark.parametrize("as_variable", [True, False])
async def test_a_list_of_200_services_is_bad_user_input_before_any_call(
    gateway: Gateway, as_variable: bool
) -> None:
    ids = [seed.SERVICE_HAIRCUT] * 200
    if as_variable:
        query = "query($s: [ID!]!) { multiServiceTimeSlots(services: $s) { nodes { localStart } } }"
        body = {"query": query, "variables": {"s": ids}}
    else:
        listed = ", ".join(f'"{i}"' for i in ids)
        field = f"multiServiceTimeSlots(services: [{listed}])"
        body = {"query": f"{{ {field} {{ nodes {{ localStart }} }} }}"}
    gateway.reset_calls()
    response = await raw_post(gateway, json.dumps(body))
    assert response.status_code == 400
    assert codes(response.json()) == ["BAD_USER_INPUT"]
    assert "200 items" in response.json()["errors"][0]["message"]
    assert gateway.calls() == {}


async def test_variables_nested_past_the_bound_are_bad_user_input(gateway: Gateway) -> None:
    deep: Any = "x"
    for _ in range(40):
        deep = {"a": deep}
    body = {"query": "query($j: JSON) { __typename }", "variables": {"j": deep}}
    response = await raw_post(gateway, json.dumps(body))
    assert response.status_code == 400
    assert codes(response.json()) == ["BAD_USER_INPUT"]


PARSE = "{ nope"
INVALID = [
    "{ nope }",
    "{ services(first: 2147483648) { totalCount } }",
    "query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }",
]


async def test_parse_and_validation_failures_are_coded_on_post(gateway: Gateway) -> None:
    response = await raw_post(gateway, json.dumps({"query": PARSE}))
    assert response.status_code == 400
    assert codes(response.json()) == ["GRAPHQL_PARSE_FAILED"]
    for query in INVALID:
        response = await raw_post(gateway, json.dumps({"query": query}))
        assert response.status_code == 400, query
        assert set(codes(response.json())) == {"GRAPHQL_VALIDATION_FAILED"}, query


async def test_parse_and_validation_failures_are_coded_on_get(gateway: Gateway) -> None:
    for query, code in [(PARSE, "GRAPHQL_PARSE_FAILED"), (INVALID[0], "GRAPHQL_VALIDATION_FAILED")]:
        response = await gateway.http.get(
            "/graphql", params={"query": query}, headers={"accept": "application/json"}
        )
        assert response.status_code == 200  # application/json: 200 for a well-formed request
        assert codes(response.json()) == [code]


async def test_parse_and_validation_failures_are_coded_in_batches(gateway: Gateway) -> None:
    batch = [{"query": PARSE}, {"query": INVALID[2]}, {"query": "{ __typename }"}]
    response = await raw_post(gateway, json.dumps(batch))
    assert response.status_code == 200
    first, second, third = response.json()
    assert codes(first) == ["GRAPHQL_PARSE_FAILED"]
    assert codes(second) == ["GRAPHQL_VALIDATION_FAILED"]
    assert third == {"data": {"__typename": "Query"}}


async def test_validation_failures_are_coded_with_persisted_queries(gateway: Gateway) -> None:
    body = persisted(INVALID[0], send_query=True)
    response = await raw_post(gateway, json.dumps(body))
    assert response.status_code == 400
    assert codes(response.json()) == ["GRAPHQL_VALIDATION_FAILED"]


async def test_an_unknown_operation_name_is_coded(gateway: Gateway) -> None:
    body = {"query": "query A { __typename }", "operationName": "B"}
    response = await raw_post(gateway, json.dumps(body))
    assert response.status_code == 400
    assert codes(response.json()) == ["OPERATION_RESOLUTION_FAILURE"]


async def test_an_out_of_range_int_variable_is_bad_user_input(gateway: Gateway) -> None:
    body = {"query": "query($n: Int) { services(first: $n) { totalCount } }",
            "variables": {"n": 2**31}}  # fmt: skip
    gateway.reset_calls()
    response = await raw_post(gateway, json.dumps(body))
    assert response.status_code == 400
    assert codes(response.json()) == ["BAD_USER_INPUT"]
    assert gateway.calls() == {}
