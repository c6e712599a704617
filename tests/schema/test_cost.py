"""The cost model prices what a response will hold, after fragments are expanded."""

from __future__ import annotations

import gc
from typing import Any

import pytest
from graphql import parse

from schema import build_schema
from schema.cost import LIST_FANOUT, PAGE_WEIGHTS, WEIGHTS, CostCache, operation_cost
from settings import Limits


@pytest.fixture(scope="module")
def graphql_schema() -> Any:
    return build_schema(Limits())._schema


def cost(
    schema: Any, query: str, variables: dict[str, Any] | None = None, name: str | None = None
) -> int:
    return operation_cost(schema, parse(query), name, variables)


def test_every_value_and_object_counts_once_per_appearance(graphql_schema: Any) -> None:
    assert cost(graphql_schema, 'query Q { crisis(slug: "mali") { slug name } }') == 3
    # A page: the connection, a count, and its `nodes`: 7 objects of 2 values each.
    page = "query Q { actors(first: 7) { totalCount nodes { slug name } } }"
    assert cost(graphql_schema, page) == 1 + 1 + 7 * (1 + 2)


def test_page_sizes_multiply_and_default_to_twenty(graphql_schema: Any) -> None:
    nested = "query Q { actors(first: 10) { nodes { events(first: 5) { nodes { title } } } } }"
    assert cost(graphql_schema, nested) == 1 + 10 * (1 + 1 + 5 * 2)
    assert cost(graphql_schema, "query Q { actors { nodes { slug } } }") == 1 + 20 * 2
    variable = "query Q($n: Int) { actors(first: $n) { nodes { slug } } }"
    assert cost(graphql_schema, variable, {"n": 3}) == 1 + 3 * 2


def test_plain_lists_count_as_their_fanout(graphql_schema: Any) -> None:
    query = 'query Q { actor(name: "MNLA") { relations { kind } } }'
    assert cost(graphql_schema, query) == 1 + LIST_FANOUT * 2


def test_facet_lists_count_as_many_as_they_may_hold(graphql_schema: Any) -> None:
    def facets(selection: str) -> int:
        return cost(
            graphql_schema, f'query Q {{ search(query: "x") {{ facets {{ {selection} }} }} }}'
        )

    bare = facets("actorCount")
    # Each value listed is an object and its count: 2 points.
    assert facets("actorCount actors(first: 7) { count }") == bare + 7 * 2
    assert facets("actorCount actors { count }") == bare + 20 * 2  # the default, 20
    assert facets("actorCount actors(first: 100000) { count }") == bare + 100 * 2  # refused
    assert facets("actorCount sections(first: 0) { count }") == bare


def test_aliases_inside_fragments_count_where_they_land(graphql_schema: Any) -> None:
    flat = 'query Q { actor(name: "MNLA") { a: name b: name c: name } }'
    spread = (
        'query Q { actor(name: "MNLA") { ...F } } fragment F on Actor { a: name b: name c: name }'
    )
    assert cost(graphql_schema, flat) == cost(graphql_schema, spread) == 4
    # Nine aliases of a fragment of nine aliases: eighty-one leaves per parent.
    inner = " ".join(f"b{i}: text" for i in range(9))
    outer = " ".join(f"a{i}: passage {{ ...B }}" for i in range(9))
    query = (
        'query Q { actor(name: "MNLA") { evidence { ...A } } } '
        f"fragment A on Evidence {{ {outer} }} fragment B on Passage {{ {inner} }}"
    )
    text = 1 + WEIGHTS[("Passage", "text")]
    assert cost(graphql_schema, query) == 1 + LIST_FANOUT * (1 + 9 * (1 + 9 * text))


def test_a_doubling_fragment_chain_is_priced_in_linear_time(graphql_schema: Any) -> None:
    fragments = ["fragment F0 on Query { crises { slug } }"]
    fragments += [f"fragment F{i} on Query {{ ...F{i - 1} ...F{i - 1} }}" for i in range(1, 200)]
    # A fragment spread twice in one selection set is its fields once, as executed.
    query = "query Bomb { ...F199 } " + " ".join(fragments)
    assert cost(graphql_schema, query) == LIST_FANOUT * 2


