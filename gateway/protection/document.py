"""Checks of a document's shape that need no schema and no variables: tokens, depth, aliases
and introspection. They run before validation, so a hostile document is refused cheaply."""

from __future__ import annotations

from functools import lru_cache

from graphql import GraphQLError
from graphql.language import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    Lexer,
    OperationDefinitionNode,
    SelectionSetNode,
    Source,
    TokenKind,
)

from gateway.graphql.document_cache import CACHED_DOCUMENTS, cacheable
from gateway.protection import errors
from gateway.protection.limits import Limits

INTROSPECTION_FIELDS = frozenset({"__schema", "__type"})


def count_tokens(query: str, limit: int) -> int:
    """Lexical tokens of `query`, counting no further than `limit + 1` (so a huge document
    costs no more to refuse than a small one). A syntax error stops the count: the parser
    reports it. Remembered for documents the parser cache would keep, not for large ones."""
    return _cached_count(query, limit) if cacheable(query) else _count(query, limit)


@lru_cache(maxsize=CACHED_DOCUMENTS)
def _cached_count(query: str, limit: int) -> int:
    return _count(query, limit)


def _count(query: str, limit: int) -> int:
    lexer = Lexer(Source(query))
    count = 0
    try:
        while lexer.advance().kind != TokenKind.EOF:
            count += 1
            if count > limit:
                break
    except GraphQLError:
        pass
    return count


def shape_error(document: DocumentNode, limits: Limits) -> GraphQLError | None:
    """The first limit `document` breaks (introspection, aliases, depth), or None."""
    aliases, introspects = _scan(document)
    if introspects and not limits.introspection:
        return errors.introspection_disabled()
    if aliases > limits.max_aliases:
        return errors.too_many_aliases(aliases, limits.max_aliases)
    depth = _Depth(document, limits.max_depth).deepest()
    if depth > limits.max_depth:
        return errors.too_deep(depth, limits.max_depth)
    return None


def _scan(document: DocumentNode) -> tuple[int, bool]:
    """Aliases written in the document (each definition once) and whether it introspects."""
    aliases = 0
    introspects = False
    pending: list[SelectionSetNode] = [
        d.selection_set
        for d in document.definitions
        if isinstance(d, OperationDefinitionNode | FragmentDefinitionNode)
    ]
    while pending:
        for selection in pending.pop().selections:
            if isinstance(selection, FieldNode):
                aliases += selection.alias is not None
                introspects = introspects or selection.name.value in INTROSPECTION_FIELDS
            if isinstance(selection, FieldNode | InlineFragmentNode) and selection.selection_set:
                pending.append(selection.selection_set)
    return aliases, introspects


class _Depth:
    """Field nesting depth over every operation, fragments expanded (each one measured once).
    Introspection fields are not counted: their depth is bounded by the schema. Counting stops
    at `cap + 1`, so a very deep document is not walked to the bottom."""

    def __init__(self, document: DocumentNode, cap: int) -> None:
        self._document = document
        self._cap = cap
        self._fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        self._fragment_depths: dict[str, int] = {}

    def deepest(self) -> int:
        operations = (
            d for d in self._document.definitions if isinstance(d, OperationDefinitionNode)
        )
        return max((self._of(o.selection_set, 0) for o in operations), default=0)

    def _of(self, selection_set: SelectionSetNode, above: int) -> int:
        """The depth of `selection_set`, found `above` levels below the operation."""
        deepest = 0
        for selection in selection_set.selections:
            if above + deepest > self._cap:
                break
            if isinstance(selection, FieldNode):
                if selection.name.value.startswith("__"):
                    continue
                below = selection.selection_set
                depth = 1 + (self._of(below, above + 1) if below else 0)
            elif isinstance(selection, InlineFragmentNode):
                depth = self._of(selection.selection_set, above)
            elif isinstance(selection, FragmentSpreadNode):
                depth = self._fragment(selection)
            deepest = max(deepest, depth)
        return deepest

    def _fragment(self, spread: FragmentSpreadNode) -> int:
        name = spread.name.value
        if name not in self._fragment_depths:
            fragment = self._fragments.get(name)
            self._fragment_depths[name] = 0  # a cycle (refused by validation) ends here
            if fragment is not None:
                # Measured on its own (from level 0) so the result holds wherever it is spread.
                self._fragment_depths[name] = self._of(fragment.selection_set, 0)
        return self._fragment_depths[name]
