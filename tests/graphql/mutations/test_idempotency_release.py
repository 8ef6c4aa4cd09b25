"""Only outcomes that changed Wix hold their idempotency key.

An outcome reached without writing anything (`FormInvalid`, a slot found taken before any write,
`PolicyViolation`, `NotFound`, `NotAllowed`, `InvalidAnonymousToken`, `AlreadyResolved`) releases
the key: the caller corrects the input and sends it again with the same key, and it runs. An
outcome that changed Wix keeps it as before: a booking Wix declined at confirmation, what a lost
answer read back, and whatever a run that resumed an ambiguous key ends in.
"""

from __future__ import annotations

import asyncio
from typing import Any

from gateway.sandbox import seed
from gateway.sandbox.state import FaultRule
from tests.graphql import Gateway, gateway, next_weekday
from tests.graphql.mutations import (
    CONTACT,
    CREATE_BOOKING,
    RESCHEDULE,
    appointment_input,
    appointment_slots,
    create_booking,
    document,
    haircut_slot,
    mutate,
    sandbox_slot,
    stored_bookings,
    wait_for_call,
)

__all__ = ["gateway"]

MASSAGE_ANSWERS = {"phone": "+44 20 7946 0101", "pressure": "medium"}
WRITES = (CREATE_BOOKING, RESCHEDULE, "POST /_api/bookings-service/v2/bookings/{bookingId}/cancel")


async def massage_input(gateway: Gateway, key: str, **answers: str) -> dict[str, Any]:
    slots = await appointment_slots(gateway, seed.SERVICE_MASSAGE, next_weekday(2))
    slot = slots[0]
    staff = slot["availableResources"][0]["resources"][0]["id"]
    return appointment_input(
        slot, resourceId=staff, formSubmission=answers, idempotencyKey=key, confirm=True
    )


def writes(gateway: Gateway) -> int:
    calls = gateway.calls()
    return sum(calls[route] for route in WRITES)


async def test_a_corrected_form_runs_under_the_same_key(gateway: Gateway) -> None:
    invalid = await massage_input(gateway, "massage-1", phone=MASSAGE_ANSWERS["phone"])
    refused = await mutate(gateway, "bookAppointment", invalid)
    assert refused["__typename"] == "FormInvalid"
    assert [e["target"] for e in refused["fieldErrors"]] == ["pressure"]
    assert stored_bookings(gateway) == []

    corrected = await massage_input(gateway, "massage-1", **MASSAGE_ANSWERS)
    booked = await mutate(gateway, "bookAppointment", corrected)
    assert booked["__typename"] == "BookingCreated"
    assert booked["booking"]["status"] == "CONFIRMED"

    # Now the key holds the booking: the same input replays it, any other is refused.
    gateway.reset_calls()
    assert await mutate(gateway, "bookAppointment", corrected) == booked
    reused = await mutate(gateway, "bookAppointment", invalid)
    assert (reused["__typename"], reused["key"]) == ("IdempotencyKeyReused", "massage-1")
    assert writes(gateway) == 0
    assert len(stored_bookings(gateway)) == 1


async def test_a_slot_found_taken_before_any_write_frees_the_key(gateway: Gateway) -> None:
    taken = await haircut_slot(gateway)
    await mutate(gateway, "bookAppointment", appointment_input(taken, confirm=True))
    gateway.reset_calls()
    late = await mutate(gateway, "bookAppointment", appointment_input(taken, idempotencyKey="k"))
    assert late["__typename"] == "SlotUnavailable" and late["declinedBookingId"] is None
    assert writes(gateway) == 0

    other = appointment_input(await haircut_slot(gateway, index=3), idempotencyKey="k")
    assert (await mutate(gateway, "bookAppointment", other))["__typename"] == "BookingCreated"


