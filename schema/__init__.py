"""The GraphQL schema: assembles Query from the type families and builds it.

`build_schema(limits)` is called by the server (and by tools and tests), never at import,
so importing a type family costs no schema build.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import strawberry
from graphql import DocumentNode, GraphQLError, get_operation_ast
from graphql.validation import ASTValidationRule, NoSchemaIntrospectionCustomRule
from strawberry.exceptions import MissingQueryError
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType

from schema.admission import Admission, Lanes, Overloaded, RateLimiter
from schema.admission import overloaded as overloaded_error
from schema.budget import Underpriced, bounded
from schema.document_cache import CheckedDocument, DocumentCache, check_document
from schema.execution import FastExecutionContext
from schema.extensions import shape_errors
from schema.limits import VALIDATION_RULES
from schema.nodes import NODE_TYPES
from schema.query import Query
from settings import INLINE_VALUES, OVERLOADED_RETRY, Limits

# What Strawberry raises for a request it cannot run at all (no query, a mutation over GET).
REQUEST_ERRORS = (MissingQueryError, CannotGetOperationTypeError, InvalidOperationTypeError)


class CrisisSchema(strawberry.Schema):
    """Strawberry's schema, executing every operation in three steps (schema.admission):
    its document checked (parsed and validated, or found in the cache) on the lane for new
    documents; admitted (priced, charged to its client); then run on Strawberry's
    synchronous path (every resolver is synchronous): on the event loop if it is cheap,
    else on the lane for expensive operations."""

    debug = False  # whether masked errors also say what the exception was
    limits = Limits()
    rates = RateLimiter(0, 1.0)
    documents = DocumentCache(0)
    lanes = Lanes(1)
    admission = Admission(limits, rates)
    extra_rules: tuple[type[ASTValidationRule], ...] = ()

    async def execute(
        self,
        query: str | None,
        variable_values: dict[str, Any] | None = None,
        context_value: Any | None = None,
        *args: Any,
        **kwargs: Any,
    ) -> ExecutionResult:
        run = partial(self.execute_bounded, query, variable_values, context_value, *args, **kwargs)
        try:
            if not query or context_value is None:  # Strawberry's own checks, and errors
                result = await self.lanes.run("new", run)
            else:
                result = await self.admitted(query, variable_values, context_value, run, kwargs)
        except Overloaded as full:
            if context_value is not None:
                context_value.retry_after = OVERLOADED_RETRY
            priced = getattr(context_value, "cost", None)
            error = overloaded_error(full.lane, priced, self.limits.cheap_cost)
            result = ExecutionResult(data=None, errors=[error])
        except REQUEST_ERRORS:
            raise  # the HTTP view answers these with a 400 or a 405
        except Exception as fault:  # a bug of ours: masked, and logged, by shape_errors
            result = ExecutionResult(
                data=None, errors=[GraphQLError(str(fault), original_error=fault)]
            )
        shape_errors(result, debug=self.debug)
        return result

    async def admitted(
        self,
        query: str,
        variables: dict[str, Any] | None,
        context: Any,
        run: Callable[[], ExecutionResult],
        kwargs: dict[str, Any],
    ) -> ExecutionResult:
        operation_name = kwargs.get("operation_name")
        document = self.documents.get(query)
        if document is None:
            document, errors = await self.lanes.run("new", partial(self.check, query))
            allowed = kwargs.get("allowed_operation_types")
            operation = get_operation_ast(document, operation_name) if document else None
            kind = OperationType(operation.operation.value) if operation else None
            if allowed is not None and kind is not None and kind not in allowed:
                raise InvalidOperationTypeError(kind)  # before any validation error
            if errors or document is None:
                return ExecutionResult(data=None, errors=errors)
        context.document = document
        refusal = self.admission.refusal(self._schema, document, operation_name, variables, context)
        if refusal is not None:
            return ExecutionResult(data=None, errors=[refusal])
        if self.admission.is_cheap(context):
            context.inline_values = INLINE_VALUES
            try:
                return run()  # milliseconds: on the event loop, ahead of every queue
            except Underpriced:
                context.inline_values = None  # its lists were longer than its price assumed
        return await self.lanes.run("expensive", run)

    def check(self, query: str) -> tuple[DocumentNode | None, list[GraphQLError]]:
        """The document, parsed and validated (and cached, if valid), and its errors."""
        document, errors = check_document(self._schema, query, VALIDATION_RULES, self.extra_rules)
        if document is not None and not errors:
            self.documents.put(query, document)
        return document, errors

    def execute_bounded(self, *args: Any, **kwargs: Any) -> ExecutionResult:
        """Strawberry's synchronous execution; the executor (schema.budget) bounds its time,
        its values and the size of its result."""
        return self.execute_sync(*args, **kwargs)

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
    # Factories, not instances: Strawberry builds fresh extensions for each request.
    extensions: list[Any] = [CheckedDocument]
    built = CrisisSchema(
        query=Query,
        types=list(NODE_TYPES.values()),
        extensions=extensions,
        execution_context_class=bounded(
            FastExecutionContext, limits.max_cost, limits.max_response_bytes
        ),
    )
    built.debug = debug
    built.limits = limits
    built.rates = rates
    built.documents = DocumentCache(limits.document_cache_bytes)
    built.lanes = Lanes(limits.expensive_slots)
    built.admission = Admission(limits, rates)
    built.extra_rules = () if introspection else (NoSchemaIntrospectionCustomRule,)
    return built
