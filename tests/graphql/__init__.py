"""Helpers for the GraphQL tests: the gateway app on its embedded sandbox, queried over ASGI.

Test modules import the `gateway` fixture from here. Upstream calls are counted from the
embedded sandbox's request log (`app.state.sandbox`), cleared with `gateway.reset_calls()`.
Requests carry the tests' admin key (`ADMIN`) unless a test asks for an anonymous caller
(`gateway.post(..., anonymous=True)`) or sends its own `Authorization`.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from starlette.applications import Starlette

from gateway.app import create_app
from gateway.clock import Clock
from gateway.config import Settings
from gateway.sandbox import seed
from gateway.sandbox.state import Sandbox
from gateway.upstream import Upstream
from tests.frozen import FROZEN_AT

TEST_ADMIN_KEY = "test-admin-key"
ADMIN = {"authorization": f"Bearer {TEST_ADMIN_KEY}"}

# Three services with three distinct booking forms, and what each form requires.
BOOKED_SERVICES = {
    seed.SERVICE_MASSAGE: {"phone": "+44 20 7946 0101", "pressure": "medium"},  # massage form
    seed.SERVICE_HAIRCUT: {},  # the default form
    seed.SERVICE_YOGA: {"experience": "beginner"},  # yoga form (a class)
}
CUSTOMERS = 5


@dataclass
class Gateway:
    app: Starlette
    http: httpx.AsyncClient

    @property
    def sandbox(self) -> Sandbox:
        return self.app.state.sandbox

    @property
    def clock(self) -> Clock:
        """The business clock the gateway and its embedded sandbox share (frozen in tests)."""
        return self.app.state.clock

    @property
    def upstream(self) -> Upstream:
        """The gateway's own upstream layer, to set up data in the sandbox over its REST API."""
        return Upstream(self.app.state.wix_client)

    async def send(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        anonymous: bool = False,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        """POST one operation as the admin or, with `anonymous`, with no Authorization but the
        one `headers` may give; the HTTP response, whatever its status."""
        body = {"query": query, "variables": variables}
        request = self.http.build_request("POST", "/graphql", json=body)
        if anonymous:
            del request.headers["authorization"]
        request.headers.update(headers or {})
        return await self.http.send(request)

    async def post(
        self, query: str, variables: dict[str, Any] | None = None, *, anonymous: bool = False
    ) -> dict[str, Any]:
        """The whole GraphQL response (data and errors), as the admin or anonymous."""
        response = await self.send(query, variables, anonymous=anonymous)
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


@asynccontextmanager
async def open_gateway(
    settings: Settings, clock: Clock, headers: dict[str, str] | None = None
) -> AsyncIterator[Gateway]:
    """The gateway app on `settings` (plus the tests' admin key) over ASGI; its client sends
    `ADMIN` and `headers` with every request."""
    if not settings.admin_keys:
        settings = dataclasses.replace(settings, admin_keys=TEST_ADMIN_KEY)
    app = create_app(settings, clock)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://gateway", headers={**ADMIN, **(headers or {})}
    ) as http:
        yield Gateway(app, http)
    await app.state.wix_client.aclose()


@pytest.fixture
async def gateway(clock: Clock) -> AsyncIterator[Gateway]:
    """The gateway app over a fresh embedded sandbox (no Wix credentials configured), both on the
    test's frozen clock."""
    async with open_gateway(Settings(), clock) as opened:
        yield opened


def local_today() -> date:
    """The frozen test clock's date in the site zone (tests start at `FROZEN_AT`)."""
    return FROZEN_AT.astimezone(ZoneInfo(seed.TIME_ZONE)).date()


def next_weekday(weekday: int, weeks_ahead: int = 1) -> date:
    """A date `weeks_ahead` weeks after the test clock's start that falls on `weekday` (Mon=0),
    in the site zone."""
    today = local_today()
    return today + timedelta(days=7 * weeks_ahead + (weekday - today.weekday()) % 7)


def customer_email(n: int) -> str:
    return f"customer{n}@example.com"


async def _slot_entities(upstream: Upstream, service_id: str, start: date, count: int) -> list[Any]:
    """`count` bookable `bookedEntity.slot`s of a service from `start` on (appointment slots,
    or class sessions by event id)."""
    window = {
        "fromLocalDate": f"{start}T00:00:00",
        "toLocalDate": f"{start + timedelta(days=28)}T00:00:00",
        "timeZone": seed.TIME_ZONE,
        "cursorPaging": {"limit": count},
    }
    if service_id == seed.SERVICE_YOGA:
        body = await upstream.time_slots.list_event(
            {**window, "serviceIds": [service_id], "includeNonBookable": False}
        )
        return [
            {"serviceId": service_id, "eventId": slot["eventInfo"]["eventId"]}
            for slot in body["timeSlots"]
        ]
    body = await upstream.time_slots.list_availability(
        {
            **window,
            "serviceId": service_id,
            "bookable": True,
            "includeResourceTypeIds": [seed.STAFF_RESOURCE_TYPE_ID],
        }
    )
    return [
        {
            "serviceId": service_id,
            "scheduleId": slot["scheduleId"],
            "startDate": slot["localStartDate"],
            "endDate": slot["localEndDate"],
            "timezone": seed.TIME_ZONE,
            "resource": {"id": slot["availableResources"][0]["resources"][0]["id"]},
            "location": {"id": slot["location"]["id"], "locationType": "OWNER_BUSINESS"},
        }
        for slot in body["timeSlots"]
    ]


async def create_bookings(upstream: Upstream, total: int, start: date) -> list[dict[str, Any]]:
    """`total` bookings through the sandbox's Create Booking, round-robin over the three
    `BOOKED_SERVICES` (so three distinct forms) and `CUSTOMERS` customers."""
    per_service = -(-total // len(BOOKED_SERVICES))
    entities = {
        service_id: await _slot_entities(upstream, service_id, start, per_service)
        for service_id in BOOKED_SERVICES
    }
    services = list(BOOKED_SERVICES)
    created = []
    for i in range(total):
        service_id = services[i % len(services)]
        options = entities[service_id]
        n = i % CUSTOMERS
        form = {"first_name": f"Customer{n}", "last_name": "Example", "email": customer_email(n)}
        body = {
            "booking": {
                "bookedEntity": {"slot": options[(i // len(services)) % len(options)]},
                "totalParticipants": 1,
                "selectedPaymentOption": "OFFLINE",
            },
            "formSubmission": {**form, **BOOKED_SERVICES[service_id]},
        }
        created.append((await upstream.bookings_writer.create_booking(body))["booking"])
    return created
