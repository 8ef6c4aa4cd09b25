"""The Bookings webhooks: which event a booking change emits, and its body.

Event types, slugs and bodies are those of `@wix/auto_sdk_bookings_bookings` (`onBookingCreated`,
`BookingConfirmed`, `BookingRescheduled`, ...; listed in
https://dev.wix.com/docs/api-reference/business-solutions/bookings/bookings/bookings-writer-v2/introduction):
- created / updated: the booking itself (`createdEvent.entity`, `updatedEvent.currentEntity`);
- confirmed, declined, markedAsPending, canceled, rescheduled, number_of_participants_updated:
  an action whose body holds the booking, who initiated the change and what it was before.

`booking` is always the booking as the sandbox's reads return it (`public_booking`). A handler
takes `previous(doc)` before changing a booking and records the event once the booking is saved.
`doubleBooked` appears in a body only when this change found or set a double booking (the
`StatusChange`'s answer), never for a force resolution.
"""

from __future__ import annotations

from typing import Any

from gateway.sandbox import events
from gateway.sandbox.bookings import public_booking
from gateway.sandbox.events import BOOKING_FQDN
from gateway.sandbox.routing import Call
from gateway.sandbox.state import Sandbox

Doc = dict[str, Any]

# The event each status change ends in (Confirm Or Decline may end in any of them).
STATUS_EVENTS = {"CONFIRMED": "confirmed", "PENDING": "markedAsPending", "DECLINED": "declined"}
# The applied flowControlSettings each event body echoes (its `...FlowControlSettings` type).
_FLOW_FIELDS = {
    "canceled": ("ignoreCancellationPolicy", "withRefund", "waiveCancellationFee"),
    "rescheduled": (
        "ignoreReschedulePolicy",
        "skipAvailabilityValidation",
        "skipBusinessConfirmation",
        "allowAddOnChanges",
    ),
}
_NOTIFIED = ("confirmed", "declined", "markedAsPending", "canceled", "rescheduled")
_SMS_REMINDED = ("confirmed", "markedAsPending")


def previous(doc: Doc) -> Doc:
    """The booking as it was before a change (a copy, as the wire shows it)."""
    return public_booking(doc)


def created(sandbox: Sandbox, call: Call, doc: Doc) -> None:
    events.created(sandbox, call, BOOKING_FQDN, public_booking(doc))


def updated(sandbox: Sandbox, call: Call, doc: Doc) -> None:
    """A change that is none of the actions (e.g. joining or leaving a multi-service booking)."""
    events.updated(sandbox, call, BOOKING_FQDN, public_booking(doc))


def status_changed(
    sandbox: Sandbox, call: Call, doc: Doc, before: Doc, *, double_booked: bool = False
) -> None:
    """Confirmed, markedAsPending or declined, by the status the booking ended in."""
    slug = STATUS_EVENTS[doc["status"]]
    fields: Doc = {}
    if double_booked and slug != "declined":
        fields["doubleBooked"] = True
    fields["previousStatus"] = before["status"]
    fields["previousPaymentStatus"] = before.get("paymentStatus", "UNDEFINED")
    _action(sandbox, call, slug, doc, fields)


def canceled(sandbox: Sandbox, call: Call, doc: Doc, before: Doc, flow: Doc) -> None:
    """`flow`: the flowControlSettings the cancellation applied."""
    _action(sandbox, call, "canceled", doc, {"previousStatus": before["status"]}, flow)


def rescheduled(sandbox: Sandbox, call: Call, doc: Doc, before: Doc, flow: Doc) -> None:
    """`flow`: the flowControlSettings the reschedule applied."""
    fields: Doc = {
        "previousStatus": before["status"],
        "previousBookedEntity": before["bookedEntity"],
        "previousStartDate": before["startDate"],
        "previousEndDate": before["endDate"],
        **_previous_participants(before),
    }
    if before.get("bookedAddOns"):
        fields["previousBookedAddOns"] = before["bookedAddOns"]
    _action(sandbox, call, "rescheduled", doc, fields, flow)


def participants_updated(sandbox: Sandbox, call: Call, doc: Doc, before: Doc) -> None:
    _action(sandbox, call, "number_of_participants_updated", doc, _previous_participants(before))


def _previous_participants(before: Doc) -> Doc:
    """`previousTotalParticipants` or, for a booking of service variants,
    `previousParticipantsChoices` (a oneof)."""
    if before.get("participantsChoices") is not None:
        return {"previousParticipantsChoices": before["participantsChoices"]}
    return {"previousTotalParticipants": before.get("totalParticipants", 1)}


def _action(
    sandbox: Sandbox, call: Call, slug: str, doc: Doc, fields: Doc, flow: Doc | None = None
) -> None:
    """The action's body: the booking, the request's notification settings (the anonymous-token
    methods, called with no identity, take none), the applied flags, the initiator, `fields`."""
    booking = public_booking(doc)
    body: Doc = {"booking": booking}
    request = call.body if call.identity is not None else {}
    notification = request.get("participantNotification")
    if slug in _NOTIFIED and isinstance(notification, dict):
        body["participantNotification"] = notification
    reminder = request.get("sendSmsReminder")
    if slug in _SMS_REMINDED and isinstance(reminder, bool):
        body["sendSmsReminder"] = reminder
    names = _FLOW_FIELDS.get(slug, ())
    echoed = {name: bool(flow[name]) for name in names if flow and flow.get(name) is not None}
    if echoed:
        body["flowControlSettings"] = echoed
    contact = (booking.get("contactDetails") or {}).get("contactId")
    body["initiatedBy"] = events.initiated_by(call.identity, contact)
    body.update(fields)
    events.action(sandbox, call, BOOKING_FQDN, slug, booking["id"], body)
