"""One `Failure` interface: every failure member of the mutation result unions has `message`
and `code`, so a client selects `... on Failure { message code }` once; and the policy flags of
`PolicyViolation` have the names `TimeSlot.policyViolations` uses (the earlier ones deprecated)."""

from __future__ import annotations

from typing import Any

from gateway.bookings import outcomes
from gateway.graphql.bookings.mutations.outcomes import render
from gateway.sandbox import seed
from tests.graphql import Gateway, gateway, next_weekday
from tests.graphql.mutations import CONTACT, appointment_input, haircut_slot

__all__ = ["gateway"]

SUCCESSES = {
    "BookingCreated",
    "BookingUpdated",
    "PackageBooked",
    "PackageUpdated",
    "AnonymousLink",
    "DoubleBookingResolved",
}
CODES = {
    "SlotUnavailable": "SLOT_UNAVAILABLE",
    "FormInvalid": "FORM_INVALID",
    "PolicyViolation": "POLICY_VIOLATION",
    "ClassFull": "CLASS_FULL",
    "CourseFull": "COURSE_FULL",
    "RevisionConflict": "REVISION_CONFLICT",
    "NotFound": "NOT_FOUND",
    "IdempotencyKeyReused": "IDEMPOTENCY_KEY_REUSED",
    "PackageUnavailable": "PACKAGE_UNAVAILABLE",
    "InvalidAnonymousToken": "INVALID_ANONYMOUS_TOKEN",
    "AlreadyResolved": "ALREADY_RESOLVED",
}
INTROSPECTION = """{
  __schema {
    mutationType { fields { name type { kind name ofType { kind name } } } }
    types { name kind possibleTypes { name } interfaces { name }
            fields(includeDeprecated: true) { name isDeprecated deprecationReason
                                               type { kind name ofType { name } } } }
  }
}"""


async def test_every_failure_member_implements_failure(gateway: Gateway) -> None:
    schema = (await gateway.data(INTROSPECTION))["__schema"]
    types = {t["name"]: t for t in schema["types"]}
    failure = types["Failure"]
    assert failure["kind"] == "INTERFACE"
    assert {f["name"]: _type(f) for f in failure["fields"]} == {
        "message": "String!",
        "code": "String!",
    }
    unions = set()
    for field in schema["mutationType"]["fields"]:
        named = field["type"]["ofType"] or field["type"]
        if types[named["name"]]["kind"] == "UNION":
            unions.add(named["name"])
    members = {m["name"] for union in unions for m in types[union]["possibleTypes"]}
    failures = members - SUCCESSES
    assert failures == set(CODES) | {"NotAllowed"}
    implementing = {t["name"] for t in failure["possibleTypes"]}
    assert implementing == failures
    for name in SUCCESSES & members:
        assert types[name]["interfaces"] == []


async def test_a_client_reads_every_failure_through_the_interface(gateway: Gateway) -> None:
    """Sauna: online booking disabled; massage without its answers: the form; an unknown
    booking; a booking the business already cancelled."""
    selection = "__typename ... on Failure { message code }"
    day = next_weekday(2)
    sauna = {
        "serviceId": seed.SERVICE_SAUNA,
        "localStart": f"{day}T10:00:00",
        "localEnd": f"{day}T10:50:00",
        "contact": CONTACT,
    }
    massage = {**sauna, "serviceId": seed.SERVICE_MASSAGE, "localEnd": f"{day}T11:00:00"}
    booked = await gateway.data(
        "mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { "
        "... on BookingCreated { booking { id } } } }",
        {"input": appointment_input(await haircut_slot(gateway))},
    )
    booking_id = booked["bookAppointment"]["booking"]["id"]
    data = await gateway.data(
        f"""mutation($sauna: BookAppointmentInput!, $massage: BookAppointmentInput!,
                     $id: ID!) {{
          sauna: bookAppointment(input: $sauna) {{ {selection} }}
          massage: bookAppointment(input: $massage) {{ {selection} }}
          missing: cancelBooking(input: {{bookingId: "00000000-0000-4000-8000-00000000dead"}}) {{
            {selection}
          }}
          cancel: cancelBooking(input: {{bookingId: $id}}) {{ __typename }}
          again: cancelBooking(input: {{bookingId: $id}}) {{ {selection} }}
        }}""",
        {"sauna": sauna, "massage": massage, "id": booking_id},
    )
    codes = {name: (result["__typename"], result.get("code")) for name, result in data.items()}
    assert codes == {
        "sauna": ("PolicyViolation", "POLICY_VIOLATION"),
        "massage": ("FormInvalid", "FORM_INVALID"),
        "missing": ("NotFound", "NOT_FOUND"),
        "cancel": ("BookingUpdated", None),
        "again": ("NotAllowed", "CANCEL_NOT_ALLOWED"),
    }
    assert all(result.get("message") for name, result in data.items() if name != "cancel")


