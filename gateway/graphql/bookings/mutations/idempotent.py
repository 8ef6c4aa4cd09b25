"""Run a flow under the caller's idempotency key: the same key and input give the same outcome
and write upstream once, even when the requests overlap (`gateway.state.idempotency`).

Keys are scoped by the caller's `Authorization`, so two customers can't collide or read each
other's results; the fingerprint is the operation and its input without the key, so reusing a
key for a different input is an `IdempotencyKeyReused` outcome rather than a silent replay.

Only outcomes that changed Wix hold their key (`Outcome.changed_wix`): `BookingCreated`, a
booking Wix declined at confirmation, what a lost answer read back... One that wrote nothing
(`FormInvalid`, a slot found taken before any write, `PolicyViolation`, `NotFound`,
`NotAllowed`, ...) releases it, so the corrected input can be sent again with the same key.
A run that resumed an ambiguous key keeps whatever it ends in: the earlier run may have written.

Every booking mutation runs here, with a key or without, under one deadline for the whole flow
(`GATEWAY_FLOW_DEADLINE_SECONDS`): past it the flow is cancelled and the caller gets `FLOW_TIMEOUT`.
A failed flow releases its key only when Wix did nothing (`may_have_written`); otherwise the key
is ambiguous, and the retry that takes it over runs the flow again *resuming*: a keyed flow's
bookings carry a stamp derived from the key (`gateway.bookings.stamps.stamp_for_key`), and a
resuming flow first looks for an active booking with it, so it goes on from what the earlier run
made instead of booking twice. Its outcome is then stored under the key like any other.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Awaitable, Callable
from enum import Enum
from typing import Any

from graphql import GraphQLError

from gateway.bookings.outcomes import Outcome, idempotency_key_reused, outcome_from_json
from gateway.bookings.stamps import FLOW_TIMEOUT, keyed_stamp, may_have_written, stamp_for_key
from gateway.config import DEFAULT_FLOW_DEADLINE_SECONDS
from gateway.graphql.common import Json
from gateway.graphql.context import Info
from gateway.graphql.errors import bad_user_input, user_errors
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
    flow: Callable[[], Awaitable[Outcome]],
) -> Outcome:
    """`flow()` once per (caller, key); without a key, simply `flow()`; either way within the
    flow deadline. `request` is the mutation's input (a Strawberry input or a dict of
    arguments). What is stored under the key is the outcome's JSON; a domain `InvalidInput`
    becomes the coded GraphQL error."""
    with user_errors():
        return outcome_from_json(await _run(info, operation, key, request, flow))


async def _run(
    info: Info,
    operation: str,
    key: str | None,
    request: Any,
    flow: Callable[[], Awaitable[Outcome]],
) -> Json:
    settings = info.context.settings
    deadline = settings.flow_deadline if settings else DEFAULT_FLOW_DEADLINE_SECONDS

    async def bounded() -> Json:
        return (await within_deadline(flow, deadline)).to_json()

    if key is None:
        return await bounded()
    if not key or len(key) > MAX_KEY_LENGTH:
        raise bad_user_input(
            f"`idempotencyKey` must have 1 to {MAX_KEY_LENGTH} characters", "idempotencyKey"
        )
    context = info.context
    if context.idempotency is None:  # an app built without a store: no deduplication possible
        raise RuntimeError("the app has no idempotency store (app.state.idempotency)")
    scoped = scoped_key(key, context.caller.scope if context.caller else None)
    stamped = keyed_stamp.set(stamp_for_key(scoped))
    try:
        return await context.idempotency.run(
            scoped,
            fingerprint(operation, request_payload(request)),
            bounded,
            may_have_written,
            keeps=holds_key,
        )
    except IdempotencyKeyReused:
        return idempotency_key_reused(key).to_json()
    finally:
        keyed_stamp.reset(stamped)


def holds_key(result: Json) -> bool:
    """Whether a flow's outcome (its stored JSON) holds its idempotency key: only an outcome
    that changed Wix, or may have, does."""
    return outcome_from_json(result).changed_wix


async def within_deadline(flow: Callable[[], Awaitable[Outcome]], seconds: float) -> Outcome:
    """Cancel `flow()` after `seconds` (a monotonic timer: a duration, not business time)."""
    timeout = asyncio.timeout(seconds)
    try:
        async with timeout:
            return await flow()
    except TimeoutError:
        if not timeout.expired():
            raise
        raise GraphQLError(
            f"The booking flow did not finish within {seconds:g} s and was stopped; "
            "Wix may have acted",
            extensions={"code": FLOW_TIMEOUT, "deadlineSeconds": seconds},
        ) from None
