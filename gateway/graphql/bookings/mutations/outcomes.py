"""What a flow mutation ends in: a JSON "outcome" and the Strawberry type it renders as.

Every flow returns a JSON dict `{"__typename": "<GraphQL type>", ...}` built with the functions
below (the only JSON a flow keeps, so an idempotent replay stores and returns it unchanged), and
`render` turns it into the union member in one place. A replayed result therefore renders exactly
like the first one.

Outcome types register themselves with `@outcome_type` (over `@strawberry.type`); each has a
`from_outcome` classmethod reading its own JSON. Other mutation modules add their own types the
same way and build their JSON with `outcome_json`. Members of one union must agree on the type
of a field they share (GraphQL rejects `booking: Booking!` next to `booking: Booking` in one
selection), so: `message: String!`, `booking: Booking!`, `remaining: Int!`, `alternatives`
non-null lists.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Protocol, TypeVar

import strawberry

from gateway.graphql.bookings.types import Booking
from gateway.graphql.common import Json
from gateway.graphql.scalars import DateTime, parse_optional_instant
from gateway.graphql.time_slots.types import TimeSlot
from gateway.upstream.errors import UpstreamError

TYPENAME = "__typename"
# In an "unavailable" outcome: the booking Wix declined at confirmation (outcomes name bookings).
DECLINED_BOOKING_ID = "declinedBookingId"


class _FromOutcome(Protocol):
    @classmethod
    def from_outcome(cls, data: Json) -> Any: ...


OutcomeT = TypeVar("OutcomeT", bound=type[_FromOutcome])
_TYPES: dict[str, Callable[[Json], Any]] = {}


def outcome_type(cls: OutcomeT) -> OutcomeT:
    """Register a Strawberry outcome type for `render`, under its class name (its GraphQL name).
    Put it above `@strawberry.type`."""
    _TYPES[cls.__name__] = cls.from_outcome
    return cls


def render(outcome: Json) -> Any:
    """The union member for a JSON outcome (fresh or replayed)."""
    return _TYPES[outcome[TYPENAME]](outcome)


def outcome_json(typename: str, **fields: Any) -> Json:
    """The JSON outcome rendered as the outcome type named `typename`."""
    return {TYPENAME: typename, **fields}


# -- successes --------------------------------------------------------------------------------


@outcome_type
@strawberry.type(description="The booking was made; `booking.status` is its final status.")
class BookingCreated:
    booking: Booking

    @classmethod
    def from_outcome(cls, data: Json) -> BookingCreated:
        return cls(booking=Booking.from_wix(data["booking"]))


@outcome_type
@strawberry.type(
    description="The booking was changed; `booking` is as Wix returned it after the change."
)
class BookingUpdated:
    booking: Booking

    @classmethod
    def from_outcome(cls, data: Json) -> BookingUpdated:
        return cls(booking=Booking.from_wix(data["booking"]))


def booking_created(booking: Json) -> Json:
    return outcome_json("BookingCreated", booking=booking)


def booking_updated(booking: Json) -> Json:
    return outcome_json("BookingUpdated", booking=booking)


# -- business failures ------------------------------------------------------------------------


@outcome_type
@strawberry.type(description="The slot can't be had (taken, gone, or lost at confirmation).")
class SlotUnavailable:
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
    def from_outcome(cls, data: Json) -> SlotUnavailable:
        return cls(
            message=data["message"],
            alternatives=alternatives_of(data),
            declined_booking_id=data.get(DECLINED_BOOKING_ID),
        )


def alternatives_of(data: Json) -> list[TimeSlot]:
    """An "unavailable" outcome's `alternatives`, Wix Time Slots written in its `timeZone`."""
    zone = data["timeZone"]
    return [TimeSlot.from_wix(slot, zone) for slot in data["alternatives"]]


def slot_unavailable(alternatives: list[Json], time_zone: str, message: str | None = None) -> Json:
    """`alternatives` are Wix Time Slots written in `time_zone`."""
    return outcome_json(
        "SlotUnavailable",
        message=message or "The slot is no longer available",
        alternatives=alternatives,
        timeZone=time_zone,
    )


@strawberry.type(description="One problem with a form answer, by the field's `target`.")
class FieldError:
    target: str
    message: str