async def test_a_policy_violation_frees_the_key(gateway: Gateway) -> None:
    sauna = {
        "serviceId": seed.SERVICE_SAUNA,
        "localStart": f"{next_weekday(2)}T10:00:00",
        "localEnd": f"{next_weekday(2)}T10:50:00",
        "timeZone": seed.TIME_ZONE,
        "contact": CONTACT,
        "idempotencyKey": "k",
    }
    refused = await mutate(gateway, "bookAppointment", sauna)
    assert refused["__typename"] == "PolicyViolation" and refused["onlineBookingDisabled"]

    haircut = appointment_input(await haircut_slot(gateway), idempotencyKey="k")
    assert (await mutate(gateway, "bookAppointment", haircut))["__typename"] == "BookingCreated"


async def test_not_found_and_not_allowed_free_the_key(gateway: Gateway) -> None:
    """The key of a cancellation that found no booking, then that the policy refused, is free
    each time; the one that cancels keeps it."""
    massage = await create_booking(
        gateway,
        sandbox_slot(
            seed.SERVICE_MASSAGE, "2026-03-02T14:00:00", "2026-03-02T15:00:00", seed.STAFF_ANNA
        ),
        {
            "first_name": "Ada",
            "last_name": "Lovelace",
            "email": "ada@example.com",
            **MASSAGE_ANSWERS,
        },
        status="CONFIRMED",
    )
    missing = "00000000-0000-4000-8000-00000000dead"
    attempts = [
        ({"bookingId": missing}, "NotFound"),
        ({"bookingId": massage["id"]}, "NotAllowed"),  # within 24 h of a strict policy
        ({"bookingId": massage["id"], "ignoreCancellationPolicy": True}, "BookingUpdated"),
        ({"bookingId": missing}, "IdempotencyKeyReused"),
    ]
    for cancel, expected in attempts:
        result = await mutate(gateway, "cancelBooking", {**cancel, "idempotencyKey": "c-1"})
        assert result["__typename"] == expected, result


ANONYMOUS_CANCEL = """
mutation($token: String!, $key: String) {
  cancelBookingAnonymously(token: $token, idempotencyKey: $key) {
    __typename
    ... on BookingUpdated { booking { status } }
    ... on Failure { message code }
  }
}
"""
LINK = """mutation($id: ID!) {
  createAnonymousLink(bookingId: $id) { ... on AnonymousLink { token } }
}"""


async def test_an_invalid_token_frees_the_key(gateway: Gateway) -> None:
    booking = await create_booking(gateway, sandbox_slot(), status="CONFIRMED")
    token = (await gateway.data(LINK, {"id": booking["id"]}))["createAnonymousLink"]["token"]

    async def cancel(with_token: str) -> dict[str, Any]:
        body = await gateway.post(ANONYMOUS_CANCEL, {"token": with_token, "key": "a-1"})
        assert "errors" not in body, body
        return dict(body["data"]["cancelBookingAnonymously"])

    assert (await cancel("not-a-token-" + "x" * 30))["code"] == "INVALID_ANONYMOUS_TOKEN"
    canceled = await cancel(token)
    assert canceled == {"__typename": "BookingUpdated", "booking": {"status": "CANCELED"}}


RESOLVE = """
mutation($id: ID!, $strategy: DoubleBookingStrategy!) {
  resolveDoubleBooking(bookingId: $id, strategy: $strategy, idempotencyKey: "r-1") {
    __typename ... on Failure { code }
  }
}
"""


async def test_already_resolved_frees_the_key(gateway: Gateway) -> None:
    booking = await create_booking(gateway, sandbox_slot(), status="CONFIRMED")
    for strategy in ("CANCEL", "FORCE_DECLINE"):  # another input, the same key: it runs
        data = await gateway.data(RESOLVE, {"id": booking["id"], "strategy": strategy})
        assert data["resolveDoubleBooking"] == {
            "__typename": "AlreadyResolved",
            "code": "ALREADY_RESOLVED",
        }


