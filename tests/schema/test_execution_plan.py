"""The fast executor's plan for each field, pinned: the probes of Strawberry's internals in
schema/execution_plan.py must fail here, loudly, when an upgrade breaks them, rather than
quietly sending fields down graphql-core's slow path."""

from __future__ import annotations

import asyncio
import copy
from typing import Any
from unittest import mock

import pytest
import strawberry
from graphql import GraphQLObjectType, MiddlewareManager

from data.repository import Repository
from resolvers.context import Context
from schema import build_schema
from schema.execution import FastExecutionContext
from schema.execution_plan import (
    CAST,
    LEAF,
    LINK,
    PLAIN,
    RESOLVER,
    STANDARD,
    field_plan,
    middleware_free,
    safe_is_type_of,
    shape_of,
)

KIND = {LEAF: "leaf", PLAIN: "plain", RESOLVER: "resolver", LINK: "link", STANDARD: "standard"}


@pytest.fixture(scope="module")
def schema() -> strawberry.Schema:
    return build_schema()


def plans(schema: strawberry.Schema, type_name: str, *names: str) -> dict[str, str]:
    """The plans of the named fields (other fields may come and go with the schema)."""
    object_type = schema._schema.type_map[type_name]
    assert isinstance(object_type, GraphQLObjectType)
    fields = object_type.fields
    return {name: KIND[field_plan(fields[name], schema).kind] for name in names}


def test_event_fields_are_attribute_reads_and_link_reads(schema: strawberry.Schema) -> None:
    expected = {
        "id": "leaf",
        "slug": "leaf",
        "title": "leaf",
        "description": "leaf",
        "kind": "leaf",
        "date": "plain",
        "endDate": "plain",
        "note": "leaf",
        "participants": "plain",
        "evidence": "plain",
        "places": "link",
        "figures": "link",
    }
    assert plans(schema, "Event", *expected) == expected
    event = schema._schema.type_map["Event"]
    assert isinstance(event, GraphQLObjectType)
    assert field_plan(event.fields["title"], schema).attribute == "title"


def test_pages_and_dates_are_attribute_reads(schema: strawberry.Schema) -> None:
    dates = ("iso", "year", "month", "day", "precision")
    assert plans(schema, "PartialDate", *dates) == dict.fromkeys(dates, "leaf")
    page = {"edges": "plain", "nodes": "plain", "pageInfo": "plain", "totalCount": "leaf"}
    assert plans(schema, "EventConnection", *page) == page
    participant = {"role": "leaf", "actor": "link"}
    assert plans(schema, "Participant", *participant) == participant


def test_only_fields_with_arguments_or_abstract_types_take_the_slow_path(
    schema: strawberry.Schema,
) -> None:
    slow = []
    fast = 0
    for object_type in schema._schema.type_map.values():
        if not isinstance(object_type, GraphQLObjectType) or object_type.name.startswith("__"):
            continue
        for name, field in object_type.fields.items():
            kind = field_plan(field, schema).kind
            # Query's fields are planned like any other, but the root is a plain object.
            plain = not field.args and shape_of(field.type) is not None
            if kind == STANDARD and plain and object_type.name != "Query":
                slow.append(f"{object_type.name}.{name}")
            fast += kind != STANDARD
    assert slow == []
    assert fast >= 150  # most of the schema


def test_the_middleware_probe_reads_graphql_core() -> None:
    assert middleware_free(None)
    assert middleware_free(MiddlewareManager())

    def passthrough(next_: Any, root: Any, info: Any, **args: Any) -> Any:
        return next_(root, info, **args)

    assert not middleware_free(MiddlewareManager(passthrough))


def test_plain_fields_never_reach_execute_field(
    schema: strawberry.Schema, repo: Repository
) -> None:
    seen: list[str] = []
    original = FastExecutionContext.execute_field

    def counting(self: Any, parent_type: Any, source: Any, details: Any, *rest: Any) -> Any:
        seen.append(f"{parent_type.name}.{details[0].node.name.value}")
        return original(self, parent_type, source, details, *rest)

    text = "query Page { events(first: 5) { nodes { title date { iso } places { name } } } }"
    with mock.patch.object(FastExecutionContext, "execute_field", counting):
        result = asyncio.run(schema.execute(text, context_value=Context(repo, None)))
    assert not result.errors
    assert len(result.data["events"]["nodes"]) == 5  # type: ignore[index]
    assert seen == ["Query.events"]


def test_async_resolvers_are_refused_loudly() -> None:
    @strawberry.type
    class Query:
        @strawberry.field
        async def later(self) -> int:
            return 1

    schema = strawberry.Schema(Query)
    with pytest.raises(TypeError, match="async resolver"):
        field_plan(schema._schema.query_type.fields["later"], schema)  # type: ignore[union-attr]


def test_the_cast_probe_reads_strawberry(schema: strawberry.Schema, repo: Repository) -> None:
    """The inline code calls `is_type_of` only for an object strawberry.cast has marked:
    Strawberry's accepts any other object of the type's own class."""
    from schema.actors import Actor
    from schema.events import Event

    event_type = schema._schema.type_map["Event"]
    assert isinstance(event_type, GraphQLObjectType) and safe_is_type_of(event_type)
    is_type_of: Any = event_type.is_type_of  # Strawberry's ignores its `info`
    assert is_type_of is not None
    plain = copy.copy(Event.from_record(repo.event_list[0]))
    assert getattr(plain, CAST, None) is None
    assert is_type_of(plain, None)
    marked = strawberry.cast(Actor, copy.copy(plain))
    assert getattr(marked, CAST) is Actor
    assert not is_type_of(marked, None)
