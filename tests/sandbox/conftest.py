"""The time-slot tests' own frozen "now" (every other test starts at `tests/frozen.py`'s
instant, set by the root `clock` fixture), and the webhook tests' receiver. Shared helpers:
booking_helpers.py (bookings), package_helpers.py (multi-service bookings), slot_helpers.py (time
slots), webhook_helpers.py (webhooks)."""

from __future__ import annotations

import httpx
import pytest

from gateway.sandbox.state import Sandbox
from tests.sandbox import slot_helpers
from tests.sandbox.booking_helpers import set_clock
from tests.sandbox.webhook_helpers import Receiver, listen


@pytest.fixture
async def slots_monday(wix: httpx.AsyncClient) -> None:
    """The time-slot tests' "now": Monday 2030-01-07 08:30 UTC, the seed left as it is."""
    await set_clock(wix, slot_helpers.NOW)


@pytest.fixture
def receiver(sandbox: Sandbox) -> Receiver:
    """An in-process webhook target on the test's sandbox (fast retries), answering 200."""
    return listen(sandbox)
