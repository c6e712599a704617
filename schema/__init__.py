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
from strawberry.types import ExecutionResult

from schema.actors import Actor
from schema.budget import TIME_BUDGET, in_worker_thread, with_time_budget
from schema.documents import Document, Figure, Resolution
from schema.events import Event
from schema.execution import FastExecutionContext
from schema.extensions import shape_errors
from schema.limits import MAX_NODES, MAX_TOKENS, VALIDATION_RULES, ResultSizeLimit
from schema.passages import Crisis, Passage
from schema.places import Place
from schema.query import Query

NODE_TYPES = [Crisis, Actor, Place, Event, Resolution, Document, Figure, Passage]


class CrisisSchema(strawberry.Schema):
    debug = False  # whether masked errors also say what the exception was

    async def execute(self, *args: Any, **kwargs: Any) -> ExecutionResult:
        result = await in_worker_thread(super().execute, *args, **kwargs)
        shape_errors(result, debug=self.debug)
        return result

    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        """Logging is shape_errors': it logs what it masks, and user errors are not faults."""


def build_schema(
    *,
    debug: bool = False,
    introspection: bool = True,
    time_budget: float = TIME_BUDGET,
    max_nodes: int = MAX_NODES,
) -> strawberry.Schema:
    rules: list[type[ASTValidationRule]] = list(VALIDATION_RULES)
    if not introspection:
        rules.append(NoSchemaIntrospectionCustomRule)
    # Factories, not instances: Strawberry builds fresh extensions for each request. The
    # rule classes are the same objects every time, so validation results are cached.
    extensions: list[Any] = [
        lambda: MaxTokensLimiter(MAX_TOKENS),
        lambda: ParserCache(maxsize=256),
        lambda: AddValidationRules(rules),
        lambda: ValidationCache(maxsize=256),
        lambda: ResultSizeLimit(max_nodes),
    ]
    built = CrisisSchema(
        query=Query,
        types=NODE_TYPES,
        extensions=extensions,
        execution_context_class=with_time_budget(FastExecutionContext, time_budget),
    )
    built.debug = debug
    return built


schema = build_schema()
