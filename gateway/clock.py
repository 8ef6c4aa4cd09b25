"""Business time: one `Clock` shared by the gateway and the embedded sandbox.

Everything that asks "what time is it?" for business reasons asks this clock: the default `from`
of a time-slot query, cache, persisted-query and idempotency TTLs, rate-limit refills, and the
sandbox's booking windows and timestamps. Tests freeze it at a known instant and the sandbox's
`/_sandbox/clock` control moves the gateway and the embedded sandbox together. Deadlines, retry
back-off and metrics measure durations, not business time: they use `time.monotonic` or
`time.perf_counter` directly.

This module is the only one that reads the machine's wall clock.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from gateway.wall_time import zone


class Clock:
    """The real time, or a time that was set (frozen, or running from a shifted start)."""

    def __init__(self, frozen_at: datetime | None = None) -> None:
        self._frozen_at: datetime | None = None
        self._offset = timedelta(0)
        if frozen_at is not None:
            self.set(frozen_at, frozen=True)

    @property
    def frozen(self) -> bool:
        return self._frozen_at is not None

    def now(self) -> datetime:
        """The current time, timezone-aware UTC, truncated to milliseconds (Wix's precision)."""
        now = self._frozen_at if self._frozen_at is not None else datetime.now(UTC) + self._offset
        return now.replace(microsecond=now.microsecond // 1000 * 1000)

    def local_now(self, time_zone: str) -> datetime:
        """The current wall time in `time_zone` (naive), to the second."""
        return self.now().astimezone(zone(time_zone)).replace(tzinfo=None, microsecond=0)

    def timestamp(self) -> float:
        """Seconds since the epoch, for TTLs and refill rates that span requests and replicas."""
        return self.now().timestamp()

    def set(self, now: datetime | None, frozen: bool) -> None:
        """Make `now` (aware) the current time, or keep real time when None; freeze it or let it
        run from there."""
        if now is not None and now.tzinfo is None:
            raise ValueError("the clock takes timezone-aware instants")
        target = (now or datetime.now(UTC)).astimezone(UTC)
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
        """Back to the real time, running."""
        self._frozen_at = None
        self._offset = timedelta(0)

    def state(self) -> dict[str, object]:
        return {
            "now": self.now().isoformat().replace("+00:00", "Z"),
            "frozen": self._frozen_at is not None,
        }
