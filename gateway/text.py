"""Text checks shared by the gateway and the sandbox, which both take JSON from strangers."""

from __future__ import annotations

from typing import Any, Literal

JsonProblem = Literal["too deep", "not unicode"]


def is_unicode_text(text: str) -> bool:
    """False for a string holding a lone surrogate (U+D800..U+DFFF), which UTF-8 cannot encode:
    JSON allows `"\\ud800"`, and such a string fails wherever it is encoded later."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def json_problem(value: Any, max_depth: int) -> JsonProblem | None:
    """What makes a parsed JSON value unsafe to pass on: nesting deeper than `max_depth` (which
    exhausts recursive code later) or a string or key that is not Unicode text; None if fine."""
    pending: list[tuple[Any, int]] = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, str):
            if not is_unicode_text(item):
                return "not unicode"
            continue
        if not isinstance(item, dict | list):
            continue
        if depth > max_depth:
            return "too deep"
        if isinstance(item, dict):
            pending.extend((key, depth) for key in item)
            pending.extend((child, depth + 1) for child in item.values())
        else:
            pending.extend((child, depth + 1) for child in item)
    return None
