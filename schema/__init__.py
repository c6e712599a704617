"""The GraphQL schema: assembles Query from the type families and builds it."""

from __future__ import annotations

from typing import Any

import strawberry
from graphql import GraphQLError
from graphql.validation import ASTValidationRule, NoSchemaIntrospectionCustomRule
from strawberry.extensions import (
    AddValidationRules,
    MaxTokensLimiter,
    ParserCache,
    ValidationCache,
)

from schema.actors import Actor
from schema.documents import Document, Figure, Resolution
from schema.events import Event
from schema.extensions import ErrorPolicy
from schema.limits import MAX_TOKENS, VALIDATION_RULES, ResultSizeLimit
from schema.passages import Crisis, Passage
from schema.places import Place
from schema.query import Query

NODE_TYPES = [Crisis, Actor, Place, Event, Resolution, Document, Figure, Passage]


class CrisisSchema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        """Logging is ErrorPolicy's: it logs what it masks, and user errors are not faults."""


def build_schema(*, debug: bool = False, introspection: bool = True) -> strawberry.Schema:
    rules: list[type[ASTValidationRule]] = list(VALIDATION_RULES)
    if not introspection:
        rules.append(NoSchemaIntrospectionCustomRule)
    # Factories, not instances: Strawberry builds fresh extensions for each request. The
    # rule classes are the same objects every time, so validation results are cached.
    extensions: list[Any] = [
        lambda: ErrorPolicy(debug=debug),
        lambda: MaxTokensLimiter(MAX_TOKENS),
        lambda: ParserCache(maxsize=256),
        lambda: AddValidationRules(rules),
        lambda: ValidationCache(maxsize=256),
        ResultSizeLimit,
    ]
    return CrisisSchema(query=Query, types=NODE_TYPES, extensions=extensions)


schema = build_schema()
