"""Which webhook each change emits, through the sandbox's real routes, and what its body holds
(the `@wix/auto_sdk_bookings_bookings` / `_services` event types). Multi-service and bulk
methods: test_webhook_packages.py."""

from __future__ import annotations

from typing import Any

import httpx

from gateway.sandbox import seed
from gateway.sandbox.state import Sandbox
from tests.sandbox.booking_helpers import (
    action,
    appointment,
    class_session,
    confirm_or_decline,
    created,
)
from tests.sandbox.identity_helpers import as_, created_as, member_tokens, visitor_tokens
from tests.sandbox.webhook_helpers import Receiver, one, received

APP = {"appId": seed.CALLER_APP_ID}
SKIP_CHECK = {"flowControlSettings": {"skipAvailabilityValidation": True}}
SERVICE = f"/bookings/v2/services/{seed.SERVICE_HAIRCUT}"

Json = dict[str, Any]


async def test_create_emits_created_with_the_booking(
    wix: httpx.AsyncClient, sandbox: Sandbox, receiver: Receiver
) -> None:
    booking = await created(wix, appointment())
    delivery = await one(sandbox, receiver, "booking_created")
    assert delivery.event["createdEvent"] == {"entity": booking}


async def test_confirm_or_decline_of_a_paid_conflict_is_confirmed_double_booked(
    wix: httpx.AsyncClient, sandbox: Sandbox, receiver: Receiver
) -> None:
    first, second = [await created(wix, appointment()) for _ in range(2)]
    await confirm_or_decline(wix, first["id"], paymentStatus="PAID")
    answer = (await confirm_or_decline(wix, second["id"], paymentStatus="PAID")).json()
    await sandbox.webhooks.drain()
    plain, double = receiver.of(sandbox, "booking_confirmed")
    assert "doubleBooked" not in plain.body and plain.body["booking"]["id"] == first["id"]
    assert double.body == {
        "booking": answer["booking"],
        "initiatedBy": APP,
        "doubleBooked": True,
        "previousStatus": "CREATED",
        "previousPaymentStatus": "UNDEFINED",
    }


async def test_confirm_or_decline_of_a_free_conflict_is_declined_without_double_booked(
    wix: httpx.AsyncClient, sandbox: Sandbox, receiver: Receiver
) -> None:
    first, second = [await created(wix, appointment()) for _ in range(2)]
    await confirm_or_decline(wix, first["id"])
    await confirm_or_decline(wix, second["id"])
    declined = await one(sandbox, receiver, "booking_declined")
    assert declined.body["booking"]["status"] == "DECLINED"
    assert "doubleBooked" not in declined.body and declined.body["previousStatus"] == "CREATED"


async def test_a_manual_approval_booking_is_marked_as_pending(
    wix: httpx.AsyncClient, sandbox: Sandbox, receiver: Receiver
) -> None:
    consultation = appointment(seed.SERVICE_CONSULTATION, end="2026-03-03T10:45:00", resource=None)
    booking = await created(wix, consultation)
    await confirm_or_decline(wix, booking["id"])
    pending = await one(sandbox, receiver, "booking_markedAsPending")
    assert pending.body["booking"]["status"] == "PENDING"
    assert pending.body["previousStatus"] == "CREATED"


async def test_a_forced_confirmation_never_reports_a_double_booking(
    wix: httpx.AsyncClient, sandbox: Sandbox, receiver: Receiver
) -> None:
    """Confirm Booking without `checkAvailabilityValidation` resolves by force: no
    `doubleBooked` in its body, though the slot is taken."""
    await created(wix, appointment(status="CONFIRMED"))
    booking = await created(wix, appointment(), **SKIP_CHECK)
    notify = {"notifyParticipants": True, "message": "See you"}
    response = await action(wix, booking["id"], "confirm", revision="1", paymentStatus="PAID",
                            participantNotification=notify, sendSmsReminder=True)  # fmt: skip
    confirmed = await one(sandbox, receiver, "booking_confirmed")
    assert confirmed.body == {
        "booking": response.json()["booking"],
        "participantNotification": notify,
        "sendSmsReminder": True,
        "initiatedBy": APP,
        "previousStatus": "CREATED",
        "previousPaymentStatus": "UNDEFINED",
    }


