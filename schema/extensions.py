"""How errors leave the API: expected ones keep their message and code; anything else is
masked as "Internal server error" with a request id, and logged here with its traceback."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from typing import Any

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

log = logging.getLogger("crisisgraph.errors")


def _code_for(error: GraphQLError) -> str:
    if error.message.startswith("Syntax Error"):
        return "GRAPHQL_PARSE_FAILED"
    return "GRAPHQL_VALIDATION_FAILED"


class ErrorPolicy(SchemaExtension):
    def __init__(self, *, debug: bool = False) -> None:
        self.debug = debug

    def on_operation(self) -> Iterator[None]:
        yield
        result: Any = self.execution_context.result
        errors = getattr(result, "errors", None)
        if errors:
            result.errors = [self.shape(e) for e in errors]

    def shape(self, error: GraphQLError) -> GraphQLError:
        original = error.original_error
        if original is None:
            if error.extensions and "code" in error.extensions:
                return error
            # Parse and validation errors: graphql-core's message is already for people.
            error.extensions = {**(error.extensions or {}), "code": _code_for(error)}
            return error
        if isinstance(original, GraphQLError):
            return error  # raised on purpose by a resolver (resolvers.errors)
        request_id = uuid.uuid4().hex[:12]
        log.error(
            "request %s: unexpected %s at %s",
            request_id,
            type(original).__name__,
            error.path,
            exc_info=(type(original), original, original.__traceback__),
        )
        message = f"Internal server error (request id {request_id})"
        if self.debug:
            message += f": {type(original).__name__}: {original}"
        return GraphQLError(
            message,
            nodes=error.nodes,
            path=error.path,
            extensions={"code": "INTERNAL_SERVER_ERROR", "requestId": request_id},
        )
