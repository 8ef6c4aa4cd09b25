"""Injected faults (a test control, not a Wix behaviour): latency, an error status or no answer at
all, before the handler runs or after its write has committed (an answer lost on the way back)."""

from __future__ import annotations

import fnmatch
import random
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

When = Literal["before", "after"]
WHEN: tuple[When, ...] = ("before", "after")


@dataclass
class FaultRule:
    """Latency, an error status and/or a dropped connection for requests whose path matches a
    glob pattern; `when` says whether the handler runs (and commits) first."""

    path: str = "*"
    method: str | None = None
    latency_ms: float = 0
    status: int | None = None
    rate: float = 1.0
    times: int | None = None  # apply to the next N matching requests only
    when: When = "before"
    drop: bool = False  # close the connection without any answer

    def __post_init__(self) -> None:
        if self.when not in WHEN:
            raise ValueError(f"when must be one of {', '.join(WHEN)}, not {self.when!r}")
        if not isinstance(self.drop, bool):
            raise ValueError(f"drop must be true or false, not {self.drop!r}")
        if self.drop and self.status is not None:
            raise ValueError("a rule that drops the connection sends no status")

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> FaultRule:
        """A rule from the control body; ValueError/TypeError/AttributeError when malformed."""
        return cls(
            path=str(raw.get("path", "*")),
            method=raw.get("method"),
            latency_ms=float(raw.get("latencyMs", 0)),
            status=int(raw["status"]) if raw.get("status") else None,
            rate=float(raw.get("rate", 1.0)),
            times=int(raw["times"]) if raw.get("times") is not None else None,
            when=raw.get("when", "before"),
            drop=raw.get("drop", False),
        )

    def matches(self, method: str, path: str) -> bool:
        if self.times is not None and self.times <= 0:
            return False
        if self.method and self.method.upper() != method:
            return False
        return fnmatch.fnmatchcase(path, self.path)

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "method": self.method,
            "latencyMs": self.latency_ms,
            "status": self.status,
            "rate": self.rate,
            "times": self.times,
            "when": self.when,
            "drop": self.drop,
        }


@dataclass
class Fault:
    """What the matching rules of one phase do to a request."""

    latency_ms: float = 0
    status: int | None = None
    drop: bool = False

    @property
    def replaces_answer(self) -> bool:
        return self.drop or self.status is not None


def fault_for(
    rules: Iterable[FaultRule], method: str, path: str, when: When, rng: random.Random
) -> Fault:
    """The fault of phase `when` for this request: the longest latency, the first status, a drop
    if any rule drops. Each rule that acts counts against its `times`."""
    fault = Fault()
    for rule in rules:
        if rule.when != when or not rule.matches(method, path):
            continue
        if rule.rate < 1.0 and rng.random() >= rule.rate:
            continue
        if rule.times is not None:
            rule.times -= 1
        fault.latency_ms = max(fault.latency_ms, rule.latency_ms)
        fault.drop = fault.drop or rule.drop
        if rule.status and fault.status is None:
            fault.status = rule.status
    return fault
