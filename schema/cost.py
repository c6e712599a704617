"""What an operation costs, in points, computed from the document before it runs.

Like GitHub's GraphQL API, the cost is known before any resolver runs, so a query that
would be too large is refused, and a client's budget charged, without doing the work.
Unlike GitHub's (which counts only connections), every value counts, because values are
what a response is made of:

- each object and each leaf value is one point, times how many times it appears: the
  product of the page sizes (`first`/`last`, default 20) and list lengths above it;
- a plain list (an actor's relations, an event's evidence) counts as LIST_FANOUT items,
  or its known bound where it has one (`nodes(ids:)` holds as many as it is given, a
  facet's values as many as its `first`);
- work that is not a value has a weight of its own: a search call, each hit on its page
  (ranked), its highlights when selected (its text read again), facets (counted over
  every hit), a passage's text;
- fragments are expanded where they are spread, and every alias counts where it lands:
  a fragment of nine aliases spread under nine aliases costs eighty-one times.

The cost walk visits each (type, selection set, page size) once, so a document that
doubles itself through fragments costs linear time to measure, however much it claims.
"""

from __future__ import annotations

import weakref
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    FieldNode,
    GraphQLList,
    GraphQLObjectType,
    GraphQLSchema,
    ListValueNode,
    ObjectValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    get_nullable_type,
    value_from_ast,
)

from schema.limits import fields_of, fragments_of
from settings import DEFAULT_PAGE, MAX_PAGE

LIST_FANOUT = 5  # what a plain list of objects or values counts as: about the average
INTROSPECTION = 100  # __schema and __type: the schema's own description, computed once

# Points one instance of a field costs on top of its value: what takes more work than
# reading an attribute. A point is about a microsecond of this server's work (a value read
# and serialised); the weights were measured the same way, on the Mali store.
WEIGHTS: Mapping[tuple[str, str], int] = {
    ("Query", "search"): 5_000,  # parse, plan, rank every hit, correct spelling
    ("SearchConnection", "facets"): 2_000,  # count every hit by type, year, actor, section
    ("Passage", "text"): 9,  # a paragraph: ten times the bytes of an ordinary value
    # A hit's stored text read and its words marked, only done when selected: a list, so
    # charged LIST_FANOUT times, about 500 points a hit.
    ("SearchEdge", "highlights"): 100,
}
# Points for each item of a page, whatever is selected of it: every hit on a page of
# search results is ranked (only the page is: the other hits are counted, not scored).
PAGE_WEIGHTS: Mapping[tuple[str, str], int] = {
    ("Query", "search"): 50,
}


def operation_cost(
    schema: GraphQLSchema,
    document: Any,
    operation_name: str | None,
    variables: Mapping[str, Any] | None,
) -> int:
    """The points the chosen operation costs (0 when there is none to run)."""
    walk = _CostWalk.priced(schema, document, operation_name, variables or {})
    return walk.total if walk else 0


class CostCache:
    """The costs of documents already priced, so that a document asked again costs a
    lookup, not a walk (about 230 µs for bench/queries.py's search).

    A cost depends on the document, the operation and only those variables that give a
    page size or a list of IDs: a search asked again with another query string reuses the
    price. Entries follow the document (held weakly: when the document cache drops it,
    its prices go too); at most `documents` documents and `per_document` sets of values
    each are kept. Used from the event loop only.
    """

    def __init__(self, documents: int = 1024, per_document: int = 64) -> None:
        self.documents = documents
        self.per_document = per_document
        self.entries: OrderedDict[int, _Prices] = OrderedDict()

    def cost(
        self,
        schema: GraphQLSchema,
        document: Any,
        operation_name: str | None,
        variables: Mapping[str, Any] | None,
    ) -> int:
        variables = variables or {}
        entry = self.entries.get(id(document))
        if entry is None or entry.document() is not document or entry.schema is not schema:
            entry = _Prices(weakref.ref(document), schema)
            self.entries[id(document)] = entry
            while len(self.entries) > self.documents:
                self.entries.popitem(last=False)
        self.entries.move_to_end(id(document))
        by_values = entry.costs.setdefault(operation_name, {})
        reads = entry.reads.get(operation_name)
        if reads is not None:
            key = tuple(_price_key(variables.get(name)) for name in reads)
            if (known := by_values.get(key)) is not None:
                return known
        walk = _CostWalk.priced(schema, document, operation_name, variables)
        entry.reads[operation_name] = reads = tuple(sorted(walk.reads)) if walk else ()
        cost = walk.total if walk else 0
        if len(by_values) < self.per_document:
            by_values[tuple(_price_key(variables.get(name)) for name in reads)] = cost
        return cost


def _price_key(value: Any) -> Any:
    """What of a variable's value the price depends on, kept small: a list of IDs counts
    by its length (100 IDs of 500 characters would otherwise make a 50 KB key), a page
    size by its value. A string counts by its length too: where an Int is declared, a
    string is refused before anything runs, whatever its price."""
    if isinstance(value, (list, tuple, dict, str)):
        return (type(value).__name__, len(value))
    return repr(value)


