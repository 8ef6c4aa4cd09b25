"""The booking flows called directly (`gateway.bookings`), with a `FlowContext` over the
embedded sandbox: no schema, no resolvers, the outcome dataclasses themselves."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime

import pytest

from gateway.bookings.appointments import AppointmentBooking, book_appointment
from gateway.bookings.flow import FlowContext
from gateway.bookings.lifecycle import Cancellation, cancel_booking
from gateway.bookings.outcomes import (
    BookingCreated,
    FormInvalid,
    PackageBooked,
    RevisionConflict,
    SlotUnavailable,
)
from gateway.bookings.packages import PackageBooking, PackageService, book_package
from gateway.bookings.requests import Booker, Contact
from gateway.clock import Clock
from gateway.config import Settings
from gateway.graphql.loaders import Loaders
from gateway.graphql.lookups import RequestLookups
from gateway.sandbox import seed
from gateway.sandbox.faults import FaultRule
from gateway.upstream import Upstream
from tests.graphql import Gateway, open_gateway
from tests.graphql.mutations import haircut_slot, stored_bookings
from tests.graphql.mutations.package_helpers import WEDNESDAY_9

ADA = Contact(first_name="Ada", last_name="Lovelace", email="ada@example.com")
CONFIRM_OR_DECLINE = "/bookings/v2/confirmation/*"


@pytest.fixture
async def gateway(clock: Clock) -> AsyncIterator[Gateway]:
    async with open_gateway(Settings(), clock) as opened:
        yield opened


def flow_context(gateway: Gateway) -> FlowContext:
    """What the GraphQL adapter builds per request, made by hand (the API key's view)."""
    state = gateway.app.state
    upstream = Upstream(state.wix_client)
    return FlowContext(
        upstream=upstream,
        business=upstream,
        lookups=RequestLookups(Loaders(upstream)),
        clock=state.clock,
        settings=state.settings,
        outbox=state.outbox,
    )


async def appointment(gateway: Gateway, **booker: object) -> AppointmentBooking:
    slot = await haircut_slot(gateway)
    return AppointmentBooking(
        booker=Booker(contact=ADA, **booker),  # type: ignore[arg-type]
        service_id=slot["serviceId"],
        local_start=datetime.fromisoformat(slot["localStartDate"]),
        local_end=datetime.fromisoformat(slot["localEndDate"]),
        time_zone=seed.TIME_ZONE,
        resource_id=seed.STAFF_DAN,
    )


async def test_an_appointment_is_booked(gateway: Gateway) -> None:
    outcome = await book_appointment(flow_context(gateway), await appointment(gateway))
    assert isinstance(outcome, BookingCreated)
    assert outcome.booking["status"] == "CREATED"
    assert [b["id"] for b in stored_bookings(gateway)] == [outcome.booking["id"]]


async def test_a_taken_slot_is_unavailable_with_alternatives(gateway: Gateway) -> None:
    ctx, request = flow_context(gateway), await appointment(gateway, confirm=True)
    assert isinstance(await book_appointment(ctx, request), BookingCreated)
    outcome = await book_appointment(ctx, request)
    assert isinstance(outcome, SlotUnavailable)
    assert outcome.alternatives and outcome.time_zone == seed.TIME_ZONE


async def test_a_form_error_is_form_invalid(gateway: Gateway) -> None:
    request = await appointment(gateway, form_submission="not an object")
    outcome = await book_appointment(flow_context(gateway), request)
    assert outcome == FormInvalid(
        "Form answers are invalid: formSubmission",
        [{"target": "formSubmission", "message": "must be an object keyed by field target"}],
    )
    assert stored_bookings(gateway) == []


async def test_a_cancel_with_a_stale_revision_is_a_conflict(gateway: Gateway) -> None:
    ctx = flow_context(gateway)
    created = await book_appointment(ctx, await appointment(gateway))
    assert isinstance(created, BookingCreated)
    booking_id, revision = created.booking["id"], str(created.booking["revision"])
    stale = str(int(revision) - 1)
    outcome = await cancel_booking(ctx, Cancellation(booking_id, revision=stale))
    assert isinstance(outcome, RevisionConflict)
    assert outcome.current_revision == revision and outcome.booking["status"] == "CREATED"


async def test_a_package_is_booked(gateway: Gateway) -> None:
    services = (PackageService(seed.SERVICE_HAIRCUT), PackageService(seed.SERVICE_FACIAL))
    request = PackageBooking(
        services, datetime.fromisoformat(WEDNESDAY_9), seed.TIME_ZONE, contact=ADA
    )
    outcome = await book_package(flow_context(gateway), request)
    assert isinstance(outcome, PackageBooked)
    assert len(outcome.multi_service_booking["bookings"]) == 2


async def test_a_lost_confirm_answer_is_read_back_as_confirmed(gateway: Gateway) -> None:
    rule = FaultRule(path=CONFIRM_OR_DECLINE, when="after", status=504, times=1)
    gateway.app.state.sandbox.faults.append(rule)
    outcome = await book_appointment(
        flow_context(gateway), await appointment(gateway, confirm=True)
    )
    assert isinstance(outcome, BookingCreated)
    assert outcome.booking["status"] == "CONFIRMED"
    assert [b["status"] for b in stored_bookings(gateway)] == ["CONFIRMED"]
