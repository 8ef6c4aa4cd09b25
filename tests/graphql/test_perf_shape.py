"""`LeanExecutionContext` answers exactly as graphql-core does, with fewer calls per field.

Each query runs on the same schema twice, with Strawberry's default execution context and with
the lean one, and the whole results (data and formatted errors, paths included) must be equal:
plain values, nulls in non-null positions, errors raised by resolvers, values that do not
serialize, awaitable and exception values, list items, aliases, fragments, directives, merged
selections. The gateway's own schema is compared on a page of bookings from the sandbox.
"""

from __future__ import annotations

import asyncio
import gc
import json
import weakref
from collections.abc import Iterator
from datetime import UTC, datetime
from enum import Enum
from typing import Any

import pytest
import strawberry
from strawberry.permission import BasePermission
from strawberry.scalars import JSON
from strawberry.schema.config import StrawberryConfig
from strawberry.types.field import StrawberryField

from gateway.graphql import schema as gateway_schema
from gateway.graphql.context import Context
from gateway.graphql.execution import LeanExecutionContext
from gateway.graphql.loaders import Loaders
from gateway.http.graphql_endpoint import json_response
from gateway.upstream import Upstream
from tests.graphql import Gateway, create_bookings, gateway, next_weekday

__all__ = ["gateway"]


@strawberry.enum
class Color(Enum):
    RED = "red"
    BLUE = "blue"


class Deny(BasePermission):
    message = "not for you"

    def has_permission(self, source: Any, info: strawberry.Info, **kwargs: Any) -> bool:
        return False


class Allow(BasePermission):
    def has_permission(self, source: Any, info: strawberry.Info, **kwargs: Any) -> bool:
        return True


@strawberry.type
class Item:
    label: str


@strawberry.interface
class Labelled:
    label: str


@strawberry.type
class Tag(Labelled):
    """Implements an interface: Strawberry gives it an `is_type_of` (an `isinstance` check)."""

    weight: int = 1


class SubTag(Tag):
    """Passes `Tag`'s `is_type_of`, but is not exactly a `Tag`: graphql-core's path."""


def _shout(root: Node) -> str:
    return root.name.upper()


def _parent_id(parent: strawberry.Parent[Node], info: strawberry.Info) -> str:
    return f"{parent.id} as {info.field_name}"


@strawberry.type
class Node:
    id: strawberry.ID
    name: str
    nick: str | None
    color: Color
    count: int
    when: datetime | None
    data: JSON | None
    child: Node | None
    required_child: Node
    items: list[Item]
    maybe_items: list[Item | None] | None
    tags: list[str]
    labels: list[Tag]
    main_label: Tag | None
    shout: str = strawberry.field(resolver=_shout)
    parent_id: str = strawberry.field(resolver=_parent_id)

    @strawberry.field
    def greeting(self) -> str:
        return f"hi {self.name}"

    @strawberry.field
    def seen_at(self, info: strawberry.Info) -> list[str]:
        """What the resolver's `info` says: path, field name, parent type and context."""
        where = [str(key) for key in info.path.as_list()]
        return [*where, info.field_name, info.python_name, str(info.context["who"])]

    @strawberry.field
    async def later(self) -> str:
        await asyncio.sleep(0)
        return self.name

    @strawberry.field
    def broken(self) -> str | None:
        raise ValueError("broken")

    @strawberry.field
    def broken_required(self) -> str:
        raise ValueError("broken, required")

    @strawberry.field
    def repeated(self, times: int = 2) -> str:
        return self.name * times

    @strawberry.field(permission_classes=[Deny])
    def secret(self) -> str | None:
        return "secret"

    @strawberry.field(permission_classes=[Allow])
    def allowed(self) -> str:
        return "allowed"


def _node(id: str, **values: Any) -> Node:
    leaf = Node(
        id=strawberry.ID(f"{id}-leaf"),
        name="leaf",
        nick=None,
        color=Color.BLUE,
        count=0,
        when=None,
        data=None,
        child=None,
        required_child=None,  # type: ignore[arg-type]
        items=[],
        maybe_items=None,
        tags=[],
        labels=[],
        main_label=None,
    )
    defaults: dict[str, Any] = {
        "name": f"node {id}",
        "nick": "nick",
        "color": Color.RED,
        "count": 3,
        "when": datetime(2025, 1, 10, 15, 0, tzinfo=UTC),
        "data": {"a": [1, 2]},
        "child": leaf,
        "required_child": leaf,
        "items": [Item(label="x"), Item(label="y")],
        "maybe_items": [Item(label="z"), None],
        "tags": ["a", "b"],
        "labels": [Tag(label="l", weight=2)],
        "main_label": Tag(label="main"),
    }
    return Node(id=strawberry.ID(id), **{**defaults, **values})


