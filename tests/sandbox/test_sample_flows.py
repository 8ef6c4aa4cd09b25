"""Wix's Bookings Writer V2 sample flows, step by step, over real HTTP
(https://dev.wix.com/docs/api-reference/business-solutions/bookings/bookings/bookings-writer-v2/sample-flows:
"Book an appointment", "Book a class session", "Book a course", "Handle double booking
conflicts"; and for multi-service bookings "create, reschedule, then add a booking")."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest

from gateway.sandbox import seed
from tests.sandbox.booking_helpers import (
    COURSE_SCHEDULE,
    QUERY,
    action,
    appointment,
    confirm_or_decline,
    course,
    created,
)
from tests.sandbox.package_helpers import (
    ADD,
    THURSDAY,
    WEDNESDAY,
    Json,
    act,
    bookings_of,
    create_package,
    fetch,
    members,
)

SLOTS = "/_api/service-availability/v2/time-slots"
EVENT_SLOTS = "/_api/service-availability/v2/time-slots/event"


@pytest.fixture
def wix(wix_http: httpx.AsyncClient) -> httpx.AsyncClient:
    """The served sandbox, frozen at the tests' Monday morning (`wix_http`)."""
    return wix_http


async def ok(response: Any) -> dict[str, Any]:
    reply = await response
    assert reply.status_code == 200, reply.text
    return dict(reply.json())


async def business_zone(wix: httpx.AsyncClient) -> str:
    properties = await ok(wix.get("/site-properties/v4/properties"))
    return str(properties["properties"]["timeZone"])


async def form_answers(wix: httpx.AsyncClient, form_id: str, **answers: Any) -> dict[str, Any]:
    """Build `formSubmission` from the Get Form Summary targets, as the flow says."""
    summary = await ok(wix.get(f"/form-schema-service/v4/forms/{form_id}/summary"))
    defaults = {"first_name": "Grace", "last_name": "Hopper", "email": "grace@example.com",
                "phone": "+44 20 7946 0002"}  # fmt: skip
    targets = [field["target"] for field in summary["formSummary"]["fields"]]
    return {t: answers.get(t, defaults.get(t)) for t in targets if t in answers or t in defaults}


async def create_with_form(
    wix: httpx.AsyncClient, booking: dict[str, Any], answers: dict[str, Any]
) -> dict[str, Any]:
    body = {"booking": booking, "formSubmission": answers}
    return dict((await ok(wix.post("/_api/bookings-service/v2/bookings", json=body)))["booking"])


async def test_book_an_appointment(wix: httpx.AsyncClient) -> None:
    zone = await business_zone(wix)
    service = (await ok(wix.get(f"/bookings/v2/services/{seed.SERVICE_MASSAGE}")))["service"]
    listed = await ok(wix.post(SLOTS, json={
        "serviceId": service["id"], "timeZone": zone, "bookable": True,
        "fromLocalDate": "2026-03-03T00:00:00", "toLocalDate": "2026-03-04T00:00:00"}))  # fmt: skip
    chosen = listed["timeSlots"][0]
    answers = await form_answers(wix, service["form"]["id"], pressure="medium")
    assert set(answers) >= {"first_name", "email", "pressure"}
    recheck = {"serviceId": service["id"], "timeZone": zone, "location": chosen["location"],
               "localStartDate": chosen["localStartDate"],
               "localEndDate": chosen["localEndDate"]}  # fmt: skip
    again = await ok(wix.post(f"{SLOTS}/get", json=recheck))
    slot = again["timeSlot"]
    staff = slot["availableResources"][0]["resources"][0]
    booking = {"bookedEntity": {"slot": {
        "serviceId": service["id"], "scheduleId": slot["scheduleId"], "timezone": zone,
        "startDate": slot["localStartDate"], "endDate": slot["localEndDate"],
        "resource": {"id": staff["id"]},
        "location": {"id": slot["location"]["id"], "locationType": "OWNER_BUSINESS"}}},
        "totalParticipants": 1, "selectedPaymentOption": "OFFLINE"}  # fmt: skip
    made = await create_with_form(wix, booking, answers)
    assert made["status"] == "CREATED"
    assert made["bookedEntity"]["slot"]["resource"]["name"] == staff["name"]
    assert made["contactDetails"]["email"] == "grace@example.com"
    assert made["formId"] == seed.FORM_MASSAGE and made["formSubmissionId"]


async def test_book_a_class_session(wix: httpx.AsyncClient) -> None:
    zone = await business_zone(wix)
    listed = await ok(wix.post(EVENT_SLOTS, json={
        "serviceIds": [seed.SERVICE_YOGA], "timeZone": zone, "minBookableCapacity": 3,
        "fromLocalDate": "2026-03-02T00:00:00", "toLocalDate": "2026-03-09T00:00:00"}))  # fmt: skip
    event_id = listed["timeSlots"][0]["eventInfo"]["eventId"]
    answers = await form_answers(wix, seed.FORM_YOGA, experience="intermediate")
    before = await ok(wix.get(f"{EVENT_SLOTS}/{event_id}", params={"timeZone": zone}))
    assert before["timeSlot"]["remainingCapacity"] >= 3
    booking = {"bookedEntity": {"slot": {"serviceId": seed.SERVICE_YOGA, "eventId": event_id}},
               "totalParticipants": 3}  # fmt: skip
    made = await create_with_form(wix, booking, answers)
    assert made["status"] == "CREATED"
    assert made["bookedEntity"]["slot"]["eventId"] == event_id
    await ok(confirm_or_decline(wix, made["id"]))
    after = await ok(wix.get(f"{EVENT_SLOTS}/{event_id}", params={"timeZone": zone}))
    assert after["timeSlot"]["remainingCapacity"] == before["timeSlot"]["remainingCapacity"] - 3


