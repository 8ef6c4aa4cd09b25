"""What visitors and members may do with bookings, beyond which methods they may call.

Create Booking and Create Multi Service Booking are callable by visitors and members, but creating
a booking as CONFIRMED and the `flowControlSettings` overrides need "Manage Bookings" permissions
(https://dev.wix.com/docs/rest/business-solutions/bookings/bookings/bookings-writer-v2/create-booking),
which they don't hold. The booking records who made it in `createdBy` (one of
`anonymousVisitorId` / `memberId` / `appId`, with the creator's `contactId`).
"""

from __future__ import annotations

from typing import Any

from gateway.sandbox.identity import Identity, Kind, permission_denied
from gateway.sandbox.seed import OAUTH_CLIENT_ID

# Inference: a visitor's or member's token was issued to the site's Headless OAuth app, so that
# app is the calling app Wix records in `createdByAppId`.
TOKEN_CALLER_APP_ID = OAUTH_CLIENT_ID
# Inference (Wix's pages list only admin permissions for Query/Count Extended Bookings): a member
# reads only the bookings they created or whose contact is theirs.
MEMBERS_SEE_OWN_BOOKINGS = True


def customer_booking(
    identity: Identity, booking: dict[str, Any], flow: dict[str, Any], field: str
) -> dict[str, Any]:
    """The `booking` of a create as this caller may send it: 403 for a visitor or member asking
    for CONFIRMED, an override flag or someone else's contact; a member's booking is theirs (their
    contact id is filled in)."""
    if identity.is_admin:
        return booking
    if booking.get("status") == "CONFIRMED":
        raise permission_denied(
            "Only an admin can create a CONFIRMED booking", {"field": f"{field}.status"}
        )
    elevated = sorted(name for name, value in flow.items() if value)
    if elevated:
        raise permission_denied(
            "These flowControlSettings need Manage Bookings permissions", {"flags": elevated}
        )
    contact = booking.get("contactDetails")
    contact = dict(contact) if isinstance(contact, dict) else None
    sent = (contact or {}).get("contactId")
    if sent and sent != identity.contact_id:
        raise permission_denied(
            "A booking can't be made for another contact",
            {"field": f"{field}.contactDetails.contactId"},
        )
    if identity.kind is Kind.MEMBER:
        contact = {**(contact or {}), "contactId": identity.contact_id}
        return {**booking, "contactDetails": contact}
    return booking


def stamp_creator(identity: Identity, doc: dict[str, Any]) -> dict[str, Any]:
    """Record the visitor or member who created the booking (an API key keeps the caller app)."""
    if identity.kind is Kind.VISITOR:
        doc["createdBy"] = {"anonymousVisitorId": identity.visitor_id}
    elif identity.kind is Kind.MEMBER:
        doc["createdBy"] = {"memberId": identity.member_id, "contactId": identity.contact_id}
    else:
        return doc
    doc["createdByAppId"] = TOKEN_CALLER_APP_ID
    return doc


def visible_to(identity: Identity, doc: dict[str, Any]) -> bool:
    """Whether Query/Count Extended Bookings shows this booking to the caller."""
    if identity.is_admin:
        return True
    if identity.kind is not Kind.MEMBER or not MEMBERS_SEE_OWN_BOOKINGS:
        return False
    created_by = doc.get("createdBy") or {}
    contact = (doc.get("contactDetails") or {}).get("contactId")
    return created_by.get("memberId") == identity.member_id or contact == identity.contact_id
