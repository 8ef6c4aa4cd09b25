"""The fast executor is on for the production schema: an upgrade of graphql-core or Strawberry
that renames what `LeanExecutionContext` checks fails here, instead of quietly turning the fast
path off (`execution.py` falls back to graphql-core's path when a check does not hold)."""

from __future__ import annotations

from typing import Any

import pytest

from gateway.graphql.execution import LeanExecutionContext
from tests.graphql import Gateway, gateway

__all__ = ["gateway"]


async def test_the_production_schema_runs_on_the_fast_path(
    gateway: Gateway, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[bool] = []
    original = LeanExecutionContext.__init__

    def recording(self: LeanExecutionContext, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        seen.append(self._lean)

    monkeypatch.setattr(LeanExecutionContext, "__init__", recording)
    data = await gateway.data("{ services(first: 2) { nodes { id name } } }")
    assert data["services"]["nodes"]
    assert seen == [True], "the fast path is off: see LeanExecutionContext.__init__"
