"""What the fast executor does for each field: the plan, and every probe of Strawberry's and
graphql-core's internals it rests on.

A field's plan is one of the step kinds below, decided once per process per field. The
probes read private parts of Strawberry (the default resolver's `_is_default` marker, the
schema converter's `_get_field_exception_handlers`, the middleware manager's
`_middleware_resolvers`, the qualname of Strawberry's own `is_type_of`): they were checked
against strawberry-graphql 0.341 and graphql-core 3.3 (the pins in pyproject.toml).
tests/schema/test_execution_plan.py asserts the plan of known fields, so an upgrade that
breaks a probe fails those tests instead of quietly sending every field down the slow path;
it also pins what the inline code assumes of Strawberry's `is_type_of` (CAST).

Plans are made per request, and shared by the requests of one operation when no variable
decides which fields are collected (`shared_plans`).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any, NamedTuple

from graphql import (
    GraphQLBoolean,
    GraphQLEnumType,
    GraphQLField,
    GraphQLID,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLString,
    ListValueNode,
    ObjectValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValueNode,
    VariableNode,
    is_leaf_type,
)
from graphql.execution.collect_fields import FieldDetailsList, FragmentDetails
from strawberry.types.cast import TYPE_CAST_ATTRIBUTE

from schema.common import LINK as LINK_MARK

DEFINITION = "strawberry-definition"  # GraphQLCoreConverter.DEFINITION_BACKREF

# Step kinds.
TYPENAME = 0  # __typename: the parent's name
LEAF = 1  # a plain attribute of a scalar or enum type
PLAIN = 2  # a plain attribute of an object type, or a list of objects or leaves
RESOLVER = 3  # a Strawberry resolver taking no arguments but self, info, root or parent
STANDARD = 4  # anything else: graphql-core's execute_field
LINK = 5  # a resolver marked by schema.common.linked: `read(links, source)`, without Info

# Shape kinds.
OBJECT, LEAF_LIST, OBJECT_LIST = 10, 11, 12

MISSING = object()
MIN_INT, MAX_INT = -(2**31), 2**31 - 1


class Shape(NamedTuple):
    """How to complete values of a field's type, when the fast path can."""

    kind: int  # LEAF, OBJECT, LEAF_LIST or OBJECT_LIST
    nullable: bool  # the field's own type may be null
    item_type: GraphQLOutputType | None  # for lists: the item type, as declared
    item_nullable: bool
    named: Any  # the leaf or object type at the bottom
    identity: type | None  # for leaves: values of exactly this type complete to themselves


class Resolver(NamedTuple):
    """What graphql-core and Strawberry would do to call a resolver without arguments."""

    call: Callable[..., Any]
    self_source: bool  # pass the source as the first positional argument
    source_names: tuple[str, ...]  # keyword arguments that receive the source
    info_name: str | None  # the keyword argument that receives Strawberry's Info
    definition: Any  # the StrawberryField
    info_class: Any
    link: Callable[[Any, Any], Any] | None  # what schema.common.linked marked it with


class FieldPlan(NamedTuple):
    """What the executor does for one field definition."""

    kind: int  # LEAF, PLAIN, RESOLVER, LINK or STANDARD
    attribute: str  # for LEAF and PLAIN: the attribute read
    shape: Shape | None
    resolver: Resolver | None


# (response name, field nodes, kind, field definition, attribute, shape, resolver)
Step = tuple[str, FieldDetailsList, int, GraphQLField, str, "Shape | None", "Resolver | None"]

IDENTITY: dict[Any, type] = {GraphQLString: str, GraphQLID: str, GraphQLBoolean: bool}

# Types whose values are never awaitable and never exceptions, so graphql-core's checks
# for those can be skipped: plain data, and Strawberry's object types (dataclasses that
# define no __await__). Filled per type on first sight.
_INERT: dict[type, bool] = dict.fromkeys(
    (type(None), bool, int, float, str, list, tuple, dict), True
)


def inert_type(kind: type) -> bool:
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


def inert(value: Any) -> bool:
    return inert_type(type(value))


# Strawberry's own `is_type_of` (an isinstance test that ignores `info`); any other
# `is_type_of` may read `info`, so its fields take graphql-core's path.
_STRAWBERRY_IS_TYPE_OF = "GraphQLCoreConverter.from_object.<locals>._get_is_type_of.<locals>."


# What strawberry.cast sets on an object. Strawberry's `is_type_of` accepts an object of
# the type's own class unless a cast marks it as another type, so the inline code calls it
# only for an object that has the attribute.
CAST = TYPE_CAST_ATTRIBUTE


def safe_is_type_of(object_type: GraphQLObjectType) -> bool:
    check = object_type.is_type_of
    return check is None or (
        getattr(check, "__module__", "") == "strawberry.schema.schema_converter"
        and getattr(check, "__qualname__", "").startswith(_STRAWBERRY_IS_TYPE_OF)
    )


def middleware_free(manager: Any) -> bool:
    """Whether no middleware wraps resolvers (middleware wraps the default ones too: then
    every field must go through execute_field)."""
    return manager is None or getattr(manager, "_middleware_resolvers", 1) is None


def _unwrap(type_: GraphQLOutputType) -> tuple[bool, GraphQLOutputType]:
    if isinstance(type_, GraphQLNonNull):
        return False, type_.of_type
    return True, type_


