"""GraphQL over HTTP: media types, status codes per the spec, GET for queries only, GraphiQL.

`application/graphql-response+json` clients get 4xx for request errors (no `data` entry);
`application/json` clients get 200 for every well-formed request, as before.
"""

from __future__ import annotations

from typing import Any

import pytest

from gateway.config import Settings
from gateway.sandbox import seed
from gateway.sandbox.state import FaultRule
from tests.graphql import Gateway, gateway
from tests.http import GRAPHQL_RESPONSE_JSON, running, total_calls

__all__ = ["gateway"]

JSON = "application/json"
YOGA = f'{{ service(id: "{seed.SERVICE_YOGA}") {{ name }} }}'
YOGA_DATA = {"service": {"name": "Vinyasa Yoga"}}
FORM = f'form(id: "{seed.FORM_MASSAGE}") {{ id }}'


async def post(
    gateway: Gateway, body: Any, accept: str | None = GRAPHQL_RESPONSE_JSON, **headers: str
) -> Any:
    if accept is not None:
        headers["accept"] = accept
    return await gateway.http.post("/graphql", json=body, headers=headers)


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        (GRAPHQL_RESPONSE_JSON, GRAPHQL_RESPONSE_JSON),
        (JSON, JSON),
        ("*/*", JSON),
        (None, JSON),
        # Apollo Client's header: prefers the new type.
        (f"{GRAPHQL_RESPONSE_JSON},{JSON};q=0.9", GRAPHQL_RESPONSE_JSON),
        (f"{JSON}, {GRAPHQL_RESPONSE_JSON};q=0.5", JSON),
        # GraphiQL's fetcher.
        (f"{JSON}, multipart/mixed", JSON),
    ],
)
async def test_the_response_media_type_follows_accept(
    gateway: Gateway, accept: str | None, media_type: str
) -> None:
    response = await post(gateway, {"query": YOGA}, accept)
    assert response.status_code == 200
    assert response.headers["content-type"] == f"{media_type}; charset=utf-8"
    assert response.json() == {"data": YOGA_DATA}


async def test_an_unacceptable_media_type_is_406_before_any_call(gateway: Gateway) -> None:
    gateway.reset_calls()
    response = await post(gateway, {"query": YOGA}, "text/plain")
    assert response.status_code == 406
    assert response.json()["errors"][0]["extensions"]["code"] == "NOT_ACCEPTABLE"
    assert total_calls(gateway) == 0


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"query": "{ service(id: "}, "Syntax Error"),
        ({"query": "{ nope }"}, "Cannot query field 'nope'"),
        (
            {"query": "query($id: ID!) { service(id: $id) { name } }", "variables": {"id": None}},
            "Variable '$id' has invalid value",
        ),
        ({"query": "query A { __typename }", "operationName": "B"}, 'Unknown operation named "B"'),
    ],
    ids=["parse", "validation", "variables", "operation name"],
)
async def test_request_errors(gateway: Gateway, body: dict[str, Any], fragment: str) -> None:
    new = await post(gateway, body, GRAPHQL_RESPONSE_JSON)
    assert new.status_code == 400
    assert "data" not in new.json()
    assert fragment in new.json()["errors"][0]["message"]
    legacy = await post(gateway, body, JSON)
    assert legacy.status_code == 200
    assert legacy.json()["data"] is None
    assert legacy.json()["errors"] == new.json()["errors"]


async def test_a_refused_operation_is_a_request_error_without_upstream_calls() -> None:
    async with running(Settings(gc_freeze=False, max_query_cost=5)) as gateway:
        gateway.reset_calls()
        expensive = {"query": "{ services(first: 10) { nodes { form { id } } } }"}
        response = await post(gateway, expensive)
        assert response.status_code == 400
        error = response.json()["errors"][0]
        assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
        assert total_calls(gateway) == 0


async def test_field_errors_keep_status_200_with_data(gateway: Gateway) -> None:
    gateway.sandbox.faults.append(FaultRule(path="/bookings/v2/services/query", status=403))
    query = f'{{ service(id: "{seed.SERVICE_YOGA}") {{ name }} {FORM} }}'
    response = await post(gateway, {"query": query})
    assert response.status_code == 200
    body = response.json()
    assert body["data"] == {"service": None, "form": {"id": seed.FORM_MASSAGE}}
    assert body["errors"][0]["path"] == ["service"]


