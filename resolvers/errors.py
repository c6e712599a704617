"""Errors a user can cause: GraphQL errors with a code and a sentence saying what to do."""

from __future__ import annotations

from typing import Any

from graphql import GraphQLError


class UserError(GraphQLError):
    """An expected error: its message and code reach the client unchanged."""

    code = "BAD_USER_INPUT"

    def __init__(self, message: str, **extensions: Any) -> None:
        super().__init__(message, extensions={"code": self.code, **extensions})


class BadUserInput(UserError):
    code = "BAD_USER_INPUT"


class NotFound(UserError):
    code = "NOT_FOUND"


class QueryTooComplex(UserError):
    code = "QUERY_TOO_COMPLEX"
