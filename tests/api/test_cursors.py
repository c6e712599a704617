"""Keyset cursors across a redeploy: a cursor taken from one store continues, on a store with
records added and removed around it, right after the same record, in every order and in
both directions; when its own record is gone it is refused with a sentence."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import pytest

from data import order
from data.loader import CrisisData, load_store
from data.repository import Repository
from resolvers.context import Context
from schema import build_schema
from settings import DEFAULT_DATA_DIR, Limits

SCHEMA = build_schema(Limits(rate_limit=0))  # many small operations: no budget to run out


@dataclass(frozen=True)
class Listing:
    name: str
    field: str  # the connection, with any arguments but the page's
    table: str  # the repository's (and CrisisData's) attribute for its records
    by: order.Order[Any]
    descending: bool = False

    def operation(self) -> str:
        call = self.field.replace(")", ", ") if "(" in self.field else self.field + "("
        return (
            "query Page($first: Int, $after: String, $last: Int, $before: String) {"
            f" page: {call}first: $first, after: $after, last: $last, before: $before) {{"
            " edges { cursor node { slug } } } }"
        )

    def listed(self, repo: Repository) -> list[str]:
        """The slugs in the documented order: the oracle."""
        records = sorted(getattr(repo, self.table).values(), key=self.by.key)
        return [r.id for r in (records[::-1] if self.descending else records)]


def events(field: str, direction: str) -> Listing:
    return Listing(
        f"events by {field} {direction}",
        f"events(orderBy: {{field: {field}, direction: {direction}}})",
        "events",
        order.EVENT_ORDERS[field],
        direction == "DESC",
    )


LISTINGS = [
    events("DATE", "ASC"),
    events("DATE", "DESC"),
    events("TITLE", "ASC"),
    events("TITLE", "DESC"),
    Listing("actors", "actors", "actors", order.ACTORS),
    Listing("documents", "documents", "documents", order.DOCUMENTS),
    Listing("relations", "relations", "relations", order.RELATIONS),
    Listing("passages", "passages", "passages", order.PASSAGES),
]


@pytest.fixture(scope="module")
def store() -> list[CrisisData]:
    return load_store(DEFAULT_DATA_DIR)


def redeployed(
    store: list[CrisisData], table: str, change: Callable[[list[Any]], list[Any]]
) -> Repository:
    """The store with one table's records changed, as a new release would load it."""
    changed = []
    for crisis in store:
        copy = replace(crisis)
        setattr(copy, table, change(list(getattr(crisis, table))))
        changed.append(copy)
    return Repository(changed)


def run(repo: Repository, listing: Listing, **page: Any) -> dict[str, Any]:
    result = asyncio.run(
        SCHEMA.execute(listing.operation(), variable_values=page, context_value=Context(repo))
    )
    body: dict[str, Any] = {"data": result.data}
    if result.errors:
        body["errors"] = [e.formatted for e in result.errors]
    return body


def slugs(body: dict[str, Any]) -> list[str]:
    assert "errors" not in body, body["errors"]
    return [edge["node"]["slug"] for edge in body["data"]["page"]["edges"]]


def cursor_of(repo: Repository, listing: Listing, position: int) -> tuple[str, str]:
    """(the record at `position`, its cursor), read from the API."""
    edges = run(repo, listing, first=position + 1)["data"]["page"]["edges"]
    return edges[position]["node"]["slug"], edges[position]["cursor"]


def shuffled_around(listed: list[str], marked: str) -> Callable[[list[Any]], list[Any]]:
    """A release that drops three records before `marked` and one after it, and adds a copy
    of `marked` (sorting right beside it) and one of the second record."""
    at = listed.index(marked)
    dropped = {listed[0], listed[2], listed[at - 1], listed[at + 2]}

    def change(records: list[Any]) -> list[Any]:
        by_id = {r.id: r for r in records}
        kept = [r for r in records if r.id not in dropped]
        return [
            *kept,
            replace(by_id[marked], id=marked + "-copy"),
            replace(by_id[listed[1]], id=listed[1] + "-copy"),
        ]

    return change


@pytest.mark.parametrize("listing", LISTINGS, ids=[x.name for x in LISTINGS])
def test_a_cursor_continues_after_its_record_after_a_redeploy(
    store: list[CrisisData], repo: Repository, listing: Listing
) -> None:
    marked, cursor = cursor_of(repo, listing, 5)
    new = redeployed(store, listing.table, shuffled_around(listing.listed(repo), marked))
    now = listing.listed(new)
    at = now.index(marked)

    assert slugs(run(new, listing, first=4, after=cursor)) == now[at + 1 : at + 5]
    assert slugs(run(new, listing, last=3, before=cursor)) == now[at - 3 : at]
    # A position would have landed elsewhere: the records before it changed.
    assert now[6:10] != now[at + 1 : at + 5]


@pytest.mark.parametrize("listing", LISTINGS, ids=[x.name for x in LISTINGS])
def test_a_cursor_whose_record_is_gone_is_refused(
    store: list[CrisisData], repo: Repository, listing: Listing
) -> None:
    marked, cursor = cursor_of(repo, listing, 5)
    new = redeployed(store, listing.table, lambda rs: [r for r in rs if r.id != marked])
    for argument in ("after", "before"):
        body = run(new, listing, **{argument: cursor})
        assert body["data"] == {"page": None}
        [error] = body["errors"]
        assert error["path"] == ["page"]
        assert error["extensions"] == {"code": "BAD_USER_INPUT", "argument": argument}
        assert error["message"] == (
            f"{argument}: the {listing.by.kind} this cursor points at (mali/{marked}) is no "
            f"longer in crisisgraph, so where to continue is unknown; start again without "
            f"`{argument}`"
        )


def test_a_cursor_of_one_order_is_refused_by_another(repo: Repository) -> None:
    _, cursor = cursor_of(repo, events("DATE", "ASC"), 3)
    body = run(repo, events("TITLE", "ASC"), first=2, after=cursor)
    [error] = body["errors"]
    assert error["message"] == (
        "after: this cursor comes from a list of events by date, and this connection lists "
        "events by title: use a cursor this connection returned"
    )
    # The same order read the other way takes it: it marks a place in that order.
    marked, cursor = cursor_of(repo, events("DATE", "ASC"), 3)
    descending = events("DATE", "DESC")
    listed = descending.listed(repo)
    at = listed.index(marked)
    assert slugs(run(repo, descending, first=2, after=cursor)) == listed[at + 1 : at + 3]


def test_titles_sort_folded_and_descending_is_ascending_reversed(repo: Repository) -> None:
    ascending = events("TITLE", "ASC")
    page = slugs(run(repo, ascending, first=100))
    assert page == ascending.listed(repo)
    assert slugs(run(repo, events("TITLE", "DESC"), first=100)) == page[::-1]
