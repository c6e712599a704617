"""The `search` root field: read the arguments, run the query on the search index."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from data import records
from resolvers.context import Info
from resolvers.dates import parse_date_argument
from resolvers.errors import BadUserInput, QueryTooComplex, UserError
from resolvers.lists import check_crisis
from resolvers.pages import PageArgs, check_sizes, read_position
from settings import DEFAULT_PAGE, MAX_PAGE

if TYPE_CHECKING:
    from index.search import SearchPage


class SearchUnavailable(UserError):
    code = "SEARCH_UNAVAILABLE"


def search(
    info: Info,
    query: str,
    args: PageArgs,
    crisis: str | None = None,
    types: list[str] | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
) -> tuple[int, SearchPage]:
    """(offset of the first hit, the page of hits).

    Hits are ranked, and a ranking can change with the index, so search cursors are
    positions among the hits of the same query, not keyset cursors.
    """
    from index.search import QuerySyntaxError, QueryTooExpensive

    index = info.context.search_index
    if index is None:
        raise SearchUnavailable(
            "the search index is still being built; try again in a few seconds "
            "(GET /healthz says when it is ready)"
        )
    check_sizes(args)
    check_crisis(info.context.repository, crisis)
    start = read_position(args.after, "after") + 1 if args.after is not None else 0
    stop = read_position(args.before, "before") if args.before is not None else None

    highlight = selects(info, "highlights")

    def run(offset: int, limit: int) -> SearchPage:
        try:
            return index.search(
                query,
                types=frozenset(t.lower() for t in types) if types else None,
                crisis=crisis,
                date_from=parse_date_argument(date_from, "from"),
                date_to=parse_date_argument(date_to, "to"),
                offset=offset,
                limit=limit,
                deadline=info.context.deadline.at,
                highlight=highlight,
                facet_limit=MAX_PAGE,  # what SearchFacets may list; facet_sizes counts all
            )
        except QueryTooExpensive as error:
            info.context.deadline.check()  # the request's time ran out, not the search's own
            raise QueryTooComplex(f"query: {error}") from None
        except QuerySyntaxError as error:
            raise BadUserInput(f"query: {error}", argument="query") from None

    if args.last is not None and stop is None:
        stop = run(0, 0).total  # the last hits: count them first
    if stop is not None:
        stop = max(stop, start)
    if args.last is not None:
        assert stop is not None
        start = max(start, stop - args.last)
        limit = stop - start
    else:
        limit = args.first or DEFAULT_PAGE
        if stop is not None:
            limit = min(limit, stop - start)
    return start, run(start, limit)


def selects(info: Info, name: str) -> bool:
    """Whether the field's selection asks for `name` anywhere below it (fragments
    included): highlights are only worth their work when asked for."""
    stack: list[Any] = list(info.selected_fields)
    while stack:
        selection = stack.pop()
        if getattr(selection, "name", None) == name:
            return True
        stack.extend(getattr(selection, "selections", ()))
    return False


def hit_records(info: Info, page: SearchPage) -> list[Any]:
    """The record each hit of the page is for, in ranking order."""
    repo = info.context.repository
    return [repo.get(hit.kind, hit.key) for hit in page.hits]


def facet_actors(
    info: Info, counts: tuple[tuple[str, int], ...], first: int
) -> list[tuple[records.Actor, int]]:
    """The first `first` entries of the index's actor facet ("crisis/slug", hits) as actor
    records, skipping any the store no longer holds. Only as many entries are read as
    are listed: a broad search at a hundred crises has thousands."""
    actors = info.context.repository.actors
    found: list[tuple[records.Actor, int]] = []
    for value, count in counts:
        if len(found) == first:
            break
        crisis, _, slug = value.partition("/")
        if (record := actors.get((crisis, slug))) is not None:
            found.append((record, count))
    return found
