"""Booking a multi-service package ("Create a multi-service booking" in
https://dev.wix.com/docs/api-reference/business-solutions/bookings/bookings/bookings-writer-v2/sample-flows).

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
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from gateway.bookings.flow import FlowContext, InvalidInput, Json
from gateway.bookings.forms import prepare
from gateway.bookings.outbox import tracked
from gateway.bookings.outcomes import (
    FormInvalid,
    NotFound,
    PackageBooked,
    PackageUnavailable,
    form_invalid,
    not_found,
)
from gateway.bookings.package_chains import (
    Chain,
    Leg,
    bookable_chain,
    booked_slots,
    is_taken,
    package_unavailable_near,
)
from gateway.bookings.package_changes import members
from gateway.bookings.requests import Contact, contact_id
from gateway.bookings.slots import first_business_location
from gateway.bookings.stamps import (
    active_stamped,
    is_resuming,
    may_have_written,
    package_of,
)
from gateway.upstream import Upstream
from gateway.upstream.errors import UpstreamError

logger = logging.getLogger("gateway.graphql.mutations")

# Bookings per package ("Multi-service bookings" in https://dev.wix.com/docs/api-reference/business-solutions/bookings/bookings/bookings-writer-v2/introduction).
MIN_SERVICES, MAX_SERVICES = 2, 8
# Bookings made by Create Multi Service Booking answer the all-zero default form:
# https://dev.wix.com/docs/api-reference/business-solutions/bookings/bookings/bookings-writer-v2/booking-object
PACKAGE_FORM_ID = "00000000-0000-0000-0000-000000000000"
# Create Multi Service Booking's request wrapper is unconfirmed
# (https://dev.wix.com/docs/api-reference/business-solutions/bookings/bookings/bookings-writer-v2/create-multi-service-booking):
# we send the SDK's shape, `{bookings: [Booking], multiServiceBookingType}`.
SEQUENTIAL = "SEQUENTIAL_BOOKINGS"
# With this flag Confirm Multi Service Booking marks a booking that clashes `doubleBooked`
# instead of confirming it silently (as Confirm Booking does,
# https://dev.wix.com/docs/api-reference/business-solutions/bookings/bookings/bookings-writer-v2/confirm-booking).
CONFIRM_CHECKING = {"checkAvailabilityValidation": True}
# Compensation is the business taking back its own write: no customer policy applies.
COMPENSATION = {"flowControlSettings": {"ignoreCancellationPolicy": True}}
LOST = "Another booking took part of the package's time while it was being confirmed"


@dataclass(frozen=True, slots=True)
class PackageService:
    """One service of a package, in booking order, and the staff member wanted (any: None)."""

    service_id: str
    resource_id: str | None = None


@dataclass(frozen=True, slots=True)
class PackageBooking:
    """2 to 8 appointment services booked back to back from `local_start` (`time_zone`: default
    the site's; `location_id`: default the first service's first business location), answering
    the default booking form."""

    services: tuple[PackageService, ...]
    local_start: datetime
    time_zone: str | None = None
    location_id: str | None = None
    contact: Contact | None = None
    form_submission: Any = None
    confirm: bool = False

    def check(self) -> None:
        if not MIN_SERVICES <= len(self.services) <= MAX_SERVICES:
            raise InvalidInput(
                f"A package holds {MIN_SERVICES} to {MAX_SERVICES} services", "services"
            )


Booked = PackageBooked | PackageUnavailable | FormInvalid | NotFound


async def book_package(ctx: FlowContext, data: PackageBooking) -> Booked:
    service_ids = [item.service_id for item in data.services]
    lookups = ctx.lookups
    services, form = await asyncio.gather(
        lookups.services(service_ids), lookups.form(PACKAGE_FORM_ID)
    )
    legs = []
    for item, service in zip(data.services, services, strict=True):
        if service is None:
            return not_found("service", item.service_id)
        if service.type != "APPOINTMENT" or not service.duration_minutes:
            raise InvalidInput("A package holds appointment services only", "services")
        legs.append(Leg(service.id, service.duration_minutes, item.resource_id))
    submission = prepare(form, data.contact, data.form_submission)
    if submission.errors:
        return form_invalid(submission.errors)
    chain = Chain(
        legs=tuple(legs),
        local_start=data.local_start,
        time_zone=data.time_zone or await lookups.site_time_zone(),
        location_id=data.location_id or await first_business_location(lookups, service_ids),
    )
    slot = await bookable_chain(ctx, chain)
    if slot is None:
        return await package_unavailable_near(ctx, chain)
    async with tracked(ctx.flow_outbox, ctx.clock, ctx.settings) as stamp:
        body = _create_body(chain, slot, submission.answers, contact_id(data.contact), stamp)
        try:
            msb = await _create(ctx, body, stamp)
        except UpstreamError as error:
            if is_taken(error):
                return await package_unavailable_near(ctx, chain)
            raise
        if not data.confirm:
            return PackageBooked(msb)
        return await _confirm(ctx, chain, msb)


async def _create(ctx: FlowContext, body: Json, stamp: str) -> Json:
    """Create Multi Service Booking; when its answer is lost, the package its stamped bookings
    belong to (read with the API key), or the error when Wix shows none."""
    writer, business = ctx.upstream.bookings_writer, ctx.business
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
        # With a form, Wix keeps only the contact id:
        # https://dev.wix.com/docs/api-reference/business-solutions/bookings/wix-forms-integration
        if contact:
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


async def _confirm(ctx: FlowContext, chain: Chain, msb: Json) -> Booked:
    writer = ctx.upstream.bookings_writer
    try:
        infos = [{"bookingId": b["id"], "revision": b["revision"]} for b in await members(ctx, msb)]
        body = {"confirmBookingsInfo": infos, "flowControlSettings": CONFIRM_CHECKING}
        package = (await writer.confirm_multi_service_booking(msb["id"], body))[
            "multiServiceBooking"
        ]
        lost = any(booking.get("doubleBooked") for booking in await members(ctx, package))
    except Exception as error:
        if isinstance(error, UpstreamError):  # the error names the package it undid
            error.extensions["packageId"] = msb["id"]
        with contextlib.suppress(UpstreamError):  # logged there; the first failure is reported
            await _cancel_package(ctx, msb["id"])
        raise
    if lost:
        await _cancel_package(ctx, msb["id"])
        unavailable = await package_unavailable_near(ctx, chain, LOST)
        return replace(unavailable, package_id=msb["id"])
    return PackageBooked(package)


async def _cancel_package(ctx: FlowContext, msb_id: str) -> None:
    """Compensation: cancel the package this flow created once a later step has failed (with
    the API key: the gateway undoes its own write; a failure is left to the reconciler)."""
    try:
        await ctx.business.bookings_writer.cancel_multi_service_booking(msb_id, COMPENSATION)
    except UpstreamError as error:
        logger.error("multi-service booking %s left behind: cancel failed (%s)", msb_id, error.code)
        raise
