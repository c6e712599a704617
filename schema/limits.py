"""Limits on the shape of a document, checked while it is validated, before anything runs:
tokens, depth, aliases, fields and the size of the values it holds; and the same bounds for the
variables sent with it. What the operation costs is schema.cost's; what a client may
spend, schema.admission's.

The validation rules are classes built once, so cached validation results (keyed by the
document and the tuple of rules) hit across requests; per-request rule classes, as
Strawberry's own limiters make, would defeat it (strawberry-graphql issue #4635).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from graphql import (
    ArgumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    ListValueNode,
    ObjectFieldNode,
    OperationDefinitionNode,
    SelectionSetNode,
    StringValueNode,
    ValidationContext,
    ValidationRule,
    VariableNode,
    Visitor,
    visit,
)

from settings import (
    MAX_ALIASES,
    MAX_DEPTH,
    MAX_FIELDS,
    MAX_INPUT_CHARS,
    MAX_INPUT_DEPTH,
    MAX_INPUT_ITEMS,
)

CODE = "QUERY_TOO_COMPLEX"


def too_complex(message: str, node: Any = None, **extensions: Any) -> GraphQLError:
    return GraphQLError(message, node, extensions={"code": CODE, **extensions})


def fragments_of(document: Any) -> dict[str, FragmentDefinitionNode]:
    return {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}


def fields_of(
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
            yield from fields_of(selection.selection_set, fragments, expanded)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            if name in fragments and name not in expanded:
                expanded.add(name)
                yield from fields_of(fragments[name].selection_set, fragments, expanded)


class DepthLimit(ValidationRule):
    def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
        fragments = fragments_of(self.context.document)
        depth = _depth(node.selection_set, fragments, {})
        if depth > MAX_DEPTH:
            self.report_error(
                too_complex(
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
        for field in fields_of(selection_set, fragments):
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
                    too_complex(
                        f"this query uses more than {MAX_ALIASES} aliases; ask for fewer "
                        "fields at once, or use `nodes(ids:)` to fetch many objects",
                        node,
                        maxAliases=MAX_ALIASES,
                    )
                )


class FieldLimit(ValidationRule):
    def __init__(self, context: ValidationContext) -> None:
        super().__init__(context)
        self.count = 0

    def enter_field(self, node: FieldNode, *_: Any) -> None:
        self.count += 1
        if self.count == MAX_FIELDS + 1:
            self.report_error(
                too_complex(
                    f"this document has more than {MAX_FIELDS} fields; ask for fewer at once, "
                    "or split it into several queries",
                    node,
                    maxFields=MAX_FIELDS,
                )
            )


class InputLimits(ValidationRule):
    """Literal arguments are bounded like variables (see check_variables): a string
    literal is one token, so the token limit alone would let one be 100 KB long."""

    def enter_string_value(self, node: StringValueNode, *_: Any) -> None:
        if len(node.value) > MAX_INPUT_CHARS:
            self.report_error(_too_long(f"a string of {len(node.value):,} characters", node))

    def enter_list_value(self, node: ListValueNode, *_: Any) -> None:
        if len(node.values) > MAX_INPUT_ITEMS:
            self.report_error(_too_long(f"a list of {len(node.values):,} items", node))


def _too_long(what: str, node: Any = None) -> GraphQLError:
    return GraphQLError(
        f"{what} is longer than any argument takes: strings of at most {MAX_INPUT_CHARS} "
        f"characters, lists of at most {MAX_INPUT_ITEMS} items, nested at most "
        f"{MAX_INPUT_DEPTH} deep",
        node,
        extensions={
            "code": "BAD_USER_INPUT",
            "maxChars": MAX_INPUT_CHARS,
            "maxItems": MAX_INPUT_ITEMS,
            "maxDepth": MAX_INPUT_DEPTH,
        },
    )


def check_variables(document: Any, variables: Mapping[str, Any] | None) -> GraphQLError | None:
    """The first variable value over the input bounds, as an error naming the argument it
    is given to; else None.

    Every argument is short (a name, an ID, a date, a search of at most 500 characters),
    so the bounds are the same everywhere, and normalising or matching an argument stays
    cheap whatever a client sends."""
    for name, value in (variables or {}).items():
        problem = _oversized(value, 1)
        if problem is not None:
            error = _too_long(problem)
            argument = _arguments_of(document).get(str(name), "variables")
            error.message = f"{argument}: ${str(name)[:40]} holds {error.message}"
            return error
    return None


def _arguments_of(document: Any) -> dict[str, str]:
    """Variable name -> the argument (or input field) it is first given to."""
    found: dict[str, str] = {}

    class Usages(Visitor):
        def enter_argument(self, node: ArgumentNode, *_: Any) -> None:
            self.note(node.name.value, node.value)

        def enter_object_field(self, node: ObjectFieldNode, *_: Any) -> None:
            self.note(node.name.value, node.value)

        def note(self, argument: str, value: Any) -> None:
            if isinstance(value, VariableNode):
                found.setdefault(value.name.value, argument)

    visit(document, Usages())
    return found


def _oversized(value: Any, depth: int) -> str | None:
    if isinstance(value, str):
        return f"a string of {len(value):,} characters" if len(value) > MAX_INPUT_CHARS else None
    if depth > MAX_INPUT_DEPTH and isinstance(value, (list, dict)):
        return f"a value nested more than {MAX_INPUT_DEPTH} deep"
    if isinstance(value, list):
        if len(value) > MAX_INPUT_ITEMS:
            return f"a list of {len(value):,} items"
        items: Any = value
    elif isinstance(value, dict):
        if len(value) > MAX_INPUT_ITEMS:
            return f"an object of {len(value):,} fields"
        items = [*value.keys(), *value.values()]
    else:
        return None
    for item in items:
        problem = _oversized(item, depth + 1)
        if problem is not None:
            return problem
    return None


VALIDATION_RULES: list[type[ValidationRule]] = [DepthLimit, AliasLimit, FieldLimit, InputLimits]
