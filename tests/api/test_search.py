"""The `search` field end to end: ranking, highlights, facets, pagination, bad queries."""

from __future__ import annotations

import html
from typing import Any

import pytest

from data.repository import Repository
from resolvers.pages import position_cursor
from tests.conftest import GraphQLClient

SEARCH = """
query Search($q: String!, $filter: SearchFilter, $first: Int, $after: String) {
  search(query: $q, filter: $filter, first: $first, after: $after) {
    totalCount suggestion corrected mode
    pageInfo { hasNextPage hasPreviousPage endCursor }
    edges {
      cursor score
      highlights { field fragment }
      node {
        __typename
        ... on Passage { id seq text }
        ... on Actor { slug name }
        ... on Place { slug name }
        ... on Event { id title }
      }
    }
    facets {
      types { type count }
      years { value count }
      actors { actor { slug } count }
      sections { value count }
    }
  }
}
"""


def search(gql: GraphQLClient, q: str, **variables: Any) -> dict[str, Any]:
    result: dict[str, Any] = gql.data(SEARCH, {"q": q, **variables})["search"]
    return result


def passage_seqs(result: dict[str, Any]) -> list[int]:
    return [e["node"]["seq"] for e in result["edges"] if e["node"]["__typename"] == "Passage"]


@pytest.mark.parametrize(
    ("query", "seq", "within"),
    [
        ("child soldiers", 10, 1),  # "the use of child soldiers"
        ("Verite", 28, 1),  # Commission Vérité, Justice et Réconciliation
        ('"peace enforcement"', 14, 1),
        # Misspelt, corrected to Ouagadougou: p23 signs the agreement there, p20 cites it.
        ("Ouagadugu", 23, 2),
        # The page calls him IBK once (p25); the alias also finds "Keita", elected in p23.
        ("IBK", 23, 3),
    ],
)
def test_the_right_passage_comes_first(
    gql: GraphQLClient, query: str, seq: int, within: int
) -> None:
    result = search(gql, query, filter={"types": ["PASSAGE"]})
    assert seq in passage_seqs(result)[:within], (query, passage_seqs(result))


def test_an_acronym_finds_its_actor_first(gql: GraphQLClient) -> None:
    result = search(gql, "IBK", filter={"types": ["ACTOR"]})
    assert result["edges"][0]["node"]["slug"] == "ibrahim-boubacar-keita"


def test_a_misspelling_is_corrected_and_said(gql: GraphQLClient) -> None:
    result = search(gql, "Ouagadugu")
    assert result["suggestion"] == "Ouagadougou"
    assert result["corrected"] is True
    assert result["totalCount"] > 0


def test_highlights_mark_the_words_and_escape_the_rest(gql: GraphQLClient) -> None:
    result = search(gql, "child soldiers", filter={"types": ["PASSAGE"]})
    fragment = result["edges"][0]["highlights"][0]["fragment"]
    assert "<mark>child</mark> <mark>soldiers</mark>" in fragment
    bare = fragment.replace("<mark>", "").replace("</mark>", "")
    assert "<" not in bare and ">" not in bare
    assert html.unescape(bare).strip("…") in result["edges"][0]["node"]["text"]


def test_facets_count_every_hit_not_just_the_page(gql: GraphQLClient) -> None:
    result = search(gql, "MINUSMA", first=2)
    assert result["totalCount"] > 2
    assert sum(f["count"] for f in result["facets"]["types"]) == result["totalCount"]
    assert result["facets"]["years"] and result["facets"]["actors"]


FACET_LISTS = """
query Facets($q: String!, $actors: Int!, $sections: Int!) {
  search(query: $q, first: 1) {
    facets {
      actorCount sectionCount
      actors(first: $actors) { count actor { slug } }
      sections(first: $sections) { value count }
      all: actors(first: 100) { count actor { slug } }
      default: actors { count actor { slug } }
    }
  }
}
"""


def test_facet_lists_are_bounded_and_say_how_many_there_are(gql: GraphQLClient) -> None:
    facets = gql.data(FACET_LISTS, {"q": "Mali", "actors": 3, "sections": 2})["search"]["facets"]
    everyone = facets["all"]
    assert facets["actorCount"] == len(everyone) > 20  # Mali's 83 actors fit in 100
    assert facets["default"] == everyone[:20]  # 20 unless asked, as a page
    assert facets["actors"] == everyone[:3]  # the most frequent, in the same order
    counts = [f["count"] for f in everyone]
    assert counts == sorted(counts, reverse=True)
    assert len(facets["sections"]) == 2 < facets["sectionCount"]
    only_counts = gql.data(FACET_LISTS, {"q": "Mali", "actors": 0, "sections": 0})
    assert only_counts["search"]["facets"]["actors"] == []
    assert only_counts["search"]["facets"]["actorCount"] == facets["actorCount"]


