"""What uvicorn's access log may show of a request target: anonymous action tokens travel in
paths, and GraphQL over GET carries the whole operation (literals, variables, extensions) in
the query string, so the path is masked and the query string keeps its parameter names only."""

from __future__ import annotations

import logging
import re

ANONYMOUS_PATH = re.compile(
    r"(/v1/anonymous-bookings/)(?!\*\*\*)([^/?\s]+)(/(?:cancel|reschedule|service))?"
)
MASK = "***"
# A query-string name shown as it is; anything else (a bare value, an odd name) is masked.
_PARAMETER_NAME = re.compile(r"[A-Za-z0-9_.\-\[\]]{1,40}")


def mask_tokens(path: str) -> str:
    """`/v1/anonymous-bookings/<token>/cancel` -> `/v1/anonymous-bookings/***/cancel`.

    `/v1/anonymous-bookings/<bookingId>/token` (an authenticated call naming a booking id) is kept.
    """

    def replace(match: re.Match[str]) -> str:
        if path[match.end() :].startswith("/token"):
            return match.group(0)
        return f"{match.group(1)}{MASK}{match.group(3) or ''}"

    return ANONYMOUS_PATH.sub(replace, path)


def mask_target(target: str) -> str:
    """A request target as logged: tokens masked in the path, every query-string value masked
    (`/graphql?query=***&variables=***`)."""
    path, separator, query = target.partition("?")
    if not separator:
        return mask_tokens(path)
    return f"{mask_tokens(path)}?{mask_query_string(query)}"


def mask_query_string(query: str) -> str:
    parameters = []
    for item in query.split("&"):
        name, equals, _ = item.partition("=")
        shown = equals and _PARAMETER_NAME.fullmatch(name)
        parameters.append(f"{name}={MASK}" if shown else MASK)
    return "&".join(parameters)


class MaskTokensFilter(logging.Filter):
    """For uvicorn.access records, whose args are (client, method, target, http version,
    status). Set on the logger itself, so every handler (and test capture) sees the mask."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            record.args = (*args[:2], mask_target(args[2]), *args[3:])
        return True
