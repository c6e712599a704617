"""The `search` root field: read the arguments, run the query on the search index."""

from __future__ import annotations

from typing import TYPE_CHECKING

from resolvers.context import Info
from resolvers.errors import BadUserInput, QueryTooComplex, UserError
from resolvers.ids import DEFAULT_PAGE, MAX_PAGE, decode_cursor, parse_date_argument
from resolvers.lists import check_crisis

if TYPE_CHECKING:
    from index.search import SearchPage


class SearchUnavailable(UserError):
    code = "SEARCH_UNAVAILABLE"


def search(
    info: Info,
    query: str,
    crisis: str | None = None,
    types: list[str] | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    first: int | None = None,
    after: str | None = None,
) -> tuple[int, SearchPage]:
    """(offset of the first hit, the page of hits)."""
    from index.search import QuerySyntaxError, QueryTooExpensive

    index = info.context.search_index
    if index is None:
        raise SearchUnavailable(
            "the search index is still being built; try again in a few seconds "
            "(GET /healthz says when it is ready)"
        )
    if first is not None and not 1 <= first <= MAX_PAGE:
        raise BadUserInput(f"first: {first} is out of range: ask for 1 to {MAX_PAGE} hits a page")
    check_crisis(info.context.repository, crisis)
    offset = decode_cursor(after, "after") + 1 if after is not None else 0
    try:
        page = index.search(
            query,
            types=frozenset(t.lower() for t in types) if types else None,
            crisis=crisis,
            date_from=parse_date_argument(date_from, "from"),
            date_to=parse_date_argument(date_to, "to"),
            offset=offset,
            limit=first or DEFAULT_PAGE,
            deadline=info.context.deadline.at,
        )
    except QueryTooExpensive as error:
        info.context.deadline.check()  # the request's time ran out, not the search's own
        raise QueryTooComplex(f"query: {error}") from None
    except QuerySyntaxError as error:
        raise BadUserInput(f"query: {error}", argument="query") from None
    return offset, page
