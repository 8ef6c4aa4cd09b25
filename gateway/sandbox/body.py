"""Reading a request body: one JSON object, refused with Wix's 400 envelope when it is not.

Python's `json` accepts what the handlers and SQLite cannot take: nesting deep enough to exhaust
the interpreter's recursion limit (while parsing, or later in a recursive helper such as
`wire.compact`) and escaped lone surrogates (`"\\ud800"`), which are not Unicode text and cannot
be stored or encoded as UTF-8. Both are refused here, once, before any handler runs.
"""

from __future__ import annotations

import json
from typing import Any

from gateway.sandbox.errors import WixError
from gateway.text import json_problem

# Deepest nesting of objects and arrays a body may have; Wix request bodies nest a few levels.
MAX_DEPTH = 64


def parse_body(raw: bytes) -> dict[str, Any]:
    """The JSON object of a request body (`{}` when empty)."""
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except (ValueError, RecursionError):  # RecursionError: nested too deep to parse
        raise _bad_body("Request body is not valid JSON") from None
    if not isinstance(body, dict):
        raise _bad_body("Request body must be a JSON object")
    check_json(body)
    return body


def check_json(value: Any) -> None:
    """Refuse nesting deeper than `MAX_DEPTH` and strings (or keys) that are not Unicode text."""
    problem = json_problem(value, MAX_DEPTH)
    if problem == "not unicode":
        raise _bad_body("Request body has a string that is not valid Unicode")
    if problem == "too deep":
        raise _bad_body(f"Request body nests deeper than {MAX_DEPTH} levels")


def _bad_body(message: str) -> WixError:
    return WixError(400, "INVALID_ARGUMENT", message)
