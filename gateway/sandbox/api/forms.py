"""Wix Forms: Get Form Summary and Get Form for booking forms (forms.md)."""

from __future__ import annotations

from typing import Any

from gateway.sandbox.errors import not_found
from gateway.sandbox.identity import EVERYONE
from gateway.sandbox.routing import Call, route
from gateway.sandbox.state import Sandbox

API = "Wix Forms"
DOCS = "https://dev.wix.com/docs/rest/crm/forms/form-schemas"

# The not-found code of the form-schema service is not documented; our choice:
# https://dev.wix.com/docs/api-reference/crm/forms/form-schemas/get-form-summary
FORM_NOT_FOUND = "FORM_NOT_FOUND"


def load_form(sandbox: Sandbox, form_id: str) -> dict[str, Any]:
    form = sandbox.store.get("forms", form_id)
    if form is None:
        raise not_found(FORM_NOT_FOUND, f"Form {form_id} not found", {"formId": form_id})
    return form


def _summary_field(field: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": field["id"],
        "target": field["target"],
        "label": field["label"],
        "type": field["type"],
        "options": field.get("options", []),
        "deleted": False,
        "fields": [],
    }


_INPUT_TYPES = {"NUMBER": "NUMBER", "BOOLEAN": "BOOLEAN", "ARRAY": "ARRAY", "OBJECT": "OBJECT"}
_FORMATS = {"EMAIL": "EMAIL", "PHONE": "PHONE", "DATE": "DATE", "URL": "URL"}


def _form_field(field: dict[str, Any]) -> dict[str, Any]:
    input_type = _INPUT_TYPES.get(field["type"], "STRING")
    options: dict[str, Any] = {
        "target": field["target"],
        "required": bool(field.get("required")),
        "inputType": input_type,
    }
    if input_type == "STRING":
        validation: dict[str, Any] = {"format": _FORMATS.get(field["type"], "UNDEFINED")}
        if field.get("maxLength"):
            validation["maxLength"] = field["maxLength"]
        if field.get("options"):
            validation["enum"] = [o["value"] for o in field["options"]]
        component = "DROPDOWN" if field.get("options") else "TEXT_INPUT"
        options["stringOptions"] = {"componentType": component, "validation": validation}
        if field.get("options"):
            options["stringOptions"]["dropdownOptions"] = {
                "label": field["label"],
                "options": [{"label": o["label"], "value": o["value"]} for o in field["options"]],
            }
        else:
            options["stringOptions"]["textInputOptions"] = {"label": field["label"]}
    elif input_type == "BOOLEAN":
        options["booleanOptions"] = {"checkboxOptions": {"label": field["label"]}}
    return {
        "id": field["id"],
        "identifier": "CONTACTS_EMAIL" if field["target"] == "email" else "TEXT_INPUT",
        "hidden": False,
        "fieldType": "INPUT",
        "inputOptions": options,
    }


@route("GET", ("/form-schema-service/v4/forms/{formId}/summary",
               "/_api/form-schema-service/v4/forms/{formId}/summary"),
       "Get Form Summary", API, f"{DOCS}/get-form-summary", callers=EVERYONE)  # fmt: skip
def get_form_summary(sandbox: Sandbox, call: Call) -> dict[str, Any]:
    form = load_form(sandbox, call.params["formId"])
    return {
        "formSummary": {"id": form["id"], "fields": [_summary_field(f) for f in form["fields"]]}
    }


@route("GET", ("/form-schema-service/v4/forms/{formId}",
               "/_api/form-schema-service/v4/forms/{formId}"),
       "Get Form", API, f"{DOCS}/get-form", callers=EVERYONE)  # fmt: skip
def get_form(sandbox: Sandbox, call: Call) -> dict[str, Any]:
    form = load_form(sandbox, call.params["formId"])
    return {
        "form": {
            "id": form["id"],
            "namespace": form["namespace"],
            "name": form["name"],
            "revision": "1",
            "enabled": True,
            "formFields": [_form_field(f) for f in form["fields"]],
        }
    }


ROUTES = [get_form_summary, get_form]