async def places_taken(wix: httpx.AsyncClient, schedule_id: str) -> int:
    """Sum the participants of the course's blocking bookings (Query Extended Bookings)."""
    query = {"filter": {"bookedEntity.item.schedule.scheduleId": schedule_id,
                        "status": {"$in": ["CONFIRMED", "PENDING"]}},
             "cursorPaging": {"limit": 100}}  # fmt: skip
    found = await ok(wix.post(QUERY, json={"query": query}))
    return sum(e["booking"]["totalParticipants"] for e in found["extendedBookings"])


async def test_book_a_course(wix: httpx.AsyncClient) -> None:
    for group in (4, 2):
        await created(wix, course(totalParticipants=group, status="CONFIRMED"))
    await created(wix, course(totalParticipants=4))  # CREATED: not holding places
    service = (await ok(wix.get(f"/bookings/v2/services/{seed.SERVICE_PILATES_COURSE}")))["service"]
    schedule_id = service["schedule"]["id"]
    assert schedule_id == COURSE_SCHEDULE
    remaining = service["defaultCapacity"] - await places_taken(wix, schedule_id)
    assert remaining == 2
    answers = await form_answers(wix, service["form"]["id"])
    assert service["defaultCapacity"] - await places_taken(wix, schedule_id) >= 2  # recheck
    booking = {"bookedEntity": {"schedule": {"scheduleId": schedule_id}}, "totalParticipants": 2}
    made = await create_with_form(wix, booking, answers)
    assert made["status"] == "CREATED"
    assert (await ok(confirm_or_decline(wix, made["id"])))["booking"]["status"] == "CONFIRMED"
    assert await places_taken(wix, schedule_id) == service["defaultCapacity"]


# -- double booking conflicts --------------------------------------------------------------


async def double_booked(wix: httpx.AsyncClient, booking: dict[str, Any]) -> dict[str, Any]:
    """Two customers pay for the same slot: the second ends up `doubleBooked`. Detect it with
    Query Extended Bookings and return it."""
    customers = [await created(wix, booking) for _ in range(2)]  # both see a free slot
    for made in customers:
        await ok(confirm_or_decline(wix, made["id"], paymentStatus="PAID"))
    found = await ok(wix.post(QUERY, json={"query": {"filter": {"doubleBooked": True}}}))
    (conflict,) = found["extendedBookings"]
    assert conflict["booking"]["id"] == made["id"]
    return dict(conflict["booking"])


async def still_double_booked(wix: httpx.AsyncClient) -> list[str]:
    found = await ok(wix.post(QUERY, json={"query": {"filter": {"doubleBooked": True}}}))
    return [e["booking"]["id"] for e in found["extendedBookings"]]


async def allowed(wix: httpx.AsyncClient, booking_id: str) -> dict[str, Any]:
    reply = await ok(wix.post("/bookings/v2/bulk/bookings/calculate_allowed_actions",
                              json={"bookingIds": [booking_id]}))  # fmt: skip
    return dict(reply["results"][0]["item"])


async def test_resolve_double_booking_by_rescheduling(wix: httpx.AsyncClient) -> None:
    conflict = await double_booked(wix, appointment())
    assert (await allowed(wix, conflict["id"]))["reschedule"] is True
    listed = await ok(wix.post(SLOTS, json={
        "serviceId": seed.SERVICE_HAIRCUT, "timeZone": "Europe/London", "bookable": True,
        "fromLocalDate": "2026-03-03T12:00:00", "toLocalDate": "2026-03-03T13:00:00"}))  # fmt: skip
    alternative = listed["timeSlots"][0]
    location = {"id": alternative["location"]["id"], "locationType": "OWNER_BUSINESS"}
    slot = {"serviceId": seed.SERVICE_HAIRCUT, "timezone": "Europe/London", "location": location,
            "startDate": alternative["localStartDate"],
            "endDate": alternative["localEndDate"]}  # fmt: skip
    moved = await ok(
        action(wix, conflict["id"], "reschedule", revision=conflict["revision"], slot=slot)
    )
    assert moved["booking"]["status"] == "CONFIRMED"
    # London is on UTC in early March, so the local slot start is the UTC start
    assert moved["booking"]["startDate"] == f"{alternative['localStartDate']}.000Z"
    assert await still_double_booked(wix) == []


