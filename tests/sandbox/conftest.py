"""The two frozen "now"s of the sandbox tests. Shared helpers: booking_helpers.py (bookings),
package_helpers.py (multi-service bookings), slot_helpers.py (time slots)."""

from __future__ import annotations

import httpx
import pytest

from tests.sandbox import slot_helpers
from tests.sandbox.booking_helpers import set_clock, start_at


@pytest.fixture
async def monday_morning(wix: httpx.AsyncClient) -> None:
    """The booking tests' "now": Monday 2026-03-02 09:00 UTC, the demo business re-seeded. `wix`
    serves the test's `sandbox`, so a test using both sees the same frozen clock."""
    await start_at(wix)


@pytest.fixture
async def slots_monday(wix: httpx.AsyncClient) -> None:
    """The time-slot tests' "now": Monday 2030-01-07 08:30 UTC, the seed left as it is."""
    await set_clock(wix, slot_helpers.NOW)
