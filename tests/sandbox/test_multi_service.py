"""Multi-service bookings in the sandbox (bookings.md §6): every method, all-or-nothing, and the
Wix sample flow "create, reschedule, then add a booking" over real HTTP.

The clock is frozen on Monday 2026-03-02 09:00 UTC (see booking_helpers). The usual package is on
Wednesday at the main location: a haircut with Dan 10:00-10:30, a massage with Anna 10:30-11:30
(strict policy: no cancel or reschedule within 24h) and a facial with Ella 11:30-12:45.
"""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest

from gateway.sandbox import seed
from gateway.sandbox.state import Sandbox
from tests.sandbox.booking_helpers import (
    COUNT,
    FORM,
    MASSAGE_FORM,
    QUERY,
    action,
    appointment,
    class_session,
    created,
    failure,
    set_clock,
    start_at,
    stored,
    violations,
)

pytestmark = pytest.mark.usefixtures("monday_morning")

BASE = "/_api/bookings-service/v2/multi_service_bookings"
ADD = f"{BASE}/add_bookings_to_multi_service_booking"
REMOVE = f"{BASE}/remove_bookings_from_multi_service_booking"
ALLOWED = "/bookings/multiServiceBookings/v2/bulk/multi_service_bookings/get_allowed_actions"
MISSING = "00000000-0000-4000-8000-00000000dead"
WEDNESDAY, THURSDAY = "2026-03-04", "2026-03-05"
TUESDAY_NOON = "2026-03-03T12:00:00Z"  # less than 24h before the Wednesday massage

Json = dict[str, Any]


def at(service: str, start: str, end: str, staff: str | None, day: str = WEDNESDAY) -> Json:
    """An appointment on `day` ("HH:MM" local times) at the main location."""
    return appointment(service, f"{day}T{start}:00", f"{day}T{end}:00", staff)


def haircuts(count: int, start_hour: int = 9) -> list[Json]:
    """`count` back-to-back half-hour haircuts from `start_hour`, any staff."""
    times = [f"{start_hour + n // 2:02d}:{30 * (n % 2):02d}" for n in range(count + 1)]
    return [at(seed.SERVICE_HAIRCUT, s, e, None) for s, e in itertools.pairwise(times)]


HAIRCUT = at(seed.SERVICE_HAIRCUT, "10:00", "10:30", seed.STAFF_DAN)
MASSAGE = at(seed.SERVICE_MASSAGE, "10:30", "11:30", seed.STAFF_ANNA)
FACIAL = at(seed.SERVICE_FACIAL, "11:30", "12:45", seed.STAFF_ELLA)
CONFIRMED = {"status": "CONFIRMED"}


async def create_package(wix: httpx.AsyncClient, bookings: list[Json], **extra: Any):
    items = [{"booking": b} for b in bookings]
    body = {"multiServiceBooking": {"bookings": items}, "formSubmission": FORM, **extra}
    return await wix.post(BASE, json=body)


async def package(wix: httpx.AsyncClient, bookings: list[Json]) -> Json:
    """Create a package and return it as Get Multi Service Booking shows it."""
    response = await create_package(wix, bookings)
    assert response.status_code == 200, response.text
    return await fetch(wix, response.json()["multiServiceBooking"]["id"])


async def fetch(wix: httpx.AsyncClient, package_id: str) -> Json:
    response = await wix.get(f"{BASE}/{package_id}")
    assert response.status_code == 200, response.text
    return dict(response.json()["multiServiceBooking"])


async def act(wix: httpx.AsyncClient, msb: Json, action: str, **body: Any) -> httpx.Response:
    return await wix.post(f"{BASE}/{msb['id']}/{action}", json=body)


def bookings_of(msb: Json) -> list[Json]:
    return [item["booking"] for item in msb["bookings"]]


def infos(msb: Json, **extra: Any) -> list[Json]:
    return [{"bookingId": b["id"], "revision": b["revision"], **extra} for b in bookings_of(msb)]


