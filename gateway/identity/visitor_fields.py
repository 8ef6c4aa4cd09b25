"""Which root fields an anonymous caller may use while the gateway answers for it with the API
key (no `WIX_CLIENT_ID`): browsing (services, availability, forms), the `book*` mutations, the
anonymous-link operations that carry their own token, and `node`/`nodes`, which for such a
caller look only in the kinds whose own lookup is open to it (`gateway.graphql.node_queries`).
Each such field says so beside its definition (`metadata=visitor_safe(...)`), naming the inputs
only the business may set.

`VisitorFieldsOnly` refuses everything else with `UNAUTHENTICATED` after validation, before
any resolver runs, so a refused operation makes no upstream call.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from graphql import GraphQLError, GraphQLObjectType, GraphQLSchema
from graphql.execution.values import VariableValues, get_argument_values, get_variable_values
from graphql.language import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    SelectionSetNode,
)
from graphql.utilities import get_operation_ast
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.utils.str_converters import to_snake_case

UNAUTHENTICATED = "UNAUTHENTICATED"
METADATA_KEY = "visitor"
NEEDS_IDENTITY = "send an admin key or a Wix visitor, member or app token as Authorization"


@dataclass(frozen=True, slots=True)
class VisitorAccess:
    # Input paths (GraphQL names, e.g. `input.confirm`) a visitor may not set: the business's.
    owner_only: tuple[str, ...] = ()


def visitor_safe(*owner_only: str) -> dict[str, VisitorAccess]:
    """`strawberry.field(metadata=...)` of a root field anonymous callers may use."""
    return {METADATA_KEY: VisitorAccess(owner_only)}


class VisitorFieldsOnly(SchemaExtension):
    def on_validate(self) -> Iterator[None]:
        yield
        context = self.execution_context
        caller = getattr(context.context, "caller", None)
        if context.pre_execution_errors or caller is None or not caller.visitor_only:
            return
        assert context.graphql_document is not None, "validation follows parsing"
        if error := refusal(
            context.schema._schema,
            context.graphql_document,
            context.operation_name,
            context.variables or {},
        ):
            raise error


def refusal(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None,
    variables: dict[str, Any],
) -> GraphQLError | None:
    """The refusal of the first root field (or owner-only input) a visitor may not use."""
    operation = get_operation_ast(document, operation_name)
    if operation is None:
        return None  # no operation to run: execution reports that
    root = schema.get_root_type(operation.operation)
    if root is None:
        return None
    fragments = {
        definition.name.value: definition.selection_set
        for definition in document.definitions
        if isinstance(definition, FragmentDefinitionNode)
    }
    # Coerced as execution will coerce them (defaults included): `$confirm: Boolean = true`
    # counts. Variables that do not coerce fail execution before any resolver runs.
    coerced = get_variable_values(schema, operation.variable_definitions or (), variables)
    if not isinstance(coerced, VariableValues):
        return None
    for node in _root_fields(operation.selection_set, fragments):
        if error := _field_refusal(root, node, coerced):
            return error
    return None


def _root_fields(
    selections: SelectionSetNode, fragments: dict[str, SelectionSetNode]
) -> Iterator[FieldNode]:
    """The root fields, through fragments (validation has ruled out fragment cycles)."""
    for selection in selections.selections:
        if isinstance(selection, FieldNode):
            yield selection
        elif isinstance(selection, InlineFragmentNode):
            yield from _root_fields(selection.selection_set, fragments)
        elif isinstance(selection, FragmentSpreadNode):
            spread = fragments.get(selection.name.value)
            if spread is not None:
                yield from _root_fields(spread, fragments)


def _field_refusal(
    root: GraphQLObjectType, node: FieldNode, variables: VariableValues
) -> GraphQLError | None:
    name = node.name.value
    if name.startswith("__"):
        return None  # __typename, introspection: public
    field = root.fields[name]
    definition = field.extensions.get(GraphQLCoreConverter.DEFINITION_BACKREF)
    access = (getattr(definition, "metadata", None) or {}).get(METADATA_KEY)
    if not isinstance(access, VisitorAccess):
        return _unauthenticated(f"`{name}` is not open to anonymous callers: {NEEDS_IDENTITY}")
    if not access.owner_only:
        return None
    try:
        arguments = get_argument_values(field, node, variables)
    except GraphQLError:
        return None  # bad arguments: execution reports them before any upstream call
    for path in access.owner_only:
        if _is_set(arguments, path.split(".")):
            return _unauthenticated(f"`{name}` with `{path}` is the business's: {NEEDS_IDENTITY}")
    return None


def _is_set(value: Any, path: list[str]) -> bool:
    """Whether the input at `path` holds a value other than null or false."""
    for part in path:
        if value is None:
            return False
        if isinstance(value, dict):
            value = value.get(part)
        else:  # an input object built by Strawberry: Python attribute names
            value = getattr(value, to_snake_case(part), None)
    return value is not None and value is not False


def _unauthenticated(message: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": UNAUTHENTICATED})
