"""`BookingFilter` / `BookingSort` -> Bookings Reader filter and sort
(https://dev.wix.com/docs/rest/business-solutions/bookings/bookings/bookings-reader-v2/supported-filters).

Filter paths use the reader's internal oneOf names (`bookedEntity.item.slot...`), dates are UTC.
"""

from __future__ import annotations

from enum import Enum

import strawberry

from gateway.graphql.bookings.types import BookingStatus, PaymentStatus
from gateway.graphql.common import Json
from gateway.graphql.scalars import DateTime, format_instant

SLOT = "bookedEntity.item.slot"
SCHEDULE = "bookedEntity.item.schedule"


def _range(start: DateTime | None, end: DateTime | None) -> Json | None:
    """`[start, end)` as WQL, or None when neither bound is given."""
    condition: Json = {}
    if start is not None:
        condition["$gte"] = format_instant(start)
    if end is not None:
        condition["$lt"] = format_instant(end)
    return condition or None


@strawberry.input(description="All given conditions must hold; lists match any of their values.")
class BookingFilter:
    ids: list[strawberry.ID] | None = None
    statuses: list[BookingStatus] | None = None
    payment_statuses: list[PaymentStatus] | None = None
    service_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Slot (appointment, class) or schedule (course) service."
    )
    resource_ids: list[strawberry.ID] | None = None
    event_ids: list[strawberry.ID] | None = None
    contact_id: strawberry.ID | None = None
    email: str | None = None
    start_from: DateTime | None = strawberry.field(default=None, description="start >= this")
    start_to: DateTime | None = strawberry.field(default=None, description="start < this")
    end_from: DateTime | None = None
    end_to: DateTime | None = None
    created_from: DateTime | None = None
    created_to: DateTime | None = None
    double_booked: bool | None = None

    def to_wql(self) -> Json:
        wql: Json = {}
        for path, values in (
            ("id", self.ids),
            ("status", [s.value for s in self.statuses] if self.statuses is not None else None),
            (
                "paymentStatus",
                [s.value for s in self.payment_statuses]
                if self.payment_statuses is not None
                else None,
            ),
            (f"{SLOT}.resource.id", self.resource_ids),
            (f"{SLOT}.eventId", self.event_ids),
        ):
            if values is not None:
                wql[path] = {"$in": list(values)}
        if self.service_ids is not None:
            # Slot or course bookings of these services. `$or` is standard Wix query language;
            # The supported filters list fields, not logical operators, so reader support is
            # unconfirmed.
            ids = list(self.service_ids)
            wql["$or"] = [
                {f"{SLOT}.serviceId": {"$in": ids}},
                {f"{SCHEDULE}.serviceId": {"$in": ids}},
            ]
        if self.contact_id is not None:
            wql["contactDetails.contactId"] = self.contact_id
        if self.email is not None:
            wql["contactDetails.email"] = self.email
        for path, (start, end) in (
            ("startDate", (self.start_from, self.start_to)),
            ("endDate", (self.end_from, self.end_to)),
            ("createdDate", (self.created_from, self.created_to)),
        ):
            condition = _range(start, end)
            if condition:
                wql[path] = condition
        if self.double_booked is not None:
            # Wix omits `doubleBooked` unless true, so "not double-booked" is `$ne: true`.
            wql["doubleBooked"] = {"$eq": True} if self.double_booked else {"$ne": True}
        return wql


@strawberry.enum
class BookingSort(Enum):
    START_ASC = ("startDate", "ASC")
    START_DESC = ("startDate", "DESC")
    CREATED_ASC = ("createdDate", "ASC")
    CREATED_DESC = ("createdDate", "DESC")
    UPDATED_DESC = ("updatedDate", "DESC")

    def to_wql(self) -> list[Json]:
        field, order = self.value
        return [{"fieldName": field, "order": order}]
