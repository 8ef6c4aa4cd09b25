"""Input bounds that hold for every argument, checked once per operation before any resolver.

What JSON (variables) or the document (literals) can carry but no Wix call should receive:

- a string with a lone surrogate (`"\\ud800"` in JSON): not Unicode text, so it can be neither
  encoded for Wix nor echoed back in an error;
- a list of more than `MAX_LIST_ITEMS` items (ids to look up, services to chain);
- variables nested deeper than `MAX_INPUT_DEPTH` (a `JSON` argument such as a form submission).

Each is refused with `BAD_USER_INPUT`; the operation then makes no upstream call.
"""

from __future__ import annotations

from typing import Any

from graphql import GraphQLError
from graphql.language import DocumentNode, ListValueNode, Visitor, visit

from gateway.graphql.errors import bad_user_input
from gateway.text import is_unicode_text

# Longest list any argument may hold: Wix's bulk and `$in` lists stop at 100, as do our pages.
MAX_LIST_ITEMS = 100
# Deepest nesting of objects and lists in variables; inputs (form answers included) nest a few.
MAX_INPUT_DEPTH = 32


def request_input_error(
    query: str | None, operation_name: str | None, variables: dict[str, Any] | None
) -> GraphQLError | None:
    """The refusal of the request's text or variables, or None when they are in bounds."""
    for name, text in (("query", query), ("operationName", operation_name)):
        if text is not None and not is_unicode_text(text):
            return _not_text(name)
    # (value, the top-level variable it belongs to, nesting depth)
    pending: list[tuple[Any, str | None, int]] = [(variables or {}, None, 0)]
    while pending:
        value, variable, depth = pending.pop()
        if isinstance(value, str):
            if not is_unicode_text(value):
                return _not_text(f"${variable}")
        elif isinstance(value, dict | list):
            if depth > MAX_INPUT_DEPTH:
                return bad_user_input(f"Variables may nest at most {MAX_INPUT_DEPTH} levels")
            if isinstance(value, list):
                if len(value) > MAX_LIST_ITEMS:
                    return _too_long(variable, len(value))
                pending.extend((item, variable, depth + 1) for item in value)
                continue
            for key, item in value.items():
                if not is_unicode_text(key):
                    return _not_text(f"${variable}" if variable else "variables")
                pending.append((item, key if variable is None else variable, depth + 1))
    return None


def literal_input_error(document: DocumentNode) -> GraphQLError | None:
    """The refusal of a list literal longer than `MAX_LIST_ITEMS` in the document, if any."""
    finder = _LongListFinder()
    visit(document, finder)
    return finder.error


class _LongListFinder(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.error: GraphQLError | None = None

    def enter_list_value(self, node: ListValueNode, *_: Any) -> Any:
        if len(node.values) > MAX_LIST_ITEMS:
            self.error = _too_long(None, len(node.values))
            return Visitor.BREAK
        return None


def _not_text(where: str) -> GraphQLError:
    message = f"`{where}` holds a string that is not valid Unicode (a lone surrogate)"
    return bad_user_input(message)


def _too_long(variable: str | None, size: int) -> GraphQLError:
    named = f"`${variable}`" if variable else "A list argument"
    message = f"{named} holds {size} items; at most {MAX_LIST_ITEMS} are allowed"
    return bad_user_input(message)
