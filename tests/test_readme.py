"""The README's examples run, so they cannot drift from the API."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import GraphQLClient

README = Path(__file__).resolve().parent.parent / "README.md"
EXAMPLES = re.findall(r"```graphql\n(.*?)```", README.read_text(encoding="utf-8"), re.S)


def test_the_readme_has_examples() -> None:
    assert len(EXAMPLES) >= 3


@pytest.mark.parametrize("query", EXAMPLES, ids=lambda q: q.split("{")[0].strip() or "anonymous")
def test_readme_example_runs(gql: GraphQLClient, query: str) -> None:
    data = gql.data(query)
    assert data and all(value not in (None, [], {}) for value in data.values())
