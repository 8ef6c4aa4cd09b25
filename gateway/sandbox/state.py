"""The `Sandbox`: store, clock, injected faults, the request log and the webhook sender, shared by
every handler."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from gateway.clock import Clock
from gateway.sandbox.demo_business import ensure_seeded, seed
from gateway.sandbox.faults import Fault, FaultRule, fault_for
from gateway.sandbox.store import Store
from gateway.sandbox.webhooks import Webhooks

__all__ = ["Fault", "FaultRule", "RequestRecord", "Sandbox"]


@dataclass
class RequestRecord:
    method: str
    path: str
    route: str
    status: int | None  # None: the answer was dropped (the connection closed without one)
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
    # Seed the demo bookings with the demo data (`demo_bookings.py`): the gateway's demo only.
    demo_bookings: bool = False
    webhooks: Webhooks = field(init=False)  # sends the events of every change (`webhooks.py`)

    def __post_init__(self) -> None:
        self.webhooks = Webhooks(self.clock)

    @classmethod
    def open(
        cls, path: str = ":memory:", clock: Clock | None = None, *, demo_bookings: bool = False
    ) -> Sandbox:
        """Open (and seed, when new) the store at `path`; `clock` is shared with the gateway
        when the sandbox is embedded, so both sides agree on "now". `demo_bookings`: seed the
        demo bookings too (when the store is new, and on every reset)."""
        sandbox = cls(Store(path), clock or Clock(), demo_bookings=demo_bookings)
        if ensure_seeded(sandbox.store, sandbox.clock.now()):
            sandbox._seed_demo_bookings()
        return sandbox

    def reset(self) -> None:
        """Wipe and re-seed (the demo bookings too, if it has them); clear faults, the request
        log and the webhook URLs (the clock and the in-process webhook targets are kept)."""
        seed(self.store, self.clock.now())
        self._seed_demo_bookings()
        self.faults.clear()
        self.requests.clear()
        self.webhooks.clear_url_targets()

    def _seed_demo_bookings(self) -> None:
        if self.demo_bookings:
            from gateway.sandbox.demo_bookings import seed_demo_bookings  # its handlers import us

            seed_demo_bookings(self)

    def fault_for(self, method: str, path: str) -> Fault:
        """The fault to inject as this request arrives (rules `when: "before"`); called once per
        request, before anything else (tests wrap it to watch requests arrive)."""
        return fault_for(self.faults, method, path, "before", self.random)

    def fault_after(self, method: str, path: str) -> Fault:
        """The fault to inject once the handler has run and committed (rules `when: "after"`)."""
        return fault_for(self.faults, method, path, "after", self.random)

    def request_log(self) -> dict[str, Any]:
        by_path = Counter(f"{r.method} {r.path}" for r in self.requests)
        by_route = Counter(f"{r.method} {r.route}" for r in self.requests)
        return {
            "total": len(self.requests),
            "requests": [r.to_json() for r in self.requests],
            "counts": dict(by_path),
            "countsByRoute": dict(by_route),
        }
