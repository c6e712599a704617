"""Walk every connection forwards (first/after) and, where offered, backwards (last/before):
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
    query: str  # selects the connection as `page`, with $first/$after (and $last/$before)
    backwards: bool
    size: int  # what the store holds, from the repository

    def operation(self) -> str:
        return self.query + PAGE.format(type=self.type)


def root(field: str, type: str, *, backwards: bool) -> tuple[str, str, str, bool]:
    args = "$first: Int, $after: String" + (", $last: Int, $before: String" if backwards else "")
    passed = "first: $first, after: $after" + (
        ", last: $last, before: $before" if backwards else ""
    )
    query = f"query Walk({args}) {{ page: {field}({passed}) {{ ...Page }} }}"
    return field, type, query, backwards


def nested(name: str, lookup: str, field: str, type: str) -> tuple[str, str, str, bool]:
    query = (
        f"query Walk($first: Int, $after: String) {{ {lookup} {{ "
        f"page: {field}(first: $first, after: $after) {{ ...Page }} }} }}"
    )
    return name, type, query, False


CONNECTIONS = [
    root("actors", "Actor", backwards=True),
    root("events", "Event", backwards=True),
    root("places", "Place", backwards=True),
    root("resolutions", "Resolution", backwards=False),
    root("documents", "Document", backwards=False),
    root("figures", "Figure", backwards=False),
    root("passages", "Passage", backwards=False),
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
    return len(getattr(repo, name))


def built(param: tuple[str, str, str, bool], repo: Repository) -> Connection:
    name, type, query, backwards = param
    return Connection(name, type, query, backwards, expected_size(repo, name))


@pytest.fixture(params=CONNECTIONS, ids=[c[0] for c in CONNECTIONS])
def connection(request: pytest.FixtureRequest, repo: Repository) -> Connection:
    return built(request.param, repo)


BACKWARDS = [c for c in CONNECTIONS if c[3]]  # API.md gives the others first/after only


@pytest.fixture(params=BACKWARDS, ids=[c[0] for c in BACKWARDS])
def backward_connection(request: pytest.FixtureRequest, repo: Repository) -> Connection:
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
    gql: GraphQLClient, backward_connection: Connection, size: int
) -> None:
    seen = walk_backwards(gql, backward_connection, size)
    assert len(seen) == len(set(seen)) == backward_connection.size
    assert seen == walk_forwards(gql, backward_connection, 100)[0]


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
    first = page_of(gql, connection, first=2)
    rest = page_of(gql, connection, first=3, after=first["edges"][1]["cursor"])
    assert ids(first) + ids(rest) == everything[:5]
    if connection.backwards:
        before = page_of(gql, connection, last=2, before=rest["edges"][2]["cursor"])
        assert ids(before) == everything[2:4]
        assert (before["pageInfo"]["hasPreviousPage"], before["pageInfo"]["hasNextPage"]) == (
            True,
            True,
        )


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
