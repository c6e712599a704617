"""Only validated documents are cached, within a budget of bytes."""

from __future__ import annotations

import asyncio
from typing import Any

from graphql import parse

from data.repository import Repository
from resolvers.context import Context
from schema import build_schema
from schema.document_cache import BYTES_PER_CHAR, MAX_ERRORS, DocumentCache
from settings import Limits


def test_the_cache_evicts_the_least_recently_used_to_stay_within_its_bytes() -> None:
    cache = DocumentCache(max_bytes=1_000 * BYTES_PER_CHAR)
    texts = [f"query Q{i} {{ crises {{ slug }} {' ' * 90}}}" for i in range(12)]
    for text in texts[:8]:
        cache.put(text, parse(text))
    assert cache.get(texts[0]) is not None  # now the most recently used
    for text in texts[8:]:
        cache.put(text, parse(text))
    assert cache.bytes <= cache.max_bytes
    assert cache.bytes == sum(len(t) for t in texts if cache.get(t)) * BYTES_PER_CHAR
    assert cache.get(texts[0]) is not None and cache.get(texts[1]) is None


def test_a_document_too_large_for_its_share_is_not_kept() -> None:
    cache = DocumentCache(max_bytes=8_000 * BYTES_PER_CHAR)
    text = "query Big { crises { slug } }" + " " * 1_100
    cache.put(text, parse(text))
    assert len(cache) == 0 and cache.bytes == 0


def run(schema: Any, repo: Repository, query: str) -> Any:
    return asyncio.run(schema.execute(query, context_value=Context(repo)))


def test_only_documents_that_validate_are_cached(repo: Repository) -> None:
    schema = build_schema(Limits(rate_limit=0))
    for i in range(50):
        assert run(schema, repo, f"query Bad{i} {{ crises {{ nope{i} }} }}").errors
        assert run(schema, repo, f"query Deep{i} {{ {'crises {' * 13} }}").errors
    assert len(schema.documents) == 0 and schema.documents.bytes == 0
    good = "query Good { crises { slug } }"
    assert not run(schema, repo, good).errors
    assert len(schema.documents) == 1
    assert schema.documents.bytes == len(good) * BYTES_PER_CHAR


def test_validation_stops_after_a_few_errors(repo: Repository) -> None:
    schema = build_schema(Limits(rate_limit=0))
    fields = " ".join(f"noSuchField{i}" for i in range(60))
    errors = run(schema, repo, f"query Misspelt {{ crises {{ {fields} }} }}").errors
    assert len(errors) == MAX_ERRORS + 1
    assert "error limit reached" in errors[-1].message


def test_compiled_selection_sets_are_bounded_by_their_lines(repo: Repository) -> None:
    from schema.execution_compile import MAX_COMPILED_LINES, compiled_lines

    schema = build_schema(Limits(rate_limit=0))
    for i in range(60):  # distinct shapes: 60 x 50 fields, each a few lines of code
        fields = " ".join(f"a{i}x{j}: slug" for j in range(50))
        assert not run(schema, repo, f"query Q{i} {{ crises {{ {fields} }} }}").errors
        assert compiled_lines() <= MAX_COMPILED_LINES
    assert compiled_lines() > 0
