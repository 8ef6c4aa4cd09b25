"""Bookings Writer V2 in the sandbox: Create Booking and Bulk Create Booking
(https://dev.wix.com/docs/api-reference/business-solutions/bookings/bookings/bookings-writer-v2/create-booking,
https://dev.wix.com/docs/api-reference/business-solutions/bookings/bookings/bookings-writer-v2/bulk-create-booking).

The lifecycle methods (reschedule, confirmations, cancel, ...) are in test_bookings_lifecycle.py.
"""

from __future__ import annotations

import httpx
import pytest

from gateway.sandbox import seed
from gateway.sandbox.state import Sandbox
from tests.sandbox.booking_helpers import (
    CREATE,
    CREATE_ALIAS,
    FORM,
    MASSAGE_FORM,
    YOGA_FORM,
    YOGA_SCHEDULE,
    action,
    appointment,
    class_session,
    code,
    confirm_or_decline,
    course,
    create,
    created,
    failure,
    violations,
)


def booking_count(sandbox: Sandbox) -> int:
    return int(sandbox.store.scalar("SELECT COUNT(*) FROM bookings"))


@pytest.mark.parametrize("path", [CREATE, CREATE_ALIAS])
async def test_create_appointment_from_form(
    wix: httpx.AsyncClient, sandbox: Sandbox, path: str
) -> None:
    response = await wix.post(path, json={"booking": appointment(), "formSubmission": FORM})
    assert response.status_code == 200, response.text
    booking = response.json()["booking"]
    assert booking["status"] == "CREATED"
    assert booking["paymentStatus"] == "UNDEFINED"
    assert booking["revision"] == "1"
    assert "_sandbox" not in booking and "doubleBooked" not in booking
    assert booking["startDate"] == "2026-03-03T10:00:00.000Z"
    slot = booking["bookedEntity"]["slot"]
    assert slot["resource"]["name"] == "Dan Hughes"
    assert slot["location"]["locationType"] == "OWNER_BUSINESS"
    assert "eventId" not in slot  # an appointment gets its event when confirmed
    assert booking["bookedEntity"]["tags"] == ["INDIVIDUAL"]
    contact = booking["contactDetails"]
    assert (contact["firstName"], contact["lastName"], contact["email"]) == (
        "Ada",
        "Lovelace",
        "ada@example.com",
    )
    assert booking["formId"] == seed.DEFAULT_FORM_ID
    submission = sandbox.store.get("submissions", booking["formSubmissionId"])
    assert submission is not None and submission["submissions"] == FORM


async def test_same_customer_gets_the_same_contact_id(wix: httpx.AsyncClient) -> None:
    first = await created(wix, appointment())
    second = await created(wix, appointment(start="2026-03-03T11:00:00", end="2026-03-03T11:30:00"))
    assert first["contactDetails"]["contactId"] == second["contactDetails"]["contactId"]