def _future(value: Any) -> asyncio.Future[Any]:
    future = asyncio.get_running_loop().create_future()
    future.set_result(value)
    return future


def _nodes() -> list[Node | None]:
    """Good nodes, then nodes with values graphql-core has to refuse or await."""
    return [
        _node("1"),
        _node("2", nick=None, child=None, maybe_items=None, tags=[]),
        _node("null-name", name=None),
        _node("null-required-child", required_child=None),
        _node("null-item", items=[Item(label="x"), None]),
        _node("bad-int", count="many"),
        _node("bad-enum", color="green"),
        _node("bad-tag", tags=["a", 1.5, None]),
        _node("error-value", nick=ValueError("an exception as a value")),
        _node("awaitable", nick=_future("awaited"), child=_future(_node("inner"))),
        _node("awaitable-items", items=[_future(Item(label="later"))]),
        _node("awaitable-json", data=_future({"b": 1})),
        _node("tuple-items", items=(Item(label="t"),)),
        _node("sub-tags", labels=[SubTag(label="s"), Tag(label="t")], main_label=SubTag(label="m")),
        _node("wrong-tags", labels=[Tag(label="t"), Item(label="i")], main_label=Item(label="i")),
        None,
    ]


@strawberry.type
class Query:
    @strawberry.field
    def nodes(self) -> list[Node | None]:
        return _nodes()

    @strawberry.field
    def first(self) -> Node:
        return _node("first", name=None)

    @strawberry.field
    def node(self, id: strawberry.ID) -> Node | None:
        return next((n for n in _nodes() if n is not None and n.id == id), None)


ALL_FIELDS = """
fragment Plain on Node { id name nick color count when data tags }
query($deep: Boolean!) {
  nodes {
    ...Plain
    child { ...Plain greeting }
    requiredChild { id name }
    items { label }
    maybeItems { label }
    labels { label weight __typename }
    mainLabel { ... on Labelled { label } weight }
    greeting seenAt later broken repeated secret allowed shout parentId
    twice: repeated(times: 3)
    deep: child @include(if: $deep) { child { id } }
    skipped: name @skip(if: $deep)
    __typename
  }
}
"""

QUERIES = {
    "every kind of field": (ALL_FIELDS, {"deep": True}),
    "directives the other way": (ALL_FIELDS, {"deep": False}),
    "an error in a non-null resolver": ("{ nodes { id brokenRequired } }", {}),
    "a null non-null root field": ("{ first { id name } }", {}),
    "merged selections and aliases": (
        '{ a: node(id: "1") { child { name } child { color } x: items { label } } '
        'b: node(id: "null-item") { items { label } } c: node(id: "none") { id } }',
        {},
    ),
    "inline fragments": ("{ nodes { ... on Node { id ... { name } } } }", {}),
}


def _schemas() -> tuple[strawberry.Schema, strawberry.Schema]:
    general = strawberry.Schema(query=Query)
    lean = strawberry.Schema(query=Query, execution_context_class=LeanExecutionContext)
    return general, lean


async def _run(schema: strawberry.Schema, query: str, variables: dict[str, Any]) -> Any:
    result = await schema.execute(query, variables, context_value={"who": "tester"})
    return result.data, [error.formatted for error in result.errors or []]


@pytest.mark.parametrize("name", list(QUERIES))
async def test_results_and_errors_are_graphql_cores(name: str) -> None:
    query, variables = QUERIES[name]
    general, lean = _schemas()
    expected = await _run(general, query, variables)
    assert expected[0] is not None or expected[1]  # the query itself is valid
    assert await _run(lean, query, variables) == expected


@pytest.fixture
def field_calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The names of the fields Strawberry's own resolver wrapper runs."""
    calls: list[str] = []
    get_result = StrawberryField.get_result

    def counted(self: StrawberryField, *args: Any, **kwargs: Any) -> Any:
        calls.append(self.python_name)
        return get_result(self, *args, **kwargs)

    monkeypatch.setattr(StrawberryField, "get_result", counted)
    yield calls