def test_search_is_weighted_by_its_page_and_facets(graphql_schema: Any) -> None:
    bare = 'query Q { search(query: "Gao", first: 10) { totalCount } }'
    per_hit = PAGE_WEIGHTS[("Query", "search")]
    assert cost(graphql_schema, bare) == 1 + WEIGHTS[("Query", "search")] + 10 * per_hit + 1
    faceted = (
        'query Q { search(query: "Gao", first: 10) { totalCount facets { types { count } } } }'
    )
    assert cost(graphql_schema, faceted) - cost(graphql_schema, bare) == (
        1 + WEIGHTS[("SearchConnection", "facets")] + LIST_FANOUT * 2
    )


def test_highlights_are_priced_per_edge_only_when_selected(graphql_schema: Any) -> None:
    edges = 'query Q { search(query: "Gao", first: 10) { edges { score } } }'
    marked = 'query Q { search(query: "Gao", first: 10) { edges { score highlights { field } } } }'
    per_edge = WEIGHTS[("SearchEdge", "highlights")]
    # highlights is a plain list: LIST_FANOUT of them, each a weight and one field
    assert cost(graphql_schema, marked) - cost(graphql_schema, edges) == (
        10 * LIST_FANOUT * (1 + per_edge + 1)
    )


def test_only_the_chosen_operation_is_priced(graphql_schema: Any) -> None:
    two = "query A { crises { slug } } query B { actors(first: 100) { nodes { slug } } }"
    assert cost(graphql_schema, two, name="A") == LIST_FANOUT * 2
    assert cost(graphql_schema, two, name="B") == 1 + 100 * 2
    assert cost(graphql_schema, two, name="C") == 0


def test_introspection_costs_a_fixed_amount(graphql_schema: Any) -> None:
    from graphql import get_introspection_query

    assert cost(graphql_schema, get_introspection_query()) == 100


PAGED_SEARCH = """
query S($q: String!, $n: Int, $ids: [ID!]!) {
  search(query: $q, first: $n) { totalCount edges { score } }
  nodes(ids: $ids) { id }
}
"""


def test_the_cache_prices_like_the_walk_and_keys_on_the_variables_that_count(
    graphql_schema: Any,
) -> None:
    cache = CostCache()
    document = parse(PAGED_SEARCH)
    asked: list[dict[str, Any]] = [
        {"q": "refugees", "n": 10, "ids": ["a"]},
        {"q": "peace agreement", "n": 10, "ids": ["a"]},  # another query string: same price
        {"q": "refugees", "n": 50, "ids": ["a"]},
        {"q": "refugees", "n": 10, "ids": ["a", "b", "c"]},
        {"q": "refugees", "n": None, "ids": []},
    ]
    for variables in asked:
        expected = operation_cost(graphql_schema, document, None, variables)
        assert cache.cost(graphql_schema, document, None, variables) == expected
    (prices,) = cache.entries.values()
    assert prices.reads[None] == ("ids", "n")  # `q` does not change the price
    assert len(prices.costs[None]) == 4  # the two query strings shared one entry


def test_the_cache_forgets_a_document_once_it_is_gone(graphql_schema: Any) -> None:
    cache = CostCache(documents=2)
    first = parse("query Q { actors(first: 3) { nodes { slug } } }")
    assert cache.cost(graphql_schema, first, None, {}) == 1 + 3 * 2
    del first
    gc.collect()
    # A new document may reuse the old one's id(): its own price is computed.
    for size in (5, 7, 9):
        document = parse(f"query Q {{ actors(first: {size}) {{ nodes {{ slug }} }} }}")
        assert cache.cost(graphql_schema, document, None, {}) == 1 + size * 2
    assert len(cache.entries) <= 2


def test_a_price_is_kept_by_the_size_of_a_list_not_its_contents(graphql_schema: Any) -> None:
    cache = CostCache()
    document = parse(PAGED_SEARCH)
    long_ids = ["x" * 500 for _ in range(100)]
    for ids in (long_ids, ["y" * 500 for _ in range(100)], ["a"]):
        variables = {"q": "refugees", "n": 10, "ids": ids}
        expected = operation_cost(graphql_schema, document, None, variables)
        assert cache.cost(graphql_schema, document, None, variables) == expected
    (prices,) = cache.entries.values()
    assert len(prices.costs[None]) == 2  # 100 IDs twice, then one
    assert all(len(repr(key)) < 100 for key in prices.costs[None])
