"""Unexpected exceptions reach clients as "Internal server error" with the request id only.

The schema's `process_errors` has logged the full traceback (with the same request id) before
this extension rewrites the result, so an operator can find the cause from what the client saw.
Expected errors (bad input, Wix errors, refusals) pass through unchanged.
"""

from __future__ import annotations

import functools
import uuid

from graphql import GraphQLError
from strawberry.extensions import MaskErrors

from gateway.observability.responses import INTERNAL_ERROR_MESSAGE, INTERNAL_SERVER_ERROR
from gateway.observability.scope import current_request_id


class MaskUnexpectedErrors(MaskErrors):
    def __init__(self, expected: tuple[type[BaseException], ...]) -> None:
        # Not a bound method: the extension would reference itself, and the request's whole
        # result and context would wait for the cyclic garbage collector.
        unexpected = functools.partial(_unexpected, expected)
        super().__init__(should_mask_error=unexpected, error_message=INTERNAL_ERROR_MESSAGE)

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        return GraphQLError(
            self.error_message,
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            extensions={
                "code": INTERNAL_SERVER_ERROR,
                "requestId": current_request_id() or uuid.uuid4().hex,
            },
        )


def _unexpected(expected: tuple[type[BaseException], ...], error: GraphQLError) -> bool:
    original = error.original_error
    return original is not None and not isinstance(original, expected)
