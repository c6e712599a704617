"""A graphql-core executor that completes plain attribute fields without the per-field
machinery, and returns exactly what graphql-core's own executor returns.

Most of a large page is plain fields: `Event.title`, `PartialDate.iso`, the `nodes` of a
connection. For each of them graphql-core builds a GraphQLResolveInfo and a Path, calls
Strawberry's resolver wrapper (which calls `getattr`), and walks `complete_value`'s type
checks: several µs a field, most of a 100-event page's time. Here each selection set is
planned once per request, one step per response key, with the selection sets of the
objects and lists of objects it holds nested in its plan, and compiled (once per process,
per shape of that tree) into one function that does the steps in order:

- a field with Strawberry's default resolver reads the attribute; a str, bool, in-range
  int, finite float or known enum member is stored as it is; an object, or a list of
  objects, of its exact Strawberry class is completed inline, in the same function;
- a field marked `linked` (schema.common) reads the store's links (resolvers.links)
  without an Info; its objects are completed inline too;
- a resolver that takes no GraphQL arguments is called as Strawberry would call it (the
  same Info), without Strawberry's argument conversion and wrapper layers;
- everything else (arguments, interfaces and unions, middleware) goes through graphql-core's
  own `execute_field`, unchanged.

As it builds the data the executor also counts at least what json_size_over would measure
of it (`bytes`), so that schema.budget walks a result only when that count is over the
response limit.

The fast path only ever handles the success case. Whenever a value is not what the
common case expects (None for a non-null type, a leaf the shortcut cannot coerce, an
object `is_type_of` rejects) it hands the field back to `execute_field` *before anything
has been recorded*, so graphql-core produces the error, its message and its path itself.
Errors raised further down (a nested resolver failing, null propagation) are handled by
the same `handle_field_error` calls, at the same positions, as graphql-core makes them.
tests/perf/test_differential.py checks the two executors agree, byte for byte.

Three modules: schema.execution_plan decides what each field gets (every probe of
Strawberry's and graphql-core's internals lives there), schema.execution_compile turns a
tree of selection sets' plans into a function, and this one is the execution context that
runs it.
Resolvers run synchronously (schema.budget runs the operation on a thread): there is no
async or @defer path, and an awaitable where a value should be is an error, not a
fallback.
"""

from __future__ import annotations

import sys
from math import isfinite
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLFloat,
    GraphQLInt,
    GraphQLObjectType,
    GraphQLOutputType,
)
from graphql.execution.collect_fields import FieldDetailsList, GroupedFieldSet
from graphql.execution.executor import to_nodes
from graphql.pyutils import Path, Undefined
from graphql.type.introspection import TypeNameMetaFieldDef
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from resolvers.links import Links, links
from schema.budget import json_size
from schema.execution_compile import FAILED, MAX_INLINED, Selection, compiled, flat_steps
from schema.execution_plan import (
    LEAF,
    LEAF_LIST,
    LINK,
    MAX_INT,
    MIN_INT,
    MISSING,
    OBJECT,
    OBJECT_LIST,
    PLAIN,
    RESOLVER,
    STANDARD,
    TYPENAME,
    Resolver,
    Shape,
    Step,
    enum_names,
    field_plan,
    inert,
    middleware_free,
    origin,
    shared_plans,
)

MAX_REMEMBERED = 100_000  # link values kept per link and store


class _Fallback(Exception):
    """The value is not the common case: let graphql-core complete it."""


def _synchronous(value: Any) -> Any:
    raise TypeError(
        f"a resolver returned an awaitable ({type(value).__name__}); the executor runs "
        "resolvers synchronously (schema/execution_plan.py refuses async resolvers)"
    )


class FastExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's executor, with plain fields and simple resolvers completed in place."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fast = middleware_free(self.middleware_manager)
        self._plans: dict[int, tuple[GroupedFieldSet, GraphQLObjectType, list[Step], Any]] = {}
        # Values completed so far, and how many may be (schema.budget.Bounded sets both).
        self.values = 0
        self.limit = sys.maxsize
        # At least what the data's JSON would take, by schema.budget.json_size_over's
        # measure: each object is counted where it is built, every other value where it
        # is stored (json_size). A subtree later nulled stays counted: never less.
        self.bytes = 0
        self.links = self._links(getattr(self.context_value, "repository", None))

    @staticmethod
    def _links(repository: Any) -> Links | None:
        """The store's links, for the inline code's link reads; None (every link field
        then calls its resolver, which reports the failure per field) if they cannot be
        built."""
        if repository is None:
            return None
        try:
            return links(repository)
        except Exception:
            return None

    @staticmethod
    def _remember(memo: dict[int, tuple[Any, Any]], source: Any, value: Any) -> None:
        """Keep what a link gave for `source` (and `source`, so that its id is not reused
        while the entry lives). Links are read from objects built once per record, so this
        holds one entry per record; the bound is for objects that are not."""
        if len(memo) >= MAX_REMEMBERED:
            memo.clear()
        memo[id(source)] = (source, value)

    def count(self, values: int) -> None:
        """Called with the values a list is about to complete (and with 0 once the count
        has passed the limit); schema.budget.Bounded checks its limits here."""
        self.values += values

    def _plan(
        self, parent_type: GraphQLObjectType, fields: GroupedFieldSet
    ) -> tuple[list[Step], Any]:
        cached = self._plans.get(id(fields))
        if cached is not None and cached[0] is fields and cached[1] is parent_type:
            return cached[2], cached[3]
        shared = shared_plans(self.operation, self.fragments.values())
        key = self._shared_key(parent_type, fields) if shared is not None else None
        plan = shared.get(key) if shared is not None and key is not None else None
        if plan is not None:
            steps, run = plan[1], plan[2]
        else:
            selection = self._selection(parent_type, fields, [MAX_INLINED])
            run = compiled(selection)
            steps = list(flat_steps(selection))
            if shared is not None and key is not None:
                # The entry keeps the fields (their nodes) and the type alive, so that the
                # ids in its key cannot be reused while it exists.
                shared[key] = ((fields, parent_type), steps, run)
        self._plans[id(fields)] = (fields, parent_type, steps, run)
        return steps, run

    def _shared_key(
        self, parent_type: GraphQLObjectType, fields: GroupedFieldSet
    ) -> tuple[Any, ...] | None:
        """What a plan depends on within one operation: the type, the field nodes of each
        response key, and whether the fast path and the links are there."""
        key: list[Any] = [id(parent_type), self.fast, self.links is not None]
        for name, details in fields.items():
            key.append(name)
            for found in details:
                if found.defer_usage is not None or found.fragment_variable_values is not None:
                    return None
                key.append(id(found.node))
        return tuple(key)

    def _selection(
        self, parent_type: GraphQLObjectType, fields: GroupedFieldSet, budget: list[int]
    ) -> Selection:
        """The plan of a selection set, with the selection sets of its objects inlined
        while `budget` (steps left for one function) lasts."""
        strawberry_schema = getattr(self.schema, "_strawberry_schema", None)
        steps: list[Step] = []
        for response_name, details in fields.items():
            field = self.schema.get_field(parent_type, details[0].node.name.value)
            if field is None:
                continue  # execute_field would return Undefined: the key is left out
            if field is TypeNameMetaFieldDef and self.fast:
                steps.append((response_name, details, TYPENAME, field, "", None, None))
                continue
            if self.fast:
                kind, attribute, shape, resolver = field_plan(field, strawberry_schema)
            else:
                kind, attribute, shape, resolver = STANDARD, "", None, None
            steps.append((response_name, details, kind, field, attribute, shape, resolver))
        budget[0] -= len(steps)
        inlined: list[type | None] = []
        children: list[Selection | None] = []
        for i, (_, details, kind, _, _, shape, _) in enumerate(steps):
            cls = None
            if kind in (PLAIN, RESOLVER, LINK) and shape is not None and shape.kind != LEAF:
                cls = origin(shape.named) if shape.kind in (OBJECT, OBJECT_LIST) else None
            if cls is None or budget[0] <= 0 or (kind == LINK and self.links is None):
                if kind == LINK:  # only inline code calls a link; elsewhere, the resolver
                    steps[i] = (*steps[i][:2], RESOLVER, *steps[i][3:])
                inlined.append(None)
                children.append(None)
                continue
            child_fields = self.collect_subfields(shape.named, details)[0]  # type: ignore[union-attr]
            inlined.append(cls)
            children.append(self._selection(shape.named, child_fields, budget))  # type: ignore[union-attr]
        return Selection(parent_type, steps, inlined, children)

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        grouped_field_set: GroupedFieldSet,
        position_context: Any,
    ) -> Any:
        # No @defer or @stream in the schema: graphql-core never passes a position.
        assert position_context is None, "incremental delivery is not supported"
        results: dict[str, Any] = {}
        steps, run = self._plan(parent_type, grouped_field_set)
        run(self, source_value, path, steps, results)
        return results

    def _execute(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        details: FieldDetailsList,
        field: GraphQLField,
        attribute: str,
        shape: Shape | None,
        resolver: Resolver | None,
        path: Path,
    ) -> Any:
        """execute_field for a plain attribute or a simple resolver: the same calls, the
        same error handling, with the value completed in place when it can be."""
        return_type = field.type
        info = None
        try:
            if resolver is None:  # a plain attribute: what Strawberry's default resolver does
                result = getattr(source, attribute)
            else:
                info = self.build_resolve_info(field, to_nodes(details), parent_type, path)
                result = self._call(resolver, source, info)
            completed = self._completed(parent_type, field, details, shape, path, result, info)
            self.bytes += json_size(completed)
            return completed
        except Exception as raw_error:
            self.handle_field_error(raw_error, return_type, details, path)
            return None

    @staticmethod
    def _call(resolver: Resolver, source: Any, info: Any) -> Any:
        """Call a resolver as Strawberry would, with the same Info."""
        args = (source,) if resolver.self_source else ()
        kwargs = dict.fromkeys(resolver.source_names, source)
        if resolver.info_name is not None:
            kwargs[resolver.info_name] = resolver.info_class(
                _raw_info=info, _field=resolver.definition
            )
        return resolver.call(*args, **kwargs)

    def _completed(
        self,
        parent_type: GraphQLObjectType,
        field: GraphQLField,
        details: FieldDetailsList,
        shape: Shape | None,
        path: Path,
        result: Any,
        info: Any,
    ) -> Any:
        try:
            if shape is None:
                raise _Fallback
            return self._complete(shape, details, path, result)
        except _Fallback:
            if info is None:
                info = self.build_resolve_info(field, to_nodes(details), parent_type, path)
            return self.complete_value(field.type, details, info, path, result, None)

    def _resolve(self, parent_type: GraphQLObjectType, source: Any, step: Step, path: Path) -> Any:
        """A simple resolver's value, for its completion inline; FAILED (its error
        recorded) if it raised."""
        _, details, _, field, _, _, resolver = step
        assert resolver is not None
        try:
            info = self.build_resolve_info(field, to_nodes(details), parent_type, path)
            return self._call(resolver, source, info)
        except Exception as raw_error:
            self.handle_field_error(raw_error, field.type, details, path)
            return FAILED

    def _finish(self, parent_type: GraphQLObjectType, step: Step, path: Path, result: Any) -> Any:
        """Complete a resolved value the inline code did not expect, as _execute would."""
        _, details, _, field, _, shape, _ = step
        try:
            completed = self._completed(parent_type, field, details, shape, path, result, None)
            self.bytes += json_size(completed)
            return completed
        except Exception as raw_error:
            self.handle_field_error(raw_error, field.type, details, path)
            return None

    # -- what the compiled steps call when a value is not the common case ------------

    def _slow_leaf(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        path: Path | None,
        step: Step,
        value: Any,
        results: dict[str, Any],
    ) -> None:
        name, details, _, _, _, shape, _ = step
        assert shape is not None
        if value is None and shape.nullable:
            results[name] = None
            return
        try:
            results[name] = leaf = self._leaf(shape.named, value)
            self.bytes += json_size(leaf)
            return
        except _Fallback:
            pass
        result = self.execute_field(
            parent_type, source, details, Path(path, name, parent_type.name), None
        )
        self._store(name, result, results)

    def _store(self, name: str, result: Any, results: dict[str, Any]) -> None:
        if result is not Undefined:
            if not inert(result) and self.is_awaitable(result):
                _synchronous(result)
            results[name] = result
            self.bytes += json_size(result)

    # -- completing values: complete_value's common cases ---------------------------

    def _leaf(self, leaf_type: Any, value: Any) -> Any:
        """complete_leaf_value for a non-null value, or _Fallback to let it report."""
        kind = type(value)
        if kind is int and leaf_type is GraphQLInt and MIN_INT <= value <= MAX_INT:
            return value
        if kind is float and leaf_type is GraphQLFloat and isfinite(value):
            return value
        if value is MISSING or value is None or isinstance(value, Exception):
            raise _Fallback  # graphql-core raises the exception, or reports the null
        if self.is_awaitable(value):
            _synchronous(value)
        wrapped = getattr(leaf_type, "wrapped_cls", None)
        if isinstance(leaf_type, GraphQLEnumType) and kind is wrapped:
            names = enum_names(leaf_type)
            name = names.get(id(value), MISSING)
            if name is MISSING:
                name = names[id(value)] = self._coerce(leaf_type, value)
            return name
        return self._coerce(leaf_type, value)

    @staticmethod
    def _coerce(leaf_type: Any, value: Any) -> Any:
        try:
            coerced = leaf_type.coerce_output_value(value)
        except Exception:
            raise _Fallback from None  # graphql-core reports it
        if coerced is None or coerced is Undefined:
            raise _Fallback
        return coerced

    def _complete(self, shape: Shape, details: FieldDetailsList, path: Path, value: Any) -> Any:
        """complete_value for a resolved value; raises _Fallback only before anything
        (a nested field, an error) has run."""
        if value is None:
            if shape.nullable:
                return None
            raise _Fallback  # graphql-core raises "Cannot return null ..."
        kind = shape.kind
        if kind == LEAF:
            if type(value) is shape.identity:
                return value
            return self._leaf(shape.named, value)
        if not inert(value):
            if self.is_awaitable(value):
                _synchronous(value)
            if isinstance(value, Exception):
                raise _Fallback
        if kind == OBJECT:
            is_type_of = shape.named.is_type_of
            if is_type_of is not None and not is_type_of(value, None):
                raise _Fallback
            return self._sub_object(shape.named, details, path, value)
        if type(value) is not list and type(value) is not tuple:
            raise _Fallback
        if kind == LEAF_LIST:
            identity = shape.identity
            out = []
            for item in value:
                if type(item) is identity:
                    out.append(item)
                elif item is None and shape.item_nullable:
                    out.append(None)
                else:
                    out.append(self._leaf(shape.named, item))
            return out
        # A list of objects: check every item first, so nothing runs before a fallback.
        is_type_of = shape.named.is_type_of
        for item in value:
            if item is None:
                if not shape.item_nullable:
                    raise _Fallback
            elif (not inert(item) and isinstance(item, Exception)) or (
                is_type_of is not None and not is_type_of(item, None)
            ):
                raise _Fallback
        return self._object_list(shape, details, path, value)

    def _sub_object(
        self, object_type: GraphQLObjectType, details: FieldDetailsList, path: Path, value: Any
    ) -> Any:
        grouped_field_set = self.collect_subfields(object_type, details)[0]
        return self.execute_fields(object_type, value, path, grouped_field_set, None)

    def _object_list(
        self,
        shape: Shape,
        details: FieldDetailsList,
        path: Path,
        items: list[Any] | tuple[Any, ...],
    ) -> list[Any]:
        """complete_iterable_value for a list of objects the caller has checked."""
        item_type: GraphQLOutputType | None = shape.item_type
        assert item_type is not None
        object_type: GraphQLObjectType = shape.named
        completed_results: list[Any] = []
        # The same selection for every item: collected once (graphql-core memoises it too).
        grouped_field_set = self.collect_subfields(object_type, details)[0]
        execute_fields = self.execute_fields
        for index, item in enumerate(items):
            if item is None:
                completed_results.append(None)
                continue
            item_path = Path(path, index, None)
            try:
                completed = execute_fields(object_type, item, item_path, grouped_field_set, None)
            except Exception as raw_error:
                self.handle_field_error(raw_error, item_type, details, item_path)
                completed = None
            completed_results.append(completed)
        return completed_results