async def test_a_booking_declined_at_confirmation_holds_the_key(gateway: Gateway) -> None:
    """Wix made and declined a booking: the outcome is the key's, replayed without a call."""
    slot = await haircut_slot(gateway)
    rival = await create_booking(
        gateway, sandbox_slot(start=slot["localStartDate"], end=slot["localEndDate"])
    )  # CREATED: it holds nothing yet
    gateway.sandbox.faults.append(
        FaultRule(path="/bookings/v2/confirmation/*", latency_ms=300, times=1)
    )
    gateway.reset_calls()
    booking = appointment_input(slot, confirm=True, idempotencyKey="d-1")
    racing = asyncio.create_task(mutate(gateway, "bookAppointment", booking))
    await wait_for_call(gateway, CREATE_BOOKING)  # ours is created, its confirmation waits
    await gateway.upstream.bookings_writer.confirm_booking(
        rival["id"], {"revision": rival["revision"]}
    )
    lost = await racing
    assert lost["__typename"] == "SlotUnavailable"
    declined = [b for b in stored_bookings(gateway) if b["status"] == "DECLINED"]
    assert [b["id"] for b in declined] == [lost["declinedBookingId"]]

    gateway.reset_calls()
    assert await mutate(gateway, "bookAppointment", booking) == lost
    assert gateway.calls() == {}
    other = {**booking, "localStart": "2026-03-11T14:00:00", "localEnd": "2026-03-11T14:30:00"}
    reused = await mutate(gateway, "bookAppointment", other)
    assert reused["__typename"] == "IdempotencyKeyReused"
    assert writes(gateway) == 0


async def test_a_conflict_read_back_after_a_lost_answer_holds_the_key(gateway: Gateway) -> None:
    """The reschedule landed but its answer was lost, and someone changed the booking again
    meanwhile: `RevisionConflict`, and our change may be in it, so the key stays taken."""
    booking = await create_booking(gateway, sandbox_slot(), status="CONFIRMED")
    target = await haircut_slot(gateway, index=4)
    move = {
        "bookingId": booking["id"],
        "revision": booking["revision"],
        "newSlot": {"localStart": target["localStartDate"], "localEnd": target["localEndDate"]},
        "idempotencyKey": "m-1",
    }
    gateway.sandbox.faults.append(
        FaultRule(
            path="/bookings/v2/bookings/*/reschedule",
            when="after",
            latency_ms=300,
            drop=True,
            times=1,
        )
    )
    moving = asyncio.create_task(mutate(gateway, "rescheduleBooking", move))
    moved_revision = str(int(booking["revision"]) + 1)
    for _ in range(500):  # until Wix has done the reschedule (its answer is still held back)
        if stored_bookings(gateway)[0]["revision"] == moved_revision:
            break
        await asyncio.sleep(0.01)
    await gateway.upstream.bookings_writer.cancel_booking(
        booking["id"], {"revision": moved_revision}
    )
    conflict = await moving
    assert conflict["__typename"] == "RevisionConflict"
    assert conflict["currentRevision"] == str(int(booking["revision"]) + 2)

    other = {**move, "revision": conflict["currentRevision"]}
    reused = await mutate(gateway, "rescheduleBooking", other)
    assert reused["__typename"] == "IdempotencyKeyReused"


async def test_a_resumed_run_keeps_the_key_whatever_it_ends_in(gateway: Gateway) -> None:
    """The first run's create got no answer (ambiguous key). Its retry finds no booking of its
    own and the slot taken: `SlotUnavailable` without a write of its own, but the first create
    might still land, so the key stays the retry's outcome."""
    slot = await haircut_slot(gateway)
    booking = appointment_input(slot, idempotencyKey="r-1")
    gateway.sandbox.faults.append(
        FaultRule(path="/_api/bookings-service/v2/bookings", method="POST", drop=True, times=1)
    )
    failed = await gateway.post(document("bookAppointment"), {"input": booking})
    assert failed["errors"][0]["extensions"]["code"] == "UPSTREAM_UNAVAILABLE"
    await create_booking(
        gateway,
        sandbox_slot(start=slot["localStartDate"], end=slot["localEndDate"]),
        status="CONFIRMED",
    )
    retried = await mutate(gateway, "bookAppointment", booking)
    assert retried["__typename"] == "SlotUnavailable"

    other = appointment_input(await haircut_slot(gateway, index=3), idempotencyKey="r-1")
    assert (await mutate(gateway, "bookAppointment", other))["__typename"] == (
        "IdempotencyKeyReused"
    )
    assert await mutate(gateway, "bookAppointment", booking) == retried
