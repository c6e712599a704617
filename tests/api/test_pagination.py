"""Walk every connection forwards (first/after) and backwards (last/before), in every order:
each node comes exactly once, in one order, with a steady totalCount and the right
pageInfo at both ends."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from data.repository import Repository
from tests.conftest import GraphQLClient

PAGE = """
fragment Page on {type}Connection {{
  totalCount
  pageInfo {{ hasNextPage hasPreviousPage startCursor endCursor }}
  edges {{ cursor node {{ id }} }}
  nodes {{ id }}
}}
"""


@dataclass(frozen=True)
class Connection:
    name: str
    type: str
    query: str  # selects the connection as `page`, with $first/$after/$last/$before
    size: int  # what the store holds, from the repository

    def operation(self) -> str:
        return self.query + PAGE.format(type=self.type)


ARGS = "$first: Int, $after: String, $last: Int, $before: String"
PASSED = "first: $first, after: $after, last: $last, before: $before"


def root(field: str, type: str, extra: str = "", name: str = "") -> tuple[str, str, str]:
    query = f"query Walk({ARGS}) {{ page: {field}({extra}{PASSED}) {{ ...Page }} }}"
    return name or field, type, query


def nested(name: str, lookup: str, field: str, type: str) -> tuple[str, str, str]:
    query = f"query Walk({ARGS}) {{ {lookup} {{ page: {field}({PASSED}) {{ ...Page }} }} }}"
    return name, type, query


def events_by(field: str, direction: str) -> tuple[str, str, str]:
    extra = f"orderBy: {{field: {field}, direction: {direction}}}, "
    return root("events", "Event", extra, f"events by {field} {direction}")


# Every connection, forwards and backwards (search has its own tests: its cursors are
# positions, tests/api/test_search.py).
CONNECTIONS = [
    root("actors", "Actor"),
    root("events", "Event"),
    events_by("DATE", "DESC"),
    events_by("TITLE", "ASC"),
    events_by("TITLE", "DESC"),
    root("places", "Place"),
    root("resolutions", "Resolution"),
    root("documents", "Document"),
    root("figures", "Figure"),
    root("passages", "Passage"),
    root("relations", "Relation"),
    nested("mnla.events", 'actor(name: "MNLA")', "events", "Event"),
    nested("mnla.mentions", 'actor(name: "MNLA")', "mentions", "Passage"),
    nested("mali.events", 'place(name: "Mali")', "events", "Event"),
]


def expected_size(repo: Repository, name: str) -> int:
    if name == "mnla.events":
        return len(repo.events_by_actor[("mali", "mnla")])
    if name == "mnla.mentions":
        return len(repo.passages_by_entity[("actor", ("mali", "mnla"))])
    if name == "mali.events":
        return len(repo.events_by_place[("mali", "mali")])
    return len(getattr(repo, name.split()[0]))


def built(param: tuple[str, str, str], repo: Repository) -> Connection:
    name, type, query = param
    return Connection(name, type, query, expected_size(repo, name))


@pytest.fixture(params=CONNECTIONS, ids=[c[0] for c in CONNECTIONS])
def connection(request: pytest.FixtureRequest, repo: Repository) -> Connection:
    return built(request.param, repo)


def page_of(gql: GraphQLClient, connection: Connection, **arguments: Any) -> dict[str, Any]:
    data = gql.data(connection.operation(), arguments)
    while "page" not in data:  # a nested connection: step into the actor or place
        [data] = data.values()
    page: dict[str, Any] = data["page"]
    assert page["nodes"] == [edge["node"] for edge in page["edges"]]
    cursors = [edge["cursor"] for edge in page["edges"]]
    info = page["pageInfo"]
    assert (info["startCursor"], info["endCursor"]) == (
        (cursors[0], cursors[-1]) if cursors else (None, None)
    )
    assert page["totalCount"] == connection.size
    return page


def ids(page: dict[str, Any]) -> list[str]:
    return [node["id"] for node in page["nodes"]]


def walk_forwards(gql: GraphQLClient, connection: Connection, size: int) -> tuple[list[str], str]:
    """Every node's id in order, and the cursor of the last one."""
    seen: list[str] = []
    after = None
    while True:
        page = page_of(gql, connection, first=size, after=after)
        info = page["pageInfo"]
        assert len(page["nodes"]) == min(size, connection.size - len(seen))
        assert info["hasPreviousPage"] is (after is not None)
        seen += ids(page)
        assert info["hasNextPage"] is (len(seen) < connection.size)
        if not info["hasNextPage"]:
            return seen, info["endCursor"]
        after = info["endCursor"]


