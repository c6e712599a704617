"""A graphql-core executor that completes plain attribute fields without the per-field
machinery, and returns exactly what graphql-core's own executor returns.

Most of a large page is plain fields: `Event.title`, `PartialDate.iso`, the `nodes` of a
connection. For each of them graphql-core builds a GraphQLResolveInfo and a Path, calls
Strawberry's resolver wrapper (which calls `getattr`), and walks `complete_value`'s type
checks: several µs a field, most of a 100-event page's time. Here each selection set is
planned once per request, one step per response key, and compiled (once per process, per
shape of selection set) into a function that does the steps in order:

- a field with Strawberry's default resolver reads the attribute; a str, bool, in-range
  int, finite float or known enum member is stored as it is, an object of its exact
  Strawberry class is completed in place;
- a resolver that takes no GraphQL arguments is called as Strawberry would call it (the
  same Info), without Strawberry's argument conversion and wrapper layers;
- everything else (arguments, interfaces and unions, middleware) goes through graphql-core's
  own `execute_field`, unchanged.

The fast path only ever handles the success case. Whenever a value is not what the
common case expects (None for a non-null type, a leaf the shortcut cannot coerce, an
object `is_type_of` rejects) it hands the field back to `execute_field` *before anything
has been recorded*, so graphql-core produces the error, its message and its path itself.
Errors raised further down (a nested resolver failing, null propagation) are handled by
the same `handle_field_error` calls, at the same positions, as graphql-core makes them.
tests/perf/test_differential.py checks the two executors agree, byte for byte.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from math import isfinite
from typing import Any, NamedTuple

from graphql import (
    GraphQLBoolean,
    GraphQLEnumType,
    GraphQLField,
    GraphQLFloat,
    GraphQLID,
    GraphQLInt,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLString,
    is_leaf_type,
)
from graphql.execution.collect_fields import FieldDetailsList, GroupedFieldSet
from graphql.execution.executor import to_nodes
from graphql.pyutils import Path, Undefined, gather_with_cancel
from graphql.type.introspection import TypeNameMetaFieldDef
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

DEFINITION = "strawberry-definition"  # GraphQLCoreConverter.DEFINITION_BACKREF

# Step kinds.
_TYPENAME = 0  # __typename: the parent's name
_LEAF = 1  # a plain attribute of a scalar or enum type
_PLAIN = 2  # a plain attribute of an object type, or a list of objects or leaves
_RESOLVER = 3  # a Strawberry resolver taking no arguments but self, info, root or parent
_STANDARD = 4  # anything else: graphql-core's execute_field

_MISSING = object()
_MIN_INT, _MAX_INT = -(2**31), 2**31 - 1


class _Fallback(Exception):
    """The value is not the common case: let graphql-core complete it."""


class _Shape(NamedTuple):
    """How to complete values of a field's type, when the fast path can."""

    kind: int  # _LEAF, _OBJECT, _LEAF_LIST or _OBJECT_LIST
    nullable: bool  # the field's own type may be null
    item_type: GraphQLOutputType | None  # for lists: the item type, as declared
    item_nullable: bool
    named: Any  # the leaf or object type at the bottom
    identity: type | None  # for leaves: values of exactly this type complete to themselves


_OBJECT, _LEAF_LIST, _OBJECT_LIST = 10, 11, 12


class _Resolver(NamedTuple):
    """What graphql-core and Strawberry would do to call a resolver without arguments."""

    call: Callable[..., Any]
    self_source: bool  # pass the source as the first positional argument
    source_names: tuple[str, ...]  # keyword arguments that receive the source
    info_name: str | None  # the keyword argument that receives Strawberry's Info
    definition: Any  # the StrawberryField
    info_class: Any


# (response name, field nodes, kind, field definition, attribute, shape, resolver)
_Step = tuple[str, FieldDetailsList, int, GraphQLField, str, "_Shape | None", "_Resolver | None"]

_IDENTITY: dict[Any, type] = {GraphQLString: str, GraphQLID: str, GraphQLBoolean: bool}

# Types whose values are never awaitable and never exceptions, so graphql-core's checks
# for those can be skipped: plain data, and Strawberry's object types (dataclasses that
# define no __await__). Filled per type on first sight.
_INERT: dict[type, bool] = dict.fromkeys(
    (type(None), bool, int, float, str, list, tuple, dict), True
)


