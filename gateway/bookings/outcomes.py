"""What a booking flow ends in: one frozen dataclass per outcome.

`to_json()` is the JSON an idempotent replay stores (`{"__typename": <GraphQL type>, ...}`, the
fields in camelCase) and `outcome_from_json` reads it back, so a result stored by any version
renders like the first answer. Fields marked `OPTIONAL` are left out of the JSON when they hold
their default.

`changed_wix` says whether the flow changed Wix on its way to the outcome (or may have): such an
outcome holds its idempotency key (the same key and input replay it, another input is refused),
while one that changed nothing releases it, so the caller may correct the input and send it
again with the same key (`gateway.graphql.bookings.mutations.idempotent`). Successes changed Wix;
failures did not, unless they say otherwise: the booking Wix declined at confirmation
(`declined_booking_id`), the package made and cancelled again (`package_id`), or what a change
whose answer was lost read back (`answer_lost`).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, ClassVar, Self

from gateway.bookings.flow import Json

TYPENAME = "__typename"
OPTIONAL: Any = {"optional": True}  # a field the JSON omits when it holds its default
_TYPES: dict[str, type[Outcome]] = {}


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


class Outcome:
    """Base of the outcome dataclasses; the class name is the GraphQL type's name."""

    __dataclass_fields__: ClassVar[dict[str, Any]]
    # Whether outcomes of this type changed Wix; `changed_wix` may decide per outcome.
    changes_wix: ClassVar[bool] = False

    def __init_subclass__(cls) -> None:
        super().__init_subclass__()
        _TYPES[cls.__name__] = cls

    def to_json(self) -> Json:
        data: Json = {TYPENAME: type(self).__name__}
        for item in dataclasses.fields(self):
            value = getattr(self, item.name)
            if item.metadata.get("optional") and value == item.default:
                continue
            data[_camel(item.name)] = value
        return data

    @property
    def changed_wix(self) -> bool:
        """Whether the flow changed Wix (or may have) on its way to this outcome: then the
        outcome holds its idempotency key; otherwise the key is released."""
        return self.changes_wix

    @classmethod
    def from_json(cls, data: Json) -> Self:
        values = {}
        for item in dataclasses.fields(cls):
            key = _camel(item.name)
            if key in data or item.default is dataclasses.MISSING:
                values[item.name] = data[key]
        return cls(**values)


def outcome_from_json(data: Json) -> Outcome:
    """The outcome a stored JSON stands for."""
    return _TYPES[data[TYPENAME]].from_json(data)


# -- successes --------------------------------------------------------------------------------


@dataclass(frozen=True)
class BookingCreated(Outcome):
    changes_wix: ClassVar[bool] = True
    booking: Json  # as Wix returned it; `status` is its final status


@dataclass(frozen=True)
class BookingUpdated(Outcome):
    changes_wix: ClassVar[bool] = True
    booking: Json


# -- business failures ------------------------------------------------------------------------


@dataclass(frozen=True)
class SlotUnavailable(Outcome):
    """`alternatives` are Wix Time Slots written in `time_zone`; `declined_booking_id` names the
    booking Wix declined when the race was lost at confirmation."""

    message: str
    alternatives: list[Json]
    time_zone: str
    declined_booking_id: str | None = field(default=None, metadata=OPTIONAL)

    @property
    def changed_wix(self) -> bool:
        return self.declined_booking_id is not None


def slot_unavailable(
    alternatives: list[Json], time_zone: str, message: str | None = None
) -> SlotUnavailable:
    return SlotUnavailable(message or "The slot is no longer available", alternatives, time_zone)


@dataclass(frozen=True)
class FormInvalid(Outcome):
    message: str
    field_errors: list[Json]  # `[{"target", "message"}]`


def form_invalid(field_errors: list[Json]) -> FormInvalid:
    targets = ", ".join(e["target"] for e in field_errors)
    return FormInvalid(f"Form answers are invalid: {targets}", field_errors)


@dataclass(frozen=True)
class PolicyViolation(Outcome):
    message: str
    too_early: bool
    too_late: bool
    online_booking_disabled: bool
    earliest_booking_date: str | None  # a Wix timestamp; set when `too_early`


def policy_violation(violations: Json) -> PolicyViolation:
    """From Time Slots' `bookingPolicyViolations` (or a 403's data, which has the same flags)."""
    too_early = bool(violations.get("tooEarlyToBook"))
    too_late = bool(violations.get("tooLateToBook"))
    disabled = bool(violations.get("bookOnlineDisabled"))
    reasons = [
        text
        for flag, text in (
            (too_early, "it is too early to book"),
            (too_late, "it is too late to book"),
            (disabled, "online booking is disabled"),
        )
        if flag
    ]
    return PolicyViolation(
        message="Not allowed by the booking policy: " + ("; ".join(reasons) or "policy violated"),
        too_early=too_early,
        too_late=too_late,
        online_booking_disabled=disabled,
        earliest_booking_date=violations.get("earliestBookingDate") if too_early else None,
    )


