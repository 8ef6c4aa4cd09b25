"""Depth, alias, token, cost and page-size limits and the introspection switch: each refusal has
its own code and is decided before execution, so the sandbox sees no upstream call at all."""

from __future__ import annotations

import pytest

from gateway.graphql.schema import schema
from gateway.protection.cost import DEFAULT_MUTATION_COST, FIELD_COSTS
from gateway.sandbox import seed
from tests.protection import error_of, gateway_app, graphql

PAGE_OF_BOOKINGS = """
query MyBookings($first: Int) {
  bookings(first: $first) {
    nodes { id service { name } form { id } allowedActions { cancel } }
  }
}
"""

HAIRCUT_SLOTS_200 = (
    f'{{ timeSlots(serviceId: "{seed.SERVICE_HAIRCUT}", first: 200) {{ nodes {{ start }} }} }}'
)

YOGA_SLOTS_500 = (
    f'{{ service(id: "{seed.SERVICE_YOGA}") {{ timeSlots(first: 500) {{ nodes {{ start }} }} }} }}'
)


def nested_bookings(levels: int) -> str:
    """A depth bomb: booking -> multi-service booking -> bookings -> ... `levels` times."""
    inner = "id"
    for _ in range(levels):
        inner = f"multiServiceBooking {{ bookings {{ {inner} }} }}"
    return f'{{ booking(id: "b") {{ {inner} }} }}'


async def test_a_query_over_the_cost_limit_is_refused_with_its_cost_and_no_call() -> None:
    async with gateway_app(max_query_cost=300) as gateway:
        response = await graphql(gateway, PAGE_OF_BOOKINGS, {"first": 100})
        error = error_of(response)
        # One page (1) plus three lookups for each of 100 bookings.
        assert error["extensions"] == {"code": "QUERY_TOO_COMPLEX", "cost": 301, "maxCost": 300}
        assert gateway.calls() == {}

        allowed = await graphql(gateway, PAGE_OF_BOOKINGS, {"first": 99})
        assert "errors" not in allowed.json(), allowed.json()
        assert gateway.calls()["POST /_api/bookings-reader/v2/extended-bookings/query"] == 1


async def test_nested_lists_multiply_and_the_default_limit_stops_them() -> None:
    query = "{ services { nodes { timeSlots(first: 50) { nodes { service { name } } } } } }"
    async with gateway_app() as gateway:
        error = error_of(await graphql(gateway, query))
        # 100 services (the default page) x (1 slot list + 50 slots x 1 service lookup) + 1.
        assert error["extensions"] == {"code": "QUERY_TOO_COMPLEX", "cost": 5101, "maxCost": 1000}
        assert gateway.calls() == {}


@pytest.mark.parametrize(
    ("query", "variables", "cost"),
    [
        # `first` omitted: the resolver's default page (50 bookings, 100 services).
        ("{ bookings { nodes { service { name } } } }", None, 51),
        ("{ services { nodes { form { id } policy { id } } } }", None, 201),
        # A variable, and a variable's default value.
        ("query($n: Int) { bookings(first: $n) { nodes { form { id } } } }", {"n": 80}, 81),
        ("query($n: Int = 70) { bookings(first: $n) { nodes { form { id } } } }", None, 71),
        # Fragments (named and inline) count where they are spread.
        (
            "query { bookings(first: 40) { nodes { ...B } } } "
            "fragment B on Booking { service { name } ... on Booking { form { id } } }",
            None,
            81,
        ),
        # Plain data costs nothing; two root lookups cost one each.
        ('{ a: service(id: "x") { name } b: form(id: "y") { id } }', None, 2),
    ],
)
async def test_the_cost_follows_the_model(
    query: str, variables: dict[str, int] | None, cost: int
) -> None:
    async with gateway_app(max_query_cost=1) as gateway:
        error = error_of(await graphql(gateway, query, variables))
        assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
        assert error["extensions"]["cost"] == cost
        assert gateway.calls() == {}


async def test_a_depth_bomb_is_refused_before_any_call() -> None:
    async with gateway_app() as gateway:
        error = error_of(await graphql(gateway, nested_bookings(10)))
        assert error["extensions"]["code"] == "QUERY_TOO_DEEP"
        assert error["extensions"]["maxDepth"] == 10
        assert error["extensions"]["depth"] > 10
        assert gateway.calls() == {}


