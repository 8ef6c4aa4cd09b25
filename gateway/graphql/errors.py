"""GraphQL errors the gateway raises itself (upstream errors come from `gateway.upstream`)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from graphql import GraphQLError

from gateway.bookings.flow import InvalidInput
from gateway.upstream.errors import UpstreamError

BAD_USER_INPUT = "BAD_USER_INPUT"


def bad_user_input(message: str, argument: str | None = None) -> GraphQLError:
    """An argument the gateway rejects before calling Wix."""
    extensions: dict[str, object] = {"code": BAD_USER_INPUT}
    if argument:
        extensions["argument"] = argument
    return GraphQLError(message, extensions=extensions)


def check_first(first: int | None, *, default: int, maximum: int) -> int:
    """The page size for a connection: `default` when omitted, 1..`maximum` otherwise."""
    if first is None:
        return default
    if not 1 <= first <= maximum:
        raise bad_user_input(f"`first` must be between 1 and {maximum}", "first")
    return first


def is_not_found(error: BaseException) -> bool:
    """Whether Wix answered 404 (`SERVICE_NOT_FOUND`, `SLOT_NOT_FOUND`, ...): single lookups
    then resolve to null instead of an error."""
    return isinstance(error, UpstreamError) and error.http_status == 404


@contextmanager
def user_errors() -> Iterator[None]:
    """A domain flow's `InvalidInput` as the coded GraphQL error clients know
    (`BAD_USER_INPUT`, same message and `argument`)."""
    try:
        yield
    except InvalidInput as error:
        raise bad_user_input(error.message, error.argument) from None