def has_policy_violation(violations: Json | None) -> bool:
    flags = ("tooEarlyToBook", "tooLateToBook", "bookOnlineDisabled")
    return any(bool((violations or {}).get(flag)) for flag in flags)


@dataclass(frozen=True)
class ClassFull(Outcome):
    message: str
    remaining: int
    waiting_list_available: bool
    declined_booking_id: str | None = field(default=None, metadata=OPTIONAL)

    @property
    def changed_wix(self) -> bool:
        return self.declined_booking_id is not None


def class_full(remaining: int, waiting_list_available: bool) -> ClassFull:
    message = f"The class session has {remaining} open spot(s) left"
    return ClassFull(message, remaining, waiting_list_available)


@dataclass(frozen=True)
class CourseFull(Outcome):
    message: str
    capacity: int
    remaining: int
    declined_booking_id: str | None = field(default=None, metadata=OPTIONAL)

    @property
    def changed_wix(self) -> bool:
        return self.declined_booking_id is not None


def course_full(capacity: int, remaining: int) -> CourseFull:
    message = f"The course has {remaining} of {capacity} place(s) left"
    return CourseFull(message, capacity, remaining)


# What a change whose answer was lost read back: its write may have landed.
ANSWER_LOST_HELP = "set when the flow's write was sent and its answer lost"


@dataclass(frozen=True)
class RevisionConflict(Outcome):
    message: str
    current_revision: str | None
    booking: Json  # as it is now
    answer_lost: bool = field(default=False, metadata=OPTIONAL)  # ANSWER_LOST_HELP

    @property
    def changed_wix(self) -> bool:
        return self.answer_lost


def revision_conflict(booking: Json) -> RevisionConflict:
    """`booking` is the booking re-read after Wix answered 409."""
    return RevisionConflict(
        "The booking has changed since the revision given; read it and try again",
        booking.get("revision"),
        booking,
    )


@dataclass(frozen=True)
class NotAllowed(Outcome):
    message: str
    reason: str
    code: str | None  # Wix's application code, or the gateway's (`CANCEL_NOT_ALLOWED`, ...)


def not_allowed(action: str, reason: str, code: str | None) -> NotAllowed:
    return NotAllowed(f"{action} is not allowed: {reason}", reason, code)


@dataclass(frozen=True)
class NotFound(Outcome):
    message: str
    id: str
    answer_lost: bool = field(default=False, metadata=OPTIONAL)  # ANSWER_LOST_HELP

    @property
    def changed_wix(self) -> bool:
        return self.answer_lost


def not_found(kind: str, id_: str, message: str | None = None) -> NotFound:
    return NotFound(message or f"No {kind} with id {id_}", id_)


@dataclass(frozen=True)
class IdempotencyKeyReused(Outcome):
    message: str
    key: str


def idempotency_key_reused(key: str) -> IdempotencyKeyReused:
    return IdempotencyKeyReused("This idempotency key was already used with a different input", key)


# -- packages, anonymous links, double bookings ------------------------------------------------


@dataclass(frozen=True)
class PackageBooked(Outcome):
    changes_wix: ClassVar[bool] = True
    multi_service_booking: Json


@dataclass(frozen=True)
class PackageUpdated(Outcome):
    changes_wix: ClassVar[bool] = True
    multi_service_booking: Json  # fewer than two bookings: Wix dissolved the package


@dataclass(frozen=True)
class PackageUnavailable(Outcome):
    """`alternatives` are multi-service Time Slots in `time_zone`; `package_id` names the package
    this flow made and cancelled again when its time was lost at confirmation."""

    message: str
    alternatives: list[Json]
    time_zone: str
    package_id: str | None = field(default=None, metadata=OPTIONAL)

    @property
    def changed_wix(self) -> bool:
        return self.package_id is not None


@dataclass(frozen=True)
class AnonymousLink(Outcome):
    changes_wix: ClassVar[bool] = True  # Wix minted the token
    token: str  # a credential
    allowed_anonymous_actions: Json


@dataclass(frozen=True)
class InvalidAnonymousToken(Outcome):
    message: str = "The link is not valid, or its booking no longer exists"


@dataclass(frozen=True)
class DoubleBookingResolved(Outcome):
    changes_wix: ClassVar[bool] = True
    booking: Json
    strategy: str  # a `DoubleBookingStrategy` value
    note: str | None  # what is left to do (e.g. a refund)


@dataclass(frozen=True)
class AlreadyResolved(Outcome):
    message: str
    booking: Json