def members(msb: Json, *bookings: Json) -> Json:
    """An Add / Remove Bookings body."""
    listed = [{"bookingId": b["id"], "revision": b["revision"]} for b in bookings]
    return {"multiServiceBookingId": msb["id"], "bookings": listed}


async def booking_total(wix: httpx.AsyncClient) -> int:
    return int((await wix.post(COUNT, json={"filter": {}})).json()["count"])


# -- create and get ----------------------------------------------------------------------------


async def test_create_links_every_booking_and_get_returns_them(wix: httpx.AsyncClient) -> None:
    response = await create_package(wix, [HAIRCUT, MASSAGE, FACIAL])
    assert response.status_code == 200, response.text
    made = response.json()["multiServiceBooking"]
    assert all(set(item) == {"bookingId"} for item in made["bookings"])  # no returnFullEntity

    msb = await fetch(wix, made["id"])
    assert msb["bookings"][0]["bookingId"] == made["bookings"][0]["bookingId"]
    bookings = bookings_of(msb)
    starts = [b["startDate"][11:16] for b in bookings]
    assert starts == ["10:00", "10:30", "11:30"]
    for booking in bookings:
        assert booking["multiServiceBookingInfo"] == {
            "id": msb["id"],
            "type": "SEQUENTIAL_BOOKINGS",
        }
        assert booking["formId"] == seed.DEFAULT_FORM_ID
        assert (booking["status"], booking["revision"]) == ("CREATED", "1")
        assert booking["contactDetails"]["email"] == FORM["email"]
    # The package's bookings are regular bookings for the reader.
    assert (await stored(wix, bookings[1]["id"]))["multiServiceBookingInfo"]["id"] == msb["id"]


async def test_create_accepts_the_sdk_shape_and_returns_full_entities(
    wix: httpx.AsyncClient,
) -> None:
    body = {"bookings": [HAIRCUT, MASSAGE], "returnFullEntity": True, "formSubmission": FORM}
    response = await wix.post(BASE, json=body)
    assert response.status_code == 200, response.text
    items = response.json()["multiServiceBooking"]["bookings"]
    titles = [item["booking"]["bookedEntity"]["title"] for item in items]
    assert titles == ["Express Haircut", "Deep Tissue Massage"]
    assert all(item["booking"]["id"] == item["bookingId"] for item in items)


@pytest.mark.parametrize("size", [1, 9])
async def test_create_needs_two_to_eight_bookings(wix: httpx.AsyncClient, size: int) -> None:
    response = await create_package(wix, haircuts(size))
    assert response.status_code == 400
    assert violations(response) == ["multiServiceBooking.bookings"]
    assert await booking_total(wix) == 0


def at_city(booking: Json) -> Json:
    slot = booking["bookedEntity"]["slot"]
    location = {"locationType": "OWNER_BUSINESS", "id": seed.LOCATION_CITY}
    return {**booking, "bookedEntity": {"slot": {**slot, "location": location}}}


GAP = [HAIRCUT, at(seed.SERVICE_MASSAGE, "10:45", "11:45", seed.STAFF_ANNA)]
TWO_LOCATIONS = [HAIRCUT, at_city(at(seed.SERVICE_CONSULTATION, "10:30", "11:15", None))]
WITH_A_CLASS = [at(seed.SERVICE_MASSAGE, "17:00", "18:00", None, "2026-03-02"), class_session()]


@pytest.mark.parametrize(
    ("bookings", "expected"),
    [
        (GAP, "BOOKINGS_NOT_SEQUENTIAL"),
        ([MASSAGE, HAIRCUT], "BOOKINGS_NOT_SEQUENTIAL"),
        (TWO_LOCATIONS, "BOOKINGS_AT_DIFFERENT_LOCATIONS"),
        (WITH_A_CLASS, "SERVICE_TYPE_NOT_SUPPORTED"),
    ],
    ids=["gap", "out-of-order", "two-locations", "class-session"],
)
async def test_create_rejects_what_a_package_cannot_hold(
    wix: httpx.AsyncClient, sandbox: Sandbox, bookings: list[Json], expected: str
) -> None:
    assert failure(await create_package(wix, bookings)) == (428, expected)
    assert await booking_total(wix) == 0
    assert sandbox.store.all("multi_service_bookings") == []


