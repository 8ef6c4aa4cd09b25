"""Filling a Wix path template: every value becomes exactly one path segment, or is refused.

An id of `..` would otherwise climb the path (`/forms/..` is `/form-schema-service/v4` once the
URL is normalized) and reach another Wix method with the owner's API key. The client expands
every template here, so no API module can place a raw value in a path.
"""

from __future__ import annotations

import functools
import re
import string
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from gateway.upstream.errors import BAD_USER_INPUT, UpstreamError

# The rule: 1-1024 RFC 3986 unreserved characters (A-Z a-z 0-9 - . _ ~), not only dots. Wix ids
# are GUIDs or URL-safe strings, anonymous tokens "encrypted, URL-safe" strings:
# https://dev.wix.com/docs/api-reference/business-solutions/bookings/bookings/bookings-writer-v2/get-anonymous-action-token
# These are never delimiters and only `.`/`..` are dot-segments (RFC 3986 §2.3, §3.3); values
# are percent-encoded all the same, so a wider rule could not put a delimiter in a path.
MAX_SEGMENT_LENGTH = 1024
_SEGMENT = re.compile(rf"[A-Za-z0-9._~-]{{1,{MAX_SEGMENT_LENGTH}}}")

_FORMATTER = string.Formatter()


@functools.cache
def template_parameters(template: str) -> tuple[str, ...]:
    """The `{name}` placeholders of a path template, in order (templates are constants)."""
    return tuple(name for _, name, _, _ in _FORMATTER.parse(template) if name is not None)


def is_path_segment(value: str) -> bool:
    """Whether `value` may stand as one segment of a Wix path (the rule above)."""
    return _SEGMENT.fullmatch(value) is not None and value.strip(".") != ""


def expand(template: str, values: Mapping[str, Any]) -> str:
    """`template` with each `{name}` replaced by its value, checked and percent-encoded.

    Raises `InvalidPathValue` for a value that breaks the rule. A template whose placeholders
    and values differ is a bug of the caller and raises `KeyError`.
    """
    names = template_parameters(template)
    if set(names) != set(values):
        raise KeyError(f"{template} takes {sorted(names)}, got {sorted(values)}")
    encoded: dict[str, str] = {}
    for name in names:
        value = values[name]
        if not isinstance(value, str) or not is_path_segment(value):
            raise InvalidPathValue(name)
        encoded[name] = quote(value, safe="")
    return template.format_map(encoded)


class InvalidPathValue(UpstreamError):
    """The refusal of a value for the path parameter `parameter`, before any call, shaped like
    Wix's 400 for invalid input (`error_from_response`): `BAD_USER_INPUT` with one field
    violation. The value is never echoed: an anonymous token is a credential."""

    def __init__(self, parameter: str) -> None:
        description = f"must be 1 to {MAX_SEGMENT_LENGTH} letters, digits or -._~, not only dots"
        violation = {"field": parameter, "description": description, "violatedRule": "FORMAT"}
        super().__init__(
            f"`{parameter}` is not valid: it {description}",
            {
                "code": BAD_USER_INPUT,
                "fieldViolations": [violation],
                "httpStatus": None,  # Wix was not called
                "requestId": None,
                "wixMessage": None,
            },
        )
        self.parameter = parameter
