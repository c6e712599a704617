"""The GraphQL schema: assembles Query from the type families and builds it.

`build_schema(limits)` is called by the server (and by tools and tests), never at import,
so importing a type family costs no schema build.
"""

from __future__ import annotations

from functools import partial
from typing import Any

import strawberry
from graphql import GraphQLError
from graphql.validation import ASTValidationRule, NoSchemaIntrospectionCustomRule
from strawberry.extensions import AddValidationRules, MaxTokensLimiter
from strawberry.types import ExecutionResult

from schema.actors import Actor, Relation
from schema.admission import OperationLimits, RateLimiter, Slots
from schema.budget import Overloaded, bounded, json_size_over, run_in_worker_thread, too_large
from schema.document_cache import CachedDocuments, DocumentCache
from schema.documents import Document, Figure, Resolution
from schema.events import Event
from schema.execution import FastExecutionContext
from schema.extensions import shape_errors
from schema.limits import MAX_TOKENS, VALIDATION_RULES
from schema.passages import Crisis, Passage
from schema.places import Place
from schema.query import Query
from settings import Limits

NODE_TYPES = [Crisis, Actor, Place, Event, Relation, Resolution, Document, Figure, Passage]


class CrisisSchema(strawberry.Schema):
    debug = False  # whether masked errors also say what the exception was
    limits = Limits()
    rates = RateLimiter(0, 1.0)
    documents = DocumentCache(0)
    slots = Slots(1)

    async def execute(self, *args: Any, **kwargs: Any) -> ExecutionResult:
        try:
            result = await run_in_worker_thread(partial(self.execute_bounded, *args, **kwargs))
        except Overloaded:
            context = kwargs.get("context_value")
            if context is not None:
                context.retry_after = 1.0
            result = ExecutionResult(
                data=None,
                errors=[
                    GraphQLError(
                        "the server has too many requests waiting; retry in 1 s",
                        extensions={"code": "OVERLOADED"},
                    )
                ],
            )
        shape_errors(result, debug=self.debug)
        return result

    def execute_bounded(self, *args: Any, **kwargs: Any) -> ExecutionResult:
        """Strawberry's synchronous execution (every resolver is synchronous), with the
        result's size checked before anything serialises it."""
        result = self.execute_sync(*args, **kwargs)
        if result.data is not None and json_size_over(result.data, self.limits.max_response_bytes):
            refused = too_large(
                f"more than {self.limits.max_response_bytes:,} bytes of JSON",
                maxResponseBytes=self.limits.max_response_bytes,
            )
            return ExecutionResult(data=None, errors=refused.errors)
        return result

    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        """Logging is shape_errors': it logs what it masks, and user errors are not faults."""


def build_schema(
    limits: Limits | None = None,
    *,
    debug: bool = False,
    introspection: bool = True,
    rates: RateLimiter | None = None,
) -> CrisisSchema:
    """The schema, bounded by `limits`; `rates` charges each client's budget (by default a
    limiter of `limits.rate_limit` points per `limits.rate_window`)."""
    limits = limits or Limits()
    rates = rates or RateLimiter(limits.rate_limit, limits.rate_window)
    slots = Slots(limits.expensive_slots)
    documents = DocumentCache(limits.document_cache_bytes)
    extra_rules: list[type[ASTValidationRule]] = (
        [NoSchemaIntrospectionCustomRule] if not introspection else []
    )
    # Factories, not instances: Strawberry builds fresh extensions for each request; the
    # caches, the limiter and the slots they share are built once, here.
    extensions: list[Any] = [
        lambda: MaxTokensLimiter(MAX_TOKENS),
        lambda: CachedDocuments(documents, VALIDATION_RULES),
        lambda: OperationLimits(limits, rates, slots),
    ]
    if extra_rules:
        extensions.append(lambda: AddValidationRules(extra_rules))
    built = CrisisSchema(
        query=Query,
        types=NODE_TYPES,
        extensions=extensions,
        execution_context_class=bounded(FastExecutionContext, limits.max_cost),
    )
    built.debug = debug
    built.limits = limits
    built.rates = rates
    built.documents = documents
    built.slots = slots
    return built
