"""The demo's bookings (`SANDBOX_DEMO_BOOKINGS`, on for `python -m gateway`): one per status and
a double-booked pair, in the days after the clock's now, made by the sandbox's own handlers on
real slots; apps built in code (the tests) start without them."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from gateway.__main__ import demo_bookings_by_default
from gateway.clock import Clock
from gateway.config import Settings
from gateway.sandbox import oauth, seed
from gateway.sandbox.state import Sandbox
from tests.frozen import FROZEN_AT
from tests.graphql import Gateway, gateway, open_gateway

__all__ = ["gateway"]

BOOKINGS = """{
  bookings(first: 50, sort: START_ASC) {
    nodes {
      id status paymentStatus doubleBooked start
      contact { email }
      service { name }
      slot { resource { name } location { name } }
      form { id }
    }
  }
  doubleBookedBookings { nodes { id contact { email } } }
}"""


@pytest.fixture
async def demo(clock: Clock) -> AsyncIterator[Gateway]:
    async with open_gateway(Settings(sandbox_demo_bookings=True), clock) as opened:
        yield opened


async def test_one_booking_per_status_and_a_double_booked_pair(demo: Gateway) -> None:
    data = await demo.data(BOOKINGS)
    nodes = data["bookings"]["nodes"]
    assert Counter(b["status"] for b in nodes) == {
        "CONFIRMED": 3,  # Maya's haircut, and the double-booked pair
        "CREATED": 1,
        "PENDING": 1,
        "CANCELED": 1,
        "DECLINED": 1,
    }
    assert all(b["start"] > "2026-03-02T09:00:00Z" for b in nodes)  # after the clock's now
    assert all(b["start"] < "2026-03-07T00:00:00Z" for b in nodes)  # in the days after it
    assert all(b["service"]["name"] and b["slot"]["resource"]["name"] for b in nodes)
    assert all(b["form"] is not None for b in nodes)
    pair = [b for b in nodes if b["paymentStatus"] == "PAID"]
    assert len(pair) == 2 and pair[0]["start"] == pair[1]["start"]
    assert len({b["slot"]["resource"]["name"] for b in pair}) == 1
    assert sorted(b["doubleBooked"] for b in pair) == [False, True]
    flagged = data["doubleBookedBookings"]["nodes"]
    assert [b["contact"]["email"] for b in flagged] == ["sam.taylor@example.com"]
    by_email = Counter(b["contact"]["email"] for b in nodes)
    assert by_email == {seed.EMAIL_MAYA: 4, seed.EMAIL_NOAH: 2, "sam.taylor@example.com": 1}


async def test_a_demo_member_sees_their_own(demo: Gateway) -> None:
    tokens = oauth.member(demo.sandbox, seed.MEMBER_MAYA)
    assert tokens is not None
    response = await demo.send(
        "{ bookings(first: 50) { nodes { status contact { email } } } }",
        headers={"authorization": tokens["access_token"]},
    )
    nodes = response.json()["data"]["bookings"]["nodes"]
    assert sorted(b["status"] for b in nodes) == ["CANCELED", "CONFIRMED", "CREATED", "PENDING"]
    assert {b["contact"]["email"] for b in nodes} == {seed.EMAIL_MAYA}


async def test_reset_brings_them_back_and_tests_start_without(
    demo: Gateway, gateway: Gateway
) -> None:
    assert (await gateway.data("{ bookingsCount }"))["bookingsCount"] == 0
    assert (await demo.data("{ bookingsCount }"))["bookingsCount"] == 7
    await demo.http.post("/_sandbox/clock", json={"advanceMinutes": 60 * 24 * 7})
    assert (await demo.http.post("/_sandbox/reset")).status_code == 200
    data = await demo.data(BOOKINGS)
    assert len(data["bookings"]["nodes"]) == 7
    assert min(b["start"] for b in data["bookings"]["nodes"]) > "2026-03-09T09:00:00Z"


def test_a_sandbox_file_gets_them_once(tmp_path: Path) -> None:
    path = str(tmp_path / "sandbox.sqlite3")
    for _ in range(2):
        sandbox = Sandbox.open(path, Clock(frozen_at=FROZEN_AT), demo_bookings=True)
        assert len(sandbox.store.bookings_where()) == 7


def test_python_m_gateway_turns_them_on_unless_told_otherwise() -> None:
    for given, expected in ((None, "true"), ("", "true"), ("false", "false"), ("1", "1")):
        environ = {} if given is None else {"SANDBOX_DEMO_BOOKINGS": given}
        demo_bookings_by_default(environ)
        assert environ == {"SANDBOX_DEMO_BOOKINGS": expected}
        assert Settings.from_env(environ).sandbox_demo_bookings is (expected != "false")
    assert Settings().sandbox_demo_bookings is False
