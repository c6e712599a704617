"""Random valid operations over the schema, for the differential test.

Seeded, so a failing case can be replayed: `QueryGenerator(schema, seed).operation()`.
Every operation is valid GraphQL (fields, arguments and fragments type-check), with
aliases, `__typename`, inline and named fragments, repeated fields that merge,
@include/@skip, variables, and argument values drawn from pools that mix good values
with ones the resolvers reject (bad dates, cursors, IDs, page sizes): errors in nested
positions, and the null propagation they cause, are part of what gets compared.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field, replace
from typing import Any

from graphql import (
    GraphQLArgument,
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    get_named_type,
    is_leaf_type,
)
from graphql.pyutils import Undefined

from data import order
from data.repository import Repository
from resolvers.ids import encode_id
from resolvers.pages import position_cursor, write_cursor

MAX_DEPTH = 4
BAD_ODDS = 0.1  # how often an argument gets a value its resolver rejects
BAD_DATES = ["2013-13", "2012-02-30", "yesterday", "0000", ""]
GOOD_DATES = ["2012", "2012-03", "2012-03-22", "2013-01-11", "2014"]


def value_pools(repo: Repository) -> dict[str, tuple[list[Any], list[Any]]]:
    """Argument values by argument name: (good values, values the resolvers reject)."""
    ids = [encode_id(kind, *next(iter(getattr(repo, table)))) for kind, table in _TABLES]
    ids.append(encode_id("crisis", "mali", "mali"))
    bad_ids = ["bm9wZQ", "not an id", encode_id("actor", "mali", "x")]
    actor_ids = [encode_id("actor", *k) for k in list(repo.actors)[:5]]
    place_ids = [encode_id("place", *k) for k in list(repo.places)[:5]]
    # Keyset cursors of several lists (each good for its own list and refused by the others),
    # search's position cursors, and a cursor whose record is gone.
    cursors = [position_cursor(i) for i in (0, 3, 10**6)]
    lists: tuple[tuple[order.Order[Any], tuple[Any, ...]], ...] = (
        (order.EVENTS_BY_DATE, repo.event_list),
        (order.ACTORS, repo.actor_list),
        (order.PASSAGES, repo.passage_list),
        (order.RELATIONS, repo.relation_list),
    )
    for by, listed in lists:
        cursors += [write_cursor(by, listed[i]) for i in (0, 1, 10)]
    gone = replace(repo.event_list[5], id="no-such-event")
    return {
        "first": ([1, 2, 3, 5, 1, 2, 100, None], [0, 101, -1]),
        "last": ([1, 2, 5, None], [0]),
        "after": ([*cursors, None], ["bad cursor", write_cursor(order.EVENTS_BY_DATE, gone)]),
        "before": ([*cursors, None], ["bad cursor"]),
        "at": ([*GOOD_DATES, None], BAD_DATES),
        "from": ([*GOOD_DATES, None], BAD_DATES[:2]),
        "to": ([*GOOD_DATES, None], BAD_DATES[:2]),
        "crisis": (["mali", None], ["narnia"]),
        "id": (ids, bad_ids),
        "ids": ([ids[:3], ids[2:6], ids[5:] + bad_ids[2:], []], [ids[:1] * 101, bad_ids[:2]]),
        "name": (["MNLA", "IBK", "tombouctou", "Gao", "Mali", "nobody", "Keïta"], []),
        "slug": (["mali", "narnia"], []),
        "number": ([2085, 2100, 2071, 1], []),
        "query": (["peace agreement", "refugees", "MNLA", "Timbuctoo", "IBK"], ["the", "(bad"]),
        "measure": (["displaced", "refugees", "", None], []),
        "section": (["background", "overview", None], ["nope"]),
        "actor": ([*actor_ids, None], ["not an id", place_ids[0]]),
        "place": ([*place_ids, None], ["not an id", actor_ids[0]]),
        "subject": ([*actor_ids[:2], *place_ids[:2], None], ["bad"]),
        "publisher": ([*actor_ids[:3], None], ["bad"]),
    }


_TABLES = [
    ("actor", "actors"),
    ("place", "places"),
    ("event", "events"),
    ("document", "documents"),
    ("figure", "figures"),
    ("passage", "passages"),
    ("resolution", "resolutions"),
    ("relation", "relations"),
]


@dataclass
class Operation:
    text: str
    variables: dict[str, Any]


@dataclass
class _Build:
    variables: dict[str, tuple[str, Any]] = field(default_factory=dict)  # name -> (type, value)
    fragments: dict[str, str] = field(default_factory=dict)


class QueryGenerator:
    def __init__(self, schema: GraphQLSchema, repo: Repository, seed: int) -> None:
        self.schema = schema
        self.rng = random.Random(seed)
        self.pools = value_pools(repo)

    def operation(self) -> Operation:
        build = _Build()
        query = self.schema.query_type
        assert query is not None
        roots = self.rng.sample(sorted(query.fields), k=self.rng.randint(1, 3))
        selections = [self._field(query, name, build, depth=0) for name in roots]
        if self.rng.random() < 0.2:
            selections.append("__typename")
        body = " ".join(s for s in selections if s)
        header = ""
        if build.variables:
            declared = ", ".join(f"${n}: {t}" for n, (t, _) in build.variables.items())
            header = f"({declared})"
        text = f"query Generated{header} {{ {body} }}\n" + "\n".join(build.fragments.values())
        values = {n: v for n, (_, v) in build.variables.items() if v is not Undefined}
        return Operation(text, values)

    # -- selections ------------------------------------------------------------

    def _selection_set(self, type_: Any, build: _Build, depth: int) -> str:
        if isinstance(type_, GraphQLInterfaceType | GraphQLUnionType):
            return self._abstract(type_, build, depth)
        names = sorted(type_.fields)
        leaves = [n for n in names if is_leaf_type(get_named_type(type_.fields[n].type))]
        nested = [n for n in names if n not in leaves]
        picked = self.rng.sample(leaves, k=min(len(leaves), self.rng.randint(1, 4)))
        if depth < MAX_DEPTH and nested:
            picked += self.rng.sample(nested, k=min(len(nested), self.rng.randint(0, 2)))
        if not picked:
            picked = [names[0]]
        parts = [p for p in (self._field(type_, n, build, depth + 1) for n in picked) if p]
        if self.rng.random() < 0.3:
            parts.append("__typename")
        if self.rng.random() < 0.2 and parts:
            parts.append(self.rng.choice(parts))  # the same field twice: merged
        if self.rng.random() < 0.15 and depth < MAX_DEPTH:
            parts.append(self._named_fragment(type_, build, depth))
        if not parts:
            parts = ["__typename"]
        return "{ " + " ".join(parts) + " }"

    def _abstract(self, type_: Any, build: _Build, depth: int) -> str:
        parts = ["__typename"]
        if isinstance(type_, GraphQLInterfaceType):
            parts.append("id")
        possible = sorted(self.schema.get_possible_types(type_), key=lambda t: t.name)
        for target in self.rng.sample(possible, k=min(len(possible), self.rng.randint(1, 3))):
            inner = self._selection_set(target, build, depth + 1)
            parts.append(f"... on {target.name} {inner}")
        return "{ " + " ".join(parts) + " }"

    def _named_fragment(self, type_: Any, build: _Build, depth: int) -> str:
        name = f"F{len(build.fragments)}{type_.name}"
        build.fragments[name] = ""  # reserve the name before recursing
        build.fragments[name] = f"fragment {name} on {type_.name} " + self._selection_set(
            type_, build, depth + 1
        )
        return f"...{name}"

    def _field(self, parent: Any, name: str, build: _Build, depth: int) -> str:
        definition = parent.fields[name]
        named = get_named_type(definition.type)
        if name == "search" and self.rng.random() < 0.5:
            return ""  # search is slow-ish: keep it to some operations
        args = self._arguments(definition.args, build)
        text = name + (f"({args})" if args else "")
        if self.rng.random() < 0.2:
            text = f"{name}A{self.rng.randint(0, 99)}: {text}"
        if self.rng.random() < 0.1:
            variable = f"b{len(build.variables)}"
            build.variables[variable] = ("Boolean!", self.rng.random() < 0.5)
            text += f" @{self.rng.choice(['include', 'skip'])}(if: ${variable})"
        if not is_leaf_type(named):
            if depth > MAX_DEPTH + 1:
                return f"{text} {{ __typename }}"
            text += " " + self._selection_set(named, build, depth)
        return text

    # -- arguments -------------------------------------------------------------

    def _arguments(self, args: dict[str, GraphQLArgument], build: _Build) -> str:
        parts = []
        for name, arg in args.items():
            if name == "last" and "first" in args and self.rng.random() < 0.8:
                continue  # `first` and `last` together is an error: keep it rare
            required = isinstance(arg.type, GraphQLNonNull) and arg.default_value is Undefined
            if not required and self.rng.random() < 0.5:
                continue
            value = self._value(name, arg.type)
            if value is None and required:
                continue
            if self.rng.random() < 0.3:
                variable = f"v{len(build.variables)}"
                build.variables[variable] = (str(arg.type), value)
                parts.append(f"{name}: ${variable}")
            else:
                parts.append(f"{name}: {_literal(value, arg.type)}")
        return ", ".join(parts)

    def _value(self, name: str, type_: Any) -> Any:
        named = get_named_type(type_)
        if isinstance(named, GraphQLInputObjectType):
            fields = {}
            for field_name, input_field in named.fields.items():
                if self.rng.random() < 0.4:
                    value = self._value(field_name, input_field.type)
                    if value is not None:
                        fields[field_name] = value
            return fields
        if isinstance(named, GraphQLEnumType):
            values = sorted(named.values)
            if isinstance(_nullable(type_), GraphQLList):
                return self.rng.sample(values, k=min(len(values), self.rng.randint(1, 2)))
            return self.rng.choice(values)
        good, bad = self.pools.get(name, ([None], []))
        value = self.rng.choice(bad if bad and self.rng.random() < BAD_ODDS else good)
        if isinstance(_nullable(type_), GraphQLList) and not isinstance(value, list):
            return None if value is None else [value]
        return value


def _nullable(type_: Any) -> Any:
    return type_.of_type if isinstance(type_, GraphQLNonNull) else type_


def _literal(value: Any, type_: Any) -> str:
    """A GraphQL literal for a value of the given input type."""
    named = get_named_type(type_)
    if value is None:
        return "null"
    if isinstance(value, list):
        inner = _nullable(type_)
        item = inner.of_type if isinstance(inner, GraphQLList) else inner
        return "[" + ", ".join(_literal(v, item) for v in value) + "]"
    if isinstance(named, GraphQLInputObjectType):
        parts = [f"{k}: {_literal(v, named.fields[k].type)}" for k, v in value.items()]
        return "{" + ", ".join(parts) + "}"
    if isinstance(named, GraphQLEnumType):
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


__all__ = ["GraphQLObjectType", "Operation", "QueryGenerator"]
