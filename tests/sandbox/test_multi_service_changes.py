"""Multi-service bookings in the sandbox ("Multi-service bookings" in
https://dev.wix.com/docs/api-reference/business-solutions/bookings/bookings/bookings-writer-v2/introduction):
Confirm, Decline, Mark As Pending and Cancel (every booking or none), Add and Remove Bookings,
and Bulk Get Allowed Actions. The usual package is described in package_helpers.py.
"""

from __future__ import annotations

import httpx

from gateway.sandbox import seed
from tests.sandbox.booking_helpers import action, created, failure, set_clock, stored
from tests.sandbox.package_helpers import (
    ADD,
    ALLOWED,
    BASE,
    CONFIRMED,
    FACIAL,
    HAIRCUT,
    MASSAGE,
    MISSING,
    REMOVE,
    TUESDAY_NOON,
    act,
    at,
    bookings_of,
    fetch,
    haircuts,
    infos,
    members,
    package,
)

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
    assert failure(refused) == (428, "FAILED_PRECONDITION")
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
    assert failure(again) == (428, "ALL_BOOKINGS_ARE_ALREADY_CANCELED")


async def test_cancel_respects_each_cancellation_policy(wix: httpx.AsyncClient) -> None:
    msb = await package(wix, [HAIRCUT, MASSAGE])
    await set_clock(wix, TUESDAY_NOON)
    assert failure(await act(wix, msb, "cancel")) == (403, "PERMISSION_DENIED")
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
        (late, (428, "FAILED_PRECONDITION")),
        (bookings_of(other)[0], (428, "BOOKING_ALREADY_PART_OF_ANOTHER_MULTI_SERVICE_BOOKING")),
        (await stored(wix, canceled["id"]), (428, "BOOKING_TO_ADD_STATUS_NOT_VALID")),
        ({**late, "revision": "5"}, (409, "BOOKING_REVISION_MISMATCH")),
    ]
    for booking, expected in cases:
        assert failure(await wix.post(ADD, json=members(msb, booking))) == expected
    assert len((await fetch(wix, msb["id"]))["bookings"]) == 2


async def test_add_keeps_at_most_eight_bookings(wix: httpx.AsyncClient) -> None:
    msb = await package(wix, haircuts(8))
    ninth = await created(wix, at(seed.SERVICE_HAIRCUT, "13:00", "13:30", seed.STAFF_ELLA))
    response = await wix.post(ADD, json=members(msb, ninth))
    assert failure(response) == (428, "FAILED_PRECONDITION")


async def test_remove_first_then_down_to_one_deletes_the_package(wix: httpx.AsyncClient) -> None:
    msb = await package(wix, [HAIRCUT, MASSAGE, FACIAL])
    haircut, massage, facial = bookings_of(msb)
    middle = await wix.post(REMOVE, json=members(msb, massage))
    assert failure(middle) == (428, "FAILED_PRECONDITION")

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