@pytest.mark.parametrize(
    ("content", "headers", "status", "code"),
    [
        (b'{"query": ', {"content-type": JSON}, 400, "BAD_REQUEST"),
        (b"", {"content-type": JSON}, 400, "BAD_REQUEST"),
        (b'"{ __typename }"', {"content-type": JSON}, 400, "BAD_REQUEST"),
        (b'{"notquery": "{ __typename }"}', {"content-type": JSON}, 400, "BAD_REQUEST"),
        (b'{"query": 1}', {"content-type": JSON}, 400, "BAD_REQUEST"),
        (
            b'{"query": "{ __typename }", "variables": "x"}',
            {"content-type": JSON},
            400,
            "BAD_REQUEST",
        ),
        (
            b'{"query": "{ __typename }", "extensions": []}',
            {"content-type": JSON},
            400,
            "BAD_REQUEST",
        ),
        (
            b'{"query": "{ __typename }", "operationName": 0}',
            {"content-type": JSON},
            400,
            "BAD_REQUEST",
        ),
        (b'{"query": "{ __typename }"}', {}, 415, "UNSUPPORTED_MEDIA_TYPE"),
        (
            b'{"query": "{ __typename }"}',
            {"content-type": "text/plain"},
            415,
            "UNSUPPORTED_MEDIA_TYPE",
        ),
        (
            b'{"query": "{ __typename }"}',
            {"content-type": f"{JSON}; charset=latin-1"},
            415,
            "UNSUPPORTED_MEDIA_TYPE",
        ),
    ],
)
@pytest.mark.parametrize("accept", [GRAPHQL_RESPONSE_JSON, JSON])
async def test_malformed_requests_get_4xx_whatever_the_media_type(
    gateway: Gateway,
    content: bytes,
    headers: dict[str, str],
    status: int,
    code: str,
    accept: str,
) -> None:
    response = await gateway.http.post(
        "/graphql", content=content, headers={**headers, "accept": accept}
    )
    assert response.status_code == status
    assert response.headers["content-type"] == f"{accept}; charset=utf-8"
    assert response.json()["errors"][0]["extensions"]["code"] == code


async def test_utf8_in_and_out(gateway: Gateway) -> None:
    body = '{"query": "{ __type(name: \\"Run🏃Swim🏊\\") { name } }"}'.encode()
    response = await gateway.http.post(
        "/graphql", content=body, headers={"content-type": f"{JSON}; charset=utf-8"}
    )
    assert response.status_code == 200
    assert response.json() == {"data": {"__type": None}}
    query = "query($n: Int) { services(first: $n) { nodes { id } } }"
    echoed = {"query": query, "variables": {"n": "café"}}
    response = await post(gateway, echoed, JSON)
    assert "café".encode() in response.content  # UTF-8 as is, not \u escapes


async def test_get_runs_queries_with_json_variables(gateway: Gateway) -> None:
    params = {
        "query": "query($id: ID!) { service(id: $id) { name } }",
        "variables": f'{{"id": "{seed.SERVICE_YOGA}"}}',
    }
    response = await gateway.http.get(
        "/graphql", params=params, headers={"accept": GRAPHQL_RESPONSE_JSON}
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(GRAPHQL_RESPONSE_JSON)
    assert response.json() == {"data": YOGA_DATA}
    bad = await gateway.http.get("/graphql", params={**params, "variables": "{nope"})
    assert bad.status_code == 400


@pytest.mark.parametrize("accept", [GRAPHQL_RESPONSE_JSON, JSON])
async def test_mutations_over_get_are_405_and_do_nothing(gateway: Gateway, accept: str) -> None:
    gateway.reset_calls()
    mutation = 'mutation { cancelBooking(input: {bookingId: "any"}) { __typename } }'
    response = await gateway.http.get(
        "/graphql", params={"query": mutation}, headers={"accept": accept}
    )
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert response.json()["errors"][0]["extensions"]["code"] == "METHOD_NOT_ALLOWED"
    assert total_calls(gateway) == 0


async def test_other_methods_are_405(gateway: Gateway) -> None:
    response = await gateway.http.put("/graphql", json={"query": YOGA})
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, POST"


async def test_get_without_a_query(gateway: Gateway) -> None:
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    page = await gateway.http.get("/graphql", headers={"accept": browser})
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "graphiql" in page.text.lower()
    client = await gateway.http.get("/graphql", headers={"accept": GRAPHQL_RESPONSE_JSON})
    assert client.status_code == 400
    assert client.json()["errors"][0]["message"] == "The request has no `query`"
    # A browser following a link with a query gets the answer, not GraphiQL.
    linked = await gateway.http.get("/graphql", params={"query": YOGA}, headers={"accept": browser})
    assert linked.json() == {"data": YOGA_DATA}
