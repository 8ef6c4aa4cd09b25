"""Multi-service bookings in the sandbox ("Multi-service bookings" in
https://dev.wix.com/docs/api-reference/business-solutions/bookings/bookings/bookings-writer-v2/introduction):
Create, Get and Reschedule, each all-or-nothing, and the single-booking methods refusing a
package's bookings. Confirm, Decline, Mark As Pending, Cancel, Add, Remove and allowed actions
are in test_multi_service_changes.py; the package helpers (and the usual package) in
package_helpers.py.
"""

from __future__ import annotations

import httpx
import pytest

from gateway.sandbox import seed
from gateway.sandbox.booking_codes import USE_MULTI_SERVICE_METHODS as IN_PACKAGE
from gateway.sandbox.state import Sandbox
from tests.sandbox.booking_helpers import (
    FORM,
    MASSAGE_FORM,
    QUERY,
    action,
    class_session,
    created,
    failure,
    stored,
    violations,
)
from tests.sandbox.package_helpers import (
    BASE,
    CONFIRMED,
    FACIAL,
    HAIRCUT,
    MASSAGE,
    MISSING,
    THURSDAY,
    WEDNESDAY,
    Json,
    act,
    at,
    booking_total,
    bookings_of,
    create_package,
    fetch,
    haircuts,
    package,
)

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
        (GAP, "VALIDATION_FAILURE"),
        ([MASSAGE, HAIRCUT], "VALIDATION_FAILURE"),
        (TWO_LOCATIONS, "VALIDATION_FAILURE"),
        (WITH_A_CLASS, "VALIDATION_FAILURE"),
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
    assert failure(response) == (428, "NO_OPEN_SPOTS")
    assert bookings_of(await fetch(wix, msb["id"])) == [haircut, massage]


async def test_reschedule_refuses_a_gap_a_stale_revision_and_a_stranger(
    wix: httpx.AsyncClient,
) -> None:
    msb = await package(wix, [HAIRCUT, MASSAGE])
    haircut = bookings_of(msb)[0]
    early = moved(haircut, "09:00", "09:30", WEDNESDAY)
    gap = await act(wix, msb, "reschedule", rescheduleBookingsInfo=[early])
    assert failure(gap) == (428, "FAILED_PRECONDITION")
    stale = {**early, "revision": "7"}
    assert (await act(wix, msb, "reschedule", rescheduleBookingsInfo=[stale])).status_code == 409
    stranger = await created(wix, at(seed.SERVICE_HAIRCUT, "16:00", "16:30", seed.STAFF_DAN))
    alien = moved(stranger, "10:00", "10:30", WEDNESDAY)
    response = await act(wix, msb, "reschedule", rescheduleBookingsInfo=[alien])
    assert failure(response) == (404, "BOOKING_NOT_FOUND")
    assert bookings_of(await fetch(wix, msb["id"]))[0] == haircut


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
    # Confirm and Decline declare no code of their own for it (`declared_codes.STAND_INS`).
    code = "INVALID_BOOKING_STATUS" if method in ("confirm", "decline") else IN_PACKAGE
    assert failure(response) == (428, code)
    assert (await fetch(wix, msb["id"]))["bookings"][0]["booking"]["revision"] == booking[
        "revision"
    ]
