"""The per-request GraphQL context: the caller's upstream binding and this request's loaders."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import strawberry

from gateway.clock import Clock

if TYPE_CHECKING:
    from gateway.bookings.outbox import Outbox
    from gateway.config import Settings
    from gateway.graphql.loaders import Loaders
    from gateway.identity.callers import Caller
    from gateway.live.hub import LiveHub
    from gateway.state.idempotency import Idempotency
    from gateway.upstream import Upstream


@dataclass(slots=True)
class Context:
    upstream: Upstream
    loaders: Loaders
    settings: Settings | None = None
    clock: Clock = field(default_factory=Clock)  # business time: the app's one clock
    caller: Caller | None = None  # who is calling (None: a context built by hand, in tests)
    idempotency: Idempotency | None = None
    # The API key's view, for what the gateway does on its own behalf (reading back a write
    # whose answer was lost, undoing it), and where failed flows leave their stamps.
    business: Upstream | None = None
    outbox: Outbox | None = None
    # Events from Wix webhooks, for subscriptions (None: a context built by hand, in tests).
    live: LiveHub | None = None

    @property
    def business_upstream(self) -> Upstream:
        return self.business or self.upstream

    @property
    def flow_outbox(self) -> Outbox:
        if self.outbox is None:  # a context built by hand: booking flows need the app's
            raise RuntimeError("the app has no outbox (app.state.outbox)")
        return self.outbox


Info = strawberry.Info[Context, None]
