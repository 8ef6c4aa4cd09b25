"""Helpers for the GraphQL tests: the gateway app on its embedded sandbox, queried over ASGI.

Test modules import the `gateway` fixture from here. Upstream calls are counted from the
embedded sandbox's request log (`app.state.sandbox`), cleared with `gateway.reset_calls()`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from gateway.app import create_app
from gateway.config import Settings
from gateway.sandbox.state import Sandbox
from gateway.upstream import Upstream


@dataclass
class Gateway:
    app: Starlette
    http: httpx.AsyncClient

    @property
    def sandbox(self) -> Sandbox:
        return self.app.state.sandbox

    @property
    def upstream(self) -> Upstream:
        """The gateway's own upstream layer, to set up data in the sandbox over its REST API."""
        return Upstream(self.app.state.wix_client)

    async def post(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """The whole GraphQL response (data and errors)."""
        response = await self.http.post("/graphql", json={"query": query, "variables": variables})
        assert response.status_code == 200, response.text
        return response.json()

    async def data(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """The `data` of a response that must have no errors."""
        body = await self.post(query, variables)
        assert "errors" not in body, body["errors"]
        return body["data"]

    def reset_calls(self) -> None:
        self.sandbox.requests.clear()

    def calls(self) -> Counter[str]:
        """Upstream calls since the last reset, by route template (`POST /bookings/...`)."""
        return Counter(self.sandbox.request_log()["countsByRoute"])


@pytest.fixture
async def gateway() -> AsyncIterator[Gateway]:
    """The gateway app over a fresh embedded sandbox (no Wix credentials configured)."""
    app = create_app(Settings())
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as http:
        yield Gateway(app, http)
    await app.state.wix_client.aclose()
