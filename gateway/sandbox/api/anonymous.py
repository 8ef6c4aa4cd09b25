"""Anonymous booking actions ("Anonymous booking actions" in
https://dev.wix.com/docs/api-reference/business-solutions/bookings/bookings/bookings-writer-v2/introduction).

Get Anonymous Action Token is called by the business (authenticated); the token it returns is
the only credential of the other methods, which need no Authorization header. A token is random
(`secrets.token_urlsafe`), one per booking, and works only while its booking exists. It is never
echoed in a response other than the token call, nor in an error message.

Choices where the contract is silent (unconfirmed): token response `{"token"}`; an unknown token
is 401 `INVALID_TOKEN`; a token whose booking is gone is 404 `BOOKING_NOT_FOUND`; an action the
policy (`allowAnonymous`, the cancellation/reschedule window) or the booking's status doesn't
allow is 428 `BOOKING_CANNOT_BE_CANCELLED` or `RESCHEDULING_NOT_ALLOWED` (the SDK's codes);
Cancel takes `{revision?}` and Reschedule `{slot, revision?}`, both answering `{"booking"}`. A
booking inside a multi-service booking is changed only through the multi-service methods
(https://dev.wix.com/docs/api-reference/business-solutions/bookings/bookings/bookings-writer-v2/introduction),
so its anonymous actions are never allowed.
"""

from __future__ import annotations

import secrets
from typing import Any

from gateway.sandbox import booking_events
from gateway.sandbox import multi_service as msb
from gateway.sandbox.api.bookings_writer import DOCS
from gateway.sandbox.api.services import load_service, public_service
from gateway.sandbox.bookings import (
    allowed_actions,
    cancel_booking,
    check_revision,
    load_booking,
    public_booking,
    reschedule_booking,
    save_booking,
    touch,
)
from gateway.sandbox.errors import WixError, invalid, precondition
from gateway.sandbox.routing import Call, route
from gateway.sandbox.state import Sandbox

API = "Anonymous Booking Actions"  # documented with Bookings Writer V2 (DOCS)
BASE = "/v1/anonymous-bookings"
INVALID_TOKEN = "INVALID_TOKEN"  # 401
# 428 when the policy or status doesn't allow the action: the codes the SDK declares per method.
NOT_ALLOWED = {"cancel": "BOOKING_CANNOT_BE_CANCELLED", "reschedule": "RESCHEDULING_NOT_ALLOWED"}
TOKEN_BYTES = 32
_PAST = {"cancel": "canceled", "reschedule": "rescheduled"}

Doc = dict[str, Any]


def _booking_of_token(sandbox: Sandbox, call: Call) -> Doc:
    """The booking the path's token grants access to (401 unknown token, 404 booking gone)."""
    booking_id = sandbox.store.token_booking_id(call.params["token"])
    if booking_id is None:
        raise WixError(401, INVALID_TOKEN, "The anonymous action token is not valid")
    return load_booking(sandbox, booking_id)


def anonymous_actions(sandbox: Sandbox, doc: Doc) -> dict[str, bool]:
    """What the customer may do with the token: the policy's anonymous rules, never for a booking
    that belongs to a multi-service booking."""
    if msb.package_id_of(doc):
        return {"cancel": False, "reschedule": False}
    return allowed_actions(sandbox, doc, anonymous=True)


def _require(sandbox: Sandbox, doc: Doc, action: str, revision: Any) -> None:
    if not anonymous_actions(sandbox, doc)[action]:
        raise precondition(
            NOT_ALLOWED[action],
            f"The booking can't be {_PAST[action]} anonymously",
            {"action": action.upper(), "currentBookingStatus": doc["status"]},
        )
    if revision is not None:
        check_revision(doc, revision)


@route("GET", f"{BASE}/{{bookingId}}/token", "Get Anonymous Action Token", API,
       f"{DOCS}/get-anonymous-action-token",
       codes=("BOOKING_NOT_FOUND",))  # fmt: skip