async def test_only_fields_with_arguments_or_extensions_go_through_strawberry(
    field_calls: list[str],
) -> None:
    query = """{
      a: node(id: "1") {
        id name child { name } items { label } greeting shout parentId repeated allowed
        labels { label weight } mainLabel { weight }
      }
      b: node(id: "null-name") { id name }
    }"""
    general, lean = _schemas()
    await _run(general, query, {})
    assert {"id", "name", "child", "items", "label", "greeting", "shout", "weight"} <= set(
        field_calls
    )
    field_calls.clear()
    await _run(lean, query, {})
    # Resolvers with arguments or permissions still go through Strawberry, and so does a
    # field whose value graphql-core has to refuse (a null name in a non-null field). Objects
    # of a type with interfaces (`Tag`) take the short path too.
    assert sorted(field_calls) == ["allowed", "name", "node", "node", "repeated"]


async def test_resolver_middleware_turns_the_shortcuts_off(field_calls: list[str]) -> None:
    class Middleware(strawberry.extensions.SchemaExtension):
        def resolve(self, _next: Any, root: Any, info: Any, *args: Any, **kwargs: Any) -> Any:
            return _next(root, info, *args, **kwargs)

    schema = strawberry.Schema(
        query=Query, execution_context_class=LeanExecutionContext, extensions=[Middleware]
    )
    await _run(schema, "{ nodes { id greeting } }", {})
    assert field_calls.count("id") == field_calls.count("greeting") > 1


def _general_gateway_schema() -> strawberry.Schema:
    return gateway_schema.GatewaySchema(
        query=gateway_schema.Query,
        mutation=gateway_schema.Mutation,
        config=StrawberryConfig(scalar_map=gateway_schema.SCALAR_MAP),
    )


async def test_a_page_of_bookings_is_the_same_as_graphql_cores(gateway: Gateway) -> None:
    await create_bookings(gateway.upstream, 12, next_weekday(0))
    query = """
    query($first: Int) {
      bookings(first: $first) {
        edges { cursor node { id status start end participants title tags } }
        nodes {
          id status paymentStatus start revision doubleBooked contact { email }
          slot { serviceId start timeZone resource { id name } location { name type } }
          allowedActions { cancel reschedule }
          service {
            name type payment { rateType price { value } } policy { id } locations { type }
          }
          form { id fields { target label type required options { value } } }
        }
        pageInfo { hasNextPage endCursor }
      }
      missing: booking(id: "no-such-booking") { id }
    }
    """
    results = []
    for schema in (_general_gateway_schema(), gateway_schema.schema):
        upstream = Upstream(gateway.app.state.wix_client)
        context = Context(upstream=upstream, loaders=Loaders(upstream))
        result = await schema.execute(query, {"first": 12}, context_value=context)
        assert not result.errors
        results.append(result.data)
    general, lean = results
    assert lean == general
    assert lean is not None and len(lean["bookings"]["nodes"]) == 12


async def test_what_a_request_loaded_is_freed_as_soon_as_it_ends(gateway: Gateway) -> None:
    """No reference cycle keeps a request's context: its loaders, and the bookings, services
    and forms they hold, are freed when the request ends, not by the cycle collector."""
    await create_bookings(gateway.upstream, 6, next_weekday(0))
    query = "{ bookings { nodes { id allowedActions { cancel } service { name } form { id } } } }"
    gc.disable()
    try:
        upstream = Upstream(gateway.app.state.wix_client)
        context = Context(upstream=upstream, loaders=Loaders(upstream))
        result = await gateway_schema.schema.execute(query, context_value=context)
        assert not result.errors and result.data is not None
        loaders = weakref.ref(context.loaders)
        del context, result
        for _ in range(3):
            await asyncio.sleep(0)  # callbacks the event loop still holds
        assert loaders() is None
    finally:
        gc.enable()


def test_responses_orjson_refuses_are_encoded_by_json() -> None:
    body = {"data": {"choices": {"big": 2**70, 7: "seven"}, "name": "Zoë"}}
    response = json_response(body, 200, "application/json")
    assert json.loads(bytes(response.body)) == {
        "data": {"choices": {"big": 2**70, "7": "seven"}, "name": "Zoë"}
    }
    assert json_response({"name": "Zoë"}, 200, "application/json").body == '{"name":"Zoë"}'.encode()
