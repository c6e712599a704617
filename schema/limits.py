"""Limits on what one request may ask for, each refused with QUERY_TOO_COMPLEX before any
resolver runs: tokens, depth, aliases, and an estimate of the result's size.

The validation rules are classes built once, so Strawberry's ValidationCache (keyed by the
document and the tuple of rules) hits across requests; per-request rule classes, as
Strawberry's own limiters make, would defeat it (strawberry-graphql issue #4635).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from graphql import (
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLList,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
    VariableNode,
    get_named_type,
    get_nullable_type,
    value_from_ast,
)
from strawberry.extensions import SchemaExtension

from resolvers.ids import DEFAULT_PAGE

MAX_TOKENS = 5_000
MAX_DEPTH = 12
MAX_ALIASES = 50
MAX_NODES = 50_000  # estimated objects in a response: the product of nested page sizes
LIST_FANOUT = 5  # what an unpaged list of objects counts as (most hold fewer)

CODE = "QUERY_TOO_COMPLEX"


def _too_complex(message: str, node: Any = None, **extensions: Any) -> GraphQLError:
    return GraphQLError(message, node, extensions={"code": CODE, **extensions})


def _fragments(document: Any) -> dict[str, FragmentDefinitionNode]:
    return {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}


def _fields(
    selection_set: SelectionSetNode | None,
    fragments: Mapping[str, FragmentDefinitionNode],
    expanded: set[str] | None = None,
) -> Iterator[FieldNode]:
    """The fields of a selection set, looking through fragments. Like graphql-core's
    collect_fields, a fragment is expanded once per selection set however often it is
    spread: `...F ...F` is F's fields once, and a chain of such doublings stays linear
    (a cycle stops the walk too; graphql-core's NoFragmentCycles rule reports it)."""
    expanded = set() if expanded is None else expanded
    for selection in selection_set.selections if selection_set else ():
        if isinstance(selection, FieldNode):
            yield selection
        elif isinstance(selection, InlineFragmentNode):
            yield from _fields(selection.selection_set, fragments, expanded)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            if name in fragments and name not in expanded:
                expanded.add(name)
                yield from _fields(fragments[name].selection_set, fragments, expanded)


class DepthLimit(ValidationRule):
    def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
        fragments = _fragments(self.context.document)
        depth = _depth(node.selection_set, fragments, {})
        if depth > MAX_DEPTH:
            self.report_error(
                _too_complex(
                    f"this query nests {depth} fields deep; the limit is {MAX_DEPTH}. "
                    "Split it into several queries, or fetch nested objects by ID with `nodes`.",
                    node,
                    depth=depth,
                    maxDepth=MAX_DEPTH,
                )
            )


def _depth(
    selection_set: SelectionSetNode | None,
    fragments: Mapping[str, Any],
    known: dict[int, int],
) -> int:
    """How deep the selection set nests. Each selection set node is measured once (`known`
    is keyed by node): a fragment spread in many places is not walked again each time."""
    if selection_set is None:
        return 0
    key = id(selection_set)
    if key not in known:
        known[key] = 0  # while measuring: a cycle through fragments counts no further
        deepest = 0
        for field in _fields(selection_set, fragments):
            if field.name.value.startswith("__"):
                continue  # introspection (GraphiQL's own query nests deep) is not data
            deepest = max(deepest, 1 + _depth(field.selection_set, fragments, known))
        known[key] = deepest
    return known[key]


class AliasLimit(ValidationRule):
    def __init__(self, context: ValidationContext) -> None:
        super().__init__(context)
        self.count = 0

    def enter_field(self, node: FieldNode, *_: Any) -> None:
        if node.alias is not None:
            self.count += 1
            if self.count == MAX_ALIASES + 1:
                self.report_error(
                    _too_complex(
                        f"this query uses more than {MAX_ALIASES} aliases; ask for fewer "
                        "fields at once, or use `nodes(ids:)` to fetch many objects",
                        node,
                        maxAliases=MAX_ALIASES,
                    )
                )


VALIDATION_RULES: list[type[ValidationRule]] = [DepthLimit, AliasLimit]


def estimate_nodes(
    schema: GraphQLSchema,
    document: Any,
    operation_name: str | None,
    variables: Mapping[str, Any] | None,
) -> int:
    """How many objects a query may return, at most, counting connections by page size."""
    fragments = _fragments(document)
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    chosen = [
        o
        for o in operations
        if operation_name is None or (o.name and o.name.value == operation_name)
    ]
    if not chosen or schema.query_type is None:
        return 0
    return _estimate(
        schema, schema.query_type, chosen[0].selection_set, fragments, dict(variables or {}), {}
    )


def _estimate(
    schema: GraphQLSchema,
    parent: GraphQLObjectType,
    selection_set: SelectionSetNode | None,
    fragments: Mapping[str, Any],
    variables: dict[str, Any],
    known: dict[tuple[str, int], int],
) -> int:
    """Objects returned for one `parent` object. The count scales with the number of
    parents, so each (type, selection set node) is estimated once and multiplied: a
    fragment spread under many fields is not walked again each time."""
    key = (parent.name, id(selection_set))
    if key in known:
        return known[key]
    known[key] = 0  # while estimating: a cycle through fragments adds nothing more
    total = 0
    for field in _fields(selection_set, fragments):
        definition = parent.fields.get(field.name.value) if hasattr(parent, "fields") else None
        if definition is None:
            continue
        size = 1
        args = {a.name.value: a.value for a in field.arguments or ()}
        if "first" in definition.args or "last" in definition.args:
            asked = _int_arg(args.get("first"), variables) or _int_arg(args.get("last"), variables)
            size = asked or DEFAULT_PAGE
            total += size
        elif field.name.value == "nodes" and "ids" in args:
            ids = value_from_ast(args["ids"], definition.args["ids"].type, variables)
            size = len(ids) if isinstance(ids, list) else 1
            total += size
        elif (
            field.selection_set is not None
            and isinstance(get_nullable_type(definition.type), GraphQLList)
            and not parent.name.endswith("Connection")  # its page size is counted above
        ):
            # A plain list of objects (relations, mentions, evidence): unpaged, so count
            # a typical fan-out; otherwise nested lists would escape the estimate.
            size = LIST_FANOUT
            total += size
        child = get_named_type(definition.type)
        if field.selection_set is None:
            continue
        # Interfaces and unions: estimate against each possible type, keep the largest.
        targets = (
            schema.get_possible_types(child)
            if not isinstance(child, GraphQLObjectType)
            else [child]
        )
        total += size * max(
            (
                _estimate(schema, t, field.selection_set, fragments, variables, known)
                for t in targets
            ),
            default=0,
        )
    known[key] = total
    return total


def _int_arg(node: Any, variables: Mapping[str, Any]) -> int | None:
    if node is None:
        return None
    if isinstance(node, VariableNode):
        value = variables.get(node.name.value)
    else:
        value = getattr(node, "value", None)
    try:
        return max(int(value), 0) if value is not None else None
    except (TypeError, ValueError):
        return None  # a wrong type is reported by validation or the resolver


class ResultSizeLimit(SchemaExtension):
    """Refuse a query whose estimated result is too large, before it runs; and a document
    of several operations that does not say which to run (Strawberry would run the first,
    where the GraphQL spec asks for an error)."""

    def __init__(self, max_nodes: int = MAX_NODES) -> None:
        self.max_nodes = max_nodes

    def on_execute(self) -> Iterator[None]:
        ctx = self.execution_context
        operations = [
            d
            for d in (ctx.graphql_document.definitions if ctx.graphql_document else ())
            if isinstance(d, OperationDefinitionNode)
        ]
        # `operation_name` falls back to the first operation's name: ask what was sent.
        if ctx.result is None and len(operations) > 1 and not ctx._provided_operation_name:
            names = ", ".join(o.name.value for o in operations if o.name) or "unnamed ones"
            ctx.result = ExecutionResult(
                data=None,
                errors=[
                    GraphQLError(
                        f"this document has {len(operations)} operations ({names}): "
                        "give the operation name to run as `operationName`",
                        extensions={"code": "BAD_USER_INPUT"},
                    )
                ],
            )
        if ctx.graphql_document is not None and ctx.result is None:
            nodes = estimate_nodes(
                ctx.schema._schema, ctx.graphql_document, ctx.operation_name, ctx.variables
            )
            if nodes > self.max_nodes:
                # A result set here is returned as it is, and nothing is executed.
                ctx.result = ExecutionResult(
                    data=None,
                    errors=[
                        _too_complex(
                            f"this query could return about {nodes:,} objects; the limit is "
                            f"{self.max_nodes:,}. Ask for smaller nested pages (`first`) "
                            "and follow `pageInfo.endCursor` instead.",
                            estimatedNodes=nodes,
                            maxNodes=self.max_nodes,
                        )
                    ],
                )
        yield
