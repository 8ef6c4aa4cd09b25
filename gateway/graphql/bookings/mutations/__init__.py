"""Booking flow mutations: each multi-step Wix flow (`gateway.bookings`) as one mutation with a
typed outcome union; the resolvers are thin adapters (`booking_flows.py`, `packages.py`,
`anonymous.py`, `double_booking.py`), registered here and in those modules.

Business failures are union members (`SlotUnavailable`, `RevisionConflict`, ...), never errors;
Wix being unreachable or failing stays a GraphQL error with the upstream error's code.
"""

from __future__ import annotations

import strawberry

from gateway.graphql.bookings.mutations.booking_flows import (
    book_appointment,
    book_class_session,
    book_course,
    cancel_booking,
    confirm_booking,
    confirm_or_decline_booking,
    decline_booking,
    mark_booking_as_pending,
    reschedule_booking,
    update_number_of_participants,
)
from gateway.identity.visitor_fields import visitor_safe


@strawberry.type
class BookingMutations:
    book_appointment = strawberry.mutation(
        metadata=visitor_safe("input.confirm", "input.paymentStatus", "input.contact.contactId"),
        resolver=book_appointment,
        description="Book an appointment slot: re-check the slot and the form answers, create "
        "the booking and, with `confirm`, confirm it.",
    )
    book_class_session = strawberry.mutation(
        metadata=visitor_safe("input.confirm", "input.paymentStatus", "input.contact.contactId"),
        resolver=book_class_session,
        description="Join a class session: check it has room for the party, create the "
        "booking and, with `confirm`, confirm it.",
    )
    book_course = strawberry.mutation(
        metadata=visitor_safe("input.confirm", "input.paymentStatus", "input.contact.contactId"),
        resolver=book_course,
        description="Join a whole course: count the places left, create the booking and, with "
        "`confirm`, confirm it.",
    )
    reschedule_booking = strawberry.mutation(
        resolver=reschedule_booking,
        description="Move a booking: check the allowed actions and the new slot, then "
        "reschedule with the booking's revision.",
    )
    cancel_booking = strawberry.mutation(
        resolver=cancel_booking,
        description="Cancel a booking, within its cancellation policy unless "
        "`ignoreCancellationPolicy`.",
    )
    confirm_booking = strawberry.mutation(
        resolver=confirm_booking, description="Confirm a booking (no availability check)."
    )
    decline_booking = strawberry.mutation(
        resolver=decline_booking, description="Decline a booking."
    )
    confirm_or_decline_booking = strawberry.mutation(
        resolver=confirm_or_decline_booking,
        description="Let Wix confirm the booking, or decline it when it is an unpaid double "
        "booking; PENDING for services that need approval.",
    )
    mark_booking_as_pending = strawberry.mutation(
        resolver=mark_booking_as_pending,
        description="Put a CREATED booking on the calendar awaiting the business's approval.",
    )
    update_number_of_participants = strawberry.mutation(
        resolver=update_number_of_participants,
        description="Change how many take part in a class or course booking.",
    )
