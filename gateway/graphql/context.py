"""The per-request GraphQL context: the caller's upstream binding and this request's loaders."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import strawberry

from gateway.clock import Clock

if TYPE_CHECKING:
    from gateway.config import Settings
    from gateway.graphql.loaders import Loaders
    from gateway.identity.callers import Caller
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


Info = strawberry.Info[Context, None]
