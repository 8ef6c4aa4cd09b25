"""graphql-core's executor with a shorter path for the fields most responses are made of.

graphql-core spends about 5 µs on every field: a `Path`, a resolve-info object, Strawberry's
resolver wrapper (argument conversion, extension chain, an `Info`), then `complete_value`'s
chain of type checks. A page of 50 bookings with their service, form and allowed actions has
~770 fields, so this was most of what the gateway added to a request.

`LeanExecutionContext` keeps graphql-core's algorithm (field collection, response order, errors
and null propagation, awaitables, incremental delivery) and, with each field's `FieldPlan`:

- reads an attribute of scalar or enum type and serializes it in the loop over the fields;
- reads an attribute of object or list type and completes plain objects and list items
  itself (no resolve-info object, no type dispatch);
- calls a resolver without GraphQL arguments directly with the source and its Strawberry
  `Info`, as Strawberry would, and completes the value as graphql-core's `execute_field` does.

Everything else takes graphql-core's own path: `GENERAL` fields, fields with directives,
resolver middleware (a Strawberry extension with a `resolve` hook turns all of this off), and
any value that is null, an exception or awaitable. Reading an attribute has no side effects, so
when its value needs the general path the field is executed again by graphql-core, which then
gives the result and error it always gives.
"""

from __future__ import annotations

from collections.abc import Awaitable, Sequence
from types import CoroutineType, GeneratorType
from typing import Any

from graphql import (
    ExecutionResult,
    FieldNode,
    GraphQLEnumType,
    GraphQLField,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    GraphQLResolveInfoHelpers,
    GraphQLScalarType,
)
from graphql.execution.collect_fields import FieldDetailsList, GroupedFieldSet
from graphql.pyutils import Path, Undefined, gather_with_cancel
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from gateway.graphql.field_plans import FieldPlan, Kind, Selection, completes, fits, plan_selection

_LEAF_TYPES = (GraphQLScalarType, GraphQLEnumType)
_SEQUENCES = (list, tuple)
# Classes whose instances are neither exceptions nor awaitable: checking an object's class is
# cheaper than graphql-core's `is_awaitable` on every value (hundreds per page). Grows with the
# classes values are made of: built-ins, enums, `datetime`, the schema's types.
_PLAIN_CLASSES: set[type] = {str, int, float, bool, dict, list, tuple}
# Generator-based coroutines and coroutines: awaitable or not per object, never cached.
_AWAITABLE_CLASSES = (GeneratorType, CoroutineType)


def _finished(*args: Any) -> Any:
    raise RuntimeError("the operation is complete: no more work can be added to it")


_FINISHED = GraphQLResolveInfoHelpers(gather=_finished, track=_finished)