async def test_resolve_double_booking_by_cancelling(wix: httpx.AsyncClient) -> None:
    conflict = await double_booked(wix, appointment())
    assert (await allowed(wix, conflict["id"]))["cancel"] is True
    flow = {"withRefund": True, "waiveCancellationFee": True}
    canceled = await ok(action(wix, conflict["id"], "cancel", revision=conflict["revision"],
                               flowControlSettings=flow))  # fmt: skip
    assert canceled["booking"]["status"] == "CANCELED"
    assert canceled["booking"]["flowControlSettings"] == flow
    still = await ok(wix.post(QUERY, json={"query": {"filter": {
        "doubleBooked": True, "status": {"$ne": "CANCELED"}}}}))  # fmt: skip
    assert still["extendedBookings"] == []


def consultation_with_anna() -> dict[str, Any]:
    """A manual-approval service: a paid conflict stays PENDING, waiting for the owner."""
    return appointment(
        seed.SERVICE_CONSULTATION, end="2026-03-03T10:45:00", resource=seed.STAFF_ANNA
    )


async def test_force_confirm_with_confirm_booking(wix: httpx.AsyncClient) -> None:
    conflict = await double_booked(wix, consultation_with_anna())
    assert conflict["status"] == "PENDING"
    confirmed = await ok(action(wix, conflict["id"], "confirm", revision=conflict["revision"]))
    assert confirmed["booking"]["status"] == "CONFIRMED"
    assert confirmed["booking"]["revision"] == str(int(conflict["revision"]) + 1)


async def test_force_decline_with_decline_booking(wix: httpx.AsyncClient) -> None:
    conflict = await double_booked(wix, consultation_with_anna())
    declined = await ok(action(wix, conflict["id"], "decline", revision=conflict["revision"],
                               paymentStatus="REFUNDED"))  # fmt: skip
    assert (declined["booking"]["status"], declined["booking"]["paymentStatus"]) == (
        "DECLINED",
        "REFUNDED",
    )
    assert await still_double_booked(wix) == [conflict["id"]]  # the flag stays as history
    assert (await allowed(wix, conflict["id"])) == {"cancel": False, "reschedule": False}


# -- multi-service bookings: create, reschedule, then add a booking -------------------------


async def first_chain(wix: httpx.AsyncClient, day: str, services: list[str]) -> list[Json]:
    """The nested slots of the first bookable multi-service time slot on `day`."""
    body = {
        "services": [{"serviceId": s} for s in services],
        "fromLocalDate": f"{day}T00:00:00",
        "toLocalDate": f"{day}T23:59:59",
        "timeZone": "Europe/London",
        "location": {"locationType": "BUSINESS", "id": seed.LOCATION_MAIN},
        "bookable": True,
        "cursorPaging": {"limit": 1},
    }
    response = await wix.post("/_api/service-availability/v2/multi-service-time-slots", json=body)
    assert response.status_code == 200, response.text
    return list(response.json()["timeSlots"][0]["nestedTimeSlots"])


def slot_of(nested: Json) -> Json:
    """A booking slot from a nested time slot (Time Slots' BUSINESS becomes OWNER_BUSINESS)."""
    return {
        "serviceId": nested["serviceId"],
        "scheduleId": nested["scheduleId"],
        "startDate": nested["localStartDate"],
        "endDate": nested["localEndDate"],
        "timezone": "Europe/London",
        "location": {"locationType": "OWNER_BUSINESS", "id": seed.LOCATION_MAIN},
    }


async def test_multi_service_create_reschedule_then_add(wix: httpx.AsyncClient) -> None:
    services = [seed.SERVICE_HAIRCUT, seed.SERVICE_MASSAGE]
    chain = await first_chain(wix, WEDNESDAY, services)
    bookings = [{"bookedEntity": {"slot": slot_of(n)}, "totalParticipants": 1} for n in chain]
    response = await create_package(wix, bookings, multiServiceBookingType="SEQUENTIAL_BOOKINGS")
    assert response.status_code == 200, response.text
    msb = await fetch(wix, response.json()["multiServiceBooking"]["id"])

    new_chain = await first_chain(wix, THURSDAY, services)
    moves = [
        {"bookingId": b["id"], "revision": b["revision"], "slot": slot_of(n)}
        for b, n in zip(bookings_of(msb), new_chain, strict=True)
    ]
    response = await act(wix, msb, "reschedule", rescheduleBookingsInfo=moves)
    assert response.status_code == 200, response.text

    end = datetime.fromisoformat(new_chain[-1]["localEndDate"])  # then a facial with Ella
    after_end = (end + timedelta(minutes=75)).isoformat()
    facial = await created(
        wix, appointment(seed.SERVICE_FACIAL, end.isoformat(), after_end, seed.STAFF_ELLA)
    )
    response = await wix.post(ADD, json=members(msb, facial))
    assert response.status_code == 200, response.text
    after = bookings_of(await fetch(wix, msb["id"]))
    titles = [b["bookedEntity"]["title"] for b in after]
    assert titles == ["Express Haircut", "Deep Tissue Massage", "Signature Facial"]
    assert after[0]["startDate"].startswith(THURSDAY)
    assert (
        after[0]["endDate"] == after[1]["startDate"]
        and after[1]["endDate"] == after[2]["startDate"]
    )