@outcome_type
@strawberry.type(description="The form submission doesn't fit the service's booking form.")
class FormInvalid:
    message: str
    field_errors: list[FieldError]

    @classmethod
    def from_outcome(cls, data: Json) -> FormInvalid:
        errors = [FieldError(target=e["target"], message=e["message"]) for e in data["fieldErrors"]]
        return cls(message=data["message"], field_errors=errors)


def form_invalid(field_errors: list[Json]) -> Json:
    """`field_errors`: `[{"target", "message"}]`."""
    targets = ", ".join(e["target"] for e in field_errors)
    return outcome_json(
        "FormInvalid", message=f"Form answers are invalid: {targets}", fieldErrors=field_errors
    )


@outcome_type
@strawberry.type(description="The service's booking policy doesn't allow booking this slot now.")
class PolicyViolation:
    message: str
    too_early: bool
    too_late: bool
    online_booking_disabled: bool
    earliest_booking_date: DateTime | None = strawberry.field(
        description="When booking opens; set when `tooEarly`."
    )

    @classmethod
    def from_outcome(cls, data: Json) -> PolicyViolation:
        return cls(
            message=data["message"],
            too_early=data["tooEarly"],
            too_late=data["tooLate"],
            online_booking_disabled=data["onlineBookingDisabled"],
            earliest_booking_date=parse_optional_instant(data.get("earliestBookingDate")),
        )


def policy_violation(violations: Json) -> Json:
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
    return outcome_json(
        "PolicyViolation",
        message="Not allowed by the booking policy: " + ("; ".join(reasons) or "policy violated"),
        tooEarly=too_early,
        tooLate=too_late,
        onlineBookingDisabled=disabled,
        earliestBookingDate=violations.get("earliestBookingDate") if too_early else None,
    )


def has_policy_violation(violations: Json | None) -> bool:
    flags = ("tooEarlyToBook", "tooLateToBook", "bookOnlineDisabled")
    return any(bool((violations or {}).get(flag)) for flag in flags)


@outcome_type
@strawberry.type(description="The class session has fewer open spots than participants asked for.")
class ClassFull:
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
    def from_outcome(cls, data: Json) -> ClassFull:
        return cls(
            message=data["message"],
            remaining=data["remaining"],
            waiting_list_available=data["waitingListAvailable"],
            declined_booking_id=data.get(DECLINED_BOOKING_ID),
        )


def class_full(remaining: int, waiting_list_available: bool) -> Json:
    return outcome_json(
        "ClassFull",
        message=f"The class session has {remaining} open spot(s) left",
        remaining=remaining,
        waitingListAvailable=waiting_list_available,
    )


@outcome_type
@strawberry.type(description="The course has fewer places left than participants asked for.")
class CourseFull:
    message: str
    capacity: int
    remaining: int
    declined_booking_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="The booking Wix declined when the race was lost at confirmation (it holds "
        "nothing); null when none was made.",
    )

    @classmethod
    def from_outcome(cls, data: Json) -> CourseFull:
        return cls(
            message=data["message"],
            capacity=data["capacity"],
            remaining=data["remaining"],
            declined_booking_id=data.get(DECLINED_BOOKING_ID),
        )


def course_full(capacity: int, remaining: int) -> Json:
    return outcome_json(
        "CourseFull",
        message=f"The course has {remaining} of {capacity} place(s) left",
        capacity=capacity,
        remaining=remaining,
    )


@outcome_type
@strawberry.type(description="The booking changed since the revision given; nothing was changed.")
class RevisionConflict:
    message: str
    current_revision: str | None
    booking: Booking = strawberry.field(description="The booking as it is now.")

    @classmethod
    def from_outcome(cls, data: Json) -> RevisionConflict:
        return cls(
            message=data["message"],
            current_revision=data.get("currentRevision"),
            booking=Booking.from_wix(data["booking"]),
        )


def revision_conflict(booking: Json) -> Json:
    """`booking` is the booking re-read after Wix answered 409."""
    return outcome_json(
        "RevisionConflict",
        message="The booking has changed since the revision given; read it and try again",
        currentRevision=booking.get("revision"),
        booking=booking,
    )


