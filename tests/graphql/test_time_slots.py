"""Time slot queries: appointments, class sessions, multi-service chains, paging, zones."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from gateway.sandbox import seed
from gateway.sandbox.state import FaultRule
from tests.graphql import Gateway, gateway, next_weekday

__all__ = ["gateway"]

LIST_AVAILABILITY = "POST /_api/service-availability/v2/time-slots"
SITE_PROPERTIES = "GET /site-properties/v4/properties"
QUERY_SERVICES = "POST /bookings/v2/services/query"

SLOTS = """
query($service: ID!, $from: LocalDateTime, $to: LocalDateTime, $tz: TimeZone,
      $bookable: Boolean, $first: Int, $after: String) {
  timeSlots(serviceId: $service, from: $from, to: $to, timeZone: $tz, bookable: $bookable,
            first: $first, after: $after) {
    edges { cursor node { localStart localEnd start end timeZone bookable } }
    pageInfo { hasNextPage hasPreviousPage endCursor }
  }
}
"""


def day_window(day: date) -> dict[str, str]:
    return {"from": f"{day}T00:00:00", "to": f"{day + timedelta(days=1)}T00:00:00"}


def utc_of(local: str, zone: str) -> str:
    moment = datetime.fromisoformat(local).replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def nodes(connection: dict[str, Any]) -> list[dict[str, Any]]:
    return [edge["node"] for edge in connection["edges"]]


async def test_utc_start_and_end_come_from_local_time_and_zone(gateway: Gateway) -> None:
    zone = "America/New_York"
    tuesday = next_weekday(1)
    variables = {"service": seed.SERVICE_HAIRCUT, "tz": zone, **day_window(tuesday)}
    slots = nodes((await gateway.data(SLOTS, variables))["timeSlots"])
    assert slots
    for slot in slots:
        assert slot["timeZone"] == zone
        assert slot["localStart"].startswith(str(tuesday))
        assert slot["start"] == utc_of(slot["localStart"], zone)
        assert slot["end"] == utc_of(slot["localEnd"], zone)


async def test_omitted_time_zone_is_the_site_zone_fetched_once(gateway: Gateway) -> None:
    gateway.reset_calls()
    window = day_window(next_weekday(2))
    data = await gateway.data(
        """query($a: ID!, $b: ID!, $from: LocalDateTime, $to: LocalDateTime) {
          a: timeSlots(serviceId: $a, from: $from, to: $to) { nodes { timeZone } }
          b: timeSlots(serviceId: $b, from: $from, to: $to) { nodes { timeZone } }
        }""",
        {"a": seed.SERVICE_HAIRCUT, "b": seed.SERVICE_FACIAL, **window},
    )
    zones = {n["timeZone"] for alias in ("a", "b") for n in data[alias]["nodes"]}
    assert zones == {seed.TIME_ZONE}
    assert gateway.calls() == {SITE_PROPERTIES: 1, LIST_AVAILABILITY: 2}


async def test_paging_with_after_continues_in_order(gateway: Gateway) -> None:
    base = {"service": seed.SERVICE_HAIRCUT, "tz": seed.TIME_ZONE, **day_window(next_weekday(2))}
    whole = nodes((await gateway.data(SLOTS, {**base, "first": 12}))["timeSlots"])
    assert len(whole) == 12

    first = (await gateway.data(SLOTS, {**base, "first": 5}))["timeSlots"]
    assert first["pageInfo"]["hasNextPage"] is True
    assert first["pageInfo"]["hasPreviousPage"] is False
    after = first["pageInfo"]["endCursor"]
    second = (await gateway.data(SLOTS, {**base, "first": 5, "after": after}))["timeSlots"]
    assert second["pageInfo"]["hasPreviousPage"] is True
    assert nodes(first) + nodes(second) == whole[:10]

    gateway.reset_calls()
    middle = first["edges"][1]["cursor"]
    rest = (await gateway.data(SLOTS, {**base, "first": 5, "after": middle}))["timeSlots"]
    assert nodes(rest) == whole[2:5]  # the rest of the page that cursor came from
    assert gateway.calls() == {LIST_AVAILABILITY: 1}


async def test_bookable_filter(gateway: Gateway) -> None:
    variables = {
        "service": seed.SERVICE_SAUNA,  # online booking is disabled
        "tz": seed.TIME_ZONE,
        **day_window(next_weekday(3)),
    }
    everything = nodes((await gateway.data(SLOTS, variables))["timeSlots"])
    assert everything and not any(s["bookable"] for s in everything)
    bookable = (await gateway.data(SLOTS, {**variables, "bookable": True}))["timeSlots"]
    assert bookable["edges"] == []


async def test_slot_details_policy_violations_resources_location_service(
    gateway: Gateway,
) -> None:
    data = await gateway.data(
        """query($id: ID!, $from: LocalDateTime, $to: LocalDateTime) {
          timeSlots(serviceId: $id, from: $from, to: $to, timeZone: "Europe/London", first: 1) {
            nodes {
              totalCapacity remainingCapacity bookableCapacity scheduleId eventId
              policyViolations { tooEarlyToBook tooLateToBook bookOnlineDisabled }
              nonBookableReasons { violatesBookingPolicy noRemainingCapacity }
              resources { id name resourceTypeId }
              location { id name type }
              service { id name }
            }
          }
        }""",
        {"id": seed.SERVICE_SAUNA, **day_window(next_weekday(3))},
    )
    slot = data["timeSlots"]["nodes"][0]
    assert slot["totalCapacity"] == 1 and slot["remainingCapacity"] == 1
    assert slot["eventId"] is None and slot["scheduleId"]
    assert slot["policyViolations"] == {
        "tooEarlyToBook": False,
        "tooLateToBook": False,
        "bookOnlineDisabled": True,
    }
    assert slot["nonBookableReasons"]["violatesBookingPolicy"] is True
    assert slot["resources"] == [
        {
            "id": seed.STAFF_BEN,
            "name": "Ben Okafor",
            "resourceTypeId": seed.STAFF_RESOURCE_TYPE_ID,
        }
    ]
    assert slot["location"] == {
        "id": seed.LOCATION_MAIN,
        "name": "Riverside Studio",
        "type": "BUSINESS",
    }
    assert slot["service"] == {"id": seed.SERVICE_SAUNA, "name": "Private Sauna"}


async def test_single_slot_and_a_missing_one(gateway: Gateway) -> None:
    tuesday = next_weekday(1)
    listed = nodes(
        (
            await gateway.data(
                SLOTS,
                {"service": seed.SERVICE_HAIRCUT, "tz": seed.TIME_ZONE, **day_window(tuesday)},
            )
        )["timeSlots"]
    )[0]
    query = """query($id: ID!, $start: LocalDateTime!, $end: LocalDateTime!) {
      timeSlot(serviceId: $id, localStart: $start, localEnd: $end, timeZone: "Europe/London") {
        localStart start bookable resources { id }
      }
    }"""
    found = {"id": seed.SERVICE_HAIRCUT, "start": listed["localStart"], "end": listed["localEnd"]}
    slot = (await gateway.data(query, found))["timeSlot"]
    assert slot["localStart"] == listed["localStart"] and slot["start"] == listed["start"]
    assert slot["resources"]

    at_night = {**found, "start": f"{tuesday}T03:00:00", "end": f"{tuesday}T03:30:00"}
    assert await gateway.post(query, at_night) == {"data": {"timeSlot": None}}


async def test_class_sessions_and_one_session_by_event_id(gateway: Gateway) -> None:
    monday = next_weekday(0)
    data = await gateway.data(
        """query($id: ID!, $from: LocalDateTime, $to: LocalDateTime) {
          eventTimeSlots(serviceIds: [$id], from: $from, to: $to, timeZone: "Europe/London") {
            nodes {
              localStart eventId totalCapacity remainingCapacity bookable
              eventInfo { eventId eventTitle waitingList { totalCapacity } }
              service { type }
            }
          }
        }""",
        {"id": seed.SERVICE_YOGA, **day_window(monday)},
    )
    (session,) = data["eventTimeSlots"]["nodes"]  # the Monday 18:00 class
    assert session["localStart"] == f"{monday}T18:00:00"
    assert session["totalCapacity"] == 10 and session["remainingCapacity"] == 10
    assert session["eventInfo"]["eventId"] == session["eventId"]
    assert session["eventInfo"]["eventTitle"] == "Vinyasa Yoga"
    assert session["service"] == {"type": "CLASS"}

    one = await gateway.data(
        "query($id: ID!) { eventTimeSlot(eventId: $id) { eventId localStart timeZone } }",
        {"id": session["eventId"]},
    )
    assert one["eventTimeSlot"] == {
        "eventId": session["eventId"],
        "localStart": session["localStart"],
        "timeZone": seed.TIME_ZONE,
    }
    missing = await gateway.post('{ eventTimeSlot(eventId: "no-such-event") { eventId } }')
    assert missing == {"data": {"eventTimeSlot": None}}


async def test_min_open_spots_filters_sessions(gateway: Gateway) -> None:
    query = """query($id: ID!, $from: LocalDateTime, $to: LocalDateTime, $spots: Int) {
      eventTimeSlots(serviceIds: [$id], from: $from, to: $to, minOpenSpots: $spots) {
        nodes { eventId }
      }
    }"""
    monday = {"id": seed.SERVICE_YOGA, **day_window(next_weekday(0))}
    assert len((await gateway.data(query, {**monday, "spots": 10}))["eventTimeSlots"]["nodes"]) == 1
    assert (await gateway.data(query, {**monday, "spots": 11}))["eventTimeSlots"]["nodes"] == []


async def test_multi_service_chain_uses_first_service_location(gateway: Gateway) -> None:
    gateway.reset_calls()
    data = await gateway.data(
        """query($chain: [ID!]!, $from: LocalDateTime, $to: LocalDateTime) {
          multiServiceTimeSlots(services: $chain, from: $from, to: $to, first: 3) {
            nodes {
              serviceId localStart localEnd bookable location { id }
              nestedSlots { localStart localEnd start service { name } resources { id } }
            }
          }
        }""",
        {"chain": [seed.SERVICE_HAIRCUT, seed.SERVICE_FACIAL], **day_window(next_weekday(2))},
    )
    chains = data["multiServiceTimeSlots"]["nodes"]
    assert len(chains) == 3
    for chain in chains:
        first, second = chain["nestedSlots"]
        assert chain["serviceId"] is None
        assert chain["location"]["id"] == seed.LOCATION_MAIN
        assert (first["service"]["name"], second["service"]["name"]) == (
            "Express Haircut",
            "Signature Facial",
        )
        assert chain["localStart"] == first["localStart"]
        assert first["localEnd"] == second["localStart"]
        assert second["localEnd"] == chain["localEnd"]
    # the location came from the services loader, which also served `nestedSlots.service`
    assert gateway.calls()[QUERY_SERVICES] == 1


async def test_service_time_slots_follow_the_service_type(gateway: Gateway) -> None:
    data = await gateway.data(
        """query($a: ID!, $b: ID!, $c: ID!, $from: LocalDateTime, $to: LocalDateTime) {
          haircut: service(id: $a) { timeSlots(from: $from, to: $to, first: 2) {
            nodes { eventId } } }
          yoga: service(id: $b) { timeSlots(from: $from, to: $to) { nodes { eventId } } }
          course: service(id: $c) { timeSlots(from: $from, to: $to) {
            nodes { eventId } pageInfo { hasNextPage } } }
        }""",
        {
            "a": seed.SERVICE_HAIRCUT,
            "b": seed.SERVICE_YOGA,
            "c": seed.SERVICE_PILATES_COURSE,
            **day_window(next_weekday(0)),
        },
    )
    assert data["haircut"]["timeSlots"]["nodes"] == [{"eventId": None}] * 2
    assert [n["eventId"] is not None for n in data["yoga"]["timeSlots"]["nodes"]] == [True]
    assert data["course"]["timeSlots"] == {"nodes": [], "pageInfo": {"hasNextPage": False}}


async def test_bad_arguments_are_bad_user_input(gateway: Gateway) -> None:
    window = day_window(next_weekday(2))
    backwards = {"from": window["to"], "to": window["from"]}
    for query, variables in (
        (SLOTS, {"service": seed.SERVICE_HAIRCUT, **backwards}),
        (SLOTS, {"service": seed.SERVICE_HAIRCUT, "first": 0}),
        (SLOTS, {"service": seed.SERVICE_HAIRCUT, "after": "not-a-cursor"}),
        (SLOTS, {"service": seed.SERVICE_HAIRCUT, "tz": "Mars/Olympus_Mons"}),
        (SLOTS, {"service": seed.SERVICE_HAIRCUT, "from": "2030-01-07"}),
        (SLOTS, {"service": seed.SERVICE_HAIRCUT, "from": "2030-01-07T10:00:00Z"}),
        ("query($one: ID!) { multiServiceTimeSlots(services: [$one]) { nodes { bookable } } }",
         {"one": seed.SERVICE_HAIRCUT}),
        ('{ timeSlots(serviceId: "x", timeZone: "Nowhere/City") { nodes { bookable } } }', None),
    ):  # fmt: skip
        body = await gateway.post(query, variables)
        codes = [e["extensions"]["code"] for e in body["errors"]]
        assert codes == ["BAD_USER_INPUT"], body


async def test_three_aliased_time_slot_lists_are_in_flight_together(gateway: Gateway) -> None:
    """With latency on Wix's time-slot path, all three lists reach it before any returns."""
    sandbox = gateway.sandbox
    prefix = "/_api/service-availability/"
    sandbox.faults.append(FaultRule(path=prefix + "*", latency_ms=300))
    started: list[str] = []
    most_in_flight = 0
    fault_for = sandbox.fault_for

    def counting_fault_for(method: str, path: str) -> tuple[float, int | None]:
        """Called as each request arrives; finished requests are in the request log."""
        nonlocal most_in_flight
        if path.startswith(prefix):
            started.append(path)
            finished = sum(r.path.startswith(prefix) for r in sandbox.requests)
            most_in_flight = max(most_in_flight, len(started) - finished)
        return fault_for(method, path)

    sandbox.fault_for = counting_fault_for  # type: ignore[method-assign]
    query = """query($a: ID!, $b: ID!, $c: ID!, $from: LocalDateTime, $to: LocalDateTime) {
      a: timeSlots(serviceId: $a, from: $from, to: $to, timeZone: "UTC") { nodes { start } }
      b: timeSlots(serviceId: $b, from: $from, to: $to, timeZone: "UTC") { nodes { start } }
      c: timeSlots(serviceId: $c, from: $from, to: $to, timeZone: "UTC") { nodes { start } }
    }"""
    services = {"a": seed.SERVICE_HAIRCUT, "b": seed.SERVICE_FACIAL, "c": seed.SERVICE_MASSAGE}
    variables = {**services, **day_window(next_weekday(2))}
    data = await asyncio.wait_for(gateway.data(query, variables), timeout=10)
    assert all(data[alias]["nodes"] for alias in "abc")
    assert len(started) == 3
    assert most_in_flight == 3
