"""Shared fixtures: a fresh sandbox per test, in process (ASGI) or served over HTTP (uvicorn)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from gateway.sandbox.app import build_sandbox_app
from gateway.sandbox.state import Sandbox
from tests.servers import serve

AUTH = {"Authorization": "sandbox-api-key", "wix-site-id": "sandbox-site"}


@pytest.fixture
def sandbox() -> Sandbox:
    """A freshly seeded in-memory sandbox (its clock runs in real time)."""
    return Sandbox.open(":memory:")


@pytest.fixture
async def wix(sandbox: Sandbox) -> AsyncIterator[httpx.AsyncClient]:
    """An httpx client speaking to the sandbox in process, authenticated like an API key."""
    app = build_sandbox_app(sandbox)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://sandbox", headers=AUTH) as c:
        yield c


@pytest.fixture(scope="session")
def served_sandbox_url() -> Iterator[str]:
    """One sandbox served by uvicorn on loopback for the session; tests reset it themselves."""
    with serve(build_sandbox_app(Sandbox.open(":memory:"))) as url:
        yield url


@pytest.fixture
async def wix_http(served_sandbox_url: str) -> AsyncIterator[httpx.AsyncClient]:
    """An httpx client over real HTTP to the served sandbox, reset to the demo data first."""
    async with httpx.AsyncClient(base_url=served_sandbox_url, headers=AUTH, timeout=30) as c:
        (await c.post("/_sandbox/reset")).raise_for_status()
        yield c


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """A real Redis on loopback (started for the session when `redis-server` is installed)."""
    from tests.redis_server import redis_server

    with redis_server() as url:
        if url is None:
            pytest.skip(
                "no Redis: redis-server is not installed and none answers on 127.0.0.1:6379"
            )
        yield url
