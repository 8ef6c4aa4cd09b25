"""Booking flow mutations: each multi-step Wix flow as one mutation with a typed outcome union.

Business failures are union members (`SlotUnavailable`, `RevisionConflict`, ...), never errors;
Wix being unreachable or failing stays a GraphQL error with the upstream error's code.
"""

from __future__ import annotations

import strawberry

from gateway.graphql.bookings.mutations.book_appointment import book_appointment


@strawberry.type
class BookingMutations:
    book_appointment = strawberry.mutation(
        resolver=book_appointment,
        description="Book an appointment slot: re-check the slot and the form answers, create "
        "the booking and, with `confirm`, confirm it.",
    )