def shape_of(type_: GraphQLOutputType) -> Shape | None:
    """The shape of a field's type when the fast path can complete it, else None."""
    nullable, inner = _unwrap(type_)
    if is_leaf_type(inner):
        return Shape(LEAF, nullable, None, False, inner, IDENTITY.get(inner))
    if isinstance(inner, GraphQLObjectType):
        if not safe_is_type_of(inner):
            return None
        return Shape(OBJECT, nullable, None, False, inner, None)
    if isinstance(inner, GraphQLList):
        item_nullable, item = _unwrap(inner.of_type)
        if is_leaf_type(item):
            kind, identity = LEAF_LIST, IDENTITY.get(item)
        elif isinstance(item, GraphQLObjectType) and safe_is_type_of(item):
            kind, identity = OBJECT_LIST, None
        else:
            return None  # lists of lists, of interfaces, of unions
        return Shape(kind, nullable, inner.of_type, item_nullable, item, identity)
    return None  # interfaces and unions resolve their type with `info`


def plain_attribute(field: GraphQLField) -> str | None:
    """The attribute a field reads, if its resolver is Strawberry's default (getattr)."""
    resolve = field.resolve
    if resolve is None or not getattr(resolve, "_is_default", False) or field.args:
        return None
    definition = (field.extensions or {}).get(DEFINITION)
    if definition is None or getattr(definition, "default_resolver", None) is not getattr:
        return None
    name = getattr(definition, "python_name", None)
    return name if isinstance(name, str) else None


def simple_resolver(field: GraphQLField, strawberry_schema: Any) -> Resolver | None:
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
    return Resolver(
        resolver,
        resolver.self_parameter is not None,
        sources,
        info.name if info is not None else None,
        definition,
        strawberry_schema.config.info_class,
        getattr(resolver.wrapped_func, LINK_MARK, None),
    )


def is_async(field: GraphQLField) -> bool:
    """Whether Strawberry would await this field's resolver: the executor runs
    synchronously (schema.budget) and refuses such a field when planning it."""
    definition: Any = (field.extensions or {}).get(DEFINITION)
    return bool(getattr(definition, "is_async", False))


# Per field definition, computed once per process. Keyed by id(); the stored field keeps
# the id from being reused.
_FIELD_PLANS: dict[int, tuple[GraphQLField, FieldPlan]] = {}


def field_plan(field: GraphQLField, strawberry_schema: Any) -> FieldPlan:
    cached = _FIELD_PLANS.get(id(field))
    if cached is None or cached[0] is not field:
        if is_async(field):
            raise TypeError(
                f"{field.ast_node or field}: an async resolver; the executor runs "
                "resolvers synchronously (schema/execution.py)"
            )
        attribute = plain_attribute(field)
        resolver = None if attribute is not None else simple_resolver(field, strawberry_schema)
        shape = shape_of(field.type)
        if attribute is not None and shape is not None:
            kind = LEAF if shape.kind == LEAF else PLAIN
        elif resolver is not None:
            kind = RESOLVER if resolver.link is None else LINK
        else:
            kind = STANDARD
        cached = (field, FieldPlan(kind, attribute or "", shape, resolver))
        _FIELD_PLANS[id(field)] = cached
    return cached[1]


# Enum GraphQL type -> {id of a member of its Python enum: the name graphql-core outputs}.
# By id, not by member: an Enum's hash is a Python method, and a page has hundreds of
# enum values. The entry keeps the type, so its Python enum and members, alive.
_ENUM_NAMES: dict[int, tuple[GraphQLEnumType, dict[Any, Any]]] = {}


def enum_names(enum_type: GraphQLEnumType) -> dict[Any, Any]:
    cached = _ENUM_NAMES.get(id(enum_type))
    if cached is None or cached[0] is not enum_type:
        cached = _ENUM_NAMES[id(enum_type)] = (enum_type, {})
    return cached[1]


def origin(object_type: Any) -> type | None:
    """The Python class of a Strawberry object type, if its values are never awaitable."""
    definition = (object_type.extensions or {}).get(DEFINITION)
    found = getattr(definition, "origin", None)
    return found if isinstance(found, type) and inert_type(found) else None


# Plans shared by the requests of one operation, by the id of its node, with a weak
# reference to it that removes the entry when it dies.
_SHARED_PLANS: dict[
    int,
    tuple[
        weakref.ref[OperationDefinitionNode],
        dict[tuple[Any, ...], tuple[Any, list[Step], Any]] | None,
    ],
] = {}


def _forget(key: int, _: Any) -> None:
    _SHARED_PLANS.pop(key, None)


def _variable_directive(selection_set: SelectionSetNode | None) -> bool:
    """Whether a directive in this selection set, at any depth, takes a variable."""
    if selection_set is None:
        return False
    for selection in selection_set.selections:
        for directive in selection.directives or ():
            if any(_has_variable(argument.value) for argument in directive.arguments or ()):
                return True
        if _variable_directive(getattr(selection, "selection_set", None)):
            return True
    return False


def _has_variable(value: ValueNode) -> bool:
    if isinstance(value, VariableNode):
        return True
    if isinstance(value, ListValueNode):
        return any(map(_has_variable, value.values))
    if isinstance(value, ObjectValueNode):
        return any(_has_variable(f.value) for f in value.fields)
    return False


def shared_plans(
    operation: OperationDefinitionNode, fragments: Iterable[FragmentDetails]
) -> dict[tuple[Any, ...], Any] | None:
    """Where the executor keeps the plans every request of this operation can share (the
    same operation node: a document from schema.document_cache), for as long as the
    operation lives; None when a variable decides which fields are collected (an @include
    or @skip taking one, a fragment with arguments of its own)."""
    entry = _SHARED_PLANS.get(id(operation))
    if entry is None or entry[0]() is not operation:
        fragments = list(fragments)
        sets = [operation.selection_set, *(f.definition.selection_set for f in fragments)]
        alike = not any(f.variable_signatures for f in fragments) and not any(
            map(_variable_directive, sets)
        )
        key = id(operation)
        gone = weakref.ref(operation, partial(_forget, key))
        entry = _SHARED_PLANS[key] = (gone, {} if alike else None)
    return entry[1]
