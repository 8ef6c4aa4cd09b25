"""The official Wix JS SDK as a conformance suite: `conformance.mjs` calls every Wix method the
gateway calls (`gateway/upstream/*.py`), through the SDK's own paths, request and response
renames, against a sandbox served over HTTP on the frozen clock, plus a few refusals. A route
the sandbox stops serving, or a field the SDK reads that it stops answering, fails here.
"""

from __future__ import annotations

import json
import subprocess
from typing import Any

import httpx
import pytest

from gateway.sandbox import seed
from tests.frozen import FROZEN_AT_WIRE
from tests.sandbox.booking_helpers import MASSAGE_FORM, YOGA_FORM
from tests.sdk.sdk_install import SDK_DIR, install

RUN_SECONDS = 120
FIXTURES = {
    "siteId": "sandbox-site",
    "timeZone": "Europe/London",
    "from": "2026-03-02T00:00:00",  # the frozen Monday, to Thursday
    "to": "2026-03-05T00:00:00",
    "location": seed.LOCATION_MAIN,
    "haircut": seed.SERVICE_HAIRCUT,
    "massage": seed.SERVICE_MASSAGE,
    "consultation": seed.SERVICE_CONSULTATION,
    "yoga": seed.SERVICE_YOGA,
    "policy": seed.POLICY_STANDARD,
    "form": seed.FORM_MASSAGE,
    "unknownId": "f6000000-0000-4000-8000-00000000dead",
    "massageForm": MASSAGE_FORM,
    "yogaForm": YOGA_FORM,
}
# Every call `conformance.mjs` makes with valid inputs, by its SDK method name.
SUCCEEDS = {
    "getService", "queryServices", "getBookingPolicy", "queryBookingPolicies",
    "getSiteProperties", "getForm", "getFormSummary", "listAvailabilityTimeSlots",
    "getAvailabilityTimeSlot", "listEventTimeSlots", "getEventTimeSlot",
    "listMultiServiceAvailabilityTimeSlots", "getMultiServiceAvailabilityTimeSlot",
    "createBooking", "queryExtendedBookings", "countExtendedBookings",
    "bulkCalculateAllowedActions", "rescheduleBooking", "cancelBooking",
    "createBooking:manualApproval", "confirmOrDeclineBooking", "bulkCreateBooking",
    "bulkConfirmOrDeclineBooking", "confirmBooking", "createBooking:class",
    "updateNumberOfParticipants", "createBooking:toDecline", "declineBooking",
    "createBooking:created", "markBookingAsPending", "getAnonymousActionToken",
    "getBookingAnonymously", "getServiceAnonymously", "createMultiServiceBooking",
    "getMultiServiceBooking", "bulkGetMultiServiceBookingAllowedActions",
    "cancelMultiServiceBooking",
}  # fmt: skip
# The refusals, with the status and code the SDK surfaces (declared for the method, or generic).
REFUSALS = {
    "refusal:staleRevision": (409, "ALREADY_EXISTS"),
    "refusal:unknownBooking": (404, "BOOKING_NOT_FOUND"),
    "refusal:confirmOrDeclineAgain": (428, "INVALID_BOOKING_STATUS"),
    "refusal:invalidToken": (401, "INVALID_TOKEN"),
    "refusal:unknownMultiServiceBooking": (404, "MULTI_SERVICE_BOOKING_NOT_FOUND"),
}

# What the SDK read back from a few answers (the fields it renames and the statuses they hold).
VALUES = {
    "getService": seed.SERVICE_HAIRCUT,
    "getForm": seed.FORM_MASSAGE,
    "cancelBooking": "CANCELED",
    "confirmOrDeclineBooking": "PENDING",  # the consultation needs the business's approval
    "confirmBooking": "CONFIRMED",
    "declineBooking": "DECLINED",
    "markBookingAsPending": "PENDING",
    "updateNumberOfParticipants": 2,
    "rescheduleBooking": "2",
    "getServiceAnonymously": seed.SERVICE_HAIRCUT,
    "createMultiServiceBooking": 2,
}


@pytest.fixture(scope="module")
def results(served_sandbox_url: str) -> dict[str, dict[str, Any]]:
    node = install()
    with httpx.Client(base_url=served_sandbox_url, timeout=30) as sandbox:
        sandbox.post("/_sandbox/clock", json={"now": FROZEN_AT_WIRE, "frozen": True})
        sandbox.post("/_sandbox/reset").raise_for_status()
    completed = subprocess.run(
        [node, "conformance.mjs", served_sandbox_url, json.dumps(FIXTURES)],
        cwd=SDK_DIR,
        capture_output=True,
        text=True,
        timeout=RUN_SECONDS,
    )
    assert completed.returncode == 0, completed.stderr
    return {result["name"]: result for result in json.loads(completed.stdout)}


def test_every_call_with_valid_inputs_succeeds(results: dict[str, dict[str, Any]]) -> None:
    failed = {name: results.get(name) for name in SUCCEEDS if not results.get(name, {}).get("ok")}
    assert failed == {}
    # What each call picked from its answer (a field the SDK read, or the whole answer): a field
    # the sandbox stops answering shows up as false, null or empty here.
    empty = {
        name
        for name in SUCCEEDS
        if results[name].get("value") is False or results[name].get("value") in (None, [], {}, "")
    }
    assert empty == set()


def test_each_refusal_has_its_status_and_code(results: dict[str, dict[str, Any]]) -> None:
    seen = {name: (results[name]["status"], results[name]["code"]) for name in REFUSALS}
    assert seen == REFUSALS


def test_the_sdk_reads_back_what_the_sandbox_answered(results: dict[str, dict[str, Any]]) -> None:
    assert {name: results[name].get("value") for name in VALUES} == VALUES