async def test_a_checked_confirmation_reports_the_double_booking(
    wix: httpx.AsyncClient, sandbox: Sandbox, receiver: Receiver
) -> None:
    await created(wix, appointment(status="CONFIRMED"))
    booking = await created(wix, appointment(), **SKIP_CHECK)
    flow = {"checkAvailabilityValidation": True}
    await action(wix, booking["id"], "confirm", revision="1", flowControlSettings=flow)
    confirmed = await one(sandbox, receiver, "booking_confirmed")
    assert confirmed.body["doubleBooked"] is True
    assert confirmed.body["booking"]["doubleBooked"] is True


async def test_mark_as_pending_reports_a_conflict_it_checked(
    wix: httpx.AsyncClient, sandbox: Sandbox, receiver: Receiver
) -> None:
    await created(wix, appointment(status="CONFIRMED"))
    booking = await created(wix, appointment(), **SKIP_CHECK)
    flow = {"skipPendingApprovalServiceValidation": True, "checkAvailabilityValidation": True}
    await action(wix, booking["id"], "mark_booking_as_pending", revision="1",
                 paymentStatus="NOT_PAID", flowControlSettings=flow)  # fmt: skip
    pending = await one(sandbox, receiver, "booking_markedAsPending")
    assert pending.body["doubleBooked"] is True
    assert (pending.body["previousStatus"], pending.body["previousPaymentStatus"]) == (
        "CREATED",
        "UNDEFINED",
    )
    assert pending.body["booking"]["paymentStatus"] == "NOT_PAID"


async def test_decline_emits_declined(
    wix: httpx.AsyncClient, sandbox: Sandbox, receiver: Receiver
) -> None:
    booking = await created(wix, appointment())
    await action(wix, booking["id"], "decline", revision="1", paymentStatus="NOT_PAID")
    declined = await one(sandbox, receiver, "booking_declined")
    assert declined.body["booking"]["status"] == "DECLINED"
    assert declined.body["previousPaymentStatus"] == "UNDEFINED"


async def test_cancel_emits_canceled_with_the_applied_flags(
    wix: httpx.AsyncClient, sandbox: Sandbox, receiver: Receiver
) -> None:
    booking = await created(wix, appointment(status="CONFIRMED"))
    flow = {"ignoreCancellationPolicy": True, "withRefund": False, "unknownFlag": True}
    response = await action(wix, booking["id"], "cancel", revision="1", flowControlSettings=flow)
    canceled = await one(sandbox, receiver, "booking_canceled")
    assert canceled.body == {
        "booking": response.json()["booking"],
        "flowControlSettings": {"ignoreCancellationPolicy": True, "withRefund": False},
        "initiatedBy": APP,
        "previousStatus": "CONFIRMED",
    }


async def test_reschedule_emits_rescheduled_with_what_it_was(
    wix: httpx.AsyncClient, sandbox: Sandbox, receiver: Receiver
) -> None:
    booking = await created(wix, appointment(status="CONFIRMED"))
    slot = appointment(start="2026-03-03T14:00:00", end="2026-03-03T14:30:00")["bookedEntity"]
    response = await action(wix, booking["id"], "reschedule", revision="1", **slot,
                            flowControlSettings={"skipAvailabilityValidation": True})  # fmt: skip
    moved = await one(sandbox, receiver, "booking_rescheduled")
    assert moved.body == {
        "booking": response.json()["booking"],
        "flowControlSettings": {"skipAvailabilityValidation": True},
        "initiatedBy": APP,
        "previousStatus": "CONFIRMED",
        "previousBookedEntity": booking["bookedEntity"],
        "previousStartDate": "2026-03-03T10:00:00.000Z",
        "previousEndDate": "2026-03-03T10:30:00.000Z",
        "previousTotalParticipants": 1,
    }
    assert moved.body["booking"]["startDate"] == "2026-03-03T14:00:00.000Z"


async def test_participants_update_emits_the_previous_count(
    wix: httpx.AsyncClient, sandbox: Sandbox, receiver: Receiver
) -> None:
    booking = await created(wix, class_session(), form=None)
    response = await action(wix, booking["id"], "update_number_of_participants",
                            revision="1", totalParticipants=3)  # fmt: skip
    updated = await one(sandbox, receiver, "booking_number_of_participants_updated")
    assert updated.event["slug"] == "number_of_participants_updated"
    assert updated.body == {
        "booking": response.json()["booking"],
        "initiatedBy": APP,
        "previousTotalParticipants": 1,
    }


