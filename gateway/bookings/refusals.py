"""Wix's refusals of a write, as outcomes: the codes that mean "taken" or "full", and the rule
every change flow follows (`change_refused_outcome`)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from gateway.bookings.outcomes import (
    NotAllowed,
    Outcome,
    PolicyViolation,
    not_allowed,
    policy_violation,
)
from gateway.upstream.errors import UpstreamError

CONFLICT = 409
NOT_FOUND = 404
REFUSAL_STATUSES = frozenset({403, 428})
POLICY_VIOLATION_CODE = "BOOKING_POLICY_VIOLATION"
# Create/Reschedule codes that mean "this slot or session can't be had":
# https://dev.wix.com/docs/api-reference/business-solutions/bookings/bookings/bookings-writer-v2/create-booking
# The codes the Wix SDK declares for "that time is taken" (Create Booking, and the multi-service
# methods' NO_OPEN_SPOTS) and for a stale revision, whatever HTTP status they come with.
SLOT_TAKEN_CODES = frozenset(
    {
        "SLOT_NOT_AVAILABLE",
        "FAILED_VALIDATING_AVAILABILITY",
        "SLOT_HOLD_UNAVAILABLE",
        "NO_OPEN_SPOTS",
    }
)
REVISION_CODES = frozenset({"BOOKING_REVISION_MISMATCH"})
CAPACITY_CODES = frozenset({"SESSION_CAPACITY_EXCEEDED", "SCHEDULE_CAPACITY_EXCEEDED"})

T = TypeVar("T", bound=Outcome)


def is_status(error: BaseException, *statuses: int) -> bool:
    return isinstance(error, UpstreamError) and error.http_status in statuses


def is_not_found(error: BaseException) -> bool:
    """Whether Wix answered 404 (`SLOT_NOT_FOUND`, ...): the thing looked up is gone."""
    return is_status(error, NOT_FOUND)


def is_refusal(error: BaseException) -> bool:
    """A business refusal (403/428), as opposed to bad input or an infrastructure failure."""
    return isinstance(error, UpstreamError) and error.http_status in REFUSAL_STATUSES


def not_allowed_by(action: str, error: UpstreamError) -> NotAllowed:
    """A Wix business refusal (403/428) of `action`, with Wix's message."""
    reason = str(error.extensions.get("wixMessage") or error.message)
    return not_allowed(action, reason, error.code)


async def change_refused_outcome(
    error: UpstreamError,
    action: str,
    *,
    conflict: Callable[[], Awaitable[T | None]],
    gone: Callable[[], T],
    gone_statuses: tuple[int, ...] = (NOT_FOUND,),
) -> T | NotAllowed:
    """Wix's refusal of a change to something that exists (a booking, a package, a booking
    behind a token) as an outcome, the rule every change flow follows: 409 is what
    `conflict()` finds on re-reading (`RevisionConflict`, mostly; None leaves the error
    standing), `gone_statuses` is `gone()`, 403/428 is `NotAllowed` with Wix's reason, and
    anything else (bad input, Wix failing) stays an error."""
    if is_status(error, CONFLICT) or error.code in REVISION_CODES:
        outcome = await conflict()
        if outcome is not None:
            return outcome
    elif is_status(error, *gone_statuses):
        return gone()
    elif is_refusal(error):
        return not_allowed_by(action, error)
    raise error


def policy_violation_from(error: UpstreamError) -> PolicyViolation | None:
    """A 403 BOOKING_POLICY_VIOLATION as `PolicyViolation` (its data carries the flags)."""
    if error.http_status != 403 or error.code != POLICY_VIOLATION_CODE:
        return None
    return policy_violation(error.extensions.get("data") or {})