def _inert_type(kind: type) -> bool:
    known = _INERT.get(kind)
    if known is None:
        known = _INERT[kind] = (
            hasattr(kind, "__strawberry_definition__")
            and not hasattr(kind, "__await__")
            and not issubclass(kind, BaseException)
            and getattr(kind, "__getattribute__", None) is object.__getattribute__
            and not hasattr(kind, "__getattr__")
        )
    return known


def _inert(value: Any) -> bool:
    return _inert_type(type(value))


# Strawberry's own `is_type_of` (an isinstance test that ignores `info`); any other
# `is_type_of` may read `info`, so its fields take graphql-core's path.
_STRAWBERRY_IS_TYPE_OF = "GraphQLCoreConverter.from_object.<locals>._get_is_type_of.<locals>."


def _safe_is_type_of(object_type: GraphQLObjectType) -> bool:
    check = object_type.is_type_of
    return check is None or (
        getattr(check, "__module__", "") == "strawberry.schema.schema_converter"
        and getattr(check, "__qualname__", "").startswith(_STRAWBERRY_IS_TYPE_OF)
    )


def _unwrap(type_: GraphQLOutputType) -> tuple[bool, GraphQLOutputType]:
    if isinstance(type_, GraphQLNonNull):
        return False, type_.of_type
    return True, type_


def _shape(type_: GraphQLOutputType) -> _Shape | None:
    """The shape of a field's type when the fast path can complete it, else None."""
    nullable, inner = _unwrap(type_)
    if is_leaf_type(inner):
        return _Shape(_LEAF, nullable, None, False, inner, _IDENTITY.get(inner))
    if isinstance(inner, GraphQLObjectType):
        if not _safe_is_type_of(inner):
            return None
        return _Shape(_OBJECT, nullable, None, False, inner, None)
    if isinstance(inner, GraphQLList):
        item_nullable, item = _unwrap(inner.of_type)
        if is_leaf_type(item):
            kind, identity = _LEAF_LIST, _IDENTITY.get(item)
        elif isinstance(item, GraphQLObjectType) and _safe_is_type_of(item):
            kind, identity = _OBJECT_LIST, None
        else:
            return None  # lists of lists, of interfaces, of unions
        return _Shape(kind, nullable, inner.of_type, item_nullable, item, identity)
    return None  # interfaces and unions resolve their type with `info`


def _plain_attribute(field: GraphQLField) -> str | None:
    """The attribute a field reads, if its resolver is Strawberry's default (getattr)."""
    resolve = field.resolve
    if resolve is None or not getattr(resolve, "_is_default", False) or field.args:
        return None
    definition = (field.extensions or {}).get(DEFINITION)
    if definition is None or getattr(definition, "default_resolver", None) is not getattr:
        return None
    name = getattr(definition, "python_name", None)
    return name if isinstance(name, str) else None


def _simple_resolver(field: GraphQLField, strawberry_schema: Any) -> _Resolver | None:
    """How Strawberry calls this field's resolver, when it takes no GraphQL arguments and
    nothing (extensions, permissions, exception handlers, async) wraps the call."""
    definition: Any = (field.extensions or {}).get(DEFINITION)
    resolver = getattr(definition, "base_resolver", None)
    if field.args or field.resolve is None or resolver is None or strawberry_schema is None:
        return None
    converter = strawberry_schema.schema_converter
    if definition.extensions or definition.is_async or definition.arguments:
        return None
    if converter._get_field_exception_handlers(definition):
        return None
    sources = tuple(p.name for p in (resolver.parent_parameter, resolver.root_parameter) if p)
    info = resolver.info_parameter
    return _Resolver(
        resolver,
        resolver.self_parameter is not None,
        sources,
        info.name if info is not None else None,
        definition,
        strawberry_schema.config.info_class,
    )


# Per field definition, computed once per process: (field, kind, attribute, shape,
# resolver). Keyed by id(); the stored field keeps the id from being reused.
_FIELD_PLANS: dict[int, tuple[GraphQLField, int, str, _Shape | None, _Resolver | None]] = {}