async def test_missing_required_form_field_is_400_naming_the_target(
    wix: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    form = {k: v for k, v in MASSAGE_FORM.items() if k != "pressure"}
    booking = appointment(seed.SERVICE_MASSAGE, resource=seed.STAFF_ANNA, end="2026-03-03T11:00:00")
    response = await create(wix, booking, form)
    assert response.status_code == 400
    assert violations(response) == ["formSubmission.pressure"]
    assert booking_count(sandbox) == 0


async def test_form_answer_outside_the_options_is_400(wix: httpx.AsyncClient) -> None:
    form = {**MASSAGE_FORM, "pressure": "extreme"}
    booking = appointment(seed.SERVICE_MASSAGE, resource=seed.STAFF_ANNA, end="2026-03-03T11:00:00")
    response = await create(wix, booking, form)
    assert response.status_code == 400
    assert violations(response) == ["formSubmission.pressure"]


async def test_contact_details_conflicting_with_the_form(wix: httpx.AsyncClient) -> None:
    booking = appointment(contactDetails={"email": "someone.else@example.com"})
    response = await create(wix, booking)
    assert response.status_code == 400
    assert code(response) == "CONTACT_DETAILS_CONFLICT"


async def test_created_bookings_do_not_block_but_a_busy_resource_does(
    wix: httpx.AsyncClient,
) -> None:
    await created(wix, appointment())
    await created(wix, appointment())  # CREATED doesn't hold Dan
    await created(wix, appointment(status="CONFIRMED"))
    for status in ("CREATED", "CONFIRMED"):
        response = await create(wix, appointment(status=status))
        assert response.status_code == 428
        assert code(response) == "SLOT_NOT_AVAILABLE"


async def test_buffer_after_a_confirmed_booking_is_busy(wix: httpx.AsyncClient) -> None:
    await created(wix, appointment(status="CONFIRMED"))  # 10:00-10:30 + 10 min buffer
    busy = await create(wix, appointment(start="2026-03-03T10:35:00", end="2026-03-03T11:05:00"))
    assert code(busy) == "SLOT_NOT_AVAILABLE"
    await created(wix, appointment(start="2026-03-03T10:40:00", end="2026-03-03T11:10:00"))


async def test_confirmed_create_without_resource_gets_a_free_one(wix: httpx.AsyncClient) -> None:
    booking = await created(wix, appointment(resource=None, status="CONFIRMED"))
    slot = booking["bookedEntity"]["slot"]
    assert slot["resource"]["id"] == seed.STAFF_DAN  # the only barber on Tuesdays
    assert slot["eventId"]
    response = await create(wix, appointment(resource=None))
    assert code(response) == "SLOT_NOT_AVAILABLE"  # nobody left, even for CREATED


@pytest.mark.parametrize(
    ("change", "status", "expected"),
    [
        ({"start": "2026-03-03T13:00:00", "end": "2026-03-03T13:30:00"}, 428, "SLOT_NOT_AVAILABLE"),
        ({"resource": seed.STAFF_ANNA}, 428, "INVALID_FLOW_SELECTED_RESOURCES"),
        ({"start": "2026-03-03 10:00"}, 400, "INVALID_DATE_FORMAT"),
    ],
)
async def test_create_rejects_bad_slots(
    wix: httpx.AsyncClient, change: dict[str, str], status: int, expected: str
) -> None:
    response = await create(wix, appointment(**change))
    assert response.status_code == status
    assert code(response) == expected


async def test_create_rejects_a_bad_time_zone(wix: httpx.AsyncClient) -> None:
    booking = appointment()
    booking["bookedEntity"]["slot"]["timezone"] = "Europe/Atlantis"
    response = await create(wix, booking)
    assert response.status_code == 400
    assert code(response) == "INVALID_TIME_ZONE"


async def test_slot_with_an_offset_is_read_as_an_instant(wix: httpx.AsyncClient) -> None:
    booking = appointment(start="2026-03-03T11:00:00+01:00", end="2026-03-03T11:30:00+01:00")
    assert (await created(wix, booking))["startDate"] == "2026-03-03T10:00:00.000Z"


async def test_local_slot_after_the_clocks_change(wix: httpx.AsyncClient) -> None:
    """London is on BST from 2026-03-29: 10:00 local on Monday 30 March is 09:00 UTC."""
    booking = await created(
        wix, appointment(start="2026-03-30T10:00:00", end="2026-03-30T10:30:00")
    )
    assert (booking["startDate"], booking["endDate"]) == (
        "2026-03-30T09:00:00.000Z",
        "2026-03-30T09:30:00.000Z",
    )


async def test_time_slots_business_location_type_is_rejected(wix: httpx.AsyncClient) -> None:
    booking = appointment()
    booking["bookedEntity"]["slot"]["location"]["locationType"] = "BUSINESS"
    response = await create(wix, booking)
    assert response.status_code == 400
    assert violations(response) == ["booking.bookedEntity.slot.location.locationType"]


@pytest.mark.parametrize(
    ("booking", "flag"),
    [
        (appointment(start="2026-03-02T09:30:00", end="2026-03-02T10:00:00"), "tooLateToBook"),
        (appointment(start="2026-05-05T10:00:00", end="2026-05-05T10:30:00"), "tooEarlyToBook"),
        (
            appointment(seed.SERVICE_SAUNA, end="2026-03-03T10:50:00", resource=seed.STAFF_BEN),
            "bookOnlineDisabled",
        ),
    ],
)
async def test_booking_policy_violation_is_403_with_flags(
    wix: httpx.AsyncClient, booking: dict, flag: str
) -> None:
    response = await create(wix, booking)
    assert response.status_code == 403
    assert code(response) == "BOOKING_POLICY_VIOLATION"
    assert response.json()["details"]["applicationError"]["data"][flag] is True


async def test_participants_over_the_policy_maximum(wix: httpx.AsyncClient) -> None:
    response = await create(wix, class_session(totalParticipants=5), YOGA_FORM)
    assert response.status_code == 428
    assert code(response) == "VALIDATION_FAILURE"
    await created(wix, class_session(totalParticipants=4), form=YOGA_FORM)


async def test_participants_choices_and_totals(wix: httpx.AsyncClient) -> None:
    choices = {"serviceChoices": [{"numberOfParticipants": 1, "choices": []}]}
    response = await create(wix, appointment(participantsChoices=choices))
    assert response.status_code == 400  # both totalParticipants and participantsChoices
    booking = appointment(participantsChoices=choices)
    del booking["totalParticipants"]
    response = await create(wix, booking)
    assert failure(response) == (428, "INVALID_SERVICE_CHOICES")


async def test_class_session_is_booked_by_event_id(wix: httpx.AsyncClient) -> None:
    booking = await created(wix, class_session(totalParticipants=2), form=YOGA_FORM)
    slot = booking["bookedEntity"]["slot"]
    assert (slot["serviceId"], slot["scheduleId"]) == (seed.SERVICE_YOGA, YOGA_SCHEDULE)
    assert (slot["startDate"], slot["endDate"]) == (
        "2026-03-02T18:00:00.000Z",
        "2026-03-02T19:00:00.000Z",
    )
    assert slot["resource"]["id"] == seed.STAFF_FIONA
    assert booking["bookedEntity"]["tags"] == ["GROUP"]
    assert booking["formId"] == seed.FORM_YOGA


async def test_unknown_class_session(wix: httpx.AsyncClient) -> None:
    wednesday_noon = f"{YOGA_SCHEDULE}-20260304T120000Z"  # well-formed, but no such session
    response = await create(wix, class_session(wednesday_noon), YOGA_FORM)
    assert failure(response) == (428, "SESSION_NOT_FOUND")


async def test_session_capacity_only_blocks_confirmed_creates(wix: httpx.AsyncClient) -> None:
    for _ in range(2):
        await created(wix, class_session(totalParticipants=4, status="CONFIRMED"), form=YOGA_FORM)
    response = await create(wix, class_session(totalParticipants=3, status="CONFIRMED"), YOGA_FORM)
    assert failure(response) == (428, "SESSION_CAPACITY_EXCEEDED")
    await created(wix, class_session(totalParticipants=2, status="CONFIRMED"), form=YOGA_FORM)
    await created(wix, class_session(totalParticipants=3), form=YOGA_FORM)  # CREATED


async def test_course_is_booked_by_schedule(wix: httpx.AsyncClient) -> None:
    booking = await created(wix, course())
    schedule = booking["bookedEntity"]["schedule"]
    assert schedule["firstSessionStart"] == "2026-03-12T19:00:00.000Z"
    assert schedule["lastSessionEnd"] == "2026-04-16T19:00:00.000Z"
    assert (booking["startDate"], booking["endDate"]) == (
        schedule["firstSessionStart"],
        schedule["lastSessionEnd"],
    )
    assert booking["bookedEntity"]["tags"] == ["COURSE"]


async def test_course_errors(wix: httpx.AsyncClient) -> None:
    response = await create(wix, course(YOGA_SCHEDULE))  # a class schedule isn't a course
    assert failure(response) == (428, "SCHEDULE_NOT_FOUND")
    for _ in range(2):
        await created(wix, course(totalParticipants=4, status="CONFIRMED"))
    response = await create(wix, course(status="CONFIRMED"))
    assert failure(response) == (428, "SCHEDULE_CAPACITY_EXCEEDED")


async def test_skip_availability_validation_needs_a_resource(wix: httpx.AsyncClient) -> None:
    flow = {"skipAvailabilityValidation": True}
    await created(wix, appointment(status="CONFIRMED"))
    late = appointment(start="2026-03-02T09:30:00", end="2026-03-02T10:00:00")
    for booking in (appointment(status="CONFIRMED"), late):  # busy, then too late
        forced = await created(wix, booking, flowControlSettings=flow)
        assert forced["flowControlSettings"]["skipAvailabilityValidation"] is True
    response = await create(wix, appointment(resource=None), flowControlSettings=flow)
    assert response.status_code == 428
    assert code(response) == "CAN_NOT_SKIP_AVAILABILITY_VALIDATION_IF_RESOURCE_NOT_PROVIDED"


async def test_payment_option_must_be_offered_unless_skipped(wix: httpx.AsyncClient) -> None:
    online = appointment(selectedPaymentOption="ONLINE")  # the free haircut is paid in person
    response = await create(wix, online)
    assert failure(response) == (428, "VALIDATION_FAILURE")
    flow = {"skipSelectedPaymentOptionValidation": True}
    forced = await created(wix, online, flowControlSettings=flow)
    assert forced["selectedPaymentOption"] == "ONLINE"
    await created(wix, appointment(selectedPaymentOption="OFFLINE"))


async def test_add_ons_must_be_linked_unless_skipped(wix: httpx.AsyncClient) -> None:
    booking = appointment(bookedAddOns=[{"id": "f7000000-0000-4000-8000-000000000001"}])
    response = await create(wix, booking)
    assert failure(response) == (428, "VALIDATION_FAILURE")
    forced = await created(wix, booking, flowControlSettings={"skipAddOnValidation": True})
    assert forced["bookedAddOns"] == booking["bookedAddOns"]


async def test_skip_business_confirmation_confirms_manual_approval(
    wix: httpx.AsyncClient,
) -> None:
    consultation = appointment(
        seed.SERVICE_CONSULTATION, end="2026-03-03T10:45:00", resource=seed.STAFF_ANNA
    )
    plain = await created(wix, consultation)
    forced = await created(
        wix,
        appointment(
            seed.SERVICE_CONSULTATION,
            start="2026-03-03T11:00:00",
            end="2026-03-03T11:45:00",
            resource=seed.STAFF_ANNA,
        ),
        flowControlSettings={"skipBusinessConfirmation": True},
    )
    assert (await confirm_or_decline(wix, plain["id"])).json()["booking"]["status"] == "PENDING"
    assert (await confirm_or_decline(wix, forced["id"])).json()["booking"]["status"] == "CONFIRMED"


async def test_multi_service_info_is_refused(wix: httpx.AsyncClient) -> None:
    booking = appointment(multiServiceBookingInfo={"id": "f8000000-0000-4000-8000-000000000001"})
    response = await create(wix, booking)
    assert response.status_code == 428
    assert code(response) == "CAN_NOT_CREATE_BOOKING_WITH_MULTI_SERVICE_BOOKING_INFO"


async def test_missing_booked_entity_is_400(wix: httpx.AsyncClient) -> None:
    response = await create(wix, {"totalParticipants": 1})
    assert response.status_code == 400
    assert violations(response) == ["booking.bookedEntity"]


# -- Bulk Create Booking -------------------------------------------------------------------

BULK = "/bookings/v2/bulk/bookings/create"


def info(booking: dict) -> dict:
    return {"booking": booking, "formSubmission": FORM}


async def test_bulk_create_reports_each_item(wix: httpx.AsyncClient, sandbox: Sandbox) -> None:
    confirmed = appointment(status="CONFIRMED")
    body = {"createBookingsInfo": [info(confirmed), info(confirmed), info(course())]}
    response = await wix.post(BULK, json=body)
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["itemMetadata"]["success"] for r in results] == [True, False, True]
    assert [r["itemMetadata"]["originalIndex"] for r in results] == [0, 1, 2]
    assert results[1]["itemMetadata"]["error"]["code"] == "SLOT_NOT_AVAILABLE"
    assert all("item" not in r for r in results)  # no returnFullEntity
    assert response.json()["bulkActionMetadata"] == {
        "totalSuccesses": 2,
        "totalFailures": 1,
        "undetailedFailures": 0,
    }
    assert booking_count(sandbox) == 2


async def test_bulk_create_returns_full_entities_on_request(wix: httpx.AsyncClient) -> None:
    body = {"createBookingsInfo": [info(course())], "returnFullEntity": True}
    (result,) = (await wix.post(BULK, json=body)).json()["results"]
    assert result["item"]["id"] == result["itemMetadata"]["id"]
    assert result["item"]["bookedEntity"]["tags"] == ["COURSE"]


async def test_bulk_create_malformed_item_fails_the_whole_call(
    wix: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    body = {"createBookingsInfo": [info(course()), info({"totalParticipants": 1})]}
    response = await wix.post(BULK, json=body)
    assert response.status_code == 400
    assert booking_count(sandbox) == 0


async def test_bulk_create_takes_at_most_eight(wix: httpx.AsyncClient) -> None:
    response = await wix.post(BULK, json={"createBookingsInfo": [info(course())] * 9})
    assert response.status_code == 400
    assert violations(response) == ["createBookingsInfo"]


async def test_unknown_booking_is_404(wix: httpx.AsyncClient) -> None:
    response = await action(wix, "f9000000-0000-4000-8000-000000000000", "confirm", revision="1")
    assert failure(response) == (404, "BOOKING_NOT_FOUND")