def get_anonymous_action_token(sandbox: Sandbox, call: Call) -> Doc:
    """The same token on every call for one booking."""
    with sandbox.store.transaction():
        doc = load_booking(sandbox, call.params["bookingId"])
        token = sandbox.store.token_for(doc["id"])
        if token is None:
            token = secrets.token_urlsafe(TOKEN_BYTES)
            sandbox.store.put_token(token, doc["id"])
    return {"token": token}


@route("GET", f"{BASE}/{{token}}", "Get Booking Anonymously", API,
       f"{DOCS}/anonymous-booking-actions-service-get-booking-anonymously",
       auth=False, query_params=("fields",),
       codes=("BOOKING_NOT_FOUND", "INVALID_TOKEN"))  # fmt: skip
def get_booking_anonymously(sandbox: Sandbox, call: Call) -> Doc:
    """`fields=BOOKING_FEES` is accepted; the sandbox has no fees to add."""
    with sandbox.store.transaction():
        doc = _booking_of_token(sandbox, call)
        actions = anonymous_actions(sandbox, doc)
    return {"booking": public_booking(doc), "allowedAnonymousActions": actions}


@route("GET", f"{BASE}/{{token}}/service", "Get Service Anonymously", API,
       f"{DOCS}/get-service-anonymously", auth=False,
       codes=("BOOKING_NOT_FOUND", "INVALID_TOKEN", "SERVICE_NOT_FOUND"))  # fmt: skip
def get_service_anonymously(sandbox: Sandbox, call: Call) -> Doc:
    with sandbox.store.transaction():
        doc = _booking_of_token(sandbox, call)
        service = public_service(sandbox, load_service(sandbox, doc["_sandbox"]["service_id"]))
    return {"service": service}


@route("POST", f"{BASE}/{{token}}/cancel", "Cancel Booking Anonymously", API,
       f"{DOCS}/anonymous-booking-actions-service-cancel-booking-anonymously",
       auth=False,
       codes=("BOOKING_CANNOT_BE_CANCELLED", "BOOKING_NOT_FOUND", "INVALID_TOKEN"))  # fmt: skip
def cancel_booking_anonymously(sandbox: Sandbox, call: Call) -> Doc:
    with sandbox.store.transaction():
        doc = _booking_of_token(sandbox, call)
        _require(sandbox, doc, "cancel", call.body.get("revision"))
        before = booking_events.previous(doc)
        touch(sandbox, cancel_booking(sandbox, doc, {}))
        save_booking(sandbox, doc)
        booking_events.canceled(sandbox, call, doc, before, {})
    return {"booking": public_booking(doc)}


@route("POST", f"{BASE}/{{token}}/reschedule", "Reschedule Booking Anonymously", API,
       f"{DOCS}/anonymous-booking-actions-service-reschedule-booking-anonymously",
       auth=False,
       codes=("BOOKING_NOT_FOUND", "INVALID_TOKEN", "RESCHEDULING_NOT_ALLOWED"))  # fmt: skip
def reschedule_booking_anonymously(sandbox: Sandbox, call: Call) -> Doc:
    slot = call.body.get("slot")
    if not isinstance(slot, dict) or not slot:
        raise invalid("slot", "is required", "REQUIRED_FIELD")
    with sandbox.store.transaction():
        doc = _booking_of_token(sandbox, call)
        _require(sandbox, doc, "reschedule", call.body.get("revision"))
        before = booking_events.previous(doc)
        touch(sandbox, reschedule_booking(sandbox, doc, slot, {}))
        save_booking(sandbox, doc)
        booking_events.rescheduled(sandbox, call, doc, before, {})
    return {"booking": public_booking(doc)}


ROUTES = [
    get_anonymous_action_token,
    get_booking_anonymously,
    get_service_anonymously,
    cancel_booking_anonymously,
    reschedule_booking_anonymously,
]