async def test_policy_flags_have_the_time_slot_names(gateway: Gateway) -> None:
    schema = (await gateway.data(INTROSPECTION))["__schema"]
    types = {t["name"]: t for t in schema["types"]}
    flags = {"tooEarlyToBook", "tooLateToBook", "bookOnlineDisabled", "earliestBookingDate"}
    slot_flags = {f["name"] for f in types["PolicyViolations"]["fields"]}
    assert flags == slot_flags
    fields = {f["name"]: f for f in types["PolicyViolation"]["fields"]}
    assert flags <= {name for name, f in fields.items() if not f["isDeprecated"]}
    deprecated = {name: f["deprecationReason"] for name, f in fields.items() if f["isDeprecated"]}
    assert deprecated == {
        "tooEarly": "Use `tooEarlyToBook`, as on `TimeSlot.policyViolations`.",
        "tooLate": "Use `tooLateToBook`, as on `TimeSlot.policyViolations`.",
        "onlineBookingDisabled": "Use `bookOnlineDisabled`, as on `TimeSlot.policyViolations`.",
    }

    day = next_weekday(2)
    sauna = {
        "serviceId": seed.SERVICE_SAUNA,
        "localStart": f"{day}T10:00:00",
        "localEnd": f"{day}T10:50:00",
        "contact": CONTACT,
    }
    data = await gateway.data(
        """mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) {
          ... on PolicyViolation { tooEarlyToBook tooLateToBook bookOnlineDisabled
                                   tooEarly tooLate onlineBookingDisabled } } }""",
        {"input": sauna},
    )
    assert data["bookAppointment"] == {
        "tooEarlyToBook": False,
        "tooLateToBook": False,
        "bookOnlineDisabled": True,
        "tooEarly": False,
        "tooLate": False,
        "onlineBookingDisabled": True,
    }


def test_codes_are_one_per_type_and_not_allowed_names_the_refusal() -> None:
    failures: list[outcomes.Outcome] = [
        outcomes.slot_unavailable([], "UTC"),
        outcomes.form_invalid([{"target": "email", "message": "is required"}]),
        outcomes.policy_violation({"tooLateToBook": True}),
        outcomes.class_full(0, False),
        outcomes.course_full(8, 0),
        outcomes.revision_conflict({"id": "b-1", "revision": "2"}),
        outcomes.not_found("booking", "b-1"),
        outcomes.idempotency_key_reused("k"),
        outcomes.PackageUnavailable("gone", [], "UTC"),
        outcomes.InvalidAnonymousToken(),
        outcomes.AlreadyResolved("The booking is CANCELED", {"id": "b-1"}),
    ]
    codes = {type(o).__name__: render(o).code() for o in failures}
    assert codes == CODES
    assert render(outcomes.not_allowed("Cancel", "too late", "CANCEL_NOT_ALLOWED")).code() == (
        "CANCEL_NOT_ALLOWED"
    )
    assert render(outcomes.not_allowed("Cancel", "Wix said no", None)).code() == "NOT_ALLOWED"


def _type(field: dict[str, Any]) -> str:
    type_ = field["type"]
    if type_["kind"] == "NON_NULL":
        return f"{type_['ofType']['name']}!"
    return str(type_["name"])
