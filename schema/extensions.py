"""How errors leave the API: expected ones keep their message and code; anything else is
masked as "Internal server error" with a request id, and logged here with its traceback.

Applied to the final result of every operation (CrisisSchema.execute), not in an extension's
on_operation: Strawberry builds the result of a syntax error, or of an exception raised by an
extension hook, only after on_operation has finished, so an extension never sees them.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from graphql import GraphQLError, GraphQLSyntaxError

from settings import MAX_TOKENS

log = logging.getLogger("crisisgraph.errors")

# graphql-core reports MaxTokensLimiter's limit as a syntax error with this ending.
MAX_TOKENS_MESSAGE = "tokens. Parsing aborted."


def shape_errors(result: Any, *, debug: bool = False) -> None:
    """Give every error of `result` a code, masking the unexpected ones, in place."""
    errors = getattr(result, "errors", None)
    if errors:
        result.errors = [shape_error(e, debug=debug) for e in errors]


def shape_error(error: GraphQLError, *, debug: bool = False) -> GraphQLError:
    if error.extensions and "code" in error.extensions:
        return error  # raised on purpose (resolvers.errors, the limits), or already shaped
    original = error.original_error
    if original is not None and not isinstance(original, GraphQLError):
        return _masked(error, original, debug)
    if error.path is not None:
        # A field failed without an exception of ours (a null for a non-null field, a
        # value its type cannot serialise): the schema and a resolver disagree.
        return _masked(error, None, debug)
    if isinstance(error, GraphQLSyntaxError) and MAX_TOKENS_MESSAGE in error.message:
        return GraphQLError(
            f"this query has more than {MAX_TOKENS:,} tokens; split it into several queries, "
            "or shorten it with variables and fragments",
            extensions={"code": "QUERY_TOO_COMPLEX", "maxTokens": MAX_TOKENS},
        )
    error.extensions = {**(error.extensions or {}), "code": _code_for(error)}
    return error


def _code_for(error: GraphQLError) -> str:
    # Syntax and variable errors: graphql-core's message is for people. Validation errors
    # have their code already (schema.document_cache gives it as they are found).
    if isinstance(error, GraphQLSyntaxError):
        return "GRAPHQL_PARSE_FAILED"
    return "BAD_USER_INPUT"  # variable values that do not fit their types


def _masked(error: GraphQLError, original: Exception | None, debug: bool) -> GraphQLError:
    request_id = uuid.uuid4().hex[:12]
    fault = type(original).__name__ if original else error.message
    log.error(
        "request %s: unexpected %s at %s",
        request_id,
        fault,
        error.path,
        exc_info=(type(original), original, original.__traceback__) if original else None,
    )
    message = f"Internal server error (request id {request_id})"
    if debug:
        message += f": {fault}: {original}" if original else f": {fault}"
    return GraphQLError(
        message,
        nodes=error.nodes,
        path=error.path,
        extensions={"code": "INTERNAL_SERVER_ERROR", "requestId": request_id},
    )
