"""What `LeanExecutionContext` may shorten: a plan per schema field (decided once) and a plan
per selection set (once per operation).

A field qualifies when it is an exact Strawberry field without arguments and without field
extensions (permission classes are extensions): an attribute (no resolver), or a resolver whose
parameters are only the source (`self`, `root`, `strawberry.Parent`) and `info`. Everything
else is `GENERAL`: graphql-core and Strawberry execute it as usual.

An object type qualifies when graphql-core has no `is_type_of` to call for it, or when its
`is_type_of` is the one Strawberry derives for a type that implements interfaces (`Node`,
`Failure`): that check passes every instance of exactly the type's class that was not cast
(`strawberry.cast`), so such values are completed without calling it (`fits`); any other value
takes graphql-core's path, which calls it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum, auto
from typing import Any

from graphql import (
    FieldNode,
    GraphQLEnumType,
    GraphQLField,
    GraphQLLeafType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
)
from graphql.execution.collect_fields import FieldDetailsList, GroupedFieldSet
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.base import StrawberryObjectDefinition
from strawberry.types.cast import TYPE_CAST_ATTRIBUTE
from strawberry.types.field import StrawberryField


class Kind(Enum):
    GENERAL = auto()  # graphql-core's path
    LEAF = auto()  # attribute of scalar or enum type
    ATTRIBUTE = auto()  # attribute of any other type
    METHOD = auto()  # resolver taking only the source and/or `info`


@dataclass(frozen=True, slots=True)
class FieldPlan:
    kind: Kind
    field: GraphQLField | None = None
    attribute: str = ""  # LEAF, ATTRIBUTE: the Python attribute
    nullable: bool = True  # LEAF, ATTRIBUTE
    leaf_type: GraphQLLeafType | None = None  # LEAF
    object_type: GraphQLObjectType | None = None  # ATTRIBUTE: a plain object type
    object_class: type | None = None  # ... whose values must be of this class (`fits`)
    item_type: GraphQLOutputType | None = None  # ATTRIBUTE: a list's items, if plain
    item_object: GraphQLObjectType | None = None  # ... an object type
    item_class: type | None = None  # ... whose values must be of this class (`fits`)
    item_leaf: GraphQLLeafType | None = None  # ... or a scalar or enum type
    definition: StrawberryField | None = None  # METHOD
    method: Callable[..., Any] | None = None  # METHOD: the resolver function
    takes_self: bool = False  # METHOD: the source is passed first
    source_parameters: tuple[str, ...] = ()  # METHOD: ... and under these names (root, parent)
    info_parameter: str | None = None  # METHOD: the name `info` is passed under


GENERAL = FieldPlan(Kind.GENERAL)


@dataclass(frozen=True, slots=True)
class Selection:
    """The fields selected on objects of one type at one place in an operation."""

    # (response name, graphql-core's field details, plan, field nodes) per field
    fields: list[tuple[str, FieldDetailsList, FieldPlan, list[FieldNode]]]
    # (response name, plan) when every field is a `LEAF`: the objects of most lists
    leaves: list[tuple[str, FieldPlan]] | None


def plan_selection(
    parent_type: GraphQLObjectType, grouped_field_set: GroupedFieldSet, lean: bool
) -> Selection:
    """Fields with directives (`@include`, `@stream`, ...) are left to graphql-core."""
    fields = [
        (
            name,
            details,
            field_plan(parent_type, details[0].node.name.value)
            if lean and not details[0].node.directives
            else GENERAL,
            [field_details.node for field_details in details],
        )
        for name, details in grouped_field_set.items()
    ]
    leaves = [(name, plan) for name, _, plan, _ in fields if plan.kind is Kind.LEAF]
    return Selection(fields, leaves if len(leaves) == len(fields) else None)


# Plans by object type and field name. Types belong to a schema, which lives for the process.
_PLANS: dict[GraphQLObjectType, dict[str, FieldPlan]] = {}


def field_plan(parent_type: GraphQLObjectType, field_name: str) -> FieldPlan:
    plans = _PLANS.get(parent_type)
    if plans is None:
        plans = _PLANS[parent_type] = {}
    plan = plans.get(field_name)
    if plan is None:
        plan = plans[field_name] = _plan(parent_type, field_name)
    return plan


def _plan(parent_type: GraphQLObjectType, field_name: str) -> FieldPlan:
    field = parent_type.fields.get(field_name)
    if field is None or field.args:
        return GENERAL
    definition = (field.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
    # Exactly a `StrawberryField`: a subclass may resolve differently (`get_result`).
    if type(definition) is not StrawberryField:
        return GENERAL
    if definition.extensions or definition.is_subscription:
        return GENERAL
    resolver = definition.base_resolver
    if resolver is None:
        return _attribute(field, definition.python_name)
    if resolver.arguments or not callable(resolver.wrapped_func):
        return GENERAL
    info = resolver.info_parameter
    return FieldPlan(
        Kind.METHOD,
        field,
        definition=definition,
        method=resolver.wrapped_func,
        takes_self=resolver.self_parameter is not None,
        source_parameters=tuple(
            parameter.name
            for parameter in (resolver.parent_parameter, resolver.root_parameter)
            if parameter is not None
        ),
        info_parameter=info.name if info is not None else None,
    )


def _attribute(field: GraphQLField, attribute: str) -> FieldPlan:
    nullable = not isinstance(field.type, GraphQLNonNull)
    named = _unwrapped(field.type)
    if isinstance(named, GraphQLScalarType | GraphQLEnumType):
        return FieldPlan(Kind.LEAF, field, attribute, nullable, leaf_type=named)
    if not isinstance(named, GraphQLList):
        object_type = _plain(named)
        return FieldPlan(
            Kind.ATTRIBUTE,
            field,
            attribute,
            nullable,
            object_type=object_type,
            object_class=exact_class(object_type) if object_type else None,
        )
    item = _unwrapped(named.of_type)
    item_leaf = item if isinstance(item, GraphQLScalarType | GraphQLEnumType) else None
    item_object = _plain(item)
    return FieldPlan(
        Kind.ATTRIBUTE,
        field,
        attribute,
        nullable,
        item_type=named.of_type if item_leaf or item_object else None,
        item_object=item_object,
        item_class=exact_class(item_object) if item_object else None,
        item_leaf=item_leaf,
    )


def _unwrapped(type_: Any) -> Any:
    return type_.of_type if isinstance(type_, GraphQLNonNull) else type_


def _plain(type_: Any) -> GraphQLObjectType | None:
    """`type_` when it is an object type without an `is_type_of` check, or with Strawberry's
    check of a type that implements interfaces (`exact_class`)."""
    if isinstance(type_, GraphQLObjectType) and (
        type_.is_type_of is None or exact_class(type_) is not None
    ):
        return type_
    return None


# Per object type with an `is_type_of`: the class whose instances pass it, if Strawberry derived
# it from the type's interfaces (None: graphql-core must call it).
_EXACT_CLASSES: dict[GraphQLObjectType, type | None] = {}


def exact_class(type_: GraphQLObjectType) -> type | None:
    """The class whose (uncast) instances pass `type_.is_type_of`, when that check is the one
    Strawberry derives for a type implementing interfaces; None when the type has no check (any
    value will do) or another one."""
    if type_.is_type_of is None:
        return None
    if type_ not in _EXACT_CLASSES:
        definition = (type_.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
        derived = (
            isinstance(definition, StrawberryObjectDefinition)
            and definition.is_type_of is None  # none of the class's own
            and bool(definition.interfaces)
            and definition.concrete_of is None  # not a generic's specialization
        )
        _EXACT_CLASSES[type_] = definition.origin if derived else None  # type: ignore[union-attr]
    return _EXACT_CLASSES[type_]


def fits(required: type | None, value: Any) -> bool:
    """Whether `value` may be completed as an object of a type whose values must be of class
    `required` (None: any value)."""
    return required is None or (
        type(value) is required and getattr(value, TYPE_CAST_ATTRIBUTE, None) is None
    )


def completes(object_type: GraphQLObjectType, value: Any) -> bool:
    """Whether `value` may be completed as an `object_type` without graphql-core: the type has
    no `is_type_of` check, or the value passes Strawberry's (`exact_class`)."""
    if object_type.is_type_of is None:
        return True
    required = exact_class(object_type)
    return required is not None and fits(required, value)
