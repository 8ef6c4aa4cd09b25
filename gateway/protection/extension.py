"""`QueryProtection`: the schema extension that refuses expensive or hostile operations before
any resolver runs, so a refused operation makes no upstream call.

- before parsing: the token limit (a huge document is not even parsed) and the input bounds of
  the text and variables (`inputs`: valid Unicode, list sizes, nesting);
- before validation: introspection (when switched off), aliases and depth (validation itself
  can be costly on a hostile document), and list literals' sizes;
- after validation (the document is then known to be well formed): page sizes and cost, which
  depend on variables, so they are never cached with the validation result.

It must come before `ParserCache` and `ValidationCache` in the schema's extension list. A refusal
is raised from the hook, so Strawberry reports it as a pre-execution error (no `data`).
"""

from __future__ import annotations

from collections.abc import Iterator

from strawberry.extensions import SchemaExtension

from gateway.protection import errors
from gateway.protection.cost import check_cost
from gateway.protection.document import count_tokens, shape_error
from gateway.protection.inputs import literal_input_error, request_input_error
from gateway.protection.limits import Limits, limits_of


class QueryProtection(SchemaExtension):
    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        query = context.query
        if error := request_input_error(query, context.operation_name, context.variables):
            raise error
        limits = self._limits()
        if query is not None and count_tokens(query, limits.max_tokens) > limits.max_tokens:
            raise errors.too_many_tokens(limits.max_tokens)
        yield

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        limits = self._limits()
        assert context.graphql_document is not None, "validation follows parsing"
        if error := shape_error(context.graphql_document, limits):
            raise error
        if error := literal_input_error(context.graphql_document):
            raise error
        yield
        if context.pre_execution_errors:
            return  # invalid: validation's own errors are the answer
        if error := check_cost(
            context.schema._schema,
            context.graphql_document,
            context.operation_name,
            context.variables,
            max_cost=limits.max_cost,
            max_page_size=limits.max_page_size,
        ):
            raise error

    def _limits(self) -> Limits:
        return limits_of(getattr(self.execution_context.context, "settings", None))
