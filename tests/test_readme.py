"""The README's examples run, so they cannot drift from the API."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import pytest
from ruamel.yaml import YAML
from starlette.testclient import TestClient

from data import summary
from data.__main__ import main as data_main
from data.loader import load_store
from data.repository import Repository
from data.terms import terms_of
from settings import DEFAULT_DATA_DIR
from tests.conftest import GraphQLClient

README = Path(__file__).resolve().parent.parent / "README.md"
EXAMPLES = re.findall(r"```graphql\n(.*?)```", README.read_text(encoding="utf-8"), re.S)


def test_the_readme_has_examples() -> None:
    assert len(EXAMPLES) >= 3


@pytest.mark.parametrize("query", EXAMPLES, ids=lambda q: q.split("{")[0].strip() or "anonymous")
def test_readme_example_runs(gql: GraphQLClient, query: str) -> None:
    data = gql.data(query)
    assert data and all(value not in (None, [], {}) for value in data.values())


# -- what the README states, checked against the store and the API ------------------


def how_to_cite() -> str:
    """The README's "How to cite" section, its quoted lines joined as they read."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## How to cite") : text.index("## Layout")]
    return " ".join(section.replace("\n> ", " ").split())


def test_the_data_table_is_what_the_store_holds() -> None:
    text = README.read_text(encoding="utf-8")
    assert summary.written_in(text) == summary.block(load_store(DEFAULT_DATA_DIR))


def test_the_counts_command_rewrites_the_table(tmp_path: Path) -> None:
    stale = tmp_path / "README.md"
    text = README.read_text(encoding="utf-8")
    stale.write_text(
        text.replace(
            summary.block(load_store(DEFAULT_DATA_DIR)), f"{summary.BEGIN}\nold\n{summary.END}"
        ),
        encoding="utf-8",
    )
    assert summary.written_in(stale.read_text(encoding="utf-8")) != summary.written_in(text)
    assert data_main(["counts", "--write", str(stale)]) == 0
    assert stale.read_text(encoding="utf-8") == text


def test_the_record_citation_quotes_its_passage_and_its_permalink_works(
    client: TestClient, repo: Repository
) -> None:
    cite = how_to_cite()
    [permalink] = re.findall(r"<(http://127\.0\.0\.1:8000/graphql\?query=[^>]+)>", cite)
    response = client.get(permalink.removeprefix("http://127.0.0.1:8000"))
    assert response.status_code == 200
    body = response.json()
    assert "errors" not in body, body
    node = body["data"]["node"]
    [(quote, seq, passage_id)] = re.findall(
        r'One fact:.*?: "([^"]+)" \(.*?paragraph (\d+), passage `([\w-]+)`', cite
    )
    assert {"quote": quote, "passage": {"seq": int(seq)}} in node["evidence"]
    assert repo.passage_of("mali", passage_id).seq == int(seq)
    assert f'event "{node["title"]}"' in cite
    [node_id] = re.findall(r"id `([A-Za-z0-9]+)`", cite)
    assert f'node(id:"{node_id}")' in unquote(permalink)


def test_the_dataset_citation_matches_citation_cff_and_the_terms(repo: Repository) -> None:
    cite = how_to_cite()
    cff = YAML(typ="safe").load((README.parent / "CITATION.cff").read_text(encoding="utf-8"))
    terms = terms_of(repo, "mali")
    for fact in (
        cff["title"],
        f"version {cff['version']}",
        terms.licence.short_name,
        str(terms.source_url),
        str(terms.source_publisher),
    ):
        assert fact in cite, fact
