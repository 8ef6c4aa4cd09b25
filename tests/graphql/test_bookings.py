"""Booking queries: the batched "my bookings" page, lookups, filters, paging, count, errors."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from gateway.sandbox import seed
from gateway.sandbox.state import FaultRule
from gateway.sandbox.wire import parse_utc
from tests.graphql import (
    BOOKED_SERVICES,
    Gateway,
    create_bookings,
    customer_email,
    gateway,
    next_weekday,
)

__all__ = ["gateway"]

QUERY_BOOKINGS = "POST /_api/bookings-reader/v2/extended-bookings/query"
COUNT_BOOKINGS = "POST /_api/bookings-reader/v2/extended-bookings/count"
ALLOWED_ACTIONS = "POST /bookings/v2/bulk/bookings/calculate_allowed_actions"
QUERY_SERVICES = "POST /bookings/v2/services/query"
GET_FORM = "GET /form-schema-service/v4/forms/{formId}"

MY_BOOKINGS = """
query($first: Int, $after: String, $filter: BookingFilter, $sort: BookingSort! = START_ASC) {
  bookings(first: $first, after: $after, filter: $filter, sort: $sort) {
    nodes {
      id status start participants
      allowedActions { cancel reschedule }
      service { name }
      form { fields { target } }
    }
    pageInfo { hasNextPage endCursor }
  }
}
"""


async def seeded(gateway: Gateway, total: int) -> list[dict[str, Any]]:
    bookings = await create_bookings(gateway.upstream, total, next_weekday(0))
    gateway.reset_calls()
    return bookings


@pytest.mark.parametrize("total", [50, 5])
async def test_a_page_of_bookings_costs_one_call_per_kind_and_form(
    gateway: Gateway, total: int
) -> None:
    created = await seeded(gateway, total)
    data = await gateway.data(MY_BOOKINGS, {"first": total})
    nodes = data["bookings"]["nodes"]
    assert sorted(n["id"] for n in nodes) == sorted(b["id"] for b in created)
    assert all(n["allowedActions"] == {"cancel": True, "reschedule": True} for n in nodes)
    assert {n["service"]["name"] for n in nodes} == {
        "Deep Tissue Massage",
        "Express Haircut",
        "Vinyasa Yoga",
    }
    assert all("email" in [f["target"] for f in n["form"]["fields"]] for n in nodes)

    calls = gateway.calls()
    distinct_forms = len(BOOKED_SERVICES)
    assert sum(calls.values()) <= 1 + 1 + 1 + distinct_forms
    # The page asks Wix for the allowed actions itself, which primes the loader.
    assert calls == {QUERY_BOOKINGS: 1, QUERY_SERVICES: 1, GET_FORM: distinct_forms}


async def test_allowed_actions_of_bookings_looked_up_by_id_are_one_bulk_call(
    gateway: Gateway,
) -> None:
    ids = [b["id"] for b in await seeded(gateway, 6)]
    aliases = " ".join(
        f'b{i}: booking(id: "{booking_id}") {{ id allowedActions {{ cancel }} }}'
        for i, booking_id in enumerate(ids)
    )
    data = await gateway.data(f"{{ {aliases} }}")
    assert [data[f"b{i}"]["id"] for i in range(len(ids))] == ids
    assert gateway.calls() == {QUERY_BOOKINGS: 1, ALLOWED_ACTIONS: 1}


async def test_unknown_booking_is_null(gateway: Gateway) -> None:
    body = await gateway.post('{ booking(id: "00000000-0000-4000-8000-0000000000aa") { id } }')
    assert body == {"data": {"booking": None}}


async def test_allowed_actions_follow_the_cancellation_policy(gateway: Gateway) -> None:
    """The massage policy forbids cancelling or rescheduling within 24 hours of the start."""
    massage = next(
        b for b in await seeded(gateway, 3) if b["bookedEntity"]["title"].startswith("Deep")
    )
    query = "query($id: ID!) { booking(id: $id) { allowedActions { cancel reschedule } } }"
    before = await gateway.data(query, {"id": massage["id"]})
    assert before["booking"]["allowedActions"] == {"cancel": True, "reschedule": True}

    start = parse_utc(massage["startDate"], "startDate")
    gateway.clock.set(start - timedelta(hours=3), frozen=True)
    after = await gateway.data(query, {"id": massage["id"]})
    assert after["booking"]["allowedActions"] == {"cancel": False, "reschedule": False}


async def test_booking_fields(gateway: Gateway) -> None:
    massage = (await seeded(gateway, 1))[0]
    data = await gateway.data(
        """query($id: ID!) { booking(id: $id) {
          id status paymentStatus selectedPaymentOption revision participants title tags
          doubleBooked start end createdDate formId formSubmissionId serviceId
          contact { contactId firstName lastName email phone }
          slot { serviceId scheduleId start end timeZone resource { id name } location { id type } }
          schedule { scheduleId }
          multiServiceBooking { id }
        } }""",
        {"id": massage["id"]},
    )
    booking = data["booking"]
    slot = massage["bookedEntity"]["slot"]
    assert booking["status"] == "CREATED" and booking["paymentStatus"] == "UNDEFINED"
    assert booking["selectedPaymentOption"] == "OFFLINE"
    assert booking["revision"] == "1" and booking["participants"] == 1
    assert booking["title"] == "Deep Tissue Massage" and booking["tags"] == ["INDIVIDUAL"]
    assert booking["doubleBooked"] is False
    assert booking["start"] == massage["startDate"] == slot["startDate"]
    assert booking["formId"] == seed.FORM_MASSAGE and booking["formSubmissionId"]
    assert booking["serviceId"] == seed.SERVICE_MASSAGE
    assert booking["contact"]["email"] == customer_email(0)
    assert booking["contact"]["phone"] == BOOKED_SERVICES[seed.SERVICE_MASSAGE]["phone"]
    assert booking["slot"]["timeZone"] == seed.TIME_ZONE
    assert booking["slot"]["resource"]["id"] == slot["resource"]["id"]
    assert booking["slot"]["location"] == {"id": seed.LOCATION_MAIN, "type": "OWNER_BUSINESS"}
    assert booking["schedule"] is None and booking["multiServiceBooking"] is None


async def test_paging_through_all_bookings(gateway: Gateway) -> None:
    created = await seeded(gateway, 23)
    seen: list[str] = []
    after = None
    pages = 0
    while True:
        page = (await gateway.data(MY_BOOKINGS, {"first": 10, "after": after}))["bookings"]
        seen += [n["id"] for n in page["nodes"]]
        pages += 1
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert pages == 3
    assert sorted(seen) == sorted(b["id"] for b in created) and len(seen) == len(set(seen))
    starts = [b["startDate"] for b in sorted(created, key=lambda b: seen.index(b["id"]))]
    assert starts == sorted(starts)  # START_ASC


async def test_filters_and_count_agree(gateway: Gateway) -> None:
    created = await seeded(gateway, 15)
    by_start = sorted(created, key=lambda b: b["startDate"])
    cases: list[tuple[dict[str, Any], set[str]]] = [
        ({"email": customer_email(1)},
         {b["id"] for b in created if b["contactDetails"]["email"] == customer_email(1)}),
        ({"serviceIds": [seed.SERVICE_YOGA]},
         {b["id"] for b in created if b["bookedEntity"]["slot"]["serviceId"] == seed.SERVICE_YOGA}),
        ({"statuses": ["CREATED"], "doubleBooked": False}, {b["id"] for b in created}),
        ({"statuses": ["CONFIRMED", "PENDING"]}, set()),
        ({"startFrom": by_start[5]["startDate"], "startTo": by_start[10]["startDate"]},
         {b["id"] for b in by_start[5:10]}),
        ({"ids": [created[0]["id"], created[3]["id"]]}, {created[0]["id"], created[3]["id"]}),
    ]  # fmt: skip
    for filter_, expected in cases:
        data = await gateway.data(
            """query($filter: BookingFilter) {
              bookings(filter: $filter) { nodes { id } }
              bookingsCount(filter: $filter)
            }""",
            {"filter": filter_},
        )
        assert {n["id"] for n in data["bookings"]["nodes"]} == expected, filter_
        assert data["bookingsCount"] == len(expected), filter_


async def test_sort_newest_start_first(gateway: Gateway) -> None:
    created = await seeded(gateway, 6)
    data = await gateway.data(MY_BOOKINGS, {"sort": "START_DESC"})
    starts = [n["start"] for n in data["bookings"]["nodes"]]
    assert starts == sorted((b["startDate"] for b in created), reverse=True)


async def test_page_size_is_bad_user_input_above_100_and_costs_no_call(gateway: Gateway) -> None:
    gateway.reset_calls()
    body = await gateway.post(MY_BOOKINGS, {"first": 101})
    assert body["data"] is None
    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "argument": "first"}
    assert gateway.calls() == {}


async def test_upstream_errors_reach_the_client_with_their_extensions(gateway: Gateway) -> None:
    gateway.sandbox.faults.append(
        FaultRule(path="/_api/bookings-reader/v2/extended-bookings/*", status=403)
    )
    listing = await gateway.post("{ bookings { nodes { id } } }")
    lookup = await gateway.post('{ booking(id: "00000000-0000-4000-8000-0000000000aa") { id } }')
    assert listing["data"] is None
    assert lookup["data"] == {"booking": None}  # only a 404 means "no such booking"
    for body, path in ((listing, ["bookings"]), (lookup, ["booking"])):
        (error,) = body["errors"]
        assert error["path"] == path
        assert error["extensions"]["code"] == "FORBIDDEN"
        assert error["extensions"]["httpStatus"] == 403
        assert error["extensions"]["requestId"]


async def create_package(gateway: Gateway) -> dict[str, Any]:
    """A haircut followed by a facial, booked as one multi-service booking."""
    day = next_weekday(2)
    chain = (
        await gateway.upstream.time_slots.list_multi_service(
            {
                "services": [
                    {"serviceId": sid, "includeResourceTypeIds": [seed.STAFF_RESOURCE_TYPE_ID]}
                    for sid in (seed.SERVICE_HAIRCUT, seed.SERVICE_FACIAL)
                ],
                "fromLocalDate": f"{day}T00:00:00",
                "toLocalDate": f"{day + timedelta(days=1)}T00:00:00",
                "timeZone": seed.TIME_ZONE,
                "location": {"id": seed.LOCATION_MAIN, "locationType": "BUSINESS"},
                "bookable": True,
                "cursorPaging": {"limit": 1},
            }
        )
    )["timeSlots"][0]
    bookings = [
        {
            "bookedEntity": {
                "slot": {
                    "serviceId": nested["serviceId"],
                    "scheduleId": nested["scheduleId"],
                    "startDate": nested["localStartDate"],
                    "endDate": nested["localEndDate"],
                    "timezone": seed.TIME_ZONE,
                    "resource": {"id": nested["availableResources"][0]["resources"][0]["id"]},
                    "location": {"id": seed.LOCATION_MAIN, "locationType": "OWNER_BUSINESS"},
                }
            },
            "totalParticipants": 1,
            "selectedPaymentOption": "OFFLINE",
        }
        for nested in chain["nestedTimeSlots"]
    ]
    answers = {"first_name": "Pat", "last_name": "Example", "email": "pat@example.com"}
    created = await gateway.upstream.bookings_writer.create_multi_service_booking(
        {"bookings": bookings, "formSubmission": answers}
    )
    return created["multiServiceBooking"]


async def test_multi_service_booking_is_loaded_once_for_its_bookings(gateway: Gateway) -> None:
    package = await create_package(gateway)
    await seeded(gateway, 2)  # bookings outside the package
    data = await gateway.data(
        """query($id: ID!) {
          bookings { nodes {
            id
            multiServiceBooking { id bookingIds bookings { id service { name } form { id } } }
          } }
          multiServiceBooking(id: $id) { id }
        }""",
        {"id": package["id"]},
    )
    members = [b["bookingId"] for b in package["bookings"]]
    by_id = {n["id"]: n["multiServiceBooking"] for n in data["bookings"]["nodes"]}
    assert sum(1 for msb in by_id.values() if msb is None) == 2
    for booking_id in members:
        msb = by_id[booking_id]
        assert msb["id"] == package["id"] and msb["bookingIds"] == members
        assert [b["service"]["name"] for b in msb["bookings"]] == [
            "Express Haircut",
            "Signature Facial",
        ]
        assert {b["form"]["id"] for b in msb["bookings"]} == {seed.DEFAULT_FORM_ID}
    assert data["multiServiceBooking"] == {"id": package["id"]}
    calls = gateway.calls()
    # one Get Multi Service Booking for the package, shared by both members and the root field;
    # its bookings come with it, so no second Query Extended Bookings
    assert (
        calls["GET /_api/bookings-service/v2/multi_service_bookings/{multiServiceBookingId}"] == 1
    )
    assert calls[QUERY_BOOKINGS] == 1


async def test_unknown_multi_service_booking_is_null(gateway: Gateway) -> None:
    body = await gateway.post(
        '{ multiServiceBooking(id: "00000000-0000-4000-8000-0000000000bb") { id } }'
    )
    assert body == {"data": {"multiServiceBooking": None}}


async def test_fields_selected_through_fragments_are_loaded_ahead_too(gateway: Gateway) -> None:
    await seeded(gateway, 9)
    data = await gateway.data(
        """
        query { bookings { edges { node { ...Row } } } }
        fragment Row on Booking {
          id
          ... on Booking { allowedActions { cancel } service { name } }
          form { id }
        }
        """
    )
    assert len(data["bookings"]["edges"]) == 9
    assert gateway.calls() == {
        QUERY_BOOKINGS: 1,
        QUERY_SERVICES: 1,
        GET_FORM: len(BOOKED_SERVICES),
    }
