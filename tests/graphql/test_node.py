"""Relay's `Node`: `node(id:)` and `nodes(ids:)` find a service, booking, form or multi-service
booking by its raw Wix id (the id every other field uses), asking every kind at once through the
request's DataLoaders, and only what the caller could read through the kind's own lookup."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from gateway.clock import Clock
from gateway.config import Settings
from gateway.graphql.node_queries import KINDS, MAX_IDS
from gateway.graphql.schema import schema
from gateway.identity.visitor_fields import METADATA_KEY
from gateway.protection.cost import operation_cost
from gateway.sandbox import oauth, seed
from tests.graphql import Gateway, gateway, open_gateway
from tests.graphql.mutations import (
    GET_FORM,
    QUERY_BOOKINGS,
    QUERY_SERVICES,
    create_booking,
    sandbox_slot,
)
from tests.graphql.mutations.package_helpers import booked

__all__ = ["gateway"]

GET_PACKAGE = "GET /_api/bookings-service/v2/multi_service_bookings/{multiServiceBookingId}"
UNKNOWN = "00000000-0000-4000-8000-00000000dead"
MAYA_FORM = {"first_name": "Maya", "last_name": "Patel", "email": seed.EMAIL_MAYA}
FIELDS = """
  __typename id
  ... on Service { name }
  ... on Booking { status service { name } }
  ... on Form { fields { target } }
  ... on MultiServiceBooking { bookingIds }