async def test_visitors_and_members_are_named_as_who_made_the_change(
    wix: httpx.AsyncClient, sandbox: Sandbox, receiver: Receiver
) -> None:
    visitor = await visitor_tokens(wix)
    await created_as(wix, as_(visitor), appointment())
    maya = await member_tokens(wix, seed.MEMBER_MAYA)
    later = appointment(start="2026-03-03T11:00:00", end="2026-03-03T11:30:00")
    await created_as(wix, as_(maya), later)
    identities = [d.identity for d in await received(sandbox, receiver)]
    assert identities[0]["identityType"] == "ANONYMOUS_VISITOR"
    assert identities[0]["anonymousVisitorId"]
    assert identities[1] == {"identityType": "MEMBER", "memberId": seed.MEMBER_MAYA}


async def test_an_anonymous_cancel_is_the_customers(
    wix: httpx.AsyncClient, sandbox: Sandbox, receiver: Receiver
) -> None:
    booking = await created(wix, appointment(status="CONFIRMED"))
    token = (await wix.get(f"/v1/anonymous-bookings/{booking['id']}/token")).json()["token"]
    body = {"revision": "1", "flowControlSettings": {"ignoreCancellationPolicy": True}}
    response = await wix.post(f"/v1/anonymous-bookings/{token}/cancel", json=body,
                              headers={"Authorization": ""})  # fmt: skip
    assert response.status_code == 200, response.text
    canceled = await one(sandbox, receiver, "booking_canceled")
    assert canceled.identity == {"identityType": "ANONYMOUS_VISITOR"}
    contact = booking["contactDetails"]["contactId"]
    assert canceled.body["initiatedBy"] == {"contactId": contact}
    assert "flowControlSettings" not in canceled.body  # sent, but not applied: not echoed


# -- services -------------------------------------------------------------------------------------


async def test_update_service_emits_service_updated_with_the_service_as_get_returns_it(
    wix: httpx.AsyncClient, sandbox: Sandbox, receiver: Receiver
) -> None:
    change = {"id": seed.SERVICE_HAIRCUT, "revision": "1", "name": "Express Trim",
              "onlineBooking": {"requireManualApproval": True},
              "payment": {"options": {"online": True}}, "staffMemberIds": []}  # fmt: skip
    response = await wix.patch(SERVICE, json={"service": change})
    assert response.status_code == 200, response.text
    service = response.json()["service"]
    assert (service["name"], service["revision"]) == ("Express Trim", "2")
    assert service["onlineBooking"] == {
        "enabled": True,
        "requireManualApproval": True,
        "allowMultipleRequests": False,
    }
    assert service["payment"]["options"] == {"online": True, "inPerson": True}
    assert service["staffMemberIds"]  # not one Update Service changes in the sandbox
    assert (await wix.get(SERVICE)).json() == {"service": service}
    updated = await one(sandbox, receiver, "wix.bookings.services.v2.service_updated")
    assert updated.event["entityFqdn"] == "wix.bookings.services.v2.service"
    assert (updated.event["slug"], updated.event["entityId"]) == ("updated", seed.SERVICE_HAIRCUT)
    assert updated.event["updatedEvent"] == {"currentEntity": service}


async def test_update_service_refusals_change_and_emit_nothing(
    wix: httpx.AsyncClient, sandbox: Sandbox, receiver: Receiver
) -> None:
    stale = await wix.patch(SERVICE, json={"service": {"revision": "5", "name": "X"}})
    assert stale.status_code == 409
    assert stale.json()["details"]["applicationError"]["code"] == "ALREADY_EXISTS"
    no_revision = await wix.patch(SERVICE, json={"service": {"name": "X"}})
    empty_name = await wix.patch(SERVICE, json={"service": {"revision": "1", "name": ""}})
    other_id = await wix.patch(
        SERVICE, json={"service": {"id": seed.SERVICE_YOGA, "revision": "1"}}
    )
    assert [r.status_code for r in (no_revision, empty_name, other_id)] == [400, 400, 400]
    member = await member_tokens(wix, seed.MEMBER_MAYA)
    as_member = await wix.patch(SERVICE, json={"service": {"revision": "1"}}, headers=as_(member))
    assert as_member.status_code == 403
    assert (await wix.get(SERVICE)).json()["service"]["revision"] == "1"
    assert await received(sandbox, receiver) == []
