"""Multi-service package mutations (issue item 4; the multi-service sample flows in
https://dev.wix.com/docs/api-reference/business-solutions/bookings/bookings/bookings-writer-v2/sample-flows):
`bookMultiServicePackage`, `rescheduleMultiServicePackage`, `addBookingsToPackage`,
`removeBookingsFromPackage`. The flows are in `gateway.bookings.packages` and
`gateway.bookings.package_changes`.
"""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.scalars import JSON

from gateway.bookings import outcomes as domain
from gateway.bookings import package_changes
from gateway.bookings.package_changes import PackageMove
from gateway.bookings.packages import PackageBooking, PackageService, book_package
from gateway.graphql.bookings.mutations.idempotent import run_idempotent
from gateway.graphql.bookings.mutations.inputs import ContactInput
from gateway.graphql.bookings.mutations.outcomes import (
    FormInvalid,
    IdempotencyKeyReused,
    NotAllowed,
    NotFound,
    RevisionConflict,
    render,
)
from gateway.graphql.bookings.mutations.package_outcomes import (
    PackageBooked,
    PackageUnavailable,
    PackageUpdated,
    package_bookings,
)
from gateway.graphql.context import Info
from gateway.graphql.errors import bad_user_input, user_errors
from gateway.graphql.lookups import flow_context
from gateway.graphql.scalars import LocalDateTime, TimeZone
from gateway.identity.visitor_fields import visitor_safe


@strawberry.input(description="One service of a package, in booking order.")
class PackageServiceInput:
    service_id: strawberry.ID
    resource_id: strawberry.ID | None = strawberry.field(
        default=None, description="The staff member wanted for this service; any when omitted."
    )


@strawberry.input
class BookMultiServicePackageInput:
    services: list[PackageServiceInput] = strawberry.field(
        description="2 to 8 appointment services, booked back to back in this order."
    )
    local_start: LocalDateTime = strawberry.field(description="When the first service starts.")
    time_zone: TimeZone | None = strawberry.field(
        default=None, description="The zone of `localStart`; default the site's."
    )
    location_id: strawberry.ID | None = strawberry.field(
        default=None, description="Default: the first service's first business location."
    )
    contact: ContactInput | None = None
    form_submission: JSON | None = strawberry.field(
        default=None, description="Answers to the default booking form, by field `target`."
    )
    confirm: bool = False
    idempotency_key: str | None = None

    def to_domain(self) -> PackageBooking:
        return PackageBooking(
            services=tuple(
                PackageService(
                    str(item.service_id), str(item.resource_id) if item.resource_id else None
                )
                for item in self.services
            ),
            local_start=self.local_start,
            time_zone=self.time_zone,
            location_id=str(self.location_id) if self.location_id else None,
            contact=self.contact.to_domain() if self.contact else None,
            form_submission=self.form_submission,
            confirm=self.confirm,
        )


BookPackageResult = Annotated[
    PackageBooked | PackageUnavailable | FormInvalid | NotFound | IdempotencyKeyReused,
    strawberry.union("BookMultiServicePackageResult"),
]
ReschedulePackageResult = Annotated[
    PackageUpdated
    | PackageUnavailable
    | NotAllowed
    | NotFound
    | RevisionConflict
    | IdempotencyKeyReused,
    strawberry.union("RescheduleMultiServicePackageResult"),
]
ChangePackageResult = Annotated[
    PackageUpdated | NotAllowed | NotFound | RevisionConflict,
    strawberry.union("ChangePackageBookingsResult"),
]


def _rendered(info: Info, outcome: domain.Outcome) -> Any:
    """The union member; the package's bookings prime the request's loaders, so
    `multiServiceBooking { bookings }` needs no second read."""
    rendered = render(outcome)
    for booking in package_bookings(rendered):
        info.context.loaders.bookings.prime(booking.id, booking)
    return rendered


async def book_multi_service_package(
    info: Info, input: BookMultiServicePackageInput
) -> BookPackageResult:
    request = input.to_domain()
    with user_errors():
        request.check()
    outcome = await run_idempotent(
        info, "bookMultiServicePackage", input.idempotency_key, input,
        lambda: book_package(flow_context(info), request),
    )  # fmt: skip
    return _rendered(info, outcome)


async def reschedule_multi_service_package(
    info: Info,
    package_id: strawberry.ID,
    local_start: LocalDateTime,
    time_zone: TimeZone | None = None,
    idempotency_key: str | None = None,
) -> ReschedulePackageResult:
    request = {"packageId": package_id, "localStart": local_start, "timeZone": time_zone}
    outcome = await run_idempotent(
        info,
        "rescheduleMultiServicePackage",
        idempotency_key,
        request,
        lambda: package_changes.reschedule_package(
            flow_context(info), PackageMove(str(package_id), local_start, time_zone)
        ),
    )
    return _rendered(info, outcome)


async def add_bookings_to_package(
    info: Info, package_id: strawberry.ID, booking_ids: list[strawberry.ID]
) -> ChangePackageResult:
    if not booking_ids:
        raise bad_user_input("Give at least one booking id", "bookingIds")
    ids = [str(i) for i in booking_ids]
    outcome = await run_idempotent(  # no key: for the flow deadline
        info, "addBookingsToPackage", None, {"packageId": package_id, "bookingIds": ids},
        lambda: package_changes.add_bookings(flow_context(info), str(package_id), ids),
    )  # fmt: skip
    return _rendered(info, outcome)


async def remove_bookings_from_package(
    info: Info, package_id: strawberry.ID, booking_ids: list[strawberry.ID]
) -> ChangePackageResult:
    ids = [str(i) for i in booking_ids]
    outcome = await run_idempotent(  # no key: for the flow deadline
        info, "removeBookingsFromPackage", None, {"packageId": package_id, "bookingIds": ids},
        lambda: package_changes.remove_bookings(flow_context(info), str(package_id), ids),
    )  # fmt: skip
    return _rendered(info, outcome)


@strawberry.type
class PackageMutations:
    book_multi_service_package = strawberry.mutation(
        metadata=visitor_safe("input.confirm", "input.paymentStatus", "input.contact.contactId"),
        resolver=book_multi_service_package,
        description="Book 2 to 8 appointment services back to back from `localStart`: verify "
        "the chain, create the multi-service booking and, with `confirm`, confirm it.",
    )
    reschedule_multi_service_package = strawberry.mutation(
        resolver=reschedule_multi_service_package,
        description="Move a package's active bookings to start back to back at `localStart` "
        "(`timeZone` default: the site's); each keeps its length and, when free, its staff.",
    )
    add_bookings_to_package = strawberry.mutation(
        resolver=add_bookings_to_package,
        description="Add standalone appointment bookings to a package; they must fit its "
        "back-to-back sequence (the gateway reads their current revisions).",
    )
    remove_bookings_from_package = strawberry.mutation(
        resolver=remove_bookings_from_package,
        description="Take bookings out of a package (only its first or last ones keep it back "
        "to back); an empty list removes all. With fewer than two left the package is deleted.",
    )
