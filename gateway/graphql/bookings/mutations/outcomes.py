"""The Strawberry types a booking flow's outcome renders as, and `render`, the one place that
maps the domain's outcome dataclasses (`gateway.bookings.outcomes`) to union members.

Outcome types register themselves with `@outcome_type` (over `@strawberry.type`) under their
class name, which is the domain dataclass's name; each has a `from_outcome` classmethod reading
that dataclass. Members of one union must agree on the type of a field they share (GraphQL
rejects `booking: Booking!` next to `booking: Booking` in one selection), so: `message:
String!`, `code: String!`, `booking: Booking!`, `remaining: Int!`, `alternatives` non-null lists.

Every failure member implements `Failure` (`message`, `code`), so a client can select
`... on Failure { message code }` once for all of them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

import strawberry

from gateway.bookings import outcomes as domain
from gateway.graphql.bookings.types import Booking
from gateway.graphql.common import Json
from gateway.graphql.scalars import DateTime, parse_optional_instant
from gateway.graphql.time_slots.types import TimeSlot


class _FromOutcome(Protocol):
    @classmethod
    def from_outcome(cls, data: Any) -> Any: ...


OutcomeT = TypeVar("OutcomeT", bound=type[_FromOutcome])
_TYPES: dict[str, Callable[[Any], Any]] = {}


def outcome_type(cls: OutcomeT) -> OutcomeT:
    """Register a Strawberry outcome type for `render`, under its class name (its GraphQL name,
    and the name of the domain outcome it renders). Put it above `@strawberry.type`."""
    _TYPES[cls.__name__] = cls.from_outcome
    return cls


def render(outcome: domain.Outcome) -> Any:
    """The union member for a flow's outcome (fresh or replayed)."""
    return _TYPES[type(outcome).__name__](outcome)


def optional_id(value: str | None) -> strawberry.ID | None:
    return strawberry.ID(value) if value is not None else None


def alternatives_of(slots: list[Json], zone: str) -> list[TimeSlot]:
    """An "unavailable" outcome's `alternatives`: Wix Time Slots written in `zone`."""
    return [TimeSlot.from_wix(slot, zone) for slot in slots]


NOT_ALLOWED = "NOT_ALLOWED"  # `NotAllowed.code` when Wix's refusal carries no code