async def test_create_is_all_or_nothing_when_the_third_slot_is_taken(
    wix: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    taken = at(seed.SERVICE_HAIRCUT, "11:30", "12:00", seed.STAFF_ELLA)
    blocker = await created(wix, {**taken, **CONFIRMED})
    response = await create_package(wix, [HAIRCUT, MASSAGE, FACIAL])
    assert failure(response) == (428, "SLOT_NOT_AVAILABLE")
    listed = (await wix.post(QUERY, json={"query": {}})).json()["extendedBookings"]
    assert [e["booking"]["id"] for e in listed] == [blocker["id"]]
    assert sandbox.store.all("multi_service_bookings") == []


async def test_form_answers_are_checked_against_the_default_form(wix: httpx.AsyncClient) -> None:
    body = {"bookings": [HAIRCUT, MASSAGE], "formSubmission": {"first_name": "Ada"}}
    response = await wix.post(BASE, json=body)
    assert response.status_code == 400
    assert "formSubmission.email" in violations(response)
    assert await booking_total(wix) == 0


async def test_get_unknown_package_is_404(wix: httpx.AsyncClient) -> None:
    response = await wix.get(f"{BASE}/{MISSING}")
    assert failure(response) == (404, "MULTI_SERVICE_BOOKING_NOT_FOUND")


# -- reschedule --------------------------------------------------------------------------------


def moved(booking: Json, start: str, end: str, day: str = THURSDAY) -> Json:
    """A rescheduleBookingsInfo item: same service and staff, new local times."""
    slot = booking["bookedEntity"]["slot"]
    new_slot = at(slot["serviceId"], start, end, slot["resource"]["id"], day)
    slot = new_slot["bookedEntity"]["slot"]
    return {"bookingId": booking["id"], "revision": booking["revision"], "slot": slot}


async def test_reschedule_moves_the_package(wix: httpx.AsyncClient) -> None:
    msb = await package(wix, [HAIRCUT, MASSAGE])
    haircut, massage = bookings_of(msb)
    moves = [moved(haircut, "14:00", "14:30"), moved(massage, "14:30", "15:30")]
    response = await act(wix, msb, "reschedule", rescheduleBookingsInfo=moves)
    assert response.status_code == 200, response.text
    after = bookings_of(await fetch(wix, msb["id"]))
    assert [(b["startDate"], b["revision"]) for b in after] == [
        ("2026-03-05T14:00:00.000Z", "2"),
        ("2026-03-05T14:30:00.000Z", "2"),
    ]


async def test_reschedule_ignores_the_packages_own_old_slots(wix: httpx.AsyncClient) -> None:
    """Two confirmed haircuts with Dan shifted by 30 minutes: the first one's new slot is the
    second one's old slot, which must not count as taken."""
    first, second = (
        {**at(seed.SERVICE_HAIRCUT, s, e, seed.STAFF_DAN), **CONFIRMED}
        for s, e in (("10:00", "10:30"), ("10:30", "11:00"))
    )
    msb = await package(wix, [first, second])
    a, b = bookings_of(msb)
    moves = [moved(a, "10:30", "11:00", WEDNESDAY), moved(b, "11:00", "11:30", WEDNESDAY)]
    response = await act(wix, msb, "reschedule", rescheduleBookingsInfo=moves)
    assert response.status_code == 200, response.text
    assert bookings_of(await fetch(wix, msb["id"]))[0]["startDate"] == "2026-03-04T10:30:00.000Z"


async def test_reschedule_is_all_or_nothing(wix: httpx.AsyncClient) -> None:
    taken = at(seed.SERVICE_MASSAGE, "14:30", "15:30", seed.STAFF_ANNA, THURSDAY)
    await created(wix, {**taken, **CONFIRMED}, form=MASSAGE_FORM)
    msb = await package(wix, [HAIRCUT, MASSAGE])
    haircut, massage = bookings_of(msb)
    moves = [moved(haircut, "14:00", "14:30"), moved(massage, "14:30", "15:30")]
    response = await act(wix, msb, "reschedule", rescheduleBookingsInfo=moves)
    assert failure(response) == (428, "SLOT_NOT_AVAILABLE")
    assert bookings_of(await fetch(wix, msb["id"])) == [haircut, massage]


async def test_reschedule_refuses_a_gap_a_stale_revision_and_a_stranger(
    wix: httpx.AsyncClient,
) -> None:
    msb = await package(wix, [HAIRCUT, MASSAGE])
    haircut = bookings_of(msb)[0]
    early = moved(haircut, "09:00", "09:30", WEDNESDAY)
    gap = await act(wix, msb, "reschedule", rescheduleBookingsInfo=[early])
    assert failure(gap) == (428, "BOOKINGS_NOT_SEQUENTIAL")
    stale = {**early, "revision": "7"}
    assert (await act(wix, msb, "reschedule", rescheduleBookingsInfo=[stale])).status_code == 409
    stranger = await created(wix, at(seed.SERVICE_HAIRCUT, "16:00", "16:30", seed.STAFF_DAN))
    alien = moved(stranger, "10:00", "10:30", WEDNESDAY)
    response = await act(wix, msb, "reschedule", rescheduleBookingsInfo=[alien])
    assert failure(response) == (404, "BOOKING_NOT_IN_MULTI_SERVICE_BOOKING")
    assert bookings_of(await fetch(wix, msb["id"]))[0] == haircut


# -- status changes and cancel -----------------------------------------------------------------


async def test_confirm_needs_every_booking_then_confirms_all(wix: httpx.AsyncClient) -> None:
    msb = await package(wix, [HAIRCUT, MASSAGE])
    partial = await act(wix, msb, "confirm", confirmBookingsInfo=infos(msb)[:1])
    assert partial.status_code == 400
    paid = infos(msb, paymentStatus="PAID")
    assert (await act(wix, msb, "confirm", confirmBookingsInfo=paid)).status_code == 200
    after = await fetch(wix, msb["id"])
    statuses = {(b["status"], b["paymentStatus"], b["revision"]) for b in bookings_of(after)}
    assert statuses == {("CONFIRMED", "PAID", "2")}
    declined = await act(wix, msb, "decline", declineBookingsInfo=infos(after))
    assert failure(declined) == (428, "INVALID_BOOKING_STATUS")


async def test_confirm_is_all_or_nothing(wix: httpx.AsyncClient) -> None:
    msb = await package(wix, [{**HAIRCUT, **CONFIRMED}, MASSAGE])
    response = await act(wix, msb, "confirm", confirmBookingsInfo=infos(msb))
    assert failure(response) == (428, "INVALID_BOOKING_STATUS")
    massage = bookings_of(await fetch(wix, msb["id"]))[1]
    assert (massage["status"], massage["revision"]) == ("CREATED", "1")


async def test_decline_declines_every_booking(wix: httpx.AsyncClient) -> None:
    msb = await package(wix, [HAIRCUT, MASSAGE])
    response = await act(wix, msb, "decline", declineBookingsInfo=infos(msb))
    assert response.status_code == 200, response.text
    assert {b["status"] for b in bookings_of(response.json()["multiServiceBooking"])} == {
        "DECLINED"
    }


async def test_mark_as_pending_is_all_or_nothing(wix: httpx.AsyncClient) -> None:
    consultation = at(seed.SERVICE_CONSULTATION, "09:15", "10:00", None)
    msb = await package(wix, [consultation, HAIRCUT])  # only the consultation needs approval
    refused = await act(wix, msb, "mark_as_pending", markAsPendingBookingsInfo=infos(msb))
    assert failure(refused) == (428, "SERVICE_DOES_NOT_REQUIRE_MANUAL_APPROVAL")
    assert bookings_of(await fetch(wix, msb["id"]))[0]["status"] == "CREATED"
    skip = {"skipPendingApprovalServiceValidation": True}
    response = await act(
        wix, msb, "mark_as_pending", markAsPendingBookingsInfo=infos(msb), flowControlSettings=skip
    )
    assert response.status_code == 200, response.text
    after = bookings_of(await fetch(wix, msb["id"]))
    assert [b["status"] for b in after] == ["PENDING", "PENDING"]
    assert all(b["bookedEntity"]["slot"].get("resource") for b in after)  # staff now held


async def test_cancel_cancels_every_booking_once(wix: httpx.AsyncClient) -> None:
    msb = await package(wix, [HAIRCUT, MASSAGE])
    assert (await act(wix, msb, "cancel")).status_code == 200
    after = bookings_of(await fetch(wix, msb["id"]))
    assert [(b["status"], b["revision"]) for b in after] == [("CANCELED", "2")] * 2
    again = await act(wix, msb, "cancel")
    assert failure(again) == (428, "MULTI_SERVICE_BOOKING_ALREADY_CANCELED")


async def test_cancel_respects_each_cancellation_policy(wix: httpx.AsyncClient) -> None:
    msb = await package(wix, [HAIRCUT, MASSAGE])
    await set_clock(wix, TUESDAY_NOON)
    assert failure(await act(wix, msb, "cancel")) == (403, "CANCELLATION_POLICY_VIOLATION")
    assert {b["status"] for b in bookings_of(await fetch(wix, msb["id"]))} == {"CREATED"}
    forced = {"ignoreCancellationPolicy": True}
    assert (await act(wix, msb, "cancel", flowControlSettings=forced)).status_code == 200


# -- add and remove ----------------------------------------------------------------------------


async def test_add_a_booking_at_the_package_end(wix: httpx.AsyncClient) -> None:
    msb = await package(wix, [HAIRCUT, MASSAGE])
    facial = await created(wix, FACIAL)
    response = await wix.post(ADD, json=members(msb, facial))
    assert response.status_code == 200, response.text
    last = bookings_of(await fetch(wix, msb["id"]))[-1]
    assert last["id"] == facial["id"]
    assert (last["multiServiceBookingInfo"]["id"], last["revision"]) == (msb["id"], "2")


async def test_add_refuses_what_would_break_the_package(wix: httpx.AsyncClient) -> None:
    msb = await package(wix, [HAIRCUT, MASSAGE])
    late = await created(wix, at(seed.SERVICE_FACIAL, "12:00", "13:15", seed.STAFF_ELLA))
    other = await package(wix, haircuts(2, start_hour=14))
    canceled = await created(wix, FACIAL)
    assert (await action(wix, canceled["id"], "cancel", revision="1")).status_code == 200
    cases = [
        (late, (428, "BOOKINGS_NOT_SEQUENTIAL")),
        (bookings_of(other)[0], (428, "BOOKING_ALREADY_IN_MULTI_SERVICE_BOOKING")),
        (await stored(wix, canceled["id"]), (428, "INCOMPATIBLE_BOOKING_STATUS")),
        ({**late, "revision": "5"}, (409, "REVISION_MISMATCH")),
    ]
    for booking, expected in cases:
        assert failure(await wix.post(ADD, json=members(msb, booking))) == expected
    assert len((await fetch(wix, msb["id"]))["bookings"]) == 2


async def test_add_keeps_at_most_eight_bookings(wix: httpx.AsyncClient) -> None:
    msb = await package(wix, haircuts(8))
    ninth = await created(wix, at(seed.SERVICE_HAIRCUT, "13:00", "13:30", seed.STAFF_ELLA))
    response = await wix.post(ADD, json=members(msb, ninth))
    assert failure(response) == (428, "MULTI_SERVICE_BOOKING_MAX_BOOKINGS_EXCEEDED")


async def test_remove_first_then_down_to_one_deletes_the_package(wix: httpx.AsyncClient) -> None:
    msb = await package(wix, [HAIRCUT, MASSAGE, FACIAL])
    haircut, massage, facial = bookings_of(msb)
    middle = await wix.post(REMOVE, json=members(msb, massage))
    assert failure(middle) == (428, "BOOKINGS_NOT_SEQUENTIAL")

    first = await wix.post(REMOVE, json=members(msb, haircut))
    assert first.status_code == 200, first.text
    kept = [item["bookingId"] for item in first.json()["multiServiceBooking"]["bookings"]]
    assert kept == [massage["id"], facial["id"]]
    gone = await stored(wix, haircut["id"])
    assert "multiServiceBookingInfo" not in gone and gone["revision"] == "2"

    assert (await wix.post(REMOVE, json=members(msb, facial))).status_code == 200
    assert (await wix.get(f"{BASE}/{msb['id']}")).status_code == 404
    survivor = await stored(wix, massage["id"])
    assert "multiServiceBookingInfo" not in survivor
    standalone = await action(wix, massage["id"], "cancel", revision=survivor["revision"])
    assert standalone.status_code == 200


async def test_remove_with_an_empty_list_dissolves_the_package(wix: httpx.AsyncClient) -> None:
    msb = await package(wix, [HAIRCUT, MASSAGE])
    response = await wix.post(REMOVE, json={"multiServiceBookingId": msb["id"], "bookings": []})
    assert response.status_code == 200, response.text
    assert (await wix.get(f"{BASE}/{msb['id']}")).status_code == 404
    for booking in bookings_of(msb):
        assert "multiServiceBookingInfo" not in await stored(wix, booking["id"])


# -- allowed actions ---------------------------------------------------------------------------


async def test_bulk_allowed_actions_follow_every_booking(wix: httpx.AsyncClient) -> None:
    strict = await package(wix, [HAIRCUT, MASSAGE])
    canceled = await package(wix, haircuts(2, start_hour=14))
    await act(wix, canceled, "cancel")

    ids = [strict["id"], canceled["id"], MISSING]
    response = await wix.post(ALLOWED, json={"multiServiceBookingIds": ids})
    assert response.status_code == 200, response.text
    results = response.json()["results"]
    assert results[0]["item"] == {"cancel": True, "reschedule": True}
    assert results[1]["item"] == {"cancel": False, "reschedule": False}
    metadata = results[2]["itemMetadata"]
    assert (metadata["success"], metadata["error"]["code"]) == (
        False,
        "MULTI_SERVICE_BOOKING_NOT_FOUND",
    )
    assert response.json()["bulkActionMetadata"]["totalFailures"] == 1

    await set_clock(wix, TUESDAY_NOON)  # the massage may no longer change, so neither may all
    response = await wix.post(ALLOWED, json={"multiServiceBookingIds": [strict["id"]]})
    assert response.json()["results"][0]["item"] == {"cancel": False, "reschedule": False}
    too_many = await wix.post(ALLOWED, json={"multiServiceBookingIds": [MISSING] * 51})
    assert too_many.status_code == 400


# -- the Wix sample flow, over real HTTP -------------------------------------------------------


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


async def test_sample_flow_create_reschedule_then_add(wix_http: httpx.AsyncClient) -> None:
    wix = wix_http
    await start_at(wix)
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


# -- single-booking methods on package bookings -------------------------------------------------


@pytest.mark.parametrize("method", ["reschedule", "cancel", "confirm", "decline"])
async def test_single_booking_methods_refuse_package_bookings(
    wix: httpx.AsyncClient, method: str
) -> None:
    msb = await package(wix, [HAIRCUT, MASSAGE])
    booking = bookings_of(msb)[0]
    body: Json = {"revision": booking["revision"]}
    if method == "reschedule":
        body["slot"] = at(seed.SERVICE_HAIRCUT, "14:00", "14:30", seed.STAFF_DAN)["bookedEntity"][
            "slot"
        ]
    response = await action(wix, booking["id"], method, **body)
    assert failure(response) == (428, "BOOKING_IN_MULTI_SERVICE_BOOKING")
    assert (await fetch(wix, msb["id"]))["bookings"][0]["booking"]["revision"] == booking[
        "revision"
    ]