def _field_plan(
    field: GraphQLField, strawberry_schema: Any
) -> tuple[int, str, _Shape | None, _Resolver | None]:
    cached = _FIELD_PLANS.get(id(field))
    if cached is None or cached[0] is not field:
        attribute = _plain_attribute(field)
        resolver = None if attribute is not None else _simple_resolver(field, strawberry_schema)
        shape = _shape(field.type)
        if attribute is not None and shape is not None:
            kind = _LEAF if shape.kind == _LEAF else _PLAIN
        elif resolver is not None:
            kind = _RESOLVER
        else:
            kind = _STANDARD
        cached = (field, kind, attribute or "", shape, resolver)
        _FIELD_PLANS[id(field)] = cached
    return cached[1:]


# Enum GraphQL type -> {member of its Python enum: the name graphql-core outputs}.
_ENUM_NAMES: dict[int, tuple[GraphQLEnumType, dict[Any, Any]]] = {}


def _enum_names(enum_type: GraphQLEnumType) -> dict[Any, Any]:
    cached = _ENUM_NAMES.get(id(enum_type))
    if cached is None or cached[0] is not enum_type:
        cached = _ENUM_NAMES[id(enum_type)] = (enum_type, {})
    return cached[1]


def _origin(object_type: Any) -> type | None:
    """The Python class of a Strawberry object type, if its values are never awaitable."""
    definition = (object_type.extensions or {}).get(DEFINITION)
    origin = getattr(definition, "origin", None)
    return origin if isinstance(origin, type) and _inert_type(origin) else None


# Compiled selection sets, by their shape: (parent type, and per step its response name,
# kind, field, attribute, shape and resolver). All of these live as long as the schema;
# the value keeps them, so their ids cannot be reused while an entry exists.
_COMPILED: dict[tuple[Any, ...], tuple[Any, Callable[..., None]]] = {}
_MAX_COMPILED = 4096
# And by the lines of code they hold (code objects of a few hundred bytes each): distinct
# documents of 250 fields each would otherwise keep hundreds of megabytes compiled.
_MAX_COMPILED_LINES = 50_000  # about 16 MB, measured at some 330 bytes a line
_compiled_lines = 0


