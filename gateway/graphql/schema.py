"""The gateway's GraphQL schema: the domain query types merged into one `Query`."""

from __future__ import annotations

import logging

import strawberry
from graphql import GraphQLError
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext

from gateway.graphql.bookings.mutations import BookingMutations
from gateway.graphql.bookings.mutations.anonymous import AnonymousMutations, AnonymousQueries
from gateway.graphql.bookings.mutations.double_booking import (
    DoubleBookingMutations,
    DoubleBookingQueries,
)
from gateway.graphql.bookings.mutations.packages import PackageMutations
from gateway.graphql.bookings.resolvers import BookingQueries
from gateway.graphql.document_cache import BoundedParserCache, BoundedValidationCache
from gateway.graphql.execution import LeanExecutionContext
from gateway.graphql.forms.resolvers import FormQueries
from gateway.graphql.live.subscriptions import LiveSubscriptions
from gateway.graphql.node_queries import NodeQueries
from gateway.graphql.scalars import SCALAR_MAP, InvalidInput
from gateway.graphql.services.resolvers import ServiceQueries
from gateway.graphql.time_slots.resolvers import TimeSlotQueries
from gateway.identity.visitor_fields import VisitorFieldsOnly
from gateway.observability.extension import OperationObserver
from gateway.observability.scope import current_request_id
from gateway.protection.extension import QueryProtection
from gateway.protection.masking import MaskUnexpectedErrors
from gateway.upstream import UpstreamError

logger = logging.getLogger("gateway.graphql")

# Errors of bad input or of Wix, reported to the client with a code; not bugs of the gateway.
EXPECTED_ERRORS = (UpstreamError, GraphQLError, InvalidInput)


@strawberry.type
class Query(
    ServiceQueries,
    TimeSlotQueries,
    FormQueries,
    BookingQueries,
    AnonymousQueries,
    DoubleBookingQueries,
    NodeQueries,
):
    pass


@strawberry.type
class Mutation(BookingMutations, PackageMutations, AnonymousMutations, DoubleBookingMutations):
    pass


@strawberry.type
class Subscription(LiveSubscriptions):
    pass


class GatewaySchema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        """Errors clients caused or Wix reported are expected: one log line, no traceback.
        Anything else is a bug and is logged with its traceback and the request id that the
        client gets in its place (`MaskUnexpectedErrors`)."""
        for error in errors:
            original = error.original_error
            if original is None or isinstance(original, EXPECTED_ERRORS):
                logger.info("graphql error: %s %s", error.message, error.extensions or "")
            else:
                logger.error(
                    "unexpected error (request id %s): %s",
                    current_request_id(),
                    error.message,
                    exc_info=original,
                )


def _masking() -> MaskUnexpectedErrors:
    return MaskUnexpectedErrors(expected=EXPECTED_ERRORS)


schema = GatewaySchema(
    query=Query,
    mutation=Mutation,
    subscription=Subscription,
    config=StrawberryConfig(scalar_map=SCALAR_MAP),
    execution_context_class=LeanExecutionContext,  # a shorter path for plain fields
    # QueryProtection first: its limits run before parsing and validation.
    extensions=[
        QueryProtection,
        VisitorFieldsOnly,  # after validation (inner hooks run first), before any resolver
        BoundedParserCache,
        BoundedValidationCache,
        OperationObserver,
        _masking,
    ],
)