async def test_depth_through_fragments_counts_and_a_shallow_query_runs() -> None:
    deep = (
        'query { booking(id: "b") { ...M } } '
        "fragment M on Booking { multiServiceBooking { bookings { ...N } } } "
        "fragment N on Booking { multiServiceBooking { bookings { id } } }"
    )
    async with gateway_app(max_query_depth=5) as gateway:
        error = error_of(await graphql(gateway, deep))
        assert error["extensions"] == {"code": "QUERY_TOO_DEEP", "depth": 6, "maxDepth": 5}
        assert gateway.calls() == {}

        body = await graphql(gateway, f'{{ service(id: "{seed.SERVICE_MASSAGE}") {{ name }} }}')
        assert body.json()["data"] == {"service": {"name": "Deep Tissue Massage"}}


async def test_an_alias_bomb_is_refused_before_any_call() -> None:
    aliases = " ".join(f'a{i}: service(id: "{seed.SERVICE_MASSAGE}") {{ id }}' for i in range(31))
    async with gateway_app() as gateway:
        error = error_of(await graphql(gateway, f"{{ {aliases} }}"))
        assert error["extensions"] == {"code": "TOO_MANY_ALIASES", "aliases": 31, "maxAliases": 30}
        assert gateway.calls() == {}


async def test_a_huge_document_is_refused_before_parsing() -> None:
    fields = " ".join(["id"] * 2500)
    async with gateway_app() as gateway:
        error = error_of(await graphql(gateway, f"{{ services {{ nodes {{ {fields} }} }} }}"))
        assert error["extensions"] == {"code": "TOO_MANY_TOKENS", "maxTokens": 2000}
        assert gateway.calls() == {}


@pytest.mark.parametrize(
    ("query", "variables"),
    [
        ("query($n: Int) { bookings(first: $n) { nodes { id } } }", {"n": 101}),
        (HAIRCUT_SLOTS_200, None),
        (YOGA_SLOTS_500, None),
    ],
)
async def test_a_page_above_the_maximum_is_bad_user_input(
    query: str, variables: dict[str, int] | None
) -> None:
    async with gateway_app() as gateway:
        error = error_of(await graphql(gateway, query, variables))
        assert error["extensions"] == {"code": "BAD_USER_INPUT", "argument": "first"}
        assert "at most 100" in error["message"]
        assert gateway.calls() == {}


async def test_the_maximum_page_size_is_configurable() -> None:
    query = (
        f'{{ timeSlots(serviceId: "{seed.SERVICE_HAIRCUT}", first: 200) {{ nodes {{ start }} }} }}'
    )
    async with gateway_app(max_page_size=500) as gateway:
        body = (await graphql(gateway, query)).json()
        assert "errors" not in body, body
        assert gateway.calls()["POST /_api/service-availability/v2/time-slots"] >= 1


async def test_introspection_can_be_switched_off() -> None:
    introspection = "{ __schema { queryType { name } } }"
    async with gateway_app(introspection=False) as gateway:
        error = error_of(await graphql(gateway, introspection))
        assert error["extensions"] == {"code": "INTROSPECTION_DISABLED"}
        type_query = error_of(await graphql(gateway, '{ __type(name: "Booking") { name } }'))
        assert type_query["extensions"] == {"code": "INTROSPECTION_DISABLED"}
        # `__typename` is not introspection of the schema.
        assert (await graphql(gateway, "{ __typename }")).json()["data"] == {"__typename": "Query"}
    async with gateway_app() as gateway:
        body = (await graphql(gateway, introspection)).json()
        assert body["data"] == {"__schema": {"queryType": {"name": "Query"}}}


async def test_a_query_within_every_limit_runs_normally() -> None:
    async with gateway_app() as gateway:
        body = (await graphql(gateway, PAGE_OF_BOOKINGS, {"first": 100})).json()
        assert body == {"data": {"bookings": {"nodes": []}}}


def test_every_root_field_has_a_cost() -> None:
    """A new root query field must be added to the cost table (mutations have a default)."""
    root = schema._schema.query_type
    assert root is not None
    assert [name for name in root.fields if f"Query.{name}" not in FIELD_COSTS] == []
    assert DEFAULT_MUTATION_COST > 1
