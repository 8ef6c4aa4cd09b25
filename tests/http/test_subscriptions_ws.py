"""GraphQL over WebSocket (graphql-transport-ws) at `/graphql`, with a real client against the
served gateway: the protocol, who the caller is, operations of every kind, and coded errors."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from gateway.sandbox import seed
from tests.graphql import TEST_ADMIN_KEY
from tests.http import sha256
from tests.http.subscriptions import (
    ADMIN_AUTHORIZATION,
    SECRET,
    TRACK,
    Refused,
    served,
    settings_for,
    socket,
    until,
)
from tests.servers import free_port

COUNT = "subscription Count($to: Int!) { count(to: $to) }"
CALLER = "subscription { caller }"


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    with served() as url:
        yield url


async def test_a_subscription_streams_its_events_then_completes(base: str) -> None:
    async with socket(base) as ws:
        events = await ws.run(COUNT, variables={"to": 3}, operationName="Count")
    assert events == [{"data": {"count": n}} for n in (1, 2, 3)]


async def test_queries_and_mutations_run_over_the_socket_too(base: str) -> None:
    async with socket(base) as ws:
        assert await ws.run("{ hello }", "q") == [{"data": {"hello": "world"}}]
        assert await ws.run('mutation { echo(text: "hi") }', "m") == [{"data": {"echo": "hi"}}]


async def test_ping_is_answered_with_pong(base: str) -> None:
    async with socket(base) as ws:
        await ws.send({"type": "ping"})
        assert await ws.receive() == {"type": "pong"}


async def test_operations_run_side_by_side_and_complete_stops_one(base: str) -> None:
    started, closed = TRACK.started, TRACK.closed
    async with socket(base) as ws:
        await ws.subscribe("forever", "subscription { forever }")
        first = await ws.receive()
        assert first == {"id": "forever", "type": "next", "payload": {"data": {"forever": 0}}}
        assert await ws.run(COUNT, "count", variables={"to": 2}) == [
            {"data": {"count": 1}},
            {"data": {"count": 2}},
        ]
        await ws.send({"id": "forever", "type": "complete"})
        await until(lambda: TRACK.closed == closed + 1)  # its generator's `finally` ran
        assert TRACK.started == started + 1
        assert await ws.run("{ hello }", "forever") == [{"data": {"hello": "world"}}]  # id free


async def test_closing_the_socket_closes_its_subscriptions(base: str) -> None:
    closed = TRACK.closed
    async with socket(base) as ws:
        await ws.subscribe("1", "subscription { forever }")
        await ws.receive()
    await until(lambda: TRACK.closed == closed + 1)


@pytest.mark.parametrize(
    ("init", "headers", "kind"),
    [
        (True, None, "anonymous"),
        ({"authorization": ADMIN_AUTHORIZATION}, None, "admin"),
        ({"Authorization": ADMIN_AUTHORIZATION}, None, "admin"),
        ({"authorization": "member-token-123"}, None, "wix"),
        (True, {"authorization": ADMIN_AUTHORIZATION}, "admin"),  # the upgrade request's header
        ({"authorization": "member-token-123"}, {"authorization": ADMIN_AUTHORIZATION}, "wix"),
    ],
    ids=["none", "payload", "payload-capitalised", "wix-token", "header", "payload-wins"],
)
async def test_the_caller_comes_from_the_init_payload_or_the_upgrade_headers(
    base: str, init: dict[str, str] | bool, headers: dict[str, str] | None, kind: str
) -> None:
    async with socket(base, init=init, headers=headers) as ws:
        events = await ws.run(CALLER)
        assert events[0] == {"data": {"caller": kind}}
        assert await ws.run("{ callerKind }", "2") == [{"data": {"callerKind": kind}}]


async def test_a_coded_error_of_the_event_source_reaches_the_client(base: str) -> None:
    async with socket(base) as ws:
        first, failed = await ws.run("subscription { failing }")
    assert first == {"data": {"failing": 1}}
    assert failed["data"] is None
    assert [e["extensions"]["code"] for e in failed["errors"]] == ["SOURCE_FAILED"]


async def test_a_bug_is_masked_with_a_request_id(base: str) -> None:
    async with socket(base) as ws:
        _, failed = await ws.run("subscription { broken }")
    [error] = failed["errors"]
    assert error["message"] == "Internal server error" and SECRET not in str(failed)
    assert error["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert error["extensions"]["requestId"]


DEEP = "subscription { tree { " + "child { " * 12 + "n" + " }" * 12 + " } }"


@pytest.mark.parametrize(
    ("document", "code"),
    [
        ("subscription {", "GRAPHQL_PARSE_FAILED"),
        ("subscription { nope }", "GRAPHQL_VALIDATION_FAILED"),
        (DEEP, "QUERY_TOO_DEEP"),  # the schema's protections apply on the socket too
        ("subscription { adminOnly }", "UNAUTHENTICATED"),  # visitor-safe fields only
        ("subscription A { count(to: 1) } subscription B { count(to: 1) }", None),
    ],
    ids=["syntax", "validation", "depth", "visitor-only", "no-operation-name"],
)
async def test_refused_operations_get_a_coded_error_and_the_socket_stays_open(
    base: str, document: str, code: str | None
) -> None:
    async with socket(base) as ws:
        with pytest.raises(Refused) as refused:
            await ws.run(document, operationName="C" if code is None else None)
        assert refused.value.codes == [code or "OPERATION_RESOLUTION_FAILURE"]
        assert await ws.run(COUNT, "next", variables={"to": 1}) == [{"data": {"count": 1}}]


async def test_variables_that_do_not_coerce_are_bad_user_input(base: str) -> None:
    async with socket(base) as ws:
        with pytest.raises(Refused) as refused:
            await ws.run(COUNT, variables={"to": "three"})
    assert refused.value.codes == ["BAD_USER_INPUT"]


async def test_persisted_queries_work_over_the_socket(base: str) -> None:
    query = "subscription { count(to: 2) }"
    hashed = {"persistedQuery": {"version": 1, "sha256Hash": sha256(query)}}
    async with socket(base) as ws:
        with pytest.raises(Refused) as refused:
            await ws.run(None, "1", extensions=hashed)  # type: ignore[arg-type]
        assert refused.value.codes == ["PERSISTED_QUERY_NOT_FOUND"]
        assert len(await ws.run(query, "2", extensions=hashed)) == 2
        assert len(await ws.run(None, "3", extensions=hashed)) == 2  # type: ignore[arg-type]


async def test_the_safelist_applies_to_the_socket(tmp_path: Path) -> None:
    allowed = "subscription { count(to: 1) }"
    operation = {"id": sha256(allowed), "name": "C", "type": "subscription", "body": allowed}
    manifest = tmp_path / "manifest.json"
    manifest.write_text(
        json.dumps(
            {"format": "apollo-persisted-query-manifest", "version": 1, "operations": [operation]}
        )
    )
    with served(settings_for(persisted_query_manifest=str(manifest))) as url:
        async with socket(url) as ws:
            assert await ws.run(allowed) == [{"data": {"count": 1}}]
            with pytest.raises(Refused) as refused:
                await ws.run("subscription { count(to: 2) }", "2")
    assert refused.value.codes == ["PERSISTED_QUERY_NOT_IN_LIST"]


async def test_operations_over_the_socket_are_rate_limited() -> None:
    with served(settings_for(rate_limit_per_second=0.001, rate_limit_burst=1)) as url:
        async with socket(url) as ws:
            assert await ws.run("{ hello }") == [{"data": {"hello": "world"}}]
            with pytest.raises(Refused) as refused:
                await ws.run("{ hello }", "2")
    [error] = refused.value.errors
    assert error["extensions"]["code"] == "RATE_LIMITED" and error["extensions"]["retryAfter"] > 0


async def test_an_anonymous_socket_gets_a_visitor_session_and_keeps_it() -> None:
    with served(settings_for(upstream="sandbox", wix_client_id=seed.OAUTH_CLIENT_ID)) as url:
        async with socket(url, init=False) as ws:
            ack = await ws.init()
            session = ack["payload"]["x-visitor-refresh-token"]
            [kind, scope] = await ws.run(CALLER)
            [_, same_scope] = await ws.run(CALLER, "2")  # a new context, the same visitor
        async with socket(url, init={"x-visitor-refresh-token": session}) as again:
            [_, scope_again] = await again.run(CALLER)
    assert kind == {"data": {"caller": "anonymous"}}
    assert scope == same_scope == scope_again


async def test_wix_refusing_a_visitor_session_closes_the_socket_with_a_code() -> None:
    nowhere = f"http://127.0.0.1:{free_port()}"  # nothing listens: Wix unreachable
    settings = settings_for(
        upstream="wix",
        wix_base_url=nowhere,
        wix_api_key="key",
        wix_site_id="site",
        wix_client_id="client-1",
        max_attempts=1,
    )
    with served(settings) as url:
        async with socket(url, init=False) as ws:
            await ws.send({"type": "connection_init"})
            code, reason = await ws.closed()
        async with socket(url, init={"authorization": ADMIN_AUTHORIZATION}) as admin:
            assert await admin.run("{ hello }") == [{"data": {"hello": "world"}}]
    assert code == 4503 and reason.startswith("UPSTREAM_UNAVAILABLE")


@pytest.mark.parametrize(
    ("messages", "code"),
    [
        ([{"id": "1", "type": "subscribe", "payload": {"query": "{ hello }"}}], 4401),
        ([{"type": "connection_init"}, {"type": "connection_init"}], 4429),
        ([{"type": "connection_init", "payload": "token"}], 4400),
        ([{"type": "connection_init", "payload": {"authorization": 42}}], 4400),
        ([{"type": "connection_init"}, {"type": "subscribe", "payload": {}}], 4400),
        ([{"type": "connection_init"}, ["not", "an", "object"]], 4400),
        ([{"type": "connection_init"}, {"type": "unknown"}], 4400),
        ([{"type": "connection_init"}, "not json"], 4400),
    ],
    ids=[
        "subscribe-first",
        "init-twice",
        "payload-not-object",
        "authorization-not-string",
        "subscribe-without-id",
        "array",
        "unknown-type",
        "not-json",
    ],
)
async def test_protocol_violations_close_the_socket_with_the_protocol_codes(
    base: str, messages: list[object], code: int
) -> None:
    async with socket(base, init=False) as ws:
        for message in messages:
            text = message if isinstance(message, str) else json.dumps(message)
            await ws.connection.send(text)
        assert (await ws.closed())[0] == code


async def test_a_duplicate_operation_id_closes_the_socket(base: str) -> None:
    async with socket(base) as ws:
        await ws.subscribe("1", "subscription { forever }")
        await ws.receive()
        await ws.subscribe("1", "subscription { forever }")
        assert (await ws.closed())[0] == 4409


async def test_a_binary_frame_closes_the_socket(base: str) -> None:
    async with socket(base) as ws:
        await ws.connection.send(b'{"type": "ping"}')
        assert (await ws.closed())[0] == 4400


async def test_only_graphql_transport_ws_is_spoken(base: str) -> None:
    async with socket(base, init=False, subprotocols=["graphql-ws"]) as legacy:
        assert (await legacy.closed())[0] == 4406


async def test_plain_http_upgrade_requests_still_reach_the_http_endpoint(base: str) -> None:
    """The WebSocket route sits beside the HTTP one: a POST is still GraphQL over HTTP."""
    async with httpx.AsyncClient(base_url=base) as http:
        response = await http.post(
            "/graphql",
            json={"query": "{ callerKind }"},
            headers={"authorization": f"Bearer {TEST_ADMIN_KEY}"},
        )
    assert response.json() == {"data": {"callerKind": "admin"}}