@pytest.mark.parametrize("size", [-1, 101, 2**31 - 1])
def test_a_facet_list_past_a_page_is_refused(gql: GraphQLClient, size: int) -> None:
    errors = gql.errors(FACET_LISTS, {"q": "Mali", "actors": size, "sections": 1})
    assert errors[0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "0 to 100" in errors[0]["message"]


def test_pages_walk_the_ranked_list_once(gql: GraphQLClient) -> None:
    first = search(gql, "Mali", first=100)
    seen: list[str] = []
    after = None
    while True:
        page = search(gql, "Mali", first=7, after=after)
        seen += [e["cursor"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == len(set(seen)) == first["totalCount"]


def test_filters_narrow_by_type_crisis_and_date(gql: GraphQLClient, repo: Repository) -> None:
    result = search(gql, "Kidal", filter={"types": ["EVENT"], "from": "2014", "to": "2014"})
    assert result["totalCount"] > 0
    for edge in result["edges"]:
        assert edge["node"]["__typename"] == "Event"
        event = next(e for e in repo.event_list if e.title == edge["node"]["title"])
        assert event.span.last is not None and event.span.last.year >= 2014
        assert event.date.first_day.year <= 2014


@pytest.mark.parametrize(
    "query", ['"unbalanced', "(MNLA", "AND", "*", "-", "ab*", "x" * 2000, "OR Gao"]
)
def test_bad_queries_say_what_is_wrong(gql: GraphQLClient, query: str) -> None:
    errors = gql.errors(SEARCH, {"q": query})
    assert errors[0]["extensions"]["code"] in {"BAD_USER_INPUT", "QUERY_TOO_COMPLEX"}
    assert "Traceback" not in errors[0]["message"]
    assert errors[0]["message"].startswith("query:")


def test_an_unknown_crisis_is_a_clear_error(gql: GraphQLClient) -> None:
    errors = gql.errors(SEARCH, {"q": "Gao", "filter": {"crisis": "atlantis"}})
    assert errors[0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "mali" in errors[0]["message"]


PAGE = """
query Page($q: String!, $first: Int, $after: String, $last: Int, $before: String) {
  search(query: $q, first: $first, after: $after, last: $last, before: $before) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { __typename ... on Node { id } } }
    nodes { __typename ... on Node { id } }
  }
}
"""


def page(gql: GraphQLClient, **variables: Any) -> dict[str, Any]:
    found: dict[str, Any] = gql.data(PAGE, {"q": "Kidal", **variables})["search"]
    assert found["nodes"] == [edge["node"] for edge in found["edges"]]
    return found


def ids(found: dict[str, Any]) -> list[str]:
    return [node["id"] for node in found["nodes"]]


def test_search_pages_backwards_with_last_and_before(gql: GraphQLClient) -> None:
    ranked = ids(page(gql, first=100))
    assert 10 < len(ranked) < 100  # all of them on one page
    seen: list[str] = []
    before = None
    while True:
        found = page(gql, last=7, before=before)
        assert len(found["nodes"]) == min(7, len(ranked) - len(seen))
        assert found["pageInfo"]["hasNextPage"] is (before is not None)
        seen = ids(found) + seen
        if not found["pageInfo"]["hasPreviousPage"]:
            break
        before = found["pageInfo"]["startCursor"]
    assert seen == ranked


def test_search_pages_between_two_cursors(gql: GraphQLClient) -> None:
    ranked = page(gql, first=10)
    after, before = ranked["edges"][2]["cursor"], ranked["edges"][7]["cursor"]
    assert ids(page(gql, first=3, after=after, before=before)) == ids(ranked)[3:6]
    assert ids(page(gql, last=3, after=after, before=before)) == ids(ranked)[4:7]
    last = page(gql, last=2, after=after, before=before)
    assert (last["pageInfo"]["hasPreviousPage"], last["pageInfo"]["hasNextPage"]) == (True, True)


def test_search_cursors_are_positions(gql: GraphQLClient) -> None:
    """Ranking can change between releases, so search keeps position cursors (README)."""
    cursors = [edge["cursor"] for edge in page(gql, first=3)["edges"]]
    assert cursors == [position_cursor(i) for i in range(3)]
