"""Search does the work of highlights only when a query selects them."""

from __future__ import annotations

import asyncio
from typing import Any
from unittest import mock

import pytest

from data.repository import Repository
from index.lifecycle import ensure_index
from index.search import SearchIndex
from resolvers.context import Context
from schema import build_schema


@pytest.fixture(scope="module")
def search_index(repo: Repository, tmp_path_factory: pytest.TempPathFactory) -> Any:
    index = ensure_index(repo, tmp_path_factory.mktemp("selection-index"))
    yield index
    index.close()


PLAIN = 'query S { search(query: "refugees", first: 3) { totalCount edges { score } } }'
MARKED = """
query S { search(query: "refugees", first: 3) { edges { ...Hit } } }
fragment Hit on SearchEdge { score highlights { fragment } }
"""


@pytest.mark.parametrize(("text", "wanted"), [(PLAIN, False), (MARKED, True)])
def test_highlights_are_made_only_when_selected(
    repo: Repository,
    search_index: SearchIndex,
    text: str,
    wanted: bool,
) -> None:
    calls: list[Any] = []
    original = SearchIndex.search

    def spy(self: SearchIndex, query: str, **kwargs: Any) -> Any:
        calls.append(kwargs["highlight"])
        return original(self, query, **kwargs)

    with mock.patch.object(SearchIndex, "search", spy):
        context = Context(repo, search_index)
        result = asyncio.run(build_schema().execute(text, context_value=context))
    assert not result.errors
    assert calls == [wanted]
    if wanted:
        edges = result.data["search"]["edges"]  # type: ignore[index]
        assert all(edge["highlights"] for edge in edges)
