"""Time Slots across Europe/London's next DST changes after the frozen clock.

Staff hours are local wall times, so on a transition day the slots keep their local times while
their UTC instants shift. A slot's instant is its local date read in the request's zone; asking in
London and in New York must give the same instants, and those must match zoneinfo's conversion.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from gateway.sandbox import seed
from gateway.sandbox.state import Sandbox
from tests.sandbox.booking_helpers import set_clock
from tests.sandbox.slot_helpers import EVENTS, LIST

NOW = datetime(2030, 1, 15, 12, 0, tzinfo=UTC)
LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
# Haircut (30 min + 10 buffer): on Sundays only Ella works, 09:00-15:00.
SUNDAY_STARTS = ["09:00", "09:40", "10:20", "11:00", "11:40", "12:20", "13:00", "13:40", "14:20"]


def next_transition(forward: bool) -> date:
    """The next London date (after NOW) whose UTC offset moves forward (or back)."""
    day = NOW.astimezone(LONDON).date()
    while True:
        day += timedelta(days=1)
        midnight = datetime(day.year, day.month, day.day, tzinfo=LONDON).utcoffset()
        noon = datetime(day.year, day.month, day.day, 12, tzinfo=LONDON).utcoffset()
        assert midnight is not None and noon is not None
        if midnight != noon and (noon > midnight) == forward:
            return day


TRANSITIONS = [pytest.param(True, id="spring-forward"), pytest.param(False, id="fall-back")]


@pytest.fixture(autouse=True)
async def frozen(wix: httpx.AsyncClient) -> None:
    await set_clock(wix, NOW.isoformat().replace("+00:00", "Z"))


def instant(local: str, zone: ZoneInfo) -> datetime:
    return datetime.fromisoformat(local).replace(tzinfo=zone).astimezone(UTC)


def local_day(day: date, zone: ZoneInfo) -> dict[str, str]:
    """The London calendar day `day` as a from/to range written in `zone`."""
    start = datetime(day.year, day.month, day.day, tzinfo=LONDON)
    end = datetime.combine(day + timedelta(days=1), datetime.min.time(), LONDON)
    return {
        "fromLocalDate": start.astimezone(zone).strftime("%Y-%m-%dT%H:%M:%S"),
        "toLocalDate": end.astimezone(zone).strftime("%Y-%m-%dT%H:%M:%S"),
        "timeZone": zone.key,
    }


async def haircut_slots(wix: httpx.AsyncClient, day: date, zone: ZoneInfo) -> list[dict[str, Any]]:
    body = {"serviceId": seed.SERVICE_HAIRCUT, **local_day(day, zone)}
    response = await wix.post(LIST, json=body)
    assert response.status_code == 200, response.text
    assert response.json()["timeZone"] == zone.key
    return list(response.json()["timeSlots"])


@pytest.mark.parametrize("forward", TRANSITIONS)
async def test_transition_day_has_every_local_slot_once(
    wix: httpx.AsyncClient, forward: bool
) -> None:
    day = next_transition(forward)
    assert day.weekday() == 6  # London changes on a Sunday
    london = await haircut_slots(wix, day, LONDON)
    starts = [s["localStartDate"] for s in london]
    assert [s[11:16] for s in starts] == SUNDAY_STARTS
    assert all(count == 1 for count in Counter(starts).values())
    expected = [instant(f"{day.isoformat()}T{hhmm}:00", LONDON) for hhmm in SUNDAY_STARTS]
    assert [instant(s, LONDON) for s in starts] == expected
    for slot in london:
        duration = instant(slot["localEndDate"], LONDON) - instant(slot["localStartDate"], LONDON)
        assert duration == timedelta(minutes=30)

    new_york = await haircut_slots(wix, day, NEW_YORK)
    assert [instant(s["localStartDate"], NEW_YORK) for s in new_york] == expected


@pytest.mark.parametrize("forward", TRANSITIONS)
async def test_slots_through_the_night_of_the_change(
    wix: httpx.AsyncClient, sandbox: Sandbox, forward: bool
) -> None:
    """Ella works 00:00-04:00 on the transition Sunday: 3 real hours in spring, 5 in autumn."""
    day = next_transition(forward)
    with sandbox.store.transaction():
        ella = sandbox.store.get("resources", seed.STAFF_ELLA)
        assert ella is not None
        ella["workingHours"]["6"] = [["00:00", "04:00"]]
        sandbox.store.put("resources", ella)
    window_start = instant(f"{day.isoformat()}T00:00:00", LONDON)
    window_end = instant(f"{day.isoformat()}T04:00:00", LONDON)
    expected = []  # every 40 min of real time while a 30 min session still fits
    moment = window_start
    while moment + timedelta(minutes=30) <= window_end:
        expected.append(moment)
        moment += timedelta(minutes=40)
    assert len(expected) == (4 if forward else 7)

    # New York local times are unambiguous that night, so they pin down the instants.
    new_york = await haircut_slots(wix, day, NEW_YORK)
    night = [instant(s["localStartDate"], NEW_YORK) for s in new_york][: len(expected)]
    assert night == expected

    london = [s["localStartDate"] for s in await haircut_slots(wix, day, LONDON)]
    assert all(count == 1 for count in Counter(london).values())
    if forward:  # nothing inside the missing hour
        assert not any("T01:" in start for start in london)


async def test_class_sessions_keep_their_local_time_across_the_change(
    wix: httpx.AsyncClient,
) -> None:
    day = next_transition(True)  # Sunday: Yoga on the Saturday before and the Monday after
    saturday, monday = day - timedelta(days=1), day + timedelta(days=1)
    body = {
        "serviceIds": [seed.SERVICE_YOGA],
        "fromLocalDate": f"{saturday.isoformat()}T00:00:00",
        "toLocalDate": f"{(monday + timedelta(days=1)).isoformat()}T00:00:00",
    }
    london = (await wix.post(EVENTS, json=body)).json()["timeSlots"]
    assert [s["localStartDate"] for s in london] == [
        f"{saturday.isoformat()}T10:00:00",
        f"{monday.isoformat()}T18:00:00",
    ]
    new_york_body = {
        **body,
        **{k: v for k, v in local_day(saturday, NEW_YORK).items() if k != "toLocalDate"},
        "toLocalDate": local_day(monday, NEW_YORK)["toLocalDate"],
    }
    new_york = (await wix.post(EVENTS, json=new_york_body)).json()["timeSlots"]
    assert [instant(s["localStartDate"], NEW_YORK) for s in new_york] == [
        instant(s["localStartDate"], LONDON) for s in london
    ]
    # 10:00 GMT on Saturday, 18:00 BST (17:00 UTC) on Monday.
    assert [instant(s["localStartDate"], LONDON).hour for s in london] == [10, 17]
