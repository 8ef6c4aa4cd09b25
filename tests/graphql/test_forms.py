"""`form(id)`: a booking form's fields from Get Form, with `required`, types and options."""

from __future__ import annotations

from gateway.sandbox import seed
from tests.graphql import Gateway, gateway

__all__ = ["gateway"]

FORM = """query($id: ID!) {
  form(id: $id) { id name fields { id target label type required hidden options { label value } } }
}"""


async def test_form_fields_carry_required_type_and_options(gateway: Gateway) -> None:
    gateway.reset_calls()
    form = (await gateway.data(FORM, {"id": seed.FORM_YOGA}))["form"]
    assert form["id"] == seed.FORM_YOGA and form["name"] == "Yoga sign-up"
    fields = {f["target"]: f for f in form["fields"]}
    assert list(fields) == [
        "first_name",
        "last_name",
        "email",
        "phone",
        "experience",
        "mat_rental",
    ]
    assert fields["email"]["type"] == "EMAIL" and fields["email"]["required"] is True
    assert fields["phone"]["type"] == "PHONE" and fields["phone"]["required"] is False
    assert fields["first_name"]["label"] == "First Name"
    assert fields["experience"]["options"] == [
        {"label": "Beginner", "value": "beginner"},
        {"label": "Intermediate", "value": "intermediate"},
        {"label": "Advanced", "value": "advanced"},
    ]
    assert fields["mat_rental"]["type"] == "BOOLEAN"
    assert fields["mat_rental"]["label"] == "Rent a mat"
    assert not any(f["hidden"] for f in form["fields"])
    assert gateway.calls() == {"GET /form-schema-service/v4/forms/{formId}": 1}


async def test_unknown_form_is_null(gateway: Gateway) -> None:
    body = await gateway.post(FORM, {"id": "00000000-0000-4000-8000-0000000000cc"})
    assert body == {"data": {"form": None}}
