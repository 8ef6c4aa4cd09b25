"""The query cost model: what an operation may cost upstream, computed before it runs.

Every upstream-backed field has a cost (`FIELD_COSTS`, the one table). A list field multiplies
the cost of everything below it by its size: `first` when given (a literal or a variable), the
resolver's default page size when omitted, or a fixed upper bound for short lists without
paging. The result is an upper bound: DataLoaders usually batch the nested lookups into far
fewer calls, but the bound is what a hostile query could cost if they could not.

The same walk refuses a `first` above the configured maximum page size (`BAD_USER_INPUT`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graphql import GraphQLError, GraphQLSchema, get_named_type, value_from_ast_untyped
from graphql.language import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
)
from graphql.type import GraphQLInterfaceType, GraphQLNamedType, GraphQLObjectType
from graphql.utilities import get_operation_ast

from gateway.graphql import node_queries as node
from gateway.graphql.bookings import resolvers as bookings
from gateway.graphql.errors import bad_user_input
from gateway.graphql.services import resolvers as services
from gateway.graphql.time_slots import resolvers as time_slots
from gateway.protection.errors import too_complex

PAGE_ARGUMENT = "first"
# A multi-service booking or slot has 2 to 8 services.
MULTI_SERVICE_MAX = 8
# Mutation root fields not in the table: a write is a few upstream calls (checks, then write).
DEFAULT_MUTATION_COST = 10


@dataclass(frozen=True, slots=True)
class FieldCost:
    cost: int = 1  # upstream calls this field may make per parent object
    default_page: int | None = None  # a paged list: size when `first` is omitted
    fixed_size: int | None = None  # an unpaged list: its largest size
    size_argument: str | None = None  # a list as long as this list argument (`nodes(ids:)`)
    item_cost: int = 0  # further calls per item of the list


FIELD_COSTS: dict[str, FieldCost] = {
    "Query.services": FieldCost(default_page=services.MAX_FIRST),
    "Query.service": FieldCost(),
    "Query.timeSlots": FieldCost(default_page=time_slots.DEFAULT_FIRST),
    "Query.timeSlot": FieldCost(),
    "Query.eventTimeSlots": FieldCost(default_page=time_slots.DEFAULT_FIRST),
    "Query.eventTimeSlot": FieldCost(),
    "Query.multiServiceTimeSlots": FieldCost(default_page=time_slots.DEFAULT_FIRST),
    "Query.form": FieldCost(),
    "Query.bookings": FieldCost(default_page=bookings.DEFAULT_FIRST),
    "Query.doubleBookedBookings": FieldCost(default_page=bookings.DEFAULT_FIRST),
    "Query.booking": FieldCost(),
    "Query.bookingsCount": FieldCost(),
    "Query.multiServiceBooking": FieldCost(),
    "Query.anonymousBooking": FieldCost(),
    # Every kind is asked; for `nodes`, the kinds Wix reads in bulk once, the others per id.
    "Query.node": FieldCost(cost=len(node.KINDS)),
    "Query.nodes": FieldCost(
        cost=node.BULK_KINDS,
        size_argument="ids",
        item_cost=len(node.KINDS) - node.BULK_KINDS,
    ),
    "Service.form": FieldCost(),
    "Service.policy": FieldCost(),
    "Service.timeSlots": FieldCost(default_page=time_slots.DEFAULT_FIRST),
    "Booking.service": FieldCost(),
    "Booking.form": FieldCost(),
    "Booking.allowedActions": FieldCost(),
    "Booking.multiServiceBooking": FieldCost(),
    "MultiServiceBooking.bookings": FieldCost(fixed_size=MULTI_SERVICE_MAX),
    "TimeSlot.service": FieldCost(),
    "TimeSlot.nestedSlots": FieldCost(cost=0, fixed_size=MULTI_SERVICE_MAX),
    "NestedTimeSlot.service": FieldCost(),
}
_FREE = FieldCost(cost=0)


def operation_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None,
    variables: dict[str, Any] | None,
    max_page_size: int,
) -> int:
    """The cost of the operation that will run; raises `BAD_USER_INPUT` for a `first` above
    `max_page_size`. The document must be valid (this runs after validation)."""
    operation = get_operation_ast(document, operation_name)
    if operation is None:
        return 0
    return _CostWalk(schema, document, operation, variables or {}, max_page_size).operation()


class _CostWalk:
    def __init__(
        self,
        schema: GraphQLSchema,
        document: DocumentNode,
        operation: OperationDefinitionNode,
        variables: dict[str, Any],
        max_page_size: int,
    ) -> None:
        self._schema = schema
        self._operation = operation
        self._variables = {
            d.variable.name.value: value_from_ast_untyped(d.default_value)
            for d in operation.variable_definitions or ()
            if d.default_value is not None
        } | variables
        self._max_page_size = max_page_size
        self._fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        self._fragment_costs: dict[str, int] = {}

    def operation(self) -> int:
        root = self._schema.get_root_type(self._operation.operation)
        assert root is not None, "validated documents only name root types the schema has"
        return self._selections(self._operation.selection_set, root)

    def _selections(self, selection_set: SelectionSetNode, parent: GraphQLNamedType) -> int:
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += self._field(selection, parent)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                inner = self._schema.get_type(condition.name.value) if condition else parent
                total += self._selections(selection.selection_set, inner or parent)
            elif isinstance(selection, FragmentSpreadNode):
                total += self._fragment(selection.name.value)
        return total

    def _fragment(self, name: str) -> int:
        # Cost is linear in the multiplier above it, so each fragment is costed once.
        if name not in self._fragment_costs:
            fragment = self._fragments[name]
            parent = self._schema.get_type(fragment.type_condition.name.value)
            assert parent is not None
            self._fragment_costs[name] = self._selections(fragment.selection_set, parent)
        return self._fragment_costs[name]

    def _field(self, field: FieldNode, parent: GraphQLNamedType) -> int:
        name = field.name.value
        if name.startswith("__") or not isinstance(
            parent, GraphQLObjectType | GraphQLInterfaceType
        ):
            return 0
        definition = parent.fields.get(name)
        if definition is None:
            return 0
        rule = FIELD_COSTS.get(f"{parent.name}.{name}")
        if rule is None:
            is_mutation = parent is self._schema.mutation_type
            rule = FieldCost(cost=DEFAULT_MUTATION_COST) if is_mutation else _FREE
        first = self._first(field)
        if first is not None and first > self._max_page_size:
            raise bad_user_input(
                f"`first` must be at most {self._max_page_size} on this gateway", PAGE_ARGUMENT
            )
        size: int | None
        if rule.size_argument is not None:
            size = self._length(field, rule.size_argument)
        else:
            size = rule.fixed_size or (max(first, 0) if first is not None else rule.default_page)
        children = 0
        if field.selection_set:
            children = self._selections(field.selection_set, get_named_type(definition.type))
        return rule.cost + (size or 1) * (rule.item_cost + children)

    def _length(self, field: FieldNode, name: str) -> int:
        """The length of list argument `name` (a literal or a variable); 1 when not a list."""
        for argument in field.arguments or ():
            if argument.name.value == name:
                node = argument.value
                if isinstance(node, VariableNode):
                    value = self._variables.get(node.name.value)
                else:
                    value = value_from_ast_untyped(node)
                return len(value) if isinstance(value, list) else 1
        return 1

    def _first(self, field: FieldNode) -> int | None:
        """The `first` argument's value (a literal or a variable), if it is an integer."""
        for argument in field.arguments or ():
            if argument.name.value != PAGE_ARGUMENT:
                continue
            node = argument.value
            if isinstance(node, VariableNode):
                value = self._variables.get(node.name.value)
            else:
                value = value_from_ast_untyped(node)
            return value if isinstance(value, int) and not isinstance(value, bool) else None
        return None


def check_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None,
    variables: dict[str, Any] | None,
    *,
    max_cost: int,
    max_page_size: int,
) -> GraphQLError | None:
    """The error refusing the operation, or None when it may run."""
    try:
        cost = operation_cost(schema, document, operation_name, variables, max_page_size)
    except GraphQLError as error:
        return error
    return too_complex(cost, max_cost) if cost > max_cost else None
