"""Run a flow under the caller's idempotency key: the same key and input give the same outcome
and write upstream once, even when the requests overlap (`gateway.state.idempotency`).

Keys are scoped by the caller's `Authorization`, so two customers can't collide or read each
other's results; the fingerprint is the operation and its input without the key, so reusing a
key for a different input is an `IdempotencyKeyReused` outcome rather than a silent replay.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable
from enum import Enum
from typing import Any

from gateway.graphql.bookings.mutations.outcomes import idempotency_key_reused
from gateway.graphql.common import Json
from gateway.graphql.context import Info
from gateway.graphql.errors import bad_user_input
from gateway.state.idempotency import IdempotencyKeyReused, fingerprint, scoped_key

KEY_FIELD = "idempotency_key"
MAX_KEY_LENGTH = 200  # our limit: a UUID or a client's own request id fits easily


def request_payload(value: Any) -> Any:
    """What a request asks for, as JSON-able data: Strawberry inputs (dataclasses) and enums
    are unwrapped, the idempotency key itself is left out."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): request_payload(v) for k, v in value.items() if k != KEY_FIELD}
    if isinstance(value, list | tuple):
        return [request_payload(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    return value


async def run_idempotent(
    info: Info,
    operation: str,
    key: str | None,
    request: Any,
    flow: Callable[[], Awaitable[Json]],
) -> Json:
    """`flow()` once per (caller, key); without a key, simply `flow()`. `request` is the
    mutation's input (a Strawberry input or a dict of arguments)."""
    if key is None:
        return await flow()
    if not key or len(key) > MAX_KEY_LENGTH:
        raise bad_user_input(
            f"`idempotencyKey` must have 1 to {MAX_KEY_LENGTH} characters", "idempotencyKey"
        )
    context = info.context
    if context.idempotency is None:  # an app built without a store: no deduplication possible
        raise RuntimeError("the app has no idempotency store (app.state.idempotency)")
    try:
        return await context.idempotency.run(
            scoped_key(key, context.caller.scope if context.caller else None),
            fingerprint(operation, request_payload(request)),
            flow,
        )
    except IdempotencyKeyReused:
        return idempotency_key_reused(key)