def walk_backwards(gql: GraphQLClient, connection: Connection, size: int) -> list[str]:
    seen: list[str] = []
    before = None
    while True:
        page = page_of(gql, connection, last=size, before=before)
        info = page["pageInfo"]
        assert len(page["nodes"]) == min(size, connection.size - len(seen))
        assert info["hasNextPage"] is (before is not None)
        seen = ids(page) + seen
        assert info["hasPreviousPage"] is (len(seen) < connection.size)
        if not info["hasPreviousPage"]:
            return seen
        before = info["startCursor"]


@pytest.mark.parametrize("size", [1, 7, 100])
def test_walking_forwards_returns_each_node_once(
    gql: GraphQLClient, connection: Connection, size: int
) -> None:
    assert connection.size > 1
    seen, _ = walk_forwards(gql, connection, size)
    assert len(seen) == len(set(seen)) == connection.size
    if connection.size <= 100:
        assert seen == ids(page_of(gql, connection, first=100))


@pytest.mark.parametrize("size", [1, 7, 100])
def test_walking_backwards_returns_each_node_once_in_the_same_order(
    gql: GraphQLClient, connection: Connection, size: int
) -> None:
    seen = walk_backwards(gql, connection, size)
    assert len(seen) == len(set(seen)) == connection.size
    assert seen == walk_forwards(gql, connection, 100)[0]


def test_after_the_last_cursor_comes_an_empty_page(
    gql: GraphQLClient, connection: Connection
) -> None:
    _, end = walk_forwards(gql, connection, 100)
    page = page_of(gql, connection, first=5, after=end)
    assert page["nodes"] == []
    assert page["pageInfo"] == {
        "hasNextPage": False,
        "hasPreviousPage": True,
        "startCursor": None,
        "endCursor": None,
    }


def test_a_cursor_from_the_middle_pages_on_from_there(
    gql: GraphQLClient, connection: Connection
) -> None:
    everything, _ = walk_forwards(gql, connection, 100)
    assert len(everything) >= 3
    first = page_of(gql, connection, first=1)
    rest = page_of(gql, connection, first=2, after=first["edges"][0]["cursor"])
    assert ids(first) + ids(rest) == everything[:3]
    before = page_of(gql, connection, last=1, before=rest["edges"][1]["cursor"])
    assert ids(before) == everything[1:2]
    assert (before["pageInfo"]["hasPreviousPage"], before["pageInfo"]["hasNextPage"]) == (
        True,
        True,
    )
    between = page_of(
        gql,
        connection,
        first=10,
        after=first["edges"][0]["cursor"],
        before=rest["edges"][1]["cursor"],
    )
    assert ids(between) == everything[1:2]


def test_an_empty_connection_has_no_cursors(gql: GraphQLClient) -> None:
    data = gql.data(
        """
        query Nobody($name: String!) {
          actors(filter: {name: $name}, first: 5) {
            totalCount edges { cursor } nodes { id }
            pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
          }
        }
        """,
        {"name": "no such name anywhere"},
    )
    assert data == {
        "actors": {
            "totalCount": 0,
            "edges": [],
            "nodes": [],
            "pageInfo": {
                "hasNextPage": False,
                "hasPreviousPage": False,
                "startCursor": None,
                "endCursor": None,
            },
        }
    }