@outcome_type
@strawberry.type(
    description="The action isn't allowed for this booking (policy window, status, ...)."
)
class NotAllowed:
    message: str
    reason: str = strawberry.field(description="Why, in Wix's words where Wix refused.")
    code: str | None = strawberry.field(
        description="Wix's application code, or the gateway's (`CANCEL_NOT_ALLOWED`, ...)."
    )

    @classmethod
    def from_outcome(cls, data: Json) -> NotAllowed:
        return cls(message=data["message"], reason=data["reason"], code=data.get("code"))


def not_allowed(action: str, reason: str, code: str | None) -> Json:
    return outcome_json(
        "NotAllowed", message=f"{action} is not allowed: {reason}", reason=reason, code=code
    )


def not_allowed_by(action: str, error: UpstreamError) -> Json:
    """A Wix business refusal (403/428) of `action`, with Wix's message."""
    reason = str(error.extensions.get("wixMessage") or error.message)
    return not_allowed(action, reason, error.code)


@outcome_type
@strawberry.type(description="Nothing with this id exists (booking, service, class session).")
class NotFound:
    message: str
    id: strawberry.ID

    @classmethod
    def from_outcome(cls, data: Json) -> NotFound:
        return cls(message=data["message"], id=strawberry.ID(data["id"]))


def not_found(kind: str, id_: str, message: str | None = None) -> Json:
    return outcome_json("NotFound", message=message or f"No {kind} with id {id_}", id=id_)


@outcome_type
@strawberry.type(description="The idempotency key was already used with a different input.")
class IdempotencyKeyReused:
    message: str
    key: str

    @classmethod
    def from_outcome(cls, data: Json) -> IdempotencyKeyReused:
        return cls(message=data["message"], key=data["key"])


def idempotency_key_reused(key: str) -> Json:
    return outcome_json(
        "IdempotencyKeyReused",
        message="This idempotency key was already used with a different input",
        key=key,
    )


# -- Wix refusals ----------------------------------------------------------------------------

CONFLICT = 409
NOT_FOUND = 404
REFUSAL_STATUSES = frozenset({403, 428})
POLICY_VIOLATION_CODE = "BOOKING_POLICY_VIOLATION"
# Create/Reschedule codes that mean "this slot or session can't be had" (bookings.md §4.1).
SLOT_TAKEN_CODES = frozenset({"SLOT_NOT_AVAILABLE", "FAILED_VALIDATING_AVAILABILITY"})
CAPACITY_CODES = frozenset({"SESSION_CAPACITY_EXCEEDED", "SCHEDULE_CAPACITY_EXCEEDED"})


def is_status(error: BaseException, *statuses: int) -> bool:
    return isinstance(error, UpstreamError) and error.http_status in statuses


def is_refusal(error: BaseException) -> bool:
    """A business refusal (403/428), as opposed to bad input or an infrastructure failure."""
    return isinstance(error, UpstreamError) and error.http_status in REFUSAL_STATUSES


async def change_refused_outcome(
    error: UpstreamError,
    action: str,
    *,
    conflict: Callable[[], Awaitable[Json | None]],
    gone: Callable[[], Json],
    gone_statuses: tuple[int, ...] = (NOT_FOUND,),
) -> Json:
    """Wix's refusal of a change to something that exists (a booking, a package, a booking
    behind a token) as its union member, the rule every change flow follows: 409 is what
    `conflict()` finds on re-reading (`RevisionConflict`, mostly; None leaves the error
    standing), `gone_statuses` is `gone()`, 403/428 is `NotAllowed` with Wix's reason, and
    anything else (bad input, Wix failing) stays an error."""
    if is_status(error, CONFLICT):
        outcome = await conflict()
        if outcome is not None:
            return outcome
    elif is_status(error, *gone_statuses):
        return gone()
    elif is_refusal(error):
        return not_allowed_by(action, error)
    raise error


def policy_violation_from(error: UpstreamError) -> Json | None:
    """A 403 BOOKING_POLICY_VIOLATION as `PolicyViolation` (its data carries the flags)."""
    if error.http_status != 403 or error.code != POLICY_VIOLATION_CODE:
        return None
    return policy_violation(error.extensions.get("data") or {})
