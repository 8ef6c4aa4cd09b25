"""The booking form on Create Booking: required answers, contact details, the stored submission.

Wix Bookings validates `formSubmission` against the service's form, takes the customer's contact
details from it and files the answers as a Forms submission
(https://dev.wix.com/docs/api-reference/business-solutions/bookings/wix-forms-integration).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from gateway.sandbox.api.forms import load_form
from gateway.sandbox.demo_members import member_contact
from gateway.sandbox.errors import WixError, invalid
from gateway.sandbox.seed import BOOKINGS_FORM_NAMESPACE
from gateway.sandbox.state import Sandbox
from gateway.sandbox.wire import utc_iso

CONTACT_DETAILS_CONFLICT = "CONTACT_DETAILS_CONFLICT"
# Form targets that land in `booking.contactDetails` (the default booking form in
# https://dev.wix.com/docs/api-reference/business-solutions/bookings/wix-forms-integration).
CONTACT_TARGETS = {
    "first_name": "firstName",
    "last_name": "lastName",
    "email": "email",
    "phone": "phone",
}
# Wix creates (or finds) a contact per email; the sandbox derives a stable id from the email so
# that one customer's bookings share a contactId (a member's email gives the member's contact).
_CONTACTS = uuid.UUID("6c0a7c5e-0000-4000-8000-00000000c0de")


def contact_id_for(email: Any) -> str | None:
    if not isinstance(email, str) or not email.strip():
        return None
    return member_contact(email) or str(uuid.uuid5(_CONTACTS, email.strip().lower()))


def contact_and_submission(
    sandbox: Sandbox,
    service: dict[str, Any],
    contact_details: Any,
    form_submission: Any,
    *,
    validate: bool,
    now: datetime,
) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """The booking's `contactDetails` and, when answers were sent, the submission to store."""
    if contact_details is not None and not isinstance(contact_details, dict):
        raise invalid("booking.contactDetails", "must be an object")
    contact = dict(contact_details or {})
    if form_submission is None:
        contact.setdefault("contactId", contact_id_for(contact.get("email")))
        return {k: v for k, v in contact.items() if v is not None}, None
    if not isinstance(form_submission, dict):
        raise invalid("formSubmission", "must be an object")
    form = load_form(sandbox, service["form"]["id"])
    if validate:
        check_answers(form, form_submission)
    from_form = {
        key: str(form_submission[target])
        for target, key in CONTACT_TARGETS.items()
        if form_submission.get(target) not in (None, "")
    }
    _check_no_conflict(contact, from_form)
    # With a submission Wix ignores the sent contactDetails except contactId
    # (https://dev.wix.com/docs/api-reference/business-solutions/bookings/wix-forms-integration).
    contact_id = contact.get("contactId") or contact_id_for(from_form.get("email"))
    details = {"contactId": contact_id, **from_form} if contact_id else from_form
    stamp = utc_iso(now)
    submission = {
        "id": str(uuid.uuid4()),
        "formId": form["id"],
        "namespace": BOOKINGS_FORM_NAMESPACE,
        "status": "CONFIRMED",
        "submissions": dict(form_submission),
        "createdDate": stamp,
        "updatedDate": stamp,
        "revision": "1",
    }
    if contact_id:
        submission["contactId"] = contact_id
    return details, submission


def check_answers(form: dict[str, Any], answers: dict[str, Any]) -> None:
    """400 validationError listing every field that is missing or malformed, by target."""
    violations: list[dict[str, Any]] = []
    problems: list[str] = []
    for field in form.get("fields", []):
        target = field["target"]
        problem = _problem(field, answers.get(target))
        if problem:
            problems.append(f"{target} {problem}")
            violations.append(
                {
                    "field": f"formSubmission.{target}",
                    "description": problem,
                    "violatedRule": "REQUIRED_FIELD" if "required" in problem else "FORMAT",
                    "data": {"target": target},
                }
            )
    if violations:
        raise WixError(400, "INVALID_ARGUMENT", "; ".join(problems), None, violations)


def _problem(field: dict[str, Any], value: Any) -> str | None:
    target = field["target"]
    if value is None or value == "" or value == []:
        return f"must have required property '{target}'" if field.get("required") else None
    options = [option["value"] for option in field.get("options", [])]
    if field["type"] == "BOOLEAN":
        return None if isinstance(value, bool) else "must be boolean"
    if isinstance(value, dict | list):
        return "must be string"
    if options and value not in options:
        return f"must be equal to one of the allowed values: {', '.join(options)}"
    if field["type"] == "EMAIL" and "@" not in str(value):
        return 'must match format "email"'
    max_length = field.get("maxLength")
    if max_length and len(str(value)) > int(max_length):
        return f"must NOT have more than {max_length} characters"
    return None


def _check_no_conflict(contact: dict[str, Any], from_form: dict[str, str]) -> None:
    """400 CONTACT_DETAILS_CONFLICT when contactDetails disagree with the form's answers."""
    clashes = []
    for key, value in from_form.items():
        sent = contact.get(key)
        if sent in (None, ""):
            continue
        same = str(sent).lower() == value.lower() if key == "email" else str(sent) == value
        if not same:
            clashes.append(key)
    if clashes:
        raise WixError(
            400,
            CONTACT_DETAILS_CONFLICT,
            "contactDetails conflict with the form submission",
            {"fields": clashes},
        )
