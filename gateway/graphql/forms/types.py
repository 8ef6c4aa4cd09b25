"""Booking forms, mapped from Wix Forms Get Form
(https://dev.wix.com/docs/rest/crm/forms/form-schemas/get-form): the summary lacks `required`.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

import strawberry

from gateway.graphql.common import Json, enum_or
from gateway.graphql.node import Node


@strawberry.enum(description="The kind of value a form field takes (Wix `FieldInputType`).")
class FormFieldType(Enum):
    UNKNOWN_INPUT_TYPE = "UNKNOWN_INPUT_TYPE"
    STRING = "STRING"
    NUMBER = "NUMBER"
    RATING = "RATING"
    BOOLEAN = "BOOLEAN"
    ARRAY = "ARRAY"
    OBJECT = "OBJECT"
    WIX_FILE = "WIX_FILE"
    SIGNATURE = "SIGNATURE"
    PAYMENT = "PAYMENT"
    SCHEDULING = "SCHEDULING"
    MULTILINE_ADDRESS = "MULTILINE_ADDRESS"
    DATE = "DATE"
    TIME = "TIME"
    DATE_TIME = "DATE_TIME"
    EMAIL = "EMAIL"
    URL = "URL"
    UUID = "UUID"
    PHONE = "PHONE"
    URI = "URI"
    HOSTNAME = "HOSTNAME"
    COLOR_HEX = "COLOR_HEX"
    CURRENCY = "CURRENCY"
    LANGUAGE = "LANGUAGE"
    DATE_OPTIONAL_TIME = "DATE_OPTIONAL_TIME"
    OBJECT_ARRAY = "OBJECT_ARRAY"


# Get Form's `inputType` -> the key of its options object, and the summary type it stands for.
_OPTIONS_KEY = {
    "STRING": "stringOptions",
    "NUMBER": "numberOptions",
    "BOOLEAN": "booleanOptions",
    "ARRAY": "arrayOptions",
    "OBJECT": "objectOptions",
    "WIX_FILE": "wixFileOptions",
    "PAYMENT": "paymentOptions",
    "SCHEDULING": "schedulingOptions",
    "ADDRESS": "addressOptions",
}
_INPUT_TYPE_ALIASES = {"ADDRESS": "MULTILINE_ADDRESS"}


@strawberry.type
class FormFieldOption:
    label: str
    value: str


@strawberry.type(description="One input of a booking form; submit its value under `target`.")
class FormField:
    id: strawberry.ID | None
    target: str
    label: str
    type: FormFieldType
    required: bool
    hidden: bool
    options: list[FormFieldOption]

    @classmethod
    def from_wix(cls, field: Json) -> FormField | None:
        """A Get Form `formFields[]` item; `None` for display-only items (no input)."""
        inputs = field.get("inputOptions")
        if not isinstance(inputs, dict) or not inputs.get("target"):
            return None
        input_type = str(inputs.get("inputType") or "UNKNOWN_INPUT_TYPE")
        options_object = inputs.get(_OPTIONS_KEY.get(input_type, ""), {}) or {}
        validation = options_object.get("validation") or {}
        if input_type == "STRING":
            format_ = validation.get("format")
            type_name = format_ if format_ and format_ != "UNDEFINED" else "STRING"
        else:
            type_name = _INPUT_TYPE_ALIASES.get(input_type, input_type)
        return cls(
            id=field.get("id"),
            target=inputs["target"],
            label=_label(options_object) or inputs["target"],
            type=enum_or(FormFieldType, type_name, FormFieldType.UNKNOWN_INPUT_TYPE),
            required=bool(inputs.get("required")),
            hidden=bool(field.get("hidden")),
            options=_choices(options_object, validation),
        )


def _components(options_object: Json) -> list[Json]:
    """The component settings (`dropdownOptions`, `textInputOptions`, ...) of an options object."""
    return [v for k, v in options_object.items() if k.endswith("Options") and isinstance(v, dict)]


def _label(options_object: Json) -> str | None:
    for component in _components(options_object):
        if component.get("label"):
            return str(component["label"])
    return None


def _choices(options_object: Json, validation: Json) -> list[FormFieldOption]:
    """Dropdown / radio / checkbox choices, else the validation `enum` (value doubles as label)."""
    for component in _components(options_object):
        raw: Any = component.get("options")
        if isinstance(raw, list) and raw:
            return [
                FormFieldOption(label=str(o.get("label", o.get("value"))), value=str(o["value"]))
                for o in raw
                if isinstance(o, dict) and "value" in o
            ]
    enum_values = validation.get("enum") or []
    return [FormFieldOption(label=str(v), value=str(v)) for v in enum_values]


@strawberry.type(description="A Wix booking form.")
class Form(Node):
    name: str | None
    fields: list[FormField]

    @classmethod
    def from_wix(cls, form: Json) -> Form:
        fields = [FormField.from_wix(f) for f in form.get("formFields") or []]
        return cls(id=form["id"], name=form.get("name"), fields=[f for f in fields if f])
