"""The spelling vocabulary is written by the build beside the index, and read back."""

from __future__ import annotations

from collections import Counter

from data.repository import Repository
from index.documents import documents
from index.search import SearchIndex
from index.spelling import read_vocabulary


def test_the_vocabulary_counts_documents_per_word(
    small_repo: Repository, small_index: SearchIndex
) -> None:
    expected: Counter[str] = Counter()
    for fields in documents(small_repo):
        expected.update(fields["spelling"])
    assert dict(read_vocabulary(small_index.location)) == dict(expected)
    assert "spelling" not in small_index._current().index.schema.names()