def failure_code(type_name: str) -> str:
    """A failure type's code: its name in capitals, words joined by `_` (`SLOT_UNAVAILABLE`)."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", type_name).upper()


@strawberry.interface(
    description="A business failure of a booking flow, one type per kind: nothing was booked "
    "or changed as asked (see each type for what Wix holds). Select `... on Failure { message "
    "code }` once for every failure a result union has."
)
class Failure:
    message: str = strawberry.field(description="What happened, for people.")

    @strawberry.field(
        description="What happened, for programs: the type's name in capitals (`SLOT_UNAVAILABLE`, "
        "`FORM_INVALID`, `POLICY_VIOLATION`, `NOT_FOUND`, ...); `NotAllowed` names the refusal "
        "(see its `code`)."
    )
    def code(self) -> str:
        return failure_code(type(self).__name__)


# -- successes --------------------------------------------------------------------------------


@outcome_type
@strawberry.type(description="The booking was made; `booking.status` is its final status.")
class BookingCreated:
    booking: Booking

    @classmethod
    def from_outcome(cls, data: domain.BookingCreated) -> BookingCreated:
        return cls(booking=Booking.from_wix(data.booking))


@outcome_type
@strawberry.type(
    description="The booking was changed; `booking` is as Wix returned it after the change."
)
class BookingUpdated:
    booking: Booking

    @classmethod
    def from_outcome(cls, data: domain.BookingUpdated) -> BookingUpdated:
        return cls(booking=Booking.from_wix(data.booking))


# -- business failures ------------------------------------------------------------------------


@outcome_type
@strawberry.type(description="The slot can't be had (taken, gone, or lost at confirmation).")
class SlotUnavailable(Failure):
    message: str
    alternatives: list[TimeSlot] = strawberry.field(
        description="Up to 5 bookable slots of the same service nearest to the one asked for."
    )
    declined_booking_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="The booking Wix declined when the race was lost at confirmation (it holds "
        "nothing); null when none was made.",
    )

    @classmethod
    def from_outcome(cls, data: domain.SlotUnavailable) -> SlotUnavailable:
        return cls(
            message=data.message,
            alternatives=alternatives_of(data.alternatives, data.time_zone),
            declined_booking_id=optional_id(data.declined_booking_id),
        )


@strawberry.type(description="One problem with a form answer, by the field's `target`.")
class FieldError:
    target: str
    message: str


@outcome_type
@strawberry.type(description="The form submission doesn't fit the service's booking form.")
class FormInvalid(Failure):
    message: str
    field_errors: list[FieldError]

    @classmethod
    def from_outcome(cls, data: domain.FormInvalid) -> FormInvalid:
        errors = [FieldError(target=e["target"], message=e["message"]) for e in data.field_errors]
        return cls(message=data.message, field_errors=errors)


@outcome_type
@strawberry.type(description="The service's booking policy doesn't allow booking this slot now.")
class PolicyViolation(Failure):
    """The flags have the names `TimeSlot.policyViolations` gives them (Wix's
    `bookingPolicyViolations`); the earlier names stay, deprecated."""

    message: str
    too_early_to_book: bool = strawberry.field(
        description="Booking this slot has not opened yet (`earliestBookingDate`)."
    )
    too_late_to_book: bool = strawberry.field(
        description="Booking this slot has closed (too close to its start)."
    )
    book_online_disabled: bool = strawberry.field(description="The service can't be booked online.")
    earliest_booking_date: DateTime | None = strawberry.field(
        description="When booking opens; set when `tooEarlyToBook`."
    )

    @strawberry.field(deprecation_reason="Use `tooEarlyToBook`, as on `TimeSlot.policyViolations`.")
    def too_early(self) -> bool:
        return self.too_early_to_book

    @strawberry.field(deprecation_reason="Use `tooLateToBook`, as on `TimeSlot.policyViolations`.")
    def too_late(self) -> bool:
        return self.too_late_to_book

    @strawberry.field(
        deprecation_reason="Use `bookOnlineDisabled`, as on `TimeSlot.policyViolations`."
    )
    def online_booking_disabled(self) -> bool:
        return self.book_online_disabled

    @classmethod
    def from_outcome(cls, data: domain.PolicyViolation) -> PolicyViolation:
        return cls(
            message=data.message,
            too_early_to_book=data.too_early,
            too_late_to_book=data.too_late,
            book_online_disabled=data.online_booking_disabled,
            earliest_booking_date=parse_optional_instant(data.earliest_booking_date),
        )


@outcome_type
@strawberry.type(description="The class session has fewer open spots than participants asked for.")
class ClassFull(Failure):
    message: str
    remaining: int = strawberry.field(description="Spots that can still be booked.")
    waiting_list_available: bool = strawberry.field(
        description="Whether the session's waiting list has room."
    )
    declined_booking_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="The booking Wix declined when the race was lost at confirmation (it holds "
        "nothing); null when none was made.",
    )

    @classmethod
    def from_outcome(cls, data: domain.ClassFull) -> ClassFull:
        return cls(
            message=data.message,
            remaining=data.remaining,
            waiting_list_available=data.waiting_list_available,
            declined_booking_id=optional_id(data.declined_booking_id),
        )


@outcome_type
@strawberry.type(description="The course has fewer places left than participants asked for.")
class CourseFull(Failure):
    message: str
    capacity: int
    remaining: int
    declined_booking_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="The booking Wix declined when the race was lost at confirmation (it holds "
        "nothing); null when none was made.",
    )

    @classmethod
    def from_outcome(cls, data: domain.CourseFull) -> CourseFull:
        return cls(
            message=data.message,
            capacity=data.capacity,
            remaining=data.remaining,
            declined_booking_id=optional_id(data.declined_booking_id),
        )


@outcome_type
@strawberry.type(description="The booking changed since the revision given; nothing was changed.")
class RevisionConflict(Failure):
    message: str
    current_revision: str | None
    booking: Booking = strawberry.field(description="The booking as it is now.")

    @classmethod
    def from_outcome(cls, data: domain.RevisionConflict) -> RevisionConflict:
        return cls(
            message=data.message,
            current_revision=data.current_revision,
            booking=Booking.from_wix(data.booking),
        )


@outcome_type
@strawberry.type(
    description="The action isn't allowed for this booking (policy window, status, ...)."
)
class NotAllowed(Failure):
    message: str
    reason: str = strawberry.field(description="Why, in Wix's words where Wix refused.")
    refusal: strawberry.Private[str | None] = None

    @strawberry.field(
        description="The refusal: Wix's application code, or the gateway's "
        "(`CANCEL_NOT_ALLOWED`, ...); `NOT_ALLOWED` when Wix gave none. Unlike the other "
        "failures' codes it names the refusal rather than the type (it did before `Failure`)."
    )
    def code(self) -> str:
        return self.refusal or NOT_ALLOWED

    @classmethod
    def from_outcome(cls, data: domain.NotAllowed) -> NotAllowed:
        return cls(message=data.message, reason=data.reason, refusal=data.code)


@outcome_type
@strawberry.type(description="Nothing with this id exists (booking, service, class session).")
class NotFound(Failure):
    message: str
    id: strawberry.ID

    @classmethod
    def from_outcome(cls, data: domain.NotFound) -> NotFound:
        return cls(message=data.message, id=strawberry.ID(data.id))


@outcome_type
@strawberry.type(description="The idempotency key was already used with a different input.")
class IdempotencyKeyReused(Failure):
    message: str
    key: str

    @classmethod
    def from_outcome(cls, data: domain.IdempotencyKeyReused) -> IdempotencyKeyReused:
        return cls(message=data.message, key=data.key)
