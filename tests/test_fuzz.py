"""Bounded, deterministic fuzzing: the sandbox's Wix paths (schemathesis, from the sandbox's own
OpenAPI document) and the gateway's schema (hypothesis-graphql), both in process over ASGI.

Neither may answer 5xx; every gateway error must carry an `extensions.code` other than
`INTERNAL_SERVER_ERROR`. `derandomize` makes each run draw the same examples, so CI cannot flake.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import hypothesis_graphql
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import nodes
from schemathesis.generation import GenerationMode

from gateway.graphql.schema import schema as gateway_schema
from gateway.observability.responses import INTERNAL_SERVER_ERROR
from gateway.sandbox import seed
from gateway.sandbox.app import build_sandbox_app
from gateway.sandbox.state import Sandbox
from tests.http import GRAPHQL_RESPONSE_JSON, running

BOUNDS = settings(
    max_examples=600,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
AUTH = {"Authorization": "sandbox-api-key"}

# -- strategies of hostile values -------------------------------------------------------------

# Dates at and past the edges `datetime` and the bounds can take, well-formed or not.
DATES = st.sampled_from(
    [
        "0001-01-01T00:00:00",
        "9999-12-31T23:59:59",
        "1969-12-31T23:59:59",
        "2101-01-01T00:00:00",
        "2030-02-30T10:00:00",
        "2030-01-07T10:00:00",
        "2030-01-07T10:00:00Z",
        "2030-01-07T10:00:00.000+14:00",
        "0001-01-01T00:00:00-12:00",
        "9999-12-31T23:59:59+00:00",
        "",
        "not a date",
    ]
)
TEXT = st.one_of(
    st.text(max_size=20), st.text(max_size=20), st.sampled_from(["\ud800", "\x00", "é" * 3])
)
IDS = st.sampled_from([seed.SERVICE_HAIRCUT, seed.SERVICE_YOGA, seed.SERVICE_MASSAGE, "x"])
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False),
    TEXT,
    DATES,
    IDS,
)
# The request fields the sandbox's handlers read; random keys alone would rarely reach them.
WIX_FIELDS = [
    "serviceId",
    "serviceIds",
    "localStartDate",
    "localEndDate",
    "fromLocalDate",
    "toLocalDate",
    "timeZone",
    "cursorPaging",
    "limit",
    "cursor",
    "query",
    "filter",
    "paging",
    "booking",
    "bookedEntity",
    "slot",
    "startDate",
    "endDate",
    "contactDetails",
    "firstName",
    "formSubmission",
    "revision",
    "services",
    "location",
    "eventId",
    "bookingIds",
    "participantNotification",
    "maxSlotsPerDay",
    "minBookableCapacity",
]
JSON_VALUES = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(WIX_FIELDS), children, max_size=5)
    ),
    max_leaves=12,
)
ZONES = st.sampled_from(["Europe/London", "UTC", "Mars/Olympus", "\ud800"])


def _field_values(field: str) -> st.SearchStrategy[Any]:
    """Values of the type a field usually has (so a body gets past the first check), or any."""
    if field.endswith("Date"):
        typed: st.SearchStrategy[Any] = DATES
    elif field.endswith("Id"):
        typed = IDS
    elif field == "timeZone":
        typed = ZONES
    else:
        return JSON_VALUES
    return st.one_of(typed, typed, JSON_VALUES)


# Each field present or not: a body often has several of the fields one handler reads.
WIX_BODIES = st.fixed_dictionaries({}, optional={f: _field_values(f) for f in WIX_FIELDS})


# -- drawing: hypothesis generates, then the requests are sent over async ASGI -----------------


def draw_all(strategy: st.SearchStrategy[Any]) -> list[Any]:
    """`max_examples` values of `strategy`, the same on every run. Sending them afterwards over
    httpx's ASGI transport is ~100x faster than a synchronous test client in the loop."""
    drawn: list[Any] = []

    @BOUNDS
    @given(strategy)
    def collect(value: Any) -> None:
        drawn.append(value)

    collect()
    return drawn


# -- the sandbox ------------------------------------------------------------------------------


def _wix_requests(app: Any) -> st.SearchStrategy[dict[str, Any]]:
    """Requests to every Wix path of the sandbox's OpenAPI document (valid and invalid ones
    from schemathesis); half the bodies carry the fields handlers read, with hostile values."""
    api = schemathesis.openapi.from_asgi("/_sandbox/openapi.json", app)
    operations = [result.ok() for result in api.get_all_operations()]
    assert len(operations) > 50  # every Wix path, aliases included
    modes = st.sampled_from([GenerationMode.POSITIVE, GenerationMode.NEGATIVE])

    @st.composite
    def requests(draw: st.DrawFn) -> dict[str, Any]:
        operation = draw(st.sampled_from(operations))
        case = draw(operation.as_strategy(generation_mode=draw(modes)))
        sent = case.as_transport_kwargs(base_url="http://sandbox")
        body = sent.get("json")
        if operation.method.upper() != "GET" and draw(st.booleans()):
            body = draw(WIX_BODIES)
        return {
            "method": sent["method"],
            "url": sent["url"],
            "params": sent.get("params") or None,
            "headers": {**sent["headers"], **AUTH},
            # ASCII escapes: a lone surrogate must reach the sandbox as `\ud800`.
            "content": None if body is None else json.dumps(body),
        }

    return requests()


async def test_the_sandbox_answers_no_5xx_to_any_request() -> None:
    app = build_sandbox_app(Sandbox.open(":memory:"))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://sandbox") as client:
        for request in draw_all(_wix_requests(app)):
            response = await client.request(**request)
            assert response.status_code < 500, (request, response.text)
            if response.status_code >= 400:
                assert "message" in response.json(), response.text  # Wix's envelope


# -- the gateway ------------------------------------------------------------------------------


def _literal(strategy: st.SearchStrategy[str]) -> st.SearchStrategy[Any]:
    return strategy.map(nodes.String)


GATEWAY_SCALARS = {
    "DateTime": _literal(DATES),
    "LocalDateTime": _literal(DATES),
    "TimeZone": _literal(st.sampled_from(["Europe/London", "UTC", "Mars/Olympus", ""])),
    "JSON": _literal(st.text(max_size=10)),
}


def _operations() -> st.SearchStrategy[dict[str, Any]]:
    """Queries and mutations over the whole schema, valid and invalid (hypothesis-graphql),
    with hostile variables alongside."""
    documents = st.one_of(
        *(
            hypothesis_graphql.from_schema(
                gateway_schema._schema, custom_scalars=GATEWAY_SCALARS, mode=mode, allow_x00=False
            )
            for mode in (hypothesis_graphql.Mode.POSITIVE, hypothesis_graphql.Mode.NEGATIVE)
        )
    )
    variables = st.dictionaries(st.sampled_from(["s", "id"]), JSON_VALUES, max_size=2)
    return st.fixed_dictionaries({"query": documents, "variables": variables})


async def test_the_gateway_codes_every_error_of_generated_operations() -> None:
    headers = {"accept": GRAPHQL_RESPONSE_JSON, "content-type": "application/json"}
    async with running() as gateway:
        for operation in draw_all(_operations()):
            response = await gateway.http.post(
                "/graphql", content=json.dumps(operation), headers=headers
            )
            assert response.status_code < 500, (operation, response.text)
            for error in response.json().get("errors") or []:
                code = (error.get("extensions") or {}).get("code")
                assert code and code != INTERNAL_SERVER_ERROR, (operation, error)
