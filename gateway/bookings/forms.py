"""Checking a booking-form submission against the service's form (Get Form) before any write.

Wix would refuse a bad submission at Create Booking with one 400; checking first lets the
gateway report every field at once (`FormInvalid.fieldErrors`) and keeps bad requests from
writing anything. The contact given next to the form fills the form's contact fields, since with
a `formSubmission` Wix takes the contact from the form
(https://dev.wix.com/docs/api-reference/business-solutions/bookings/wix-forms-integration).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from gateway.bookings.flow import FormFieldSpec, FormSpec, Json, Lookups, ServiceInfo
from gateway.bookings.requests import Contact

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# Field kinds as the forms API names them (`FormFieldSpec.type`).
_NUMBERS = {"NUMBER", "RATING"}
_OBJECTS = {"OBJECT", "MULTILINE_ADDRESS", "WIX_FILE"}
_LISTS = {"ARRAY", "OBJECT_ARRAY"}
# Types whose value shape this check doesn't know: any value passes, Wix has the last word.
_UNCHECKED = {"UNKNOWN_INPUT_TYPE", "PAYMENT", "SCHEDULING", "SIGNATURE"}


@dataclass
class Submission:
    """The answers to send as `formSubmission`, and what is wrong with them."""

    answers: Json
    errors: list[Json] = field(default_factory=list)

    def error(self, target: str, message: str) -> None:
        self.errors.append({"target": target, "message": message})


def prepare(form: FormSpec | None, contact: Contact | None, answers: Any) -> Submission:
    """The answers with the contact merged in, checked against `form` (not checked when the
    form couldn't be read: Wix validates it then)."""
    submission = Submission(dict(answers) if isinstance(answers, dict) else {})
    if answers is not None and not isinstance(answers, dict):
        submission.error("formSubmission", "must be an object keyed by field target")
        return submission
    if form is None:
        for target, value in (contact.form_answers() if contact else {}).items():
            submission.answers.setdefault(target, value)
        return submission
    targets = {f.target for f in form.fields}
    if contact is not None:
        _merge_contact(submission, contact, targets)
    for target in submission.answers:
        if target not in targets:
            submission.error(target, "is not a field of this form")
    for form_field in form.fields:
        problem = check_value(form_field, submission.answers.get(form_field.target))
        if problem:
            submission.error(form_field.target, problem)
    return submission


def _merge_contact(submission: Submission, contact: Contact, targets: set[str]) -> None:
    """Contact values fill the form's contact fields; a different answer there is an error."""
    for target, value in contact.form_answers().items():
        if target not in targets:
            continue  # the form doesn't ask for it (Wix would ignore it)
        given = submission.answers.get(target)
        if given in (None, ""):
            submission.answers[target] = value
        elif not _same(target, given, value):
            submission.error(target, f"conflicts with the contact's {target}")


def _same(target: str, a: Any, b: Any) -> bool:
    if target == "email":
        return str(a).strip().lower() == str(b).strip().lower()
    return str(a) == str(b)


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def check_value(form_field: FormFieldSpec, value: Any) -> str | None:
    """What is wrong with one answer, or None."""
    if _empty(value):
        return "is required" if form_field.required and not form_field.hidden else None
    kind = form_field.type
    if kind in _UNCHECKED:
        return None
    if kind == "BOOLEAN":
        return None if isinstance(value, bool) else "must be true or false"
    if kind in _NUMBERS:
        number = isinstance(value, int | float) and not isinstance(value, bool)
        return None if number else "must be a number"
    if kind in _OBJECTS:
        return None if isinstance(value, dict) else "must be an object"
    options = set(form_field.options)
    if kind in _LISTS:
        if not isinstance(value, list):
            return "must be a list"
        if options and any(str(item) not in options for item in value):
            return _not_an_option(options)
        return None
    if not isinstance(value, str):
        return "must be text"
    if options and value not in options:
        return _not_an_option(options)
    if kind == "EMAIL" and not EMAIL.match(value):
        return "must be an email address"
    return None


def _not_an_option(options: set[str]) -> str:
    return "must be one of: " + ", ".join(sorted(options))


async def service_form(lookups: Lookups, service: ServiceInfo) -> FormSpec | None:
    """The service's booking form (Get Form, shared with the request)."""
    if not service.form_id:
        return None
    return await lookups.form(service.form_id)