class LeanExecutionContext(StrawberryGraphQLCoreExecutionContext):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        middleware = self.middleware_manager
        strawberry_schema = getattr(self.schema, "_strawberry_schema", None)
        config = getattr(strawberry_schema, "config", None)
        converter = getattr(strawberry_schema, "schema_converter", None)
        self._info_class: Any = getattr(config, "info_class", None)
        # Middleware wraps every resolver, attributes included; per-field exception handlers
        # live in the Strawberry wrapper skipped here; Strawberry reads attributes with
        # `config.default_resolver` where the shortcut uses getattr.
        self._lean = (
            not (middleware and middleware.middlewares)
            and self._info_class is not None
            and getattr(config, "default_resolver", None) is getattr
            and converter is not None
            and not getattr(converter, "exception_handlers", True)
        )
        self._selections: dict[tuple[GraphQLObjectType, int], tuple[object, Selection]] = {}
        self._subselections: dict[
            tuple[GraphQLObjectType, int], tuple[object, Selection | None]
        ] = {}

    def build_response(self, data: dict[str, Any] | None) -> Any:
        """graphql-core's executor and its `async_helpers` reference each other, so without
        this the executor, and the request's context with everything it loaded (~1000 objects
        for a page of bookings), would be freed only by the cyclic garbage collector, in
        collections of 30-60 ms. Once the response is complete, the cycle is broken."""
        response = super().build_response(data)
        if isinstance(response, ExecutionResult):  # not incremental: nothing left to run
            self.async_helpers = _FINISHED
        return response

    def _selection(
        self, parent_type: GraphQLObjectType, grouped_field_set: GroupedFieldSet
    ) -> Selection:
        """Planned once per operation: graphql-core collects each selection set once per
        operation too, so a list's items share one `grouped_field_set`."""
        key = (parent_type, id(grouped_field_set))
        cached = self._selections.get(key)
        if cached is None:
            planned = plan_selection(parent_type, grouped_field_set, self._lean)
            # Holding `grouped_field_set` keeps its id from being reused during the operation.
            cached = self._selections[key] = (grouped_field_set, planned)
        return cached[1]

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        grouped_field_set: GroupedFieldSet,
        position_context: Any,
    ) -> Any:
        """graphql-core's `execute_fields`, each field dispatched on its plan."""
        if position_context is not None:  # fields of a `@defer`red fragment
            return super().execute_fields(
                parent_type, source_value, path, grouped_field_set, position_context
            )
        selection = self._selection(parent_type, grouped_field_set)
        return self._execute_selection(parent_type, source_value, path, selection)

    def _execute_selection(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        selection: Selection,
    ) -> Any:
        results: dict[str, Any] = {}
        if selection.leaves is not None:  # the common case of a list's objects
            for response_name, plan in selection.leaves:
                value = self._leaf(plan, source_value)
                if value is Undefined:
                    break  # this field takes graphql-core's path: do the object in full
                results[response_name] = value
            else:
                return results
        is_awaitable = self.is_awaitable
        awaitable_fields: list[str] = []
        try:
            for response_name, details, plan, nodes in selection.fields:
                kind = plan.kind
                if kind is Kind.LEAF:
                    value = self._leaf(plan, source_value)
                    if value is not Undefined:
                        results[response_name] = value
                        continue
                field_path = Path(path, response_name, parent_type.name)
                result: Any = Undefined
                if kind is Kind.METHOD:
                    result = self._method(
                        plan, parent_type, source_value, details, nodes, field_path
                    )
                elif kind is Kind.ATTRIBUTE:
                    result = self._attribute(
                        plan, parent_type, source_value, details, nodes, field_path
                    )
                if result is Undefined:
                    result = self.execute_field(
                        parent_type, source_value, details, field_path, None
                    )
                if result is not Undefined:
                    results[response_name] = result
                    if is_awaitable(result):
                        awaitable_fields.append(response_name)
        except Exception:
            if awaitable_fields:
                self.settle_in_background([results[field] for field in awaitable_fields])
            raise
        if not awaitable_fields:
            return results

        async def get_results() -> dict[str, Any]:
            if len(awaitable_fields) == 1:
                field = awaitable_fields[0]
                results[field] = await results[field]
            else:
                awaited = await gather_with_cancel(*(results[f] for f in awaitable_fields))
                results.update(zip(awaitable_fields, awaited, strict=True))
            return results

        return get_results()

    def _leaf(self, plan: FieldPlan, source: Any) -> Any:
        """The serialized attribute, or `Undefined` when graphql-core must execute the field
        (null in a non-null field, an exception or awaitable, a value that does not serialize)."""
        try:
            value = getattr(source, plan.attribute)
            if value is None:
                return None if plan.nullable else Undefined
            if not self._plain(value):
                return Undefined
            serialized = plan.leaf_type.coerce_output_value(value)  # type: ignore[union-attr]
        except Exception:
            return Undefined
        return Undefined if serialized is None else serialized

    def _attribute(
        self,
        plan: FieldPlan,
        parent_type: GraphQLObjectType,
        source: Any,
        details: FieldDetailsList,
        nodes: list[FieldNode],
        path: Path,
    ) -> Any:
        """The field completed from the attribute, or `Undefined` for graphql-core's path."""
        try:
            value = getattr(source, plan.attribute)
        except Exception:
            return Undefined
        if value is None:
            return None if plan.nullable else Undefined
        if not self._plain(value):
            return Undefined
        field: GraphQLField = plan.field  # type: ignore[assignment]
        try:
            if plan.object_type is not None and fits(plan.object_class, value):
                completed = self._object(plan.object_type, details, path, value)
            elif plan.item_type is not None and isinstance(value, _SEQUENCES):
                completed = self._items(plan, parent_type, value, details, nodes, path)
            else:
                info = self.build_resolve_info(field, nodes, parent_type, path)
                completed = self.complete_value(field.type, details, info, path, value, None)
        except Exception as raw_error:
            self.handle_field_error(raw_error, field.type, details, path)
            return None
        return self._settled(completed, field.type, details, path)

    def _method(
        self,
        plan: FieldPlan,
        parent_type: GraphQLObjectType,
        source: Any,
        details: FieldDetailsList,
        nodes: list[FieldNode],
        path: Path,
    ) -> Any:
        """Call the resolver as Strawberry does (the source as `self` or by its parameter
        name, `info` by name) without its wrapper chain; then as graphql-core's
        `execute_field`."""
        field: GraphQLField = plan.field  # type: ignore[assignment]
        info = self.build_resolve_info(field, nodes, parent_type, path)
        try:
            kwargs = dict.fromkeys(plan.source_parameters, source)
            if plan.info_parameter is not None:
                strawberry_info = self._info_class(_raw_info=info, _field=plan.definition)
                kwargs[plan.info_parameter] = strawberry_info
            method: Any = plan.method
            result = method(source, **kwargs) if plan.takes_self else method(**kwargs)
            if self.is_awaitable(result):
                return self.complete_awaitable_value(field.type, details, info, path, result, None)
            completed = self.complete_value(field.type, details, info, path, result, None)
        except Exception as raw_error:
            self.handle_field_error(raw_error, field.type, details, path)
            return None
        return self._settled(completed, field.type, details, path)

    def _items(
        self,
        plan: FieldPlan,
        parent_type: GraphQLObjectType,
        items: Sequence[Any],
        details: FieldDetailsList,
        nodes: list[FieldNode],
        path: Path,
    ) -> Any:
        """graphql-core's `complete_iterable_value` for a list of plain objects or leaves; an
        item that is null, an exception or awaitable is completed by graphql-core."""
        item_type: GraphQLOutputType = plan.item_type  # type: ignore[assignment]
        item_object, item_class = plan.item_object, plan.item_class
        selection = self._subselection(item_object, details) if item_object else None
        is_awaitable = self.is_awaitable
        completed: list[Any] = []
        awaitable_indices: list[int] = []
        info: GraphQLResolveInfo | None = None
        index = -1
        try:
            for index, item in enumerate(items):
                item_path = path.add_key(index, None)
                if (
                    item is None
                    or not self._plain(item)
                    or (item_class is not None and not fits(item_class, item))
                ):
                    if info is None:
                        field: GraphQLField = plan.field  # type: ignore[assignment]
                        info = self.build_resolve_info(field, nodes, parent_type, path)
                    if is_awaitable(item):
                        completed.append(
                            self.complete_awaitable_list_item_value(
                                item, item_type, details, info, item_path, None
                            )
                        )
                        awaitable_indices.append(index)
                    elif self.complete_list_item_value(
                        item, completed, item_type, details, info, item_path, None
                    ):
                        awaitable_indices.append(index)
                    continue
                try:
                    if item_object is None:
                        value = self.complete_leaf_value(plan.item_leaf, item)  # type: ignore[arg-type]
                    else:
                        if selection is not None:
                            value = self._execute_selection(item_object, item, item_path, selection)
                        else:
                            value = self._object(item_object, details, item_path, item)
                        if is_awaitable(value):
                            value = self._settled(value, item_type, details, item_path)
                            awaitable_indices.append(index)
                except Exception as raw_error:
                    self.handle_field_error(raw_error, item_type, details, item_path)
                    value = None
                completed.append(value)
        except Exception:
            pending = [completed[i] for i in awaitable_indices]
            pending.extend(item for item in items[index + 1 :] if is_awaitable(item))
            if pending:
                self.settle_in_background(pending)
            raise
        if not awaitable_indices:
            return completed

        async def get_completed() -> list[Any]:
            awaited = await gather_with_cancel(*(completed[i] for i in awaitable_indices))
            for i, value in zip(awaitable_indices, awaited, strict=True):
                completed[i] = value
            return completed

        return get_completed()

    def _object(
        self, object_type: GraphQLObjectType, details: FieldDetailsList, path: Path, value: Any
    ) -> Any:
        """graphql-core's `collect_and_execute_subfields` outside incremental delivery."""
        selection = self._subselection(object_type, details)
        if selection is not None:
            return self._execute_selection(object_type, value, path, selection)
        return self.collect_and_execute_subfields(object_type, details, path, value, None)

    def _subselection(
        self, object_type: GraphQLObjectType, details: FieldDetailsList
    ) -> Selection | None:
        """The plans of the fields selected on `object_type` objects under `details`; `None`
        with `@defer`red fragments, which graphql-core's incremental delivery handles."""
        key = (object_type, id(details))
        cached = self._subselections.get(key)
        if cached is None:
            grouped_field_set, defer_usages, _ = self.collect_subfields(object_type, details)
            selection = None if defer_usages else self._selection(object_type, grouped_field_set)
            # Holding `details` keeps its id from being reused during the operation.
            cached = self._subselections[key] = (details, selection)
        return cached[1]

    def complete_value(
        self,
        return_type: GraphQLOutputType,
        field_details_list: FieldDetailsList,
        info: GraphQLResolveInfo,
        path: Path,
        result: Any,
        position_context: Any,
    ) -> Any:
        """Plain objects and leaves without graphql-core's chain of type checks."""
        if result is None or result is Undefined or not self._plain(result):
            return super().complete_value(
                return_type, field_details_list, info, path, result, position_context
            )
        if isinstance(return_type, GraphQLNonNull):
            return_type = return_type.of_type  # completing a value that is not null gives one
        type_class = type(return_type)
        if type_class is GraphQLObjectType and completes(return_type, result):  # type: ignore[arg-type]
            if position_context is None:
                return self._object(return_type, field_details_list, path, result)  # type: ignore[arg-type]
            return self.collect_and_execute_subfields(
                return_type,  # type: ignore[arg-type]
                field_details_list,
                path,
                result,
                position_context,
            )
        if type_class in _LEAF_TYPES:
            return self.complete_leaf_value(return_type, result)  # type: ignore[arg-type]
        return super().complete_value(
            return_type, field_details_list, info, path, result, position_context
        )

    def _plain(self, value: Any) -> bool:
        """Neither an exception nor awaitable (those take graphql-core's path)."""
        value_class = type(value)
        if value_class in _PLAIN_CLASSES:
            return True
        if isinstance(value, Exception) or self.is_awaitable(value):
            return False
        if not issubclass(value_class, _AWAITABLE_CLASSES) and not hasattr(
            value_class, "__await__"
        ):
            _PLAIN_CLASSES.add(value_class)
        return True

    def _settled(
        self, completed: Any, return_type: GraphQLOutputType, details: FieldDetailsList, path: Path
    ) -> Any:
        """As in graphql-core: an error while awaiting a completion belongs to `path`."""
        if type(completed) is dict or not self.is_awaitable(completed):
            return completed

        async def await_completed(completed: Awaitable[Any]) -> Any:
            try:
                return await completed
            except Exception as raw_error:
                self.handle_field_error(raw_error, return_type, details, path)
                return None

        return await_completed(completed)
