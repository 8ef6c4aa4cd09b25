"""Every test's "now" (see `tests/conftest.py`, whose `clock` fixture is frozen here)."""

from __future__ import annotations

from datetime import UTC, datetime

# Monday 2 March 2026, 09:00 in London (GMT, so local time = UTC): a working morning well inside
# every booking window of the demo business, four weeks before the UK's spring clock change, so
# "next week" never crosses one by accident. Tests about time set their own instant.
FROZEN_AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
FROZEN_AT_WIRE = "2026-03-02T09:00:00Z"  # the same instant as Wix writes timestamps
