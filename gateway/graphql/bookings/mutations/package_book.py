"""Booking a multi-service package (seeds/001 "Create a multi-service booking").

Verify the chain (Get Multi Service Availability Time Slot), create the package with the verified
nested slots (Create Multi Service Booking), and with `confirm` confirm it with
`checkAvailabilityValidation`: a `CREATED` booking doesn't hold its slot, so that is where a race
for the same time is settled, and a package that comes back double-booked lost it. When a step
after the create fails, the package is canceled again (compensation): a failed mutation leaves
no bookings behind. Its bookings are stamped and tracked in the outbox like single bookings
(`creation.py`), so a lost Create answer is read back and a failed compensation is finished by
the reconciler.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

import strawberry
from strawberry.scalars import JSON

from gateway.bookings.outbox import tracked
from gateway.bookings.stamps import (
    active_stamped,
    is_resuming,
    may_have_written,
    package_of,
)
from gateway.graphql.bookings.mutations.form_validation import prepare
from gateway.graphql.bookings.mutations.inputs import ContactInput, contact_id
from gateway.graphql.bookings.mutations.outcomes import form_invalid, not_found
from gateway.graphql.bookings.mutations.package_chains import (
    Chain,
    Leg,
    bookable_chain,
    booked_slots,
    is_taken,
    package_unavailable_near,
)
from gateway.graphql.bookings.mutations.package_changes import members
from gateway.graphql.bookings.mutations.package_outcomes import CANCELLED_PACKAGE_ID, package_booked
from gateway.graphql.common import Json, ServiceType
from gateway.graphql.context import Info
from gateway.graphql.errors import bad_user_input
from gateway.graphql.scalars import LocalDateTime, TimeZone
from gateway.graphql.time_slots.resolvers import first_business_location
from gateway.upstream import Upstream
from gateway.upstream.errors import UpstreamError

logger = logging.getLogger("gateway.graphql.mutations")

MIN_SERVICES, MAX_SERVICES = 2, 8  # bookings per package (bookings.md §6)
# Bookings made by Create Multi Service Booking answer the all-zero default form (bookings.md §2).
PACKAGE_FORM_ID = "00000000-0000-0000-0000-000000000000"
# Create Multi Service Booking's request wrapper is unconfirmed (bookings.md §6, §11): we send
# the SDK's shape, `{bookings: [Booking], multiServiceBookingType}`.
SEQUENTIAL = "SEQUENTIAL_BOOKINGS"
# With this flag Confirm Multi Service Booking marks a booking that clashes `doubleBooked`
# instead of confirming it silently (as Confirm Booking does, bookings.md §4.6).
CONFIRM_CHECKING = {"checkAvailabilityValidation": True}
# Compensation is the business taking back its own write: no customer policy applies.
COMPENSATION = {"flowControlSettings": {"ignoreCancellationPolicy": True}}
LOST = "Another booking took part of the package's time while it was being confirmed"


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


def check_size(data: BookMultiServicePackageInput) -> None:
    if not MIN_SERVICES <= len(data.services) <= MAX_SERVICES:
        raise bad_user_input(
            f"A package holds {MIN_SERVICES} to {MAX_SERVICES} services", "services"
        )


async def book(info: Info, data: BookMultiServicePackageInput) -> Json:
    service_ids = [item.service_id for item in data.services]
    loaders = info.context.loaders
    services, form = await asyncio.gather(
        loaders.services.load_many(service_ids), loaders.forms.load(PACKAGE_FORM_ID)
    )
    legs = []
    for item, service in zip(data.services, services, strict=True):
        if service is None:
            return not_found("service", str(item.service_id))
        if service.type != ServiceType.APPOINTMENT or not service.duration_minutes:
            raise bad_user_input("A package holds appointment services only", "services")
        staff = str(item.resource_id) if item.resource_id else None
        legs.append(Leg(str(service.id), service.duration_minutes, staff))
    submission = prepare(form, data.contact, data.form_submission)
    if submission.errors:
        return form_invalid(submission.errors)
    chain = Chain(
        legs=tuple(legs),
        local_start=data.local_start,
        time_zone=data.time_zone or await loaders.site_time_zone(),
        location_id=str(data.location_id or await first_business_location(info, service_ids)),
    )
    slot = await bookable_chain(info, chain)
    if slot is None:
        return await package_unavailable_near(info, chain)
    context = info.context
    async with tracked(context.flow_outbox, context.clock, context.settings) as stamp:
        body = _create_body(chain, slot, submission.answers, contact_id(data.contact), stamp)
        try:
            msb = await _create(info, body, stamp)
        except UpstreamError as error:
            if is_taken(error):
                return await package_unavailable_near(info, chain)
            raise
        if not data.confirm:
            return package_booked(msb)
        return await _confirm(info, chain, msb)


async def _create(info: Info, body: Json, stamp: str) -> Json:
    """Create Multi Service Booking; when its answer is lost, the package its stamped bookings
    belong to (read with the API key), or the error when Wix shows none."""
    writer, business = info.context.upstream.bookings_writer, info.context.business_upstream
    if is_resuming() and (earlier := await _stamped_package(business, stamp)):
        return earlier  # an earlier run with this idempotency key made it: go on from there
    try:
        return dict((await writer.create_multi_service_booking(body))["multiServiceBooking"])
    except UpstreamError as error:
        if not may_have_written(error):
            raise
        found = await _stamped_package(business, stamp)
        if found is None:
            raise
        return found


async def _stamped_package(business: Upstream, stamp: str) -> Json | None:
    """The active package whose bookings carry `stamp`, as Get Multi Service Booking gives it."""
    packages = {package_of(b) for b in await active_stamped(business, stamp)} - {None}
    if not packages:
        return None
    package = sorted(p for p in packages if p)[0]
    return await business.bookings_writer.get_multi_service_booking(package)


def _create_body(chain: Chain, slot: Json, answers: Json, contact: str | None, stamp: str) -> Json:
    bookings = []
    for booked in booked_slots(chain, slot):
        booking: Json = {
            "bookedEntity": {"slot": booked},
            "totalParticipants": 1,
            "externalUserId": stamp,  # to find the package again (gateway.bookings.stamps)
        }
        if contact:  # with a form, Wix keeps only the contact id (forms.md §4)
            booking["contactDetails"] = {"contactId": contact}
        bookings.append(booking)
    body: Json = {
        "bookings": bookings,
        "multiServiceBookingType": SEQUENTIAL,
        "returnFullEntity": True,
    }
    if answers:
        body["formSubmission"] = answers
    return body


async def _confirm(info: Info, chain: Chain, msb: Json) -> Json:
    writer = info.context.upstream.bookings_writer
    try:
        infos = [
            {"bookingId": b["id"], "revision": b["revision"]} for b in await members(info, msb)
        ]
        body = {"confirmBookingsInfo": infos, "flowControlSettings": CONFIRM_CHECKING}
        package = (await writer.confirm_multi_service_booking(msb["id"], body))[
            "multiServiceBooking"
        ]
        lost = any(booking.get("doubleBooked") for booking in await members(info, package))
    except Exception as error:
        if isinstance(error, UpstreamError):  # the error names the package it undid
            error.extensions["packageId"] = msb["id"]
        with contextlib.suppress(UpstreamError):  # logged there; the first failure is reported
            await _cancel_package(info, msb["id"])
        raise
    if lost:
        await _cancel_package(info, msb["id"])
        lost_outcome = await package_unavailable_near(info, chain, LOST)
        return {**lost_outcome, CANCELLED_PACKAGE_ID: msb["id"]}
    return package_booked(package)


async def _cancel_package(info: Info, msb_id: str) -> None:
    """Compensation: cancel the package this flow created once a later step has failed (with
    the API key: the gateway undoes its own write; a failure is left to the reconciler)."""
    try:
        await info.context.business_upstream.bookings_writer.cancel_multi_service_booking(
            msb_id, COMPENSATION
        )
    except UpstreamError as error:
        logger.error("multi-service booking %s left behind: cancel failed (%s)", msb_id, error.code)
        raise
