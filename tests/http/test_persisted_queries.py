"""Persisted queries: automatic (Apollo APQ, in process or in Redis), a safelist from an Apollo
manifest, and Cache-Control on GET answers so that a CDN can keep them."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from redis.asyncio import Redis

from gateway.app import create_app
from gateway.clock import Clock
from gateway.config import Settings
from gateway.graphql.schema import schema
from gateway.http.cache_control import FIELD_READS, NO_UPSTREAM_MAX_AGE
from gateway.http.persisted_queries import REDIS_PREFIX
from gateway.protection.cost import FIELD_COSTS
from gateway.sandbox import seed
from tests.graphql import Gateway, gateway
from tests.http import GRAPHQL_RESPONSE_JSON, persisted, running, sha256, total_calls

__all__ = ["gateway"]

SERVICES = "{ services(first: 3) { nodes { id name } } }"
BOOKINGS_COUNT = "{ bookingsCount }"
HAIRCUT_SLOTS = (
    f'{{ timeSlots(serviceId: "{seed.SERVICE_HAIRCUT}", first: 2) {{ nodes {{ localStart }} }} }}'
)
MISS_CACHE_CONTROL = "private, no-cache, must-revalidate"


def unique(query: str) -> str:
    """The same operation with a text (so a hash) no other test uses: Redis outlives tests."""
    return f"{query} # {uuid.uuid4().hex}"


def get_params(body: dict[str, Any]) -> dict[str, str]:
    """A POST body as GET query parameters (JSON values as JSON text)."""
    return {k: v if isinstance(v, str) else json.dumps(v) for k, v in body.items()}


async def test_apq_miss_then_register_then_hash_alone(gateway: Gateway) -> None:
    gateway.reset_calls()
    miss = await gateway.http.post("/graphql", json=persisted(SERVICES))
    assert miss.status_code == 200  # as Apollo Server: clients then send the query
    assert miss.json() == {
        "errors": [
            {
                "message": "PersistedQueryNotFound",
                "extensions": {"code": "PERSISTED_QUERY_NOT_FOUND"},
            }
        ]
    }
    assert miss.headers["cache-control"] == MISS_CACHE_CONTROL
    assert total_calls(gateway) == 0

    registered = await gateway.http.post("/graphql", json=persisted(SERVICES, send_query=True))
    assert registered.status_code == 200
    names = [node["name"] for node in registered.json()["data"]["services"]["nodes"]]
    assert names == ["Deep Tissue Massage", "Express Haircut", "Wellness Consultation"]

    by_hash = await gateway.http.post("/graphql", json=persisted(SERVICES))
    assert by_hash.json() == registered.json()
    over_get = await gateway.http.get("/graphql", params=get_params(persisted(SERVICES)))
    assert over_get.status_code == 200
    assert over_get.json() == registered.json()


async def test_apq_over_get_also_registers(gateway: Gateway) -> None:
    params = get_params(persisted(BOOKINGS_COUNT, send_query=True))
    assert (await gateway.http.get("/graphql", params=params)).json() == {
        "data": {"bookingsCount": 0}
    }
    by_hash = await gateway.http.get("/graphql", params=get_params(persisted(BOOKINGS_COUNT)))
    assert by_hash.json() == {"data": {"bookingsCount": 0}}


async def test_a_hash_that_does_not_match_the_query_is_refused_and_not_stored(
    gateway: Gateway,
) -> None:
    body = persisted(SERVICES, send_query=True)
    body["query"] = BOOKINGS_COUNT
    response = await gateway.http.post("/graphql", json=body)
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_HASH_MISMATCH"
    again = await gateway.http.post("/graphql", json=persisted(SERVICES))
    assert again.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"


async def test_an_invalid_document_is_not_stored(gateway: Gateway) -> None:
    invalid = "{ nope }"
    first = await gateway.http.post("/graphql", json=persisted(invalid, send_query=True))
    assert "Cannot query field 'nope'" in first.json()["errors"][0]["message"]
    again = await gateway.http.post("/graphql", json=persisted(invalid))
    assert again.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"


@pytest.mark.parametrize(
    "persisted_query",
    [{"version": 2, "sha256Hash": "abc"}, {"version": 1}, "abc", {"version": 1, "sha256Hash": 7}],
)
async def test_malformed_persisted_query_extensions_are_bad_requests(
    gateway: Gateway, persisted_query: Any
) -> None:
    body = {"extensions": {"persistedQuery": persisted_query}}
    response = await gateway.http.post("/graphql", json=body)
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


async def test_a_persisted_mutation_is_refused_over_get(gateway: Gateway) -> None:
    mutation = 'mutation { cancelBooking(input: {bookingId: "b"}) { __typename } }'
    await gateway.http.post("/graphql", json=persisted(mutation, send_query=True))
    gateway.reset_calls()
    response = await gateway.http.get("/graphql", params=get_params(persisted(mutation)))
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert total_calls(gateway) == 0


async def test_apq_switched_off_answers_not_supported() -> None:
    async with running(Settings(gc_freeze=False, persisted_queries=False)) as gateway:
        response = await gateway.http.post("/graphql", json=persisted(SERVICES, send_query=True))
        assert response.status_code == 200
        error = response.json()["errors"][0]
        assert error == {
            "message": "PersistedQueryNotSupported",
            "extensions": {"code": "PERSISTED_QUERY_NOT_SUPPORTED"},
        }
        assert (await gateway.http.post("/graphql", json={"query": BOOKINGS_COUNT})).json() == {
            "data": {"bookingsCount": 0}
        }


async def test_replicas_share_persisted_queries_through_redis(redis_url: str) -> None:
    query = unique(SERVICES)
    settings = Settings(gc_freeze=False, redis_url=redis_url)
    async with running(settings) as first, running(settings) as second:
        miss = await second.http.post("/graphql", json=persisted(query))
        assert miss.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
        registered = await first.http.post("/graphql", json=persisted(query, send_query=True))
        assert registered.json()["data"]["services"]["nodes"]
        by_hash = await second.http.post("/graphql", json=persisted(query))
        assert by_hash.json() == registered.json()
    redis = Redis.from_url(redis_url)
    try:
        assert await redis.get(REDIS_PREFIX + sha256(query)) == query.encode()
        assert await redis.ttl(REDIS_PREFIX + sha256(query)) > 0  # kept for a while, not forever
    finally:
        await redis.aclose()


# Safelist ------------------------------------------------------------------------------------

LISTED = "query Services { services(first: 2) { nodes { name } } }"


def manifest(tmp_path: Path, *bodies: str) -> Path:
    path = tmp_path / "persisted-query-manifest.json"
    operations = [
        {"id": sha256(body), "name": f"Op{i}", "type": "query", "body": body}
        for i, body in enumerate(bodies)
    ]
    document = {"format": "apollo-persisted-query-manifest", "version": 1, "operations": operations}
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


async def test_safelist_runs_only_listed_operations(tmp_path: Path) -> None:
    settings = Settings(gc_freeze=False, persisted_query_manifest=str(manifest(tmp_path, LISTED)))
    async with running(settings) as gateway:
        by_id = await gateway.http.post("/graphql", json=persisted(LISTED))
        assert by_id.json() == {
            "data": {
                "services": {
                    "nodes": [{"name": "Deep Tissue Massage"}, {"name": "Express Haircut"}]
                }
            }
        }
        by_text = await gateway.http.post("/graphql", json={"query": LISTED})
        assert by_text.json() == by_id.json()

        gateway.reset_calls()
        unknown_id = await gateway.http.post("/graphql", json=persisted(BOOKINGS_COUNT))
        assert unknown_id.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
        for body in ({"query": BOOKINGS_COUNT}, persisted(BOOKINGS_COUNT, send_query=True)):
            refused = await gateway.http.post("/graphql", json=body)
            assert refused.status_code == 400
            code = refused.json()["errors"][0]["extensions"]["code"]
            assert code == "PERSISTED_QUERY_NOT_IN_LIST"
        assert total_calls(gateway) == 0
        # Nothing was registered on the way.
        still_unknown = await gateway.http.post("/graphql", json=persisted(BOOKINGS_COUNT))
        code = still_unknown.json()["errors"][0]["extensions"]["code"]
        assert code == "PERSISTED_QUERY_NOT_FOUND"


@pytest.mark.parametrize(
    "content",
    [
        "not json",
        '{"format": "something-else", "version": 1, "operations": []}',
        '{"format": "apollo-persisted-query-manifest", "version": 2, "operations": []}',
        '{"format": "apollo-persisted-query-manifest", "version": 1, "operations": [{"id": 1}]}',
    ],
)
def test_a_malformed_manifest_stops_start_up(tmp_path: Path, content: str, clock: Clock) -> None:
    path = tmp_path / "manifest.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match="manifest"):
        create_app(Settings(gc_freeze=False, persisted_query_manifest=str(path)), clock)


def test_a_missing_manifest_stops_start_up(tmp_path: Path, clock: Clock) -> None:
    with pytest.raises(ValueError, match="manifest"):
        create_app(Settings(persisted_query_manifest=str(tmp_path / "missing.json")), clock)


# Cache-Control on GET ------------------------------------------------------------------------


async def cache_control(
    http: httpx.AsyncClient, query: str, headers: dict[str, str] | None = None
) -> str:
    """The Cache-Control of a GET sent with `headers`, or anonymously (no Authorization)."""
    params = get_params(persisted(query, send_query=True))
    request = http.build_request("GET", "/graphql", params=params, headers=headers)
    if headers is None:
        del request.headers["authorization"]
    response = await http.send(request)
    assert response.status_code == 200, response.text
    assert response.headers["vary"] == "Accept, Authorization"
    return response.headers["cache-control"]


async def test_get_answers_are_cached_as_long_as_their_shortest_lived_data(
    gateway: Gateway,
) -> None:
    http = gateway.http
    # Services are cached 60 s by default, forms 300 s, site properties 3600 s.
    assert await cache_control(http, SERVICES) == "public, max-age=60"
    assert await cache_control(http, f'{{ form(id: "{seed.FORM_MASSAGE}") {{ id }} }}') == (
        "public, max-age=300"
    )
    with_form = "{ services(first: 2) { nodes { form { id } } } }"
    assert await cache_control(http, with_form) == "public, max-age=60"
    fragment = "query { ...Q } fragment Q on Query { services(first: 1) { nodes { id } } }"
    assert await cache_control(http, fragment) == "public, max-age=60"
    assert await cache_control(http, "{ __typename }") == f"public, max-age={NO_UPSTREAM_MAX_AGE}"


async def test_bookings_availability_and_callers_own_answers(gateway: Gateway) -> None:
    http = gateway.http
    assert await cache_control(http, BOOKINGS_COUNT) == "no-store"  # bookings: never
    assert await cache_control(http, HAIRCUT_SLOTS) == "no-store"  # availability: off by default
    mixed = "{ services(first: 1) { nodes { id } } bookingsCount }"
    assert await cache_control(http, mixed) == "no-store"
    own = {"Authorization": "a-member-token"}
    assert await cache_control(http, SERVICES, own) == "private, max-age=60"


async def test_availability_is_kept_only_as_long_as_configured() -> None:
    settings = Settings(gc_freeze=False, cache_availability_seconds=5)
    async with running(settings) as gateway:
        assert await cache_control(gateway.http, HAIRCUT_SLOTS) == "public, max-age=5"
    async with running(Settings(gc_freeze=False, cache_services_seconds=0)) as gateway:
        assert await cache_control(gateway.http, SERVICES) == "no-store"


async def test_errors_and_misses_are_not_stored(gateway: Gateway) -> None:
    response = await gateway.http.get(
        "/graphql", params={"query": "{ nope }"}, headers={"accept": GRAPHQL_RESPONSE_JSON}
    )
    assert response.status_code == 400
    assert response.headers["cache-control"] == "no-store"
    miss = await gateway.http.get("/graphql", params=get_params(persisted(unique(SERVICES))))
    assert miss.headers["cache-control"] == MISS_CACHE_CONTROL
    posted = await gateway.http.post("/graphql", json={"query": SERVICES})
    assert "cache-control" not in posted.headers  # POST answers are not cacheable anyway


def test_the_cache_table_names_real_upstream_backed_fields() -> None:
    """Every field of `FIELD_READS` exists and is in the cost table (upstream-backed), so a
    renamed field cannot silently leave the table."""
    graphql_schema = schema._schema
    for coordinate in FIELD_READS:
        type_name, field_name = coordinate.split(".")
        graphql_type = graphql_schema.get_type(type_name)
        assert field_name in getattr(graphql_type, "fields", {}), coordinate
        assert coordinate in FIELD_COSTS, coordinate
