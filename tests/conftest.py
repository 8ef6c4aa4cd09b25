"""Shared fixtures: the frozen clock, a fresh sandbox per test, in process (ASGI) or served over
HTTP (uvicorn).

Time is given, never read: every test starts at `FROZEN_AT` on a frozen `Clock`, and the sandbox
is seeded relative to it. Tests about time (DST, booking windows, TTLs) set the instant they need
on that clock (`clock.set(...)` / `clock.advance(...)`, or `/_sandbox/clock` over HTTP).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from gateway.clock import Clock
from gateway.sandbox.app import build_sandbox_app
from gateway.sandbox.state import Sandbox
from tests.frozen import FROZEN_AT, FROZEN_AT_WIRE
from tests.servers import serve

AUTH = {"Authorization": "sandbox-api-key", "wix-site-id": "sandbox-site"}


@pytest.fixture(autouse=True)
def clock() -> Clock:
    """The business clock of this test, frozen at `FROZEN_AT`; the `sandbox` and `gateway`
    fixtures share it. Autouse, so it exists (frozen) for every test that asks for it later."""
    return Clock(frozen_at=FROZEN_AT)


@pytest.fixture
def sandbox(clock: Clock) -> Sandbox:
    """A freshly seeded in-memory sandbox on the test's frozen clock."""
    return Sandbox.open(":memory:", clock)


@pytest.fixture
async def wix(sandbox: Sandbox) -> AsyncIterator[httpx.AsyncClient]:
    """An httpx client speaking to the sandbox in process, authenticated like an API key."""
    app = build_sandbox_app(sandbox)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://sandbox", headers=AUTH) as c:
        yield c


@pytest.fixture(scope="session")
def served_sandbox_url() -> Iterator[str]:
    """One sandbox served by uvicorn on loopback for the session (its own clock, frozen at
    `FROZEN_AT`); tests reset it themselves."""
    with serve(build_sandbox_app(Sandbox.open(":memory:", Clock(frozen_at=FROZEN_AT)))) as url:
        yield url


@pytest.fixture
async def wix_http(served_sandbox_url: str) -> AsyncIterator[httpx.AsyncClient]:
    """An httpx client over real HTTP to the served sandbox, its clock frozen at `FROZEN_AT` and
    the demo data reset relative to it."""
    async with httpx.AsyncClient(base_url=served_sandbox_url, headers=AUTH, timeout=30) as c:
        frozen = {"now": FROZEN_AT_WIRE, "frozen": True}
        (await c.post("/_sandbox/clock", json=frozen)).raise_for_status()
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
