"""Fixtures of the mutation tests."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.graphql import Gateway

MONDAY_MORNING = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def monday_morning(gateway: Gateway) -> None:
    """The sandbox reset to the demo business, its clock frozen on Monday 2026-03-02 09:00 UTC
    (London is on GMT then: local time = UTC), for tests written against fixed dates."""
    gateway.sandbox.clock.set(MONDAY_MORNING, frozen=True)
    gateway.sandbox.reset()
