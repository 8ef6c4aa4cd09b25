"""The demo business's two site members (ids in `seed.py`), in the shape of Wix's Member object
(https://dev.wix.com/docs/rest/api-reference/members/members/member-object).

A member is always backed by a contact; `member_contact` lets a booking made with a member's
email land on that member's contact, as one email is one contact on Wix.
"""

from __future__ import annotations

from typing import Any

from gateway.sandbox import seed as ids

_MEMBERS = (
    (ids.MEMBER_MAYA, ids.CONTACT_MAYA, ids.EMAIL_MAYA, "Maya", "Patel"),
    (ids.MEMBER_NOAH, ids.CONTACT_NOAH, ids.EMAIL_NOAH, "Noah", "Williams"),
)


def members() -> list[dict[str, Any]]:
    return [
        {
            "id": member_id,
            "loginEmail": email,
            "contactId": contact_id,
            "status": "APPROVED",
            "contact": {"firstName": first, "lastName": last},
            "profile": {"nickname": f"{first} {last}"},
        }
        for member_id, contact_id, email, first, last in _MEMBERS
    ]


def member_contact(email: str) -> str | None:
    """The contact id of the member who logs in with `email` (case-insensitive), if any."""
    wanted = email.strip().lower()
    return next((contact for _, contact, mail, _, _ in _MEMBERS if mail == wanted), None)
