"""Time Slots V2 `TimeSlot` (https://dev.wix.com/docs/api-reference/business-solutions/bookings/time-slots/time-slots-v2/time-slot-object),
with UTC start/end computed from local + zone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from gateway.graphql.common import Json, Location, MaybeAwaitable, ready
from gateway.graphql.context import Info
from gateway.graphql.scalars import (
    DateTime,
    LocalDateTime,
    TimeZone,
    local_to_utc,
    parse_local,
    parse_optional_instant,
)

if TYPE_CHECKING:
    from gateway.graphql.services.types import Service

LazyService = Annotated["Service", strawberry.lazy("gateway.graphql.services.types")]


@strawberry.type
class PolicyViolations:
    too_early_to_book: bool
    too_late_to_book: bool
    book_online_disabled: bool
    earliest_booking_date: DateTime | None = strawberry.field(
        description="When booking opens; set when `tooEarlyToBook`."
    )


@strawberry.type
class NonBookableReasons:
    no_remaining_capacity: bool
    violates_booking_policy: bool
    reserved_for_waiting_list: bool
    event_cancelled: bool


@strawberry.type(description="A resource (usually a staff member) free for the slot.")
class Resource:
    id: strawberry.ID
    name: str | None
    resource_type_id: strawberry.ID | None


@strawberry.type
class WaitingList:
    total_capacity: int | None
    remaining_capacity: int | None


@strawberry.type(description="The class session behind a class slot.")
class EventInfo:
    event_id: strawberry.ID
    event_title: str | None
    waiting_list: WaitingList | None


def _resources(slot: Json) -> list[Resource]:
    return [
        Resource(id=r["id"], name=r.get("name"), resource_type_id=group.get("resourceTypeId"))
        for group in slot.get("availableResources") or []
        for r in group.get("resources") or []
    ]


def _service(service_id: str | None, info: Info) -> MaybeAwaitable[Service | None]:
    if not service_id:
        return None
    return ready(info.context.loaders.services.load(service_id))


@strawberry.type(description="One service's part of a multi-service slot, in booking order.")
class NestedTimeSlot:
    service_id: strawberry.ID
    local_start: LocalDateTime
    local_end: LocalDateTime
    start: DateTime
    end: DateTime
    schedule_id: strawberry.ID | None
    resources: list[Resource]

    @strawberry.field(graphql_type=LazyService | None)
    def service(self, info: Info) -> MaybeAwaitable[Service | None]:
        return _service(self.service_id, info)

    @classmethod
    def from_wix(cls, nested: Json, time_zone: str) -> NestedTimeSlot:
        local_start = parse_local(nested["localStartDate"])
        local_end = parse_local(nested["localEndDate"])
        return cls(
            service_id=nested["serviceId"],
            local_start=local_start,
            local_end=local_end,
            start=local_to_utc(local_start, time_zone),
            end=local_to_utc(local_end, time_zone),
            schedule_id=nested.get("scheduleId"),
            resources=_resources(nested),
        )


@strawberry.type(description="A bookable (or not) time: an appointment slot or a class session.")
class TimeSlot:
    service_id: strawberry.ID | None = strawberry.field(
        description="Empty on multi-service slots; see `nestedSlots`."
    )
    local_start: LocalDateTime
    local_end: LocalDateTime
    start: DateTime
    end: DateTime
    time_zone: TimeZone
    bookable: bool
    total_capacity: int | None
    remaining_capacity: int | None
    bookable_capacity: int | None
    policy_violations: PolicyViolations
    non_bookable_reasons: NonBookableReasons
    resources: list[Resource]
    has_more_resources: bool
    location: Location | None
    event_id: strawberry.ID | None
    event_info: EventInfo | None
    schedule_id: strawberry.ID | None
    all_day: bool
    nested_slots: list[NestedTimeSlot]

    @strawberry.field(graphql_type=LazyService | None)
    def service(self, info: Info) -> MaybeAwaitable[Service | None]:
        return _service(self.service_id, info)

    @classmethod
    def from_wix(cls, slot: Json, time_zone: str) -> TimeSlot:
        """`time_zone` is the response's `timeZone`, in which the local dates are written."""
        local_start = parse_local(slot["localStartDate"])
        local_end = parse_local(slot["localEndDate"])
        violations = slot.get("bookingPolicyViolations") or {}
        reasons = slot.get("nonBookableReasons") or {}
        event = slot.get("eventInfo")
        waiting = (event or {}).get("waitingList")
        location = slot.get("location")
        return cls(
            service_id=slot.get("serviceId") or None,
            local_start=local_start,
            local_end=local_end,
            start=local_to_utc(local_start, time_zone),
            end=local_to_utc(local_end, time_zone),
            time_zone=TimeZone(time_zone),
            bookable=bool(slot.get("bookable")),
            total_capacity=slot.get("totalCapacity"),
            remaining_capacity=slot.get("remainingCapacity"),
            bookable_capacity=slot.get("bookableCapacity"),
            policy_violations=PolicyViolations(
                too_early_to_book=bool(violations.get("tooEarlyToBook")),
                too_late_to_book=bool(violations.get("tooLateToBook")),
                book_online_disabled=bool(violations.get("bookOnlineDisabled")),
                earliest_booking_date=parse_optional_instant(violations.get("earliestBookingDate")),
            ),
            non_bookable_reasons=NonBookableReasons(
                no_remaining_capacity=bool(reasons.get("noRemainingCapacity")),
                violates_booking_policy=bool(reasons.get("violatesBookingPolicy")),
                reserved_for_waiting_list=bool(reasons.get("reservedForWaitingList")),
                event_cancelled=bool(reasons.get("eventCancelled")),
            ),
            resources=_resources(slot),
            has_more_resources=any(
                g.get("hasMoreAvailableResources") for g in slot.get("availableResources") or []
            ),
            location=Location.from_wix(location) if location else None,
            event_id=(event or {}).get("eventId"),
            event_info=EventInfo(
                event_id=event["eventId"],
                event_title=event.get("eventTitle"),
                waiting_list=WaitingList(
                    total_capacity=waiting.get("totalCapacity"),
                    remaining_capacity=waiting.get("remainingCapacity"),
                )
                if waiting
                else None,
            )
            if event and event.get("eventId")
            else None,
            schedule_id=slot.get("scheduleId"),
            all_day=bool(slot.get("allDay")),
            nested_slots=[
                NestedTimeSlot.from_wix(n, time_zone) for n in slot.get("nestedTimeSlots") or []
            ],
        )
