"""Time Slots V2 in the sandbox: List and Get Multi Service Availability Time Slots (back-to-back
sessions of several services). The clock and helpers are in slot_helpers.py.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from gateway.sandbox import seed
from gateway.sandbox.state import Sandbox
from tests.sandbox.booking_helpers import set_clock
from tests.sandbox.slot_helpers import (
    MAIN,
    MONDAY,
    MULTI,
    book,
    error_code,
    post,
    staff,
)

pytestmark = pytest.mark.usefixtures("slots_monday")


CHAIN = [{"serviceId": seed.SERVICE_MASSAGE}, {"serviceId": seed.SERVICE_FACIAL}]


async def test_multi_service_slots_are_back_to_back(wix: httpx.AsyncClient) -> None:
    result = await post(wix, MULTI, {"services": CHAIN, **MONDAY, "location": MAIN})
    assert result["cursorPagingMetadata"]["hasNext"] is False
    chains = result["timeSlots"]
    # Massage (Anna 09-17, Chloe 12-20) then facial (only Chloe on Mondays): 11:30 is the first.
    assert chains[0]["localStartDate"] == "2030-01-07T11:30:00"
    for slot in chains:
        nested = slot["nestedTimeSlots"]
        assert "serviceId" not in slot and slot["totalCapacity"] == 1
        assert [n["serviceId"] for n in nested] == [seed.SERVICE_MASSAGE, seed.SERVICE_FACIAL]
        assert nested[1]["localStartDate"] == nested[0]["localEndDate"]
        assert slot["localStartDate"] == nested[0]["localStartDate"]
        assert slot["localEndDate"] == nested[1]["localEndDate"]
        assert slot["location"]["id"] == seed.LOCATION_MAIN


async def test_multi_service_get_never_uses_one_person_twice(
    wix: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    span = {"localStartDate": "2030-01-07T12:00:00", "localEndDate": "2030-01-07T14:15:00"}
    body = {"services": CHAIN, "location": MAIN, **span}
    slot = (await post(wix, f"{MULTI}/get", body))["timeSlot"]
    # Chloe is free for the massage too, but her 15 min buffer would overlap her facial.
    assert [staff(n) for n in slot["nestedTimeSlots"]] == [[seed.STAFF_ANNA], [seed.STAFF_CHLOE]]
    wrong_end = {**body, "localEndDate": "2030-01-07T14:00:00"}
    assert error_code(await post(wix, f"{MULTI}/get", wrong_end, 404)) == "SLOT_NOT_FOUND"
    book(sandbox, seed.SERVICE_MASSAGE, "12:00", seed.STAFF_ANNA)
    assert error_code(await post(wix, f"{MULTI}/get", body, 404)) == "SLOT_NOT_FOUND"


async def test_multi_service_bookable_only_if_every_leg_complies(wix: httpx.AsyncClient) -> None:
    await set_clock(wix, "2030-01-07T10:00:00Z")
    listed = await post(wix, MULTI, {"services": CHAIN, **MONDAY, "location": MAIN})
    first = listed["timeSlots"][0]
    # The massage policy wants 120 min notice; 11:30 is 90 min away. The facial's 60 min is met.
    assert first["localStartDate"] == "2030-01-07T11:30:00" and first["bookable"] is False
    assert first["bookingPolicyViolations"]["tooLateToBook"] is True


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"services": CHAIN[:1], **MONDAY, "location": MAIN}, "INVALID_SERVICES_SIZE"),
        ({"services": CHAIN * 5, **MONDAY, "location": MAIN}, "INVALID_SERVICES_SIZE"),
        ({"services": CHAIN, **MONDAY}, "MISSING_ARGUMENTS"),
    ],
)
async def test_multi_service_errors(
    wix: httpx.AsyncClient, body: dict[str, Any], code: str
) -> None:
    assert error_code(await post(wix, MULTI, body, 400)) == code
