"""GraphQL over Server-Sent Events at `/graphql` (graphql-sse, distinct connections mode), with
httpx streaming from the served gateway."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from gateway.sandbox import seed
from tests.http import persisted
from tests.http.subscriptions import (
    ADMIN_AUTHORIZATION,
    SECRET,
    SSE,
    TRACK,
    served,
    settings_for,
    sse_all,
    sse_events,
    until,
)

COUNT = "subscription Count($to: Int!) { count(to: $to) }"


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    with served(settings_for(subscription_keepalive_seconds=0.2)) as url:
        yield url


@pytest.fixture
async def http(base: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=base, headers=SSE, timeout=5) as client:
        yield client


async def test_a_subscription_streams_next_events_then_complete(http: httpx.AsyncClient) -> None:
    body = {"query": COUNT, "variables": {"to": 3}, "operationName": "Count"}
    async with http.stream("POST", "/graphql", json=body) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        assert response.headers["cache-control"] == "no-cache, no-transform"
        events = await sse_all(response)
    assert events == [*(("next", {"data": {"count": n}}) for n in (1, 2, 3)), ("complete", None)]


async def test_get_carries_the_operation_in_the_url(http: httpx.AsyncClient) -> None:
    params = {"query": COUNT, "variables": '{"to": 2}'}
    async with http.stream("GET", "/graphql", params=params) as response:
        events = await sse_all(response)
    assert [name for name, _ in events] == ["next", "next", "complete"]


@pytest.mark.parametrize(
    ("method", "document", "data"),
    [
        ("GET", "{ hello }", {"hello": "world"}),
        ("POST", "{ hello }", {"hello": "world"}),
        ("POST", 'mutation { echo(text: "hi") }', {"echo": "hi"}),
    ],
)
async def test_a_query_or_mutation_answers_one_next_then_complete(
    http: httpx.AsyncClient, method: str, document: str, data: dict[str, str]
) -> None:
    if method == "GET":
        request = http.build_request("GET", "/graphql", params={"query": document})
    else:
        request = http.build_request("POST", "/graphql", json={"query": document})
    response = await http.send(request, stream=True)
    try:
        assert await sse_all(response) == [("next", {"data": data}), ("complete", None)]
    finally:
        await response.aclose()


DEEP = "subscription { tree { " + "child { " * 12 + "n" + " }" * 12 + " } }"


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        (b"{not json", 400, "BAD_REQUEST"),
        (b'[{"query": "{ hello }"}]', 400, "BAD_REQUEST"),  # one operation per stream
        (b'{"query": "subscription {"}', 400, "GRAPHQL_PARSE_FAILED"),
        (b'{"query": "subscription { nope }"}', 400, "GRAPHQL_VALIDATION_FAILED"),
        (f'{{"query": "{DEEP}"}}'.encode(), 400, "QUERY_TOO_DEEP"),
        (b'{"query": "subscription { adminOnly }"}', 400, "UNAUTHENTICATED"),
        (b'{"query": "{ hello }", "operationName": "Nope"}', 400, "OPERATION_RESOLUTION_FAILURE"),
    ],
    ids=["json", "batch", "syntax", "validation", "depth", "visitor-only", "operation-name"],
)
async def test_request_errors_are_json_answers_before_any_stream(
    http: httpx.AsyncClient, body: bytes, status: int, code: str
) -> None:
    headers = {**SSE, "content-type": "application/json"}
    response = await http.post("/graphql", content=body, headers=headers)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/json")
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == code


async def test_a_mutation_over_get_is_refused(http: httpx.AsyncClient) -> None:
    response = await http.get("/graphql", params={"query": 'mutation { echo(text: "hi") }'})
    assert response.status_code == 405 and response.headers["allow"] == "POST"
    assert response.json()["errors"][0]["extensions"]["code"] == "METHOD_NOT_ALLOWED"


async def test_variables_that_do_not_coerce_end_the_stream_with_bad_user_input(
    http: httpx.AsyncClient,
) -> None:
    body = {"query": COUNT, "variables": {"to": "three"}}
    async with http.stream("POST", "/graphql", json=body) as response:
        [(name, payload), end] = await sse_all(response)
    assert name == "next" and "data" not in payload and end == ("complete", None)
    assert payload["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_errors_during_the_stream_are_coded_events(http: httpx.AsyncClient) -> None:
    async with http.stream("POST", "/graphql", json={"query": "subscription { failing }"}) as r:
        [first, (_, failed), end] = await sse_all(r)
    assert first == ("next", {"data": {"failing": 1}}) and end == ("complete", None)
    assert failed["errors"][0]["extensions"]["code"] == "SOURCE_FAILED"


async def test_a_bug_is_masked_with_the_request_id(http: httpx.AsyncClient) -> None:
    async with http.stream("POST", "/graphql", json={"query": "subscription { broken }"}) as r:
        request_id = r.headers["x-request-id"]
        [_, (_, failed), _] = await sse_all(r)
    [error] = failed["errors"]
    assert error["message"] == "Internal server error" and SECRET not in str(failed)
    assert error["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "requestId": request_id}


async def test_a_quiet_stream_gets_keep_alive_comments(http: httpx.AsyncClient) -> None:
    seen = []
    async with http.stream("POST", "/graphql", json={"query": "subscription { forever }"}) as r:
        async for event in sse_events(r):
            seen.append(event)
            if event[0] == "comment":
                break
    assert seen[0] == ("next", {"data": {"forever": 0}}) and seen[-1] == ("comment", "")


async def test_the_operation_stops_when_the_client_goes_away(http: httpx.AsyncClient) -> None:
    closed = TRACK.closed
    async with http.stream("POST", "/graphql", json={"query": "subscription { forever }"}) as r:
        async for event in sse_events(r):
            assert event == ("next", {"data": {"forever": 0}})
            break
    await until(lambda: TRACK.closed == closed + 1)  # its generator's `finally` ran


async def test_the_caller_comes_from_the_authorization_header(http: httpx.AsyncClient) -> None:
    headers = {**SSE, "authorization": ADMIN_AUTHORIZATION}
    body = {"query": "subscription { caller }"}
    async with http.stream("POST", "/graphql", json=body, headers=headers) as response:
        events = await sse_all(response)
    assert events[0] == ("next", {"data": {"caller": "admin"}})


async def test_an_anonymous_stream_hands_back_its_visitor_session() -> None:
    settings = settings_for(upstream="sandbox", wix_client_id=seed.OAUTH_CLIENT_ID)
    body = {"query": "subscription { caller }"}
    with served(settings) as url:
        async with httpx.AsyncClient(base_url=url, headers=SSE, timeout=5) as http:
            async with http.stream("POST", "/graphql", json=body) as response:
                session = response.headers["x-visitor-refresh-token"]
                [_, (_, scope), _] = await sse_all(response)
            again = {**SSE, "x-visitor-refresh-token": session}
            async with http.stream("POST", "/graphql", json=body, headers=again) as response:
                [_, (_, same_scope), _] = await sse_all(response)
    assert scope == same_scope


async def test_persisted_queries_work_over_sse(http: httpx.AsyncClient) -> None:
    query = "subscription { count(to: 1) }"
    miss = await http.post("/graphql", json=persisted(query))
    assert miss.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    async with http.stream("POST", "/graphql", json=persisted(query, send_query=True)) as r:
        assert len(await sse_all(r)) == 2
    async with http.stream("POST", "/graphql", json=persisted(query)) as r:
        assert await sse_all(r) == [("next", {"data": {"count": 1}}), ("complete", None)]


@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_a_subscription_asked_as_json_is_told_to_ask_for_a_stream(
    base: str, method: str
) -> None:
    async with httpx.AsyncClient(base_url=base) as http:
        if method == "GET":
            response = await http.get("/graphql", params={"query": COUNT})
        else:
            response = await http.post("/graphql", json={"query": COUNT})
    assert response.status_code == 406
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "NOT_ACCEPTABLE"
    assert "text/event-stream" in error["message"] and "WebSocket" in error["message"]
