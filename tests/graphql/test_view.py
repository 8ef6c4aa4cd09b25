"""The `/graphql` endpoint: GraphiQL for browsers, queries over GET, POST."""

from __future__ import annotations

import json

from gateway.sandbox import seed
from tests.graphql import Gateway, gateway

__all__ = ["gateway"]


async def test_browsers_get_graphiql(gateway: Gateway) -> None:
    response = await gateway.http.get("/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "graphiql" in response.text.lower()


async def test_queries_over_get(gateway: Gateway) -> None:
    query = "query($id: ID!) { service(id: $id) { name } }"
    variables = json.dumps({"id": seed.SERVICE_YOGA})
    response = await gateway.http.get("/graphql", params={"query": query, "variables": variables})
    assert response.status_code == 200
    assert response.json() == {"data": {"service": {"name": "Vinyasa Yoga"}}}


async def test_mutations_are_refused_over_get(gateway: Gateway) -> None:
    response = await gateway.http.get("/graphql", params={"query": "mutation { __typename }"})
    assert response.status_code == 405  # GraphQL over HTTP: Method Not Allowed
    assert response.headers["allow"] == "POST"
