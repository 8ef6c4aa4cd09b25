"""The time-slot tests' own frozen "now" (every other test starts at `tests/frozen.py`'s
instant, set by the root `clock` fixture). Shared helpers: booking_helpers.py (bookings),
package_helpers.py (multi-service bookings), slot_helpers.py (time slots)."""

from __future__ import annotations

import httpx
import pytest

from tests.sandbox import slot_helpers
from tests.sandbox.booking_helpers import set_clock


@pytest.fixture
async def slots_monday(wix: httpx.AsyncClient) -> None:
    """The time-slot tests' "now": Monday 2030-01-07 08:30 UTC, the seed left as it is."""
    await set_clock(wix, slot_helpers.NOW)
