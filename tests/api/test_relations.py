"""The root `relations` connection on the Mali store, against the store's own JSON: every
filter, the "in force on a date" rule with and without undated relations, and the same
answers as `Actor.relations`."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from data.dates import PartialDate
from settings import DEFAULT_DATA_DIR
from tests.conftest import GraphQLClient

RELATIONS = """
query Relations($filter: RelationFilter, $first: Int) {
  relations(filter: $filter, first: $first) {
    totalCount
    nodes { id slug kind subject { slug } object { slug } start { iso } end { iso } }
  }
}
"""


def stored() -> list[dict[str, Any]]:
    """relations.json, in the documented order: by start (unknown first), then slug."""
    text = (DEFAULT_DATA_DIR / "mali" / "relations.json").read_text("utf-8")
    relations: list[dict[str, Any]] = json.loads(text)

    def start(r: dict[str, Any]) -> tuple[int, ...]:
        return PartialDate.parse(r["start"]).sort_key if r.get("start") else (0, 0, 0)

    return sorted(relations, key=lambda r: (start(r), r["id"]))


def held_on(relation: dict[str, Any], day: str) -> bool:
    start = relation.get("start") and PartialDate.parse(relation["start"])
    end = relation.get("end") and PartialDate.parse(relation["end"])
    when = PartialDate.parse(day)
    return (not start or start.first_day <= when.last_day) and (
        not end or when.first_day <= end.last_day
    )


def node_of(relation: dict[str, Any]) -> dict[str, Any]:
    raw = f"Relation:mali:{relation['id']}".encode()
    return {
        "id": base64.urlsafe_b64encode(raw).decode().rstrip("="),
        "slug": relation["id"],
        "kind": relation["kind"],
        "subject": {"slug": relation["subject"]},
        "object": {"slug": relation["object"]},
        "start": {"iso": relation["start"]} if relation.get("start") else None,
        "end": {"iso": relation["end"]} if relation.get("end") else None,
    }


def expected(relations: list[dict[str, Any]]) -> dict[str, Any]:
    return {"relations": {"totalCount": len(relations), "nodes": [node_of(r) for r in relations]}}


def actor_id(slug: str) -> str:
    return base64.urlsafe_b64encode(f"Actor:mali:{slug}".encode()).decode().rstrip("=")


def test_every_relation_in_order(gql: GraphQLClient) -> None:
    data = gql.data(RELATIONS, {"filter": {"crisis": "mali"}, "first": 100})
    assert data == expected(stored())
    assert len(stored()) > 20


@pytest.mark.parametrize("at", ["2012-05-01", "2013-01", "2014", None])
@pytest.mark.parametrize("undated", [True, False, None])
def test_in_force_on_a_date_with_and_without_undated(
    gql: GraphQLClient, at: str | None, undated: bool | None
) -> None:
    relation_filter: dict[str, Any] = {"at": at}
    if undated is not None:
        relation_filter["includeUndated"] = undated
    data = gql.data(RELATIONS, {"filter": relation_filter, "first": 100})
    wanted = [
        r
        for r in stored()
        if (at is None or held_on(r, at))
        and (undated is not False or r.get("start") or r.get("end"))
    ]
    assert data == expected(wanted)


def test_undated_relations_are_what_include_undated_false_leaves_out(gql: GraphQLClient) -> None:
    everything = gql.data(RELATIONS, {"first": 100})["relations"]["nodes"]
    strict = gql.data(RELATIONS, {"filter": {"includeUndated": False}, "first": 100})
    left_out = [n for n in everything if n not in strict["relations"]["nodes"]]
    assert left_out  # the store has relations the page gives no dates for
    assert all(n["start"] is None and n["end"] is None for n in left_out)


@pytest.mark.parametrize("slug", ["mnla", "ansar-dine", "coordination", "government-of-mali"])
def test_by_actor_and_kind(gql: GraphQLClient, slug: str) -> None:
    mine = [r for r in stored() if slug in (r["subject"], r["object"])]
    assert mine
    data = gql.data(RELATIONS, {"filter": {"actor": actor_id(slug)}, "first": 100})
    assert data == expected(mine)
    kinds = sorted({r["kind"] for r in mine})[:1]
    data = gql.data(RELATIONS, {"filter": {"actor": actor_id(slug), "kinds": kinds}})
    assert data == expected([r for r in mine if r["kind"] in kinds][:20])


ACTOR_RELATIONS = """
query Both($name: String!, $actor: ID!, $at: String) {
  actor(name: $name) { relations(at: $at) { slug } }
  relations(filter: {actor: $actor, at: $at}, first: 100) { nodes { slug } }
}
"""


@pytest.mark.parametrize("at", ["2012-05-01", "2013-06", "2014", None])
def test_the_same_rule_as_actor_relations(gql: GraphQLClient, at: str | None) -> None:
    """Actor.relations and the root connection share resolvers.relations.in_force."""
    compared = 0
    for slug in {r["subject"] for r in stored()}:
        data = gql.data(ACTOR_RELATIONS, {"name": slug, "actor": actor_id(slug), "at": at})
        if data["actor"] is None:
            continue  # a slug that is not also a name: looked up by name only
        assert data["actor"]["relations"] == data["relations"]["nodes"], slug
        compared += 1
    assert compared >= 5


def test_a_relation_is_a_node(gql: GraphQLClient) -> None:
    [first] = stored()[:1]
    ident = node_of(first)["id"]
    data = gql.data(
        "query Node($id: ID!) { node(id: $id) { __typename id ... on Relation { slug } } }",
        {"id": ident},
    )
    assert data == {"node": {"__typename": "Relation", "id": ident, "slug": first["id"]}}


@pytest.mark.parametrize(
    ("relation_filter", "message"),
    [
        ({"at": "May 2012"}, "at: 'May 2012' is not a date"),
        ({"crisis": "atlantis"}, "crisis: no crisis 'atlantis'"),
        (
            {"actor": base64.urlsafe_b64encode(b"Place:mali:gao").decode()},
            "actor: expected an Actor ID",
        ),
    ],
)
def test_bad_filters_null_the_field_with_an_error(
    gql: GraphQLClient, relation_filter: dict[str, Any], message: str
) -> None:
    body = gql.run(RELATIONS, {"filter": relation_filter})
    assert body["data"] == {"relations": None}
    [error] = body["errors"]
    assert error["path"] == ["relations"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["message"].startswith(message)


def test_the_oracle_reads_dates_as_the_api_does() -> None:
    """held_on above is the test's own reading of "in force"; check it on a known case."""
    relation = {"start": "2012", "end": "2012-06"}
    assert held_on(relation, "2012-06-30") and not held_on(relation, "2012-07-01")
    assert held_on(relation, "2011-12") is False and held_on({}, "1900") is True
