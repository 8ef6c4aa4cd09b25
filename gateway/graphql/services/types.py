"""Services V2 and booking policies, mapped once in `from_wix`:
https://dev.wix.com/docs/api-reference/business-solutions/bookings/services/services-v2/service-object
https://dev.wix.com/docs/api-reference/business-solutions/bookings/policies/booking-policies/booking-policy-object
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import strawberry

from gateway.graphql.common import Json, Location, MaybeAwaitable, ServiceType, enum_or, ready
from gateway.graphql.context import Info
from gateway.graphql.forms.types import Form
from gateway.graphql.node import Node
from gateway.graphql.pagination import Connection
from gateway.graphql.scalars import DateTime, LocalDateTime, TimeZone, parse_optional_instant
from gateway.graphql.time_slots.resolvers import service_time_slots
from gateway.graphql.time_slots.types import TimeSlot


@strawberry.enum
class RateType(Enum):
    FIXED = "FIXED"
    CUSTOM = "CUSTOM"
    VARIED = "VARIED"
    NO_FEE = "NO_FEE"
    SUBSCRIPTION = "SUBSCRIPTION"
    UNKNOWN = "UNKNOWN"


@strawberry.type
class Money:
    value: str
    currency: str | None
    formatted_value: str | None

    @classmethod
    def from_wix(cls, money: Json | None) -> Money | None:
        if not money or money.get("value") is None:
            return None
        return cls(
            value=str(money["value"]),
            currency=money.get("currency"),
            formatted_value=money.get("formattedValue"),
        )


@strawberry.type(description="What a service costs and how customers may pay.")
class Payment:
    rate_type: RateType
    price: Money | None = strawberry.field(
        description="The fixed price, the default varied price, or the per-cycle subscription."
    )
    deposit: Money | None
    custom_description: str | None = strawberry.field(description="Text-only price (CUSTOM).")
    online: bool
    in_person: bool
    pricing_plan: bool

    @classmethod
    def from_wix(cls, payment: Json) -> Payment:
        fixed = payment.get("fixed") or {}
        varied = payment.get("varied") or {}
        subscription = payment.get("subscription") or {}
        options = payment.get("options") or {}
        return cls(
            rate_type=enum_or(RateType, payment.get("rateType"), RateType.UNKNOWN),
            price=Money.from_wix(
                fixed.get("price")
                or varied.get("defaultPrice")
                or subscription.get("amountPerBillingCycle")
            ),
            deposit=Money.from_wix(fixed.get("deposit") or varied.get("deposit")),
            custom_description=(payment.get("custom") or {}).get("description"),
            online=bool(options.get("online")),
            in_person=bool(options.get("inPerson")),
            pricing_plan=bool(options.get("pricingPlan")),
        )


@strawberry.type
class OnlineBooking:
    enabled: bool
    require_manual_approval: bool
    allow_multiple_requests: bool


@strawberry.type
class Category:
    id: strawberry.ID
    name: str | None


@strawberry.type(description="A limit on how long before a session something may happen.")
class BookingWindow:
    enabled: bool
    minutes: int | None


@strawberry.type(description="Whether customers may cancel or reschedule, and until when.")
class ChangePolicy:
    enabled: bool
    limit_latest: bool
    latest_minutes: int | None = strawberry.field(
        description="With `limitLatest`: no later than this many minutes before the start."
    )
    allow_anonymous: bool

    @classmethod
    def from_wix(cls, policy: Json, prefix: str) -> ChangePolicy:
        """`prefix` is `Cancellation` or `Reschedule` (`limitLatestCancellation`, ...)."""
        return cls(
            enabled=bool(policy.get("enabled")),
            limit_latest=bool(policy.get(f"limitLatest{prefix}")),
            latest_minutes=policy.get(f"latest{prefix}InMinutes"),
            allow_anonymous=policy.get("allowAnonymous") is not False,  # null means true
        )


@strawberry.type
class WaitlistPolicy:
    enabled: bool
    capacity: int | None
    reservation_time_in_minutes: int | None


@strawberry.type(description="The booking policy a service follows.")
class BookingPolicy:
    id: strawberry.ID
    name: str | None
    is_default: bool
    description: str | None
    early_booking: BookingWindow = strawberry.field(
        description="Bookings open at most `minutes` before the start (`tooEarlyToBook`)."
    )
    late_booking: BookingWindow = strawberry.field(
        description="Bookings close `minutes` before the start (`tooLateToBook`)."
    )
    book_after_start: bool
    cancellation: ChangePolicy
    reschedule: ChangePolicy
    waitlist: WaitlistPolicy
    max_participants_per_booking: int | None

    @classmethod
    def from_wix(cls, policy: Json) -> BookingPolicy:
        early = policy.get("limitEarlyBookingPolicy") or {}
        late = policy.get("limitLateBookingPolicy") or {}
        waitlist = policy.get("waitlistPolicy") or {}
        custom = policy.get("customPolicyDescription") or {}
        return cls(
            id=policy["id"],
            name=policy.get("name"),
            is_default=bool(policy.get("default")),
            description=custom.get("description") if custom.get("enabled") else None,
            early_booking=BookingWindow(
                enabled=bool(early.get("enabled")), minutes=early.get("earliestBookingInMinutes")
            ),
            late_booking=BookingWindow(
                enabled=bool(late.get("enabled")), minutes=late.get("latestBookingInMinutes")
            ),
            book_after_start=bool((policy.get("bookAfterStartPolicy") or {}).get("enabled")),
            cancellation=ChangePolicy.from_wix(
                policy.get("cancellationPolicy") or {}, "Cancellation"
            ),
            reschedule=ChangePolicy.from_wix(policy.get("reschedulePolicy") or {}, "Reschedule"),
            waitlist=WaitlistPolicy(
                enabled=bool(waitlist.get("enabled")),
                capacity=waitlist.get("capacity"),
                reservation_time_in_minutes=waitlist.get("reservationTimeInMinutes"),
            ),
            max_participants_per_booking=(policy.get("participantsPolicy") or {}).get(
                "maxParticipantsPerBooking"
            ),
        )


@strawberry.type(description="A bookable service (appointment, class or course).")
class Service(Node):
    type: ServiceType
    name: str
    description: str | None
    tag_line: str | None
    default_capacity: int | None
    hidden: bool
    category: Category | None
    form_id: strawberry.ID | None
    payment: Payment | None
    online_booking: OnlineBooking
    locations: list[Location]
    schedule_id: strawberry.ID | None
    duration_minutes: int | None = strawberry.field(description="The first session duration.")
    buffer_minutes: int = strawberry.field(description="Time kept free after each session.")
    staff_member_ids: list[strawberry.ID] = strawberry.field(description="Staff resource ids.")
    slug: str | None
    created_date: DateTime | None
    updated_date: DateTime | None
    revision: str | None
    policy_id: strawberry.Private[str | None]
    embedded_policy: strawberry.Private[BookingPolicy | None]

    @classmethod
    def from_wix(cls, service: Json) -> Service:
        category = service.get("category")
        schedule = service.get("schedule") or {}
        constraints = schedule.get("availabilityConstraints") or {}
        durations = constraints.get("sessionDurations") or [
            d.get("minutes") for d in constraints.get("durations") or []
        ]
        online = service.get("onlineBooking") or {}
        policy = service.get("bookingPolicy") or {}
        return cls(
            id=service["id"],
            type=enum_or(ServiceType, service.get("type"), ServiceType.UNKNOWN),
            name=service.get("name") or "",
            description=service.get("description"),
            tag_line=service.get("tagLine"),
            default_capacity=service.get("defaultCapacity"),
            hidden=bool(service.get("hidden")),
            category=Category(id=category["id"], name=category.get("name"))
            if category and category.get("id")
            else None,
            form_id=(service.get("form") or {}).get("id"),
            payment=Payment.from_wix(service["payment"]) if service.get("payment") else None,
            online_booking=OnlineBooking(
                enabled=online.get("enabled") is not False,
                require_manual_approval=bool(online.get("requireManualApproval")),
                allow_multiple_requests=bool(online.get("allowMultipleRequests")),
            ),
            locations=[Location.from_wix(loc) for loc in service.get("locations") or []],
            schedule_id=schedule.get("id"),
            duration_minutes=durations[0] if durations else None,
            buffer_minutes=int(constraints.get("timeBetweenSessions") or 0),
            staff_member_ids=list(service.get("staffMemberIds") or []),
            slug=(service.get("mainSlug") or {}).get("name"),
            created_date=parse_optional_instant(service.get("createdDate")),
            updated_date=parse_optional_instant(service.get("updatedDate")),
            revision=service.get("revision"),
            policy_id=policy.get("id"),
            # Services V2 expands the policy read-only; a bare `{id}` is loaded on demand.
            embedded_policy=BookingPolicy.from_wix(policy) if len(policy) > 1 else None,
        )

    @strawberry.field(
        graphql_type=Form | None,
        description="The booking form customers fill in for this service.",
    )
    def form(self, info: Info) -> MaybeAwaitable[Form | None]:
        if not self.form_id:
            return None
        return ready(info.context.loaders.forms.load(self.form_id))

    @strawberry.field(graphql_type=BookingPolicy | None)
    def policy(self, info: Info) -> MaybeAwaitable[BookingPolicy | None]:
        if self.embedded_policy is not None or not self.policy_id:
            return self.embedded_policy
        return ready(info.context.loaders.policies.load(self.policy_id))

    @strawberry.field(
        description="Availability of this service: appointment slots, or class sessions for "
        "a class. Courses are booked as a whole and have none."
    )
    async def time_slots(
        self,
        info: Info,
        from_: Annotated[LocalDateTime | None, strawberry.argument(name="from")] = None,
        to: LocalDateTime | None = None,
        time_zone: TimeZone | None = None,
        bookable: bool | None = None,
        location_id: strawberry.ID | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[TimeSlot]:
        return await service_time_slots(
            info, self, from_, to, time_zone, bookable, location_id, first, after
        )
