"""Multi-service package mutations (issue item 4; bookings.md §6, seeds/001 sample flows):
`bookMultiServicePackage`, `rescheduleMultiServicePackage`, `addBookingsToPackage`,
`removeBookingsFromPackage`. The flows are in `package_book` and `package_changes`.
"""

from __future__ import annotations

from typing import Annotated, Any

import strawberry

from gateway.graphql.bookings.mutations import package_changes
from gateway.graphql.bookings.mutations.idempotent import run_idempotent
from gateway.graphql.bookings.mutations.outcomes import (
    FormInvalid,
    IdempotencyKeyReused,
    NotAllowed,
    NotFound,
    RevisionConflict,
    render,
)
from gateway.graphql.bookings.mutations.package_book import (
    BookMultiServicePackageInput,
    book,
    check_size,
)
from gateway.graphql.bookings.mutations.package_outcomes import (
    PackageBooked,
    PackageUnavailable,
    PackageUpdated,
    package_bookings,
)
from gateway.graphql.common import Json
from gateway.graphql.context import Info
from gateway.graphql.errors import bad_user_input
from gateway.graphql.scalars import LocalDateTime, TimeZone
from gateway.identity.visitor_fields import visitor_safe

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


def _rendered(info: Info, outcome: Json) -> Any:
    """The union member; the package's bookings prime the request's loaders, so
    `multiServiceBooking { bookings }` needs no second read."""
    rendered = render(outcome)
    for booking in package_bookings(rendered):
        info.context.loaders.bookings.prime(booking.id, booking)
    return rendered


async def book_multi_service_package(
    info: Info, input: BookMultiServicePackageInput
) -> BookPackageResult:
    check_size(input)
    outcome = await run_idempotent(
        info, "bookMultiServicePackage", input.idempotency_key, input, lambda: book(info, input)
    )
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
        lambda: package_changes.reschedule(info, str(package_id), local_start, time_zone),
    )
    return _rendered(info, outcome)


async def add_bookings_to_package(
    info: Info, package_id: strawberry.ID, booking_ids: list[strawberry.ID]
) -> ChangePackageResult:
    if not booking_ids:
        raise bad_user_input("Give at least one booking id", "bookingIds")
    outcome = await package_changes.add(info, str(package_id), [str(i) for i in booking_ids])
    return _rendered(info, outcome)


async def remove_bookings_from_package(
    info: Info, package_id: strawberry.ID, booking_ids: list[strawberry.ID]
) -> ChangePackageResult:
    outcome = await package_changes.remove(info, str(package_id), [str(i) for i in booking_ids])
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
