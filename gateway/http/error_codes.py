"""An `extensions.code` on every error a client gets, with Apollo Server's names for the errors
graphql-core and Strawberry raise without one, so clients can switch on the code alone
(https://www.apollographql.com/docs/apollo-server/data/errors#built-in-error-codes).

Errors that already carry a code (refusals, bad input, Wix errors, masked bugs) keep it.
"""

from __future__ import annotations

from collections.abc import Iterable

from graphql import GraphQLError, GraphQLSyntaxError

from gateway.graphql.errors import BAD_USER_INPUT
from gateway.observability.responses import INTERNAL_SERVER_ERROR

GRAPHQL_PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
GRAPHQL_VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
# The operation to run cannot be chosen: an unknown `operationName`, or several operations and
# no name.
OPERATION_RESOLUTION_FAILURE = "OPERATION_RESOLUTION_FAILURE"


def with_codes(errors: Iterable[GraphQLError], *, pre_execution: bool, executed: bool) -> None:
    """Give each error without a code the one its stage implies, in place.

    - before execution (`pre_execution`): a syntax error failed parsing, any other error
      without an underlying exception failed validation;
    - at the start of execution (not `executed`): coercing the variables failed, which is the
      client's input;
    - anything else without a code is a gateway bug (a masked exception already has one).
    """
    for error in errors:
        extensions = error.extensions
        if extensions is not None and extensions.get("code"):
            continue
        error.extensions = {**(extensions or {}), "code": _code(error, pre_execution, executed)}


def _code(error: GraphQLError, pre_execution: bool, executed: bool) -> str:
    if isinstance(error, GraphQLSyntaxError) or isinstance(
        error.original_error, GraphQLSyntaxError
    ):
        return GRAPHQL_PARSE_FAILED
    if pre_execution:
        return GRAPHQL_VALIDATION_FAILED if error.original_error is None else INTERNAL_SERVER_ERROR
    if not executed:
        return BAD_USER_INPUT
    return INTERNAL_SERVER_ERROR