def _compiled(parent_type: GraphQLObjectType, steps: list[_Step]) -> Callable[..., None]:
    """A function doing, for these steps, what execute_fields' loop would do.

    Each step becomes a few statements: plain leaves are read and stored inline; objects
    of an exact Strawberry class are completed inline; everything else calls the same
    methods the loop would. Generated once per shape of selection set, not per request.
    """
    key = (id(parent_type), *((s[0], s[2], id(s[3]), s[4], id(s[5]), id(s[6])) for s in steps))
    cached = _COMPILED.get(key)
    if cached is not None:
        return cached[1]
    namespace: dict[str, Any] = {
        "_MISSING": _MISSING,
        "Path": Path,
        "_inert": _inert,
        "PT": parent_type,
        "TN": parent_type.name,
    }
    lines = ["def run(self, source, path, S, results, aw):"]
    for i, (name, _, kind, field, attribute, shape, resolver) in enumerate(steps):
        namespace.update({f"F{i}": field, f"SH{i}": shape, f"R{i}": resolver})
        k, a = repr(name), repr(attribute)
        slow = f"self._slow_leaf(PT, source, path, S[{i}], v, results, aw)"
        if kind == _TYPENAME:
            lines.append(f"    results[{k}] = TN")
        elif kind == _LEAF:
            assert shape is not None
            lines.append(f"    v = getattr(source, {a}, _MISSING)")
            named = shape.named
            wrapped = getattr(named, "wrapped_cls", None)
            if shape.identity is not None:
                namespace[f"I{i}"] = shape.identity
                test = f"type(v) is I{i}"
            elif named is GraphQLInt:
                test = f"type(v) is int and {_MIN_INT} <= v <= {_MAX_INT}"
            elif named is GraphQLFloat:
                test = "type(v) is float and v - v == 0.0"  # finite: not inf, not nan
            elif isinstance(named, GraphQLEnumType) and isinstance(wrapped, type):
                namespace.update({f"C{i}": wrapped, f"E{i}": _enum_names(named)})
                lines.append(
                    f"    if type(v) is C{i} and (n := E{i}.get(v, _MISSING)) is not _MISSING:"
                )
                lines.append(f"        results[{k}] = n")
                lines.append(f"    else: {slow}")
                continue
            else:
                lines.append(f"    {slow}")
                continue
            lines.append(f"    if {test}: results[{k}] = v")
            lines.append(f"    else: {slow}")
        elif kind == _STANDARD:
            lines.append(
                f"    self._store({k}, self.execute_field(PT, source, S[{i}][1], "
                f"Path(path, {k}, TN), None), results, aw)"
            )
        else:
            execute = (
                f"self._execute(PT, source, S[{i}][1], F{i}, {a}, SH{i}, R{i}, Path(path, {k}, TN))"
            )
            origin = _origin(shape.named) if shape is not None and shape.kind == _OBJECT else None
            if kind == _PLAIN and origin is not None:
                assert shape is not None
                namespace.update(
                    {f"O{i}": origin, f"T{i}": shape.named, f"ITO{i}": shape.named.is_type_of}
                )
                lines.append(f"    v = getattr(source, {a}, _MISSING)")
                if shape.nullable:
                    lines.append(f"    if v is None: results[{k}] = None")
                    lines.append(
                        f"    elif type(v) is O{i} and (ITO{i} is None or ITO{i}(v, None)):"
                    )
                else:
                    lines.append(f"    if type(v) is O{i} and (ITO{i} is None or ITO{i}(v, None)):")
                lines += [
                    f"        p = Path(path, {k}, TN)",
                    "        try:",
                    f"            r = self._sub_object(T{i}, S[{i}][1], p, v)",
                    "        except Exception as error:",
                    f"            self.handle_field_error(error, F{i}.type, S[{i}][1], p)",
                    "            r = None",
                    "        if type(r) is dict or r is None:",
                    f"            results[{k}] = r",
                    "        else:",
                    f"            self._store({k}, self._awaited(r, F{i}.type, S[{i}][1], p), "
                    "results, aw)",
                    "    else:",
                    f"        r = {execute}",
                    f"        results[{k}] = r",
                    "        if not _inert(r) and self.is_awaitable(r):",
                    f"            aw.append({k})",
                ]
            else:
                lines += [
                    f"    r = {execute}",
                    f"    results[{k}] = r",
                    "    if type(r) is not list and type(r) is not dict and not _inert(r) "
                    "and self.is_awaitable(r):",
                    f"        aw.append({k})",
                ]
    if len(lines) == 1:
        lines.append("    pass")
    exec(compile("\n".join(lines), f"<selection on {parent_type.name}>", "exec"), namespace)
    function: Callable[..., None] = namespace["run"]
    global _compiled_lines
    if len(_COMPILED) >= _MAX_COMPILED or _compiled_lines + len(lines) > _MAX_COMPILED_LINES:
        _COMPILED.clear()
        _compiled_lines = 0
    _COMPILED[key] = (key, function)
    _compiled_lines += len(lines)
    return function


class FastExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's executor, with plain fields and simple resolvers completed in place."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        manager = self.middleware_manager
        # Middleware wraps every resolver, the default ones included: then every field
        # must go through execute_field.
        self._fast = manager is None or getattr(manager, "_middleware_resolvers", 1) is None
        self._plans: dict[
            int, tuple[GroupedFieldSet, GraphQLObjectType, list[_Step], Callable[..., None]]
        ] = {}

    def _plan(
        self, parent_type: GraphQLObjectType, fields: GroupedFieldSet
    ) -> tuple[list[_Step], Callable[..., None]]:
        """The steps for a selection set on a type, and their compiled function."""
        cached = self._plans.get(id(fields))
        if cached is not None and cached[0] is fields and cached[1] is parent_type:
            return cached[2], cached[3]
        strawberry_schema = getattr(self.schema, "_strawberry_schema", None)
        steps: list[_Step] = []
        for response_name, details in fields.items():
            field = self.schema.get_field(parent_type, details[0].node.name.value)
            if field is None:
                continue  # execute_field would return Undefined: the key is left out
            if field is TypeNameMetaFieldDef and self._fast:
                steps.append((response_name, details, _TYPENAME, field, "", None, None))
                continue
            kind, attribute, shape, resolver = (
                _field_plan(field, strawberry_schema) if self._fast else (_STANDARD, "", None, None)
            )
            steps.append((response_name, details, kind, field, attribute, shape, resolver))
        run = _compiled(parent_type, steps)
        self._plans[id(fields)] = (fields, parent_type, steps, run)
        return steps, run

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        grouped_field_set: GroupedFieldSet,
        position_context: Any,
    ) -> Any:
        if position_context is not None:  # incremental delivery: not ours to optimise
            return super().execute_fields(
                parent_type, source_value, path, grouped_field_set, position_context
            )
        results: dict[str, Any] = {}
        awaitable_fields: list[str] = []
        steps, run = self._plan(parent_type, grouped_field_set)
        try:
            run(self, source_value, path, steps, results, awaitable_fields)
        except Exception:
            if awaitable_fields:
                self.settle_in_background([results[f] for f in awaitable_fields])
            raise

        if not awaitable_fields:
            return results

        async def get_results() -> dict[str, Any]:  # as graphql-core's execute_fields
            if len(awaitable_fields) == 1:
                field = awaitable_fields[0]
                results[field] = await results[field]
            else:
                awaited = await gather_with_cancel(*(results[f] for f in awaitable_fields))
                results.update(zip(awaitable_fields, awaited, strict=True))
            return results

        return get_results()

    def _execute(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        details: FieldDetailsList,
        field: GraphQLField,
        attribute: str,
        shape: _Shape | None,
        resolver: _Resolver | None,
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
                args = (source,) if resolver.self_source else ()
                kwargs = dict.fromkeys(resolver.source_names, source)
                if resolver.info_name is not None:
                    kwargs[resolver.info_name] = resolver.info_class(
                        _raw_info=info, _field=resolver.definition
                    )
                result = resolver.call(*args, **kwargs)
            if type(result) is not list and not _inert(result) and self.is_awaitable(result):
                if info is None:
                    info = self.build_resolve_info(field, to_nodes(details), parent_type, path)
                return self.complete_awaitable_value(return_type, details, info, path, result, None)
            try:
                if shape is None:
                    raise _Fallback
                completed = self._complete(shape, details, path, result)
            except _Fallback:
                if info is None:
                    info = self.build_resolve_info(field, to_nodes(details), parent_type, path)
                completed = self.complete_value(return_type, details, info, path, result, None)
            if (
                type(completed) is not list
                and type(completed) is not dict
                and not _inert(completed)
                and self.is_awaitable(completed)
            ):
                return self._awaited(completed, return_type, details, path)
        except Exception as raw_error:
            self.handle_field_error(raw_error, return_type, details, path)
            return None
        return completed

    # -- what the compiled steps call when a value is not the common case ------------

    def _slow_leaf(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        path: Path | None,
        step: _Step,
        value: Any,
        results: dict[str, Any],
        awaitable_fields: list[str],
    ) -> None:
        name, details, _, _, _, shape, _ = step
        assert shape is not None
        if value is None and shape.nullable:
            results[name] = None
            return
        try:
            results[name] = self._leaf(shape.named, value)
            return
        except _Fallback:
            pass
        result = self.execute_field(
            parent_type, source, details, Path(path, name, parent_type.name), None
        )
        self._store(name, result, results, awaitable_fields)

    def _store(
        self, name: str, result: Any, results: dict[str, Any], awaitable_fields: list[str]
    ) -> None:
        if result is not Undefined:
            results[name] = result
            if not _inert(result) and self.is_awaitable(result):
                awaitable_fields.append(name)

    def _awaited(
        self, completed: Any, return_type: GraphQLOutputType, details: FieldDetailsList, path: Path
    ) -> Any:
        """execute_field's wrapper for a completion that turned out to be awaitable."""

        async def await_completed() -> Any:
            try:
                return await completed
            except Exception as raw_error:
                self.handle_field_error(raw_error, return_type, details, path)
                return None

        return await_completed()

    # -- completing values: complete_value's common cases ---------------------------

    def _leaf(self, leaf_type: Any, value: Any) -> Any:
        """complete_leaf_value for a non-null value, or _Fallback to let it report."""
        kind = type(value)
        if kind is int and leaf_type is GraphQLInt and _MIN_INT <= value <= _MAX_INT:
            return value
        if kind is float and leaf_type is GraphQLFloat and isfinite(value):
            return value
        if value is _MISSING or value is None or isinstance(value, Exception):
            raise _Fallback  # graphql-core raises the exception, or reports the null
        if self.is_awaitable(value):
            raise _Fallback
        wrapped = getattr(leaf_type, "wrapped_cls", None)
        if isinstance(leaf_type, GraphQLEnumType) and kind is wrapped:
            names = _enum_names(leaf_type)
            name = names.get(value, _MISSING)
            if name is _MISSING:
                name = names[value] = self._coerce(leaf_type, value)
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

    def _complete(self, shape: _Shape, details: FieldDetailsList, path: Path, value: Any) -> Any:
        """complete_value for a resolved value; raises _Fallback only before anything
        (a nested field, an error) has run."""
        if value is None:
            if shape.nullable:
                return None
            raise _Fallback  # graphql-core raises "Cannot return null ..."
        kind = shape.kind
        if kind == _LEAF:
            if type(value) is shape.identity:
                return value
            return self._leaf(shape.named, value)
        if not _inert(value) and (isinstance(value, Exception) or self.is_awaitable(value)):
            raise _Fallback
        if kind == _OBJECT:
            is_type_of = shape.named.is_type_of
            if is_type_of is not None and not is_type_of(value, None):
                raise _Fallback
            return self._sub_object(shape.named, details, path, value)
        if type(value) is not list and type(value) is not tuple:
            raise _Fallback
        if kind == _LEAF_LIST:
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
        is_awaitable = self.is_awaitable
        for item in value:
            if item is None:
                if not shape.item_nullable:
                    raise _Fallback
            elif (not _inert(item) and (isinstance(item, Exception) or is_awaitable(item))) or (
                is_type_of is not None and not is_type_of(item, None)
            ):
                raise _Fallback
        return self._object_list(shape, details, path, value)

    def _sub_object(
        self, object_type: GraphQLObjectType, details: FieldDetailsList, path: Path, value: Any
    ) -> Any:
        grouped_field_set, new_defer_usages, _ = self.collect_subfields(object_type, details)
        if new_defer_usages:  # not reachable without @defer in the schema
            return self.execute_collected_subfields(
                object_type, value, path, grouped_field_set, new_defer_usages, None
            )
        return self.execute_fields(object_type, value, path, grouped_field_set, None)

    def _object_list(
        self,
        shape: _Shape,
        details: FieldDetailsList,
        path: Path,
        items: list[Any] | tuple[Any, ...],
    ) -> Any:
        """complete_iterable_value for a list of objects the caller has checked."""
        item_type = shape.item_type
        assert item_type is not None
        object_type: GraphQLObjectType = shape.named
        is_awaitable = self.is_awaitable
        completed_results: list[Any] = []
        awaitable_indices: list[int] = []
        # The same selection for every item: collected once (graphql-core memoises it too).
        grouped_field_set, new_defer_usages, _ = self.collect_subfields(object_type, details)
        execute_fields = self.execute_fields
        for index, item in enumerate(items):
            if item is None:
                completed_results.append(None)
                continue
            item_path = Path(path, index, None)
            try:
                if new_defer_usages:  # not reachable without @defer in the schema
                    completed = self._sub_object(object_type, details, item_path, item)
                else:
                    completed = execute_fields(
                        object_type, item, item_path, grouped_field_set, None
                    )
            except Exception as raw_error:
                self.handle_field_error(raw_error, item_type, details, item_path)
                completed_results.append(None)
                continue
            if type(completed) is not dict and is_awaitable(completed):
                completed_results.append(self._await_item(completed, item_type, details, item_path))
                awaitable_indices.append(index)
            else:
                completed_results.append(completed)
        if not awaitable_indices:
            return completed_results

        async def get_completed_results() -> list[Any]:
            if len(awaitable_indices) == 1:
                index = awaitable_indices[0]
                completed_results[index] = await completed_results[index]
            else:
                awaited = await gather_with_cancel(
                    *(completed_results[i] for i in awaitable_indices)
                )
                for i, sub_result in zip(awaitable_indices, awaited, strict=True):
                    completed_results[i] = sub_result
            return completed_results

        return get_completed_results()

    async def _await_item(
        self,
        completed: Awaitable[Any],
        item_type: GraphQLOutputType,
        details: FieldDetailsList,
        item_path: Path,
    ) -> Any:
        try:
            return await completed
        except Exception as raw_error:
            self.handle_field_error(raw_error, item_type, details, item_path)
            return None
