"""Fixtures of the sandbox tests; the helpers they share are in booking_helpers.py."""

from __future__ import annotations

import httpx
import pytest

from tests.sandbox.booking_helpers import start_at


@pytest.fixture
async def monday_morning(wix: httpx.AsyncClient) -> None:
    """The booking tests' "now": Monday 2026-03-02 09:00 UTC, the demo business re-seeded. `wix`
    serves the test's `sandbox`, so a test using both sees the same frozen clock."""
    await start_at(wix)
