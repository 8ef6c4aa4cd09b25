"""The rule every change flow maps Wix's refusals by (`outcomes.change_refused_outcome`), branch
by branch: the end-to-end tests reach only some branches for each flow."""

from __future__ import annotations

from typing import Any

import pytest

from gateway.bookings.outcomes import Outcome, not_found
from gateway.bookings.refusals import change_refused_outcome
from gateway.upstream.errors import UpstreamError

Json = dict[str, Any]
CONFLICT_SEEN = {"__typename": "RevisionConflict", "message": "seen"}
GONE = not_found("booking", "b-1").to_json()


def wix_error(status: int, code: str, wix_message: str | None = None) -> UpstreamError:
    extensions = {"code": code, "httpStatus": status, "requestId": None, "wixMessage": wix_message}
    return UpstreamError(f"Wix answered {status}", extensions)


async def outcome(
    error: UpstreamError,
    conflict: Json | None = CONFLICT_SEEN,
    gone_statuses: tuple[int, ...] = (404,),
) -> Json:
    async def reread() -> Json | None:
        return conflict

    found = await change_refused_outcome(
        error, "Cancel", conflict=reread, gone=lambda: GONE, gone_statuses=gone_statuses
    )
    return found.to_json() if isinstance(found, Outcome) else found


async def test_a_conflict_is_what_the_reread_found() -> None:
    assert await outcome(wix_error(409, "REVISION_MISMATCH")) == CONFLICT_SEEN


async def test_a_conflict_the_reread_cannot_explain_stays_an_error() -> None:
    error = wix_error(409, "REVISION_MISMATCH")
    with pytest.raises(UpstreamError) as raised:
        await outcome(error, conflict=None)
    assert raised.value is error


async def test_the_gone_statuses_are_gone() -> None:
    assert await outcome(wix_error(404, "BOOKING_NOT_FOUND")) == GONE
    assert await outcome(wix_error(401, "UNAUTHENTICATED"), gone_statuses=(401, 404)) == GONE
    with pytest.raises(UpstreamError):
        await outcome(wix_error(401, "UNAUTHENTICATED"))


@pytest.mark.parametrize("status", [403, 428])
async def test_a_business_refusal_is_not_allowed_in_wix_words(status: int) -> None:
    error = wix_error(status, "BOOKING_CANNOT_BE_CANCELLED", "Too late to cancel")
    assert await outcome(error) == {
        "__typename": "NotAllowed",
        "message": "Cancel is not allowed: Too late to cancel",
        "reason": "Too late to cancel",
        "code": "BOOKING_CANNOT_BE_CANCELLED",
    }


@pytest.mark.parametrize("status", [400, 500])
async def test_bad_input_and_wix_failures_stay_errors(status: int) -> None:
    error = wix_error(status, "BAD_USER_INPUT" if status == 400 else "UPSTREAM_UNAVAILABLE")
    with pytest.raises(UpstreamError) as raised:
        await outcome(error)
    assert raised.value is error