@dataclass
class _Prices:
    document: weakref.ref[Any]
    schema: GraphQLSchema
    reads: dict[str | None, tuple[str, ...]] = field(default_factory=dict)
    costs: dict[str | None, dict[tuple[str, ...], int]] = field(default_factory=dict)


class _CostWalk:
    def __init__(
        self, schema: GraphQLSchema, fragments: Mapping[str, Any], variables: dict[str, Any]
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        self.known: dict[tuple[str, int, int | None], int] = {}
        self.reads: set[str] = set()  # the variables the cost depends on
        self.total = 0

    @classmethod
    def priced(
        cls,
        schema: GraphQLSchema,
        document: Any,
        operation_name: str | None,
        variables: Mapping[str, Any],
    ) -> _CostWalk | None:
        """The walk of the chosen operation, done; None when there is none to run."""
        chosen = [
            d
            for d in document.definitions
            if isinstance(d, OperationDefinitionNode)
            and (operation_name is None or (d.name and d.name.value == operation_name))
        ]
        root = schema.query_type
        if not chosen or root is None:
            return None
        walk = cls(schema, fragments_of(document), dict(variables))
        walk.total = walk.selection(root, chosen[0].selection_set, None)
        return walk

    def selection(
        self, parent: GraphQLObjectType, selection_set: SelectionSetNode | None, page: int | None
    ) -> int:
        """Points for one `parent` object with this selection; `page` is the page size when
        `parent` is a connection (its edges and nodes hold that many)."""
        key = (parent.name, id(selection_set), page)
        if key in self.known:
            return self.known[key]
        self.known[key] = 0  # while measuring: a cycle (refused by validation) adds nothing
        total = sum(self.field(parent, f, page) for f in fields_of(selection_set, self.fragments))
        self.known[key] = total
        return total

    def field(self, parent: GraphQLObjectType, node: FieldNode, page: int | None) -> int:
        name = node.name.value
        if name.startswith("__"):
            return INTROSPECTION if name in ("__schema", "__type") else 0
        definition = parent.fields.get(name)
        if definition is None:
            return 0
        args = {a.name.value: a.value for a in node.arguments or ()}
        count = 1  # instances of this field's value, per parent
        child_page: int | None = None
        each_item = 0
        is_list = isinstance(get_nullable_type(definition.type), GraphQLList)
        if is_list and "first" in definition.args:  # a bounded list: a search's facet values
            given = self.int_arg(args.get("first"))
            default = definition.args["first"].default_value
            count = given if given is not None else default if type(default) is int else 1
            count = min(count, MAX_PAGE)  # more is refused by the resolver, not priced
        elif "first" in definition.args or "last" in definition.args:
            child_page = self.int_arg(args.get("first")) or self.int_arg(args.get("last"))
            child_page = DEFAULT_PAGE if child_page is None else child_page
            each_item = PAGE_WEIGHTS.get((parent.name, name), 0)
        elif is_list:
            count = self.list_length(parent, name, args, definition, page)
        each = 1 + WEIGHTS.get((parent.name, name), 0) + each_item * (child_page or 0)
        if node.selection_set is not None:
            named = get_named_type(definition.type)
            targets = (
                [named]
                if isinstance(named, GraphQLObjectType)
                else self.schema.get_possible_types(named)
            )
            each += max(
                (self.selection(t, node.selection_set, child_page) for t in targets), default=0
            )
        return count * each

    def list_length(
        self,
        parent: GraphQLObjectType,
        name: str,
        args: Mapping[str, Any],
        definition: Any,
        page: int | None,
    ) -> int:
        if page is not None and parent.name.endswith("Connection") and name in ("edges", "nodes"):
            return page
        if "ids" in args:
            self.reads.update(_variables_in(args["ids"]))
            ids = value_from_ast(args["ids"], definition.args["ids"].type, self.variables)
            return len(ids) if isinstance(ids, list) else 1
        return LIST_FANOUT

    def int_arg(self, node: Any) -> int | None:
        if node is None:
            return None
        if isinstance(node, VariableNode):
            self.reads.add(node.name.value)
            value = self.variables.get(node.name.value)
        else:
            value = getattr(node, "value", None)
        if isinstance(value, bool):
            return None
        try:
            return max(int(value), 0) if value is not None else None
        except (TypeError, ValueError, OverflowError):
            return None  # a wrong type is reported by validation or the resolver


def _variables_in(node: Any) -> Iterator[str]:
    """The names of the variables a literal argument value holds, at any depth."""
    if isinstance(node, VariableNode):
        yield node.name.value
    elif isinstance(node, ListValueNode):
        for item in node.values:
            yield from _variables_in(item)
    elif isinstance(node, ObjectValueNode):
        for entry in node.fields:
            yield from _variables_in(entry.value)
