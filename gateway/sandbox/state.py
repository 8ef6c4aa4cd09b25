"""The `Sandbox`: store, clock, injected faults and the request log, shared by every handler."""

from __future__ import annotations

import fnmatch
import random
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from gateway.clock import Clock
from gateway.sandbox.demo_business import ensure_seeded, seed
from gateway.sandbox.store import Store


@dataclass
class FaultRule:
    """Latency and/or an error status for requests whose path matches a glob pattern."""

    path: str = "*"
    method: str | None = None
    latency_ms: float = 0
    status: int | None = None
    rate: float = 1.0
    times: int | None = None  # apply to the next N matching requests only

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
        }


@dataclass
class RequestRecord:
    method: str
    path: str
    route: str
    status: int
    ms: float

    def to_json(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "path": self.path,
            "route": self.route,
            "status": self.status,
            "ms": round(self.ms, 3),
        }


@dataclass
class Sandbox:
    store: Store
    clock: Clock = field(default_factory=Clock)
    faults: list[FaultRule] = field(default_factory=list)
    requests: list[RequestRecord] = field(default_factory=list)
    random: random.Random = field(default_factory=random.Random)

    @classmethod
    def open(cls, path: str = ":memory:", clock: Clock | None = None) -> Sandbox:
        """Open (and seed, when new) the store at `path`; `clock` is shared with the gateway
        when the sandbox is embedded, so both sides agree on "now"."""
        sandbox = cls(Store(path), clock or Clock())
        ensure_seeded(sandbox.store, sandbox.clock.now())
        return sandbox

    def reset(self) -> None:
        """Wipe and re-seed; clear faults and the request log (the clock is kept)."""
        seed(self.store, self.clock.now())
        self.faults.clear()
        self.requests.clear()

    def fault_for(self, method: str, path: str) -> tuple[float, int | None]:
        """The latency (ms) and error status to inject for this request, if any."""
        latency, status = 0.0, None
        for rule in self.faults:
            if not rule.matches(method, path):
                continue
            if rule.rate < 1.0 and self.random.random() >= rule.rate:
                continue
            if rule.times is not None:
                rule.times -= 1
            latency = max(latency, rule.latency_ms)
            if rule.status and status is None:
                status = rule.status
        return latency, status

    def request_log(self) -> dict[str, Any]:
        by_path = Counter(f"{r.method} {r.path}" for r in self.requests)
        by_route = Counter(f"{r.method} {r.route}" for r in self.requests)
        return {
            "total": len(self.requests),
            "requests": [r.to_json() for r in self.requests],
            "counts": dict(by_path),
            "countsByRoute": dict(by_route),
        }