"""
NODE = f"query($id: ID!) {{ node(id: $id) {{ {FIELDS} }} }}"
NODES = f"query($ids: [ID!]!) {{ nodes(ids: $ids) {{ {FIELDS} }} }}"


async def node(gateway: Gateway, id: str, **post: Any) -> Any:
    body = await gateway.post(NODE, {"id": id}, **post)
    assert "errors" not in body, body
    return body["data"]["node"]


async def test_node_finds_each_kind_by_its_raw_wix_id(gateway: Gateway) -> None:
    booking = await create_booking(gateway, sandbox_slot(), MAYA_FORM)
    package = (await booked(gateway))["multiServiceBooking"]
    found = [
        await node(gateway, id)
        for id in (seed.SERVICE_HAIRCUT, booking["id"], seed.FORM_MASSAGE, package["id"], UNKNOWN)
    ]
    assert [(n["__typename"], n["id"]) if n else None for n in found] == [
        ("Service", seed.SERVICE_HAIRCUT),
        ("Booking", booking["id"]),
        ("Form", seed.FORM_MASSAGE),
        ("MultiServiceBooking", package["id"]),
        None,
    ]
    assert found[0]["name"] == "Express Haircut"
    assert found[1]["service"] == {"name": "Express Haircut"}
    assert "pressure" in [f["target"] for f in found[2]["fields"]]
    # The same ids as everywhere else: what `node` returns is what `booking(id:)` returns.
    same = await gateway.data(
        "query($id: ID!) { booking(id: $id) { __typename id status service { name } } }",
        {"id": booking["id"]},
    )
    assert same["booking"] == {k: v for k, v in found[1].items()}


async def test_node_costs_one_call_per_kind(gateway: Gateway) -> None:
    booking = await create_booking(gateway, sandbox_slot(), MAYA_FORM)
    gateway.reset_calls()
    data = await gateway.data(
        "query($id: ID!) { node(id: $id) { __typename id } }", {"id": booking["id"]}
    )
    assert data["node"] == {"__typename": "Booking", "id": booking["id"]}
    assert gateway.calls() == {QUERY_SERVICES: 1, QUERY_BOOKINGS: 1, GET_FORM: 1, GET_PACKAGE: 1}


async def test_ids_of_one_request_are_batched(gateway: Gateway) -> None:
    """Services and bookings: one call for every id of the request; forms and packages, which
    Wix cannot read in bulk: one call per id."""
    booking = await create_booking(gateway, sandbox_slot(), MAYA_FORM)
    ids = [seed.SERVICE_HAIRCUT, seed.SERVICE_MASSAGE, booking["id"], seed.FORM_YOGA]
    gateway.reset_calls()
    data = await gateway.data(
        """query($ids: [ID!]!, $one: ID!) {
          nodes(ids: $ids) { __typename id }
          one: node(id: $one) { id }
        }""",
        {"ids": ids, "one": UNKNOWN},
    )
    assert [(n["__typename"], n["id"]) for n in data["nodes"]] == [
        ("Service", seed.SERVICE_HAIRCUT),
        ("Service", seed.SERVICE_MASSAGE),
        ("Booking", booking["id"]),
        ("Form", seed.FORM_YOGA),
    ]
    assert data["one"] is None
    assert gateway.calls() == {QUERY_SERVICES: 1, QUERY_BOOKINGS: 1, GET_FORM: 5, GET_PACKAGE: 5}


async def test_nodes_takes_at_most_a_hundred_ids(gateway: Gateway) -> None:
    body = await gateway.post(NODES, {"ids": [UNKNOWN] * (MAX_IDS + 1)})
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert gateway.calls() == {}


async def test_an_anonymous_caller_finds_no_booking(gateway: Gateway) -> None:
    """No Authorization and no visitor tokens: the gateway would read with the API key, so
    `node` looks only where the caller may look (services, forms), as `bookings` is refused."""
    booking = await create_booking(gateway, sandbox_slot(), MAYA_FORM)
    gateway.reset_calls()
    assert await node(gateway, booking["id"], anonymous=True) is None
    assert (await node(gateway, seed.FORM_YOGA, anonymous=True))["__typename"] == "Form"
    assert QUERY_BOOKINGS not in gateway.calls() and GET_PACKAGE not in gateway.calls()
    refused = await gateway.post(
        "query($id: ID!) { booking(id: $id) { id } }", {"id": booking["id"]}, anonymous=True
    )
    assert refused["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_a_member_finds_only_their_own_bookings(gateway: Gateway) -> None:
    mayas = await create_booking(gateway, sandbox_slot(), MAYA_FORM)
    tokens = {
        member: oauth.member(gateway.sandbox, member)
        for member in (seed.MEMBER_MAYA, seed.MEMBER_NOAH)
    }

    async def as_member(member: str, id: str) -> Any:
        token = tokens[member]
        assert token is not None
        response = await gateway.send(
            NODE, {"id": id}, headers={"authorization": token["access_token"]}
        )
        body = response.json()
        assert "errors" not in body, body
        return body["data"]["node"]

    assert (await as_member(seed.MEMBER_MAYA, mayas["id"]))["id"] == mayas["id"]
    assert await as_member(seed.MEMBER_NOAH, mayas["id"]) is None
    assert (await as_member(seed.MEMBER_NOAH, seed.SERVICE_YOGA))["__typename"] == "Service"


@pytest.fixture
async def visitor_gateway(clock: Clock) -> AsyncIterator[Gateway]:
    """Anonymous callers get Wix visitor tokens (the sandbox's OAuth client)."""
    settings = Settings(upstream="sandbox", wix_client_id=seed.OAUTH_CLIENT_ID)
    async with open_gateway(settings, clock) as opened:
        yield opened


async def test_a_visitor_token_finds_no_booking(visitor_gateway: Gateway) -> None:
    """Wix refuses visitors bookings (403): for `node` that kind has nothing of theirs."""
    booking = await create_booking(visitor_gateway, sandbox_slot(), MAYA_FORM)
    visitor_gateway.reset_calls()
    assert await node(visitor_gateway, booking["id"], anonymous=True) is None
    assert visitor_gateway.calls()[QUERY_BOOKINGS] == 1  # asked, as the visitor: refused
    service = await node(visitor_gateway, seed.SERVICE_MASSAGE, anonymous=True)
    assert service["name"] == "Deep Tissue Massage"


def test_node_looks_in_a_kind_for_whom_its_own_lookup_is_open() -> None:
    query = schema._schema.query_type
    assert query is not None
    for kind in KINDS:
        field = query.fields[kind.root_field]
        definition = field.extensions["strawberry-definition"]
        assert (METADATA_KEY in (definition.metadata or {})) == kind.visitor_safe, kind
        assert str(field.type).rstrip("!") == kind.type_name
    node_type = schema._schema.type_map["Node"]
    implementing = {t.name for t in schema._schema.get_possible_types(node_type)}  # type: ignore[arg-type]
    assert implementing == {kind.type_name for kind in KINDS}


def test_the_cost_of_node_counts_every_kind() -> None:
    from graphql import parse

    def cost(document: str, variables: dict[str, Any] | None = None) -> int:
        return operation_cost(schema._schema, parse(document), None, variables, 100)

    assert cost('{ node(id: "x") { id } }') == len(KINDS)
    ids = ["a", "b", "c"]
    # services and bookings once, forms and packages per id; `service` per node
    assert cost(NODES, {"ids": ids}) == 2 + len(ids) * (2 + 1)
    assert cost('{ nodes(ids: ["a", "b"]) { id } }') == 2 + 2 * 2
