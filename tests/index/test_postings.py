"""A word's postings as arrays: Whoosh's documents and its scorer's scores, read once,
and dropped when they outgrow their bound."""

from __future__ import annotations

import pytest

import index.postings
from index.postings import PostingCache
from index.search import SearchIndex


def test_postings_and_scores_are_whooshs(mali_index: SearchIndex) -> None:
    """Every word of every scored field: the block-at-a-time reading and the scoring of
    all postings at once give what Whoosh's matcher and scorer give one at a time."""
    snapshot = mali_index._current()
    compared = 0
    with snapshot.searcher() as searcher:
        reader = searcher.reader()
        cache = PostingCache(reader, searcher.weighting)
        for field in ("title", "aliases", "body", "entities", "uid", "kind"):
            for btext in reader.lexicon(field):
                text = btext.decode()
                matcher = reader.postings(
                    field, btext, scorer=searcher.weighting.scorer(searcher, field, btext)
                )
                expected = []
                while matcher.is_active():
                    expected.append((matcher.id(), matcher.score()))
                    matcher.next()
                found = cache.get(reader, field, text)
                assert found is not None
                assert list(zip(found.docs.tolist(), found.scores.tolist(), strict=True)) == (
                    expected
                ), (field, text)
                compared += len(expected)
        assert cache.get(reader, "body", "nosuchword") is None
        assert cache.get(reader, "nosuchfield", "mali") is None
    assert compared > 8_000


def test_the_postings_held_stay_within_their_bound(
    mali_index: SearchIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(index.postings, "MAX_BYTES", 20_000)
    snapshot = mali_index._current()
    with snapshot.searcher() as searcher:
        reader = searcher.reader()
        cache = PostingCache(reader, searcher.weighting)
        first = cache.get(reader, "body", "mali")
        assert first is not None
        for btext in list(reader.lexicon("body"))[:2_000]:
            cache.get(reader, "body", btext.decode())
            assert cache.bytes <= 20_000
        again = cache.get(reader, "body", "mali")  # read again after being dropped
        assert again is not None and again is not first
        assert again.docs.tolist() == first.docs.tolist()
