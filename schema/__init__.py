"""The GraphQL schema: assembles Query from the type families and builds it."""

from __future__ import annotations

from typing import Any

import strawberry
from graphql import GraphQLError
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.extensions import AddValidationRules

from schema.actors import Actor
from schema.documents import Document, Figure, Resolution
from schema.events import Event
from schema.extensions import ErrorPolicy
from schema.passages import Crisis, Passage
from schema.places import Place
from schema.query import Query

NODE_TYPES = [Crisis, Actor, Place, Event, Resolution, Document, Figure, Passage]


class CrisisSchema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        """Logging is ErrorPolicy's: it logs what it masks, and user errors are not faults."""


def build_schema(*, debug: bool = False, introspection: bool = True) -> strawberry.Schema:
    # Factories, not instances: Strawberry builds fresh extensions for each request.
    extensions: list[Any] = [lambda: ErrorPolicy(debug=debug)]
    if not introspection:
        extensions.append(lambda: AddValidationRules([NoSchemaIntrospectionCustomRule]))
    return CrisisSchema(query=Query, types=NODE_TYPES, extensions=extensions)


schema = build_schema()
