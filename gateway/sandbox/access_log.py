"""Mask anonymous action tokens in uvicorn's access log: the token is a credential in the path."""

from __future__ import annotations

import logging
import re

ANONYMOUS_PATH = re.compile(
    r"(/v1/anonymous-bookings/)(?!\*\*\*)([^/?\s]+)(/(?:cancel|reschedule|service))?"
)


def mask_tokens(path: str) -> str:
    """`/v1/anonymous-bookings/<token>/cancel` -> `/v1/anonymous-bookings/***/cancel`.

    `/v1/anonymous-bookings/<bookingId>/token` (an authenticated call naming a booking id) is kept.
    """

    def replace(match: re.Match[str]) -> str:
        if path[match.end() :].startswith("/token"):
            return match.group(0)
        return f"{match.group(1)}***{match.group(3) or ''}"

    return ANONYMOUS_PATH.sub(replace, path)


class MaskTokensFilter(logging.Filter):
    """For uvicorn.access records, whose args are (client, method, path, http version, status)."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            record.args = (*args[:2], mask_tokens(args[2]), *args[3:])
        return True
