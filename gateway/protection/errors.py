"""The errors protection answers with: each a GraphQL error with a code clients can switch on."""

from __future__ import annotations

from typing import Any

from graphql import GraphQLError

QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX"
QUERY_TOO_DEEP = "QUERY_TOO_DEEP"
TOO_MANY_ALIASES = "TOO_MANY_ALIASES"
TOO_MANY_TOKENS = "TOO_MANY_TOKENS"
INTROSPECTION_DISABLED = "INTROSPECTION_DISABLED"
RATE_LIMITED = "RATE_LIMITED"


def protection_error(code: str, message: str, **extensions: Any) -> GraphQLError:
    return GraphQLError(message, extensions={"code": code, **extensions})


def too_complex(cost: int, max_cost: int) -> GraphQLError:
    return protection_error(
        QUERY_TOO_COMPLEX,
        f"Query cost {cost} is over the limit of {max_cost}: ask for fewer items (`first`) "
        "or fewer nested lookups",
        cost=cost,
        maxCost=max_cost,
    )


def too_deep(depth: int, max_depth: int) -> GraphQLError:
    return protection_error(
        QUERY_TOO_DEEP,
        f"Query depth {depth} is over the limit of {max_depth}",
        depth=depth,
        maxDepth=max_depth,
    )


def too_many_aliases(aliases: int, max_aliases: int) -> GraphQLError:
    return protection_error(
        TOO_MANY_ALIASES,
        f"The document has {aliases} aliases; the limit is {max_aliases}",
        aliases=aliases,
        maxAliases=max_aliases,
    )


def too_many_tokens(max_tokens: int) -> GraphQLError:
    return protection_error(
        TOO_MANY_TOKENS,
        f"The document has more than {max_tokens} tokens",
        maxTokens=max_tokens,
    )


def introspection_disabled() -> GraphQLError:
    return protection_error(
        INTROSPECTION_DISABLED, "Introspection is disabled on this gateway (`__schema`, `__type`)"
    )
