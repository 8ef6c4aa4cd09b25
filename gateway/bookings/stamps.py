"""Finding a booking again after Wix's answer to its creation was lost.

The gateway stamps each booking it creates with a fresh `externalUserId` (the one free field of
a booking that Query Extended Bookings can filter on: https://dev.wix.com/docs/api-reference/
business-solutions/bookings/bookings/bookings-reader-v2/query-extended-bookings). The stamp is
the gateway's, so callers never set `externalUserId` through it.
"""

from __future__ import annotations

import hashlib
import secrets
from contextvars import ContextVar
from typing import Any

from graphql import GraphQLError

from gateway.state.idempotency import resuming
from gateway.upstream import Upstream
from gateway.upstream.errors import UPSTREAM_TIMEOUT, UPSTREAM_UNAVAILABLE, UpstreamError

STAMP_PREFIX = "gateway-attempt-"
# Statuses whose booking no longer holds anything: nothing to undo.
FINAL_STATUSES = frozenset({"CANCELED", "DECLINED"})
# 503 is a refusal before any work (RFC 9110: the server cannot handle the request now); any
# other 5xx may come after Wix acted (e.g. a 504 from a proxy whose backend carried on).
REFUSAL_STATUS = 503
# The flow deadline's error code (`run_idempotent`): the flow was cut off mid-way.
FLOW_TIMEOUT = "FLOW_TIMEOUT"

Json = dict[str, Any]
PACKAGE_UNDO: Json = {"flowControlSettings": {"ignoreCancellationPolicy": True}}


# Set by `run_idempotent` while a flow with an idempotency key runs: its bookings carry a stamp
# derived from the key, so a retry that resumes an ambiguous run finds what that run made.
keyed_stamp: ContextVar[str | None] = ContextVar("keyed_stamp", default=None)


def new_stamp() -> str:
    """The key's stamp while a keyed flow runs, else a fresh one."""
    return keyed_stamp.get() or STAMP_PREFIX + secrets.token_hex(12)


def stamp_for_key(scoped_key: str) -> str:
    """A stamp that names the (caller-scoped) idempotency key without revealing it."""
    return STAMP_PREFIX + hashlib.sha256(scoped_key.encode()).hexdigest()[:24]


def is_resuming() -> bool:
    """Whether this flow took over a key whose earlier run may have written."""
    return resuming.get()


def may_have_written(error: BaseException) -> bool:
    """Whether a flow that raised `error` may have changed something at Wix (the key is then
    ambiguous, not released). We cannot tell a failed read from a failed write, so: our flow
    deadline, an upstream timeout, no answer at all (transport failure), and any answer in
    error other than 503 count as "maybe"; refusals (4xx, 503) and everything else as "no"."""
    if isinstance(error, GraphQLError):
        return bool(error.extensions and error.extensions.get("code") == FLOW_TIMEOUT)
    if not isinstance(error, UpstreamError):
        return False
    if error.code == UPSTREAM_TIMEOUT:
        return True
    status = error.http_status
    if status is None:
        return error.code == UPSTREAM_UNAVAILABLE  # sent, no answer
    return status < 300 or (status >= 500 and status != REFUSAL_STATUS)


async def find_stamped(business: Upstream, stamp: str) -> list[Json]:
    """The bookings carrying `stamp`, read with the API key (any caller's own booking)."""
    body = await business.bookings_reader.query_extended_bookings(
        {"filter": {"externalUserId": stamp}, "cursorPaging": {"limit": 10}}
    )
    return [item["booking"] for item in body.get("extendedBookings") or []]


async def active_stamped(business: Upstream, stamp: str) -> list[Json]:
    """The bookings carrying `stamp` that still hold something (not cancelled or declined)."""
    found = await find_stamped(business, stamp)
    return [booking for booking in found if booking.get("status") not in FINAL_STATUSES]


async def find_booking(business: Upstream, booking_id: str) -> Json | None:
    """The booking as Wix holds it now, or None."""
    body = await business.bookings_reader.query_extended_bookings(
        {"filter": {"id": booking_id}, "cursorPaging": {"limit": 1}}
    )
    found = body.get("extendedBookings") or []
    return dict(found[0]["booking"]) if found else None


def package_of(booking: Json) -> str | None:
    """The multi-service booking (package) a booking belongs to, if any."""
    return (booking.get("multiServiceBookingInfo") or {}).get("id")


async def cancel_quietly(business: Upstream, booking: Json) -> None:
    """Cancel a booking nobody was told about, with its current revision, ignoring the
    cancellation policy (the business undoes its own gateway's write); a package's booking is
    cancelled with its whole package. Raises on failure."""
    if booking.get("status") in FINAL_STATUSES:
        return
    package = package_of(booking)
    if package is not None:
        await business.bookings_writer.cancel_multi_service_booking(package, PACKAGE_UNDO)
        return
    body = {
        "revision": booking["revision"],
        "flowControlSettings": {"ignoreCancellationPolicy": True},
        "participantNotification": {"notifyParticipants": False},
    }
    await business.bookings_writer.cancel_booking(booking["id"], body)
