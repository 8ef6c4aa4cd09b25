"""Outcome dataclasses and the JSON idempotent replays store: the same keys as before the
domain layer, read back into equal outcomes."""

from __future__ import annotations

from dataclasses import replace

from gateway.bookings import outcomes
from gateway.bookings.outcomes import Outcome, outcome_from_json

BOOKING = {"id": "b-1", "status": "CONFIRMED", "revision": "2"}
SLOT = {"localStartDate": "2026-03-04T09:00:00", "localEndDate": "2026-03-04T09:30:00"}
EVERY_OUTCOME: list[Outcome] = [
    outcomes.BookingCreated(BOOKING),
    outcomes.BookingUpdated(BOOKING),
    outcomes.slot_unavailable([SLOT], "Europe/London"),
    outcomes.SlotUnavailable("taken", [], "UTC", declined_booking_id="b-2"),
    outcomes.form_invalid([{"target": "email", "message": "is required"}]),
    outcomes.policy_violation({"tooEarlyToBook": True, "earliestBookingDate": "2026-03-01Z"}),
    outcomes.class_full(0, True),
    outcomes.CourseFull("full", 10, 0, declined_booking_id="b-3"),
    outcomes.revision_conflict(BOOKING),
    outcomes.not_allowed("Cancel", "too late", "CANCEL_NOT_ALLOWED"),
    outcomes.not_found("booking", "b-1"),
    outcomes.idempotency_key_reused("k-1"),
    outcomes.PackageBooked({"id": "p-1", "bookings": []}),
    outcomes.PackageUpdated({"id": "p-1", "bookings": []}),
    outcomes.PackageUnavailable("gone", [SLOT], "UTC", package_id="p-1"),
    outcomes.AnonymousLink("t-1", {"cancel": True, "reschedule": False}),
    outcomes.InvalidAnonymousToken(),
    outcomes.DoubleBookingResolved(BOOKING, "CANCEL", None),
    outcomes.AlreadyResolved("The booking is CANCELED", BOOKING),
]


def test_every_outcome_reads_back_from_its_json() -> None:
    kinds = {type(outcome) for outcome in EVERY_OUTCOME}
    assert kinds == set(Outcome.__subclasses__())
    for outcome in EVERY_OUTCOME:
        assert type(outcome).from_json(outcome.to_json()) == outcome
        assert outcome_from_json(outcome.to_json()) == outcome


def test_json_of_the_earlier_format_parses() -> None:
    stored = [
        {"__typename": "BookingCreated", "booking": BOOKING},
        {
            "__typename": "SlotUnavailable",
            "message": "The slot is no longer available",
            "alternatives": [SLOT],
            "timeZone": "Europe/London",
            "declinedBookingId": "b-2",
        },
        {
            "__typename": "PolicyViolation",
            "message": "Not allowed by the booking policy: it is too late to book",
            "tooEarly": False,
            "tooLate": True,
            "onlineBookingDisabled": False,
            "earliestBookingDate": None,
        },
        {"__typename": "ClassFull", "message": "m", "remaining": 1, "waitingListAvailable": False},
        {"__typename": "PackageUnavailable", "message": "m", "alternatives": [], "timeZone": "UTC"},
        {"__typename": "DoubleBookingResolved", "booking": BOOKING, "strategy": "CANCEL",
         "note": "Refund the payment in your payment system, if one was taken."},
    ]  # fmt: skip
    for data in stored:
        assert outcome_from_json(data).to_json() == data


def test_optional_names_are_left_out_when_none() -> None:
    assert outcomes.class_full(2, False).to_json() == {
        "__typename": "ClassFull",
        "message": "The class session has 2 open spot(s) left",
        "remaining": 2,
        "waitingListAvailable": False,
    }


def test_only_outcomes_that_changed_wix_hold_their_key() -> None:
    changed = {type(o).__name__ for o in EVERY_OUTCOME if o.changed_wix}
    assert changed == {
        "BookingCreated",
        "BookingUpdated",
        "SlotUnavailable",  # the one naming the booking Wix declined
        "CourseFull",  # idem
        "PackageBooked",
        "PackageUpdated",
        "PackageUnavailable",  # the one naming the package made and cancelled again
        "AnonymousLink",
        "DoubleBookingResolved",
    }
    assert not outcomes.slot_unavailable([SLOT], "UTC").changed_wix  # found before any write
    assert not outcomes.PackageUnavailable("gone", [], "UTC").changed_wix
    lost = [
        replace(outcomes.revision_conflict(BOOKING), answer_lost=True),
        replace(outcomes.not_found("booking", "b-1"), answer_lost=True),
    ]
    for outcome in lost:  # read back after a write whose answer was lost: it may have landed
        assert outcome.changed_wix
        assert outcome_from_json(outcome.to_json()) == outcome
        assert outcome.to_json()["answerLost"] is True
    assert "answerLost" not in outcomes.not_found("booking", "b-1").to_json()
