"""The sandbox's notion of "now": real time, shifted or frozen through `/_sandbox/clock`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


class Clock:
    def __init__(self) -> None:
        self._frozen_at: datetime | None = None
        self._offset = timedelta(0)

    def now(self) -> datetime:
        """The current sandbox time, timezone-aware UTC, truncated to milliseconds."""
        now = self._frozen_at if self._frozen_at is not None else datetime.now(UTC) + self._offset
        return now.replace(microsecond=now.microsecond // 1000 * 1000)

    def set(self, now: datetime | None, frozen: bool) -> None:
        """Make `now` the current time (or keep real time when None); freeze it or let it run."""
        target = now or datetime.now(UTC)
        if frozen:
            self._frozen_at = target
            self._offset = timedelta(0)
        else:
            self._frozen_at = None
            self._offset = target - datetime.now(UTC)

    def advance(self, delta: timedelta) -> None:
        if self._frozen_at is not None:
            self._frozen_at += delta
        else:
            self._offset += delta

    def reset(self) -> None:
        self._frozen_at = None
        self._offset = timedelta(0)

    def state(self) -> dict[str, object]:
        return {
            "now": self.now().isoformat().replace("+00:00", "Z"),
            "frozen": self._frozen_at is not None,
        }
