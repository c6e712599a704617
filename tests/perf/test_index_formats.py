"""The one-pass posting formats (index/formats.py) and the build's writer (index/writer.py)
write exactly what Whoosh's own do."""

# Curly apostrophes and accents are typed as such on purpose: they are what is tested.
# ruff: noqa: RUF001

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import whoosh.index
from whoosh import formats
from whoosh.analysis import IDAnalyzer
from whoosh.writing import SegmentWriter

from data.repository import Repository
from index import schema as index_schema
from index.analysis import text_analyzer
from index.build import build_index
from index.documents import documents
from index.formats import IdExistence, KeywordFrequency, TextPositions, text_positions
from index.layout import IndexDir
from index.schema import build_schema
from tests.index.contents import index_contents

TEXTS = [
    "",
    "the of and",
    "The protection of civilians, the protection of civilians.",
    "Mali’s N'Djamena l’Azawad qu'il Keïta Vérité; 23 May 2014: the US, us, not tbd.",
    "a b c Refugees REFUGEES refugee displacing displaced x y z",
    "ÉCOWAS/AFISMA — MINUSMA (2013) 2,000 troops; 1.5 million; e-mail x-ray",
    # Uppercase possessives are not possessives to the tokenizer; a capital sigma
    # lowercases by its place in the word.
    "MALI'S THE US’S ΟΔΟΣ ΣΟΦΙΑ ΟΔΟΣ. Σ",
]


@pytest.mark.parametrize("text", TEXTS)
def test_text_positions_match_the_analyzer(text: str) -> None:
    expected: dict[str, list[int]] = {}
    for token in text_analyzer()(text, positions=True, mode="index"):
        expected.setdefault(token.text, []).append(token.pos)
    assert text_positions(text) == expected


@pytest.mark.parametrize("text", TEXTS)
def test_word_values_match_whoosh(text: str) -> None:
    ours = TextPositions(field_boost=2.5).word_values(text, text_analyzer(), mode="index")
    theirs = formats.Positions(field_boost=2.5).word_values(text, text_analyzer(), mode="index")
    assert list(ours) == list(theirs)
    keywords = "b a b  c\tc c"
    assert list(KeywordFrequency().word_values(keywords, _keyword_analyzer(), mode="index")) == (
        list(formats.Frequency().word_values(keywords, _keyword_analyzer(), mode="index"))
    )
    ident = "passage:mali:p-1 x"
    assert list(IdExistence().word_values(ident, IDAnalyzer(), mode="index")) == (
        list(formats.Existence().word_values(ident, IDAnalyzer(), mode="index"))
    )


def _keyword_analyzer() -> Any:
    from whoosh.analysis import KeywordAnalyzer

    return KeywordAnalyzer()


def test_an_index_built_with_them_is_the_same(
    repo: Repository, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_index(repo, tmp_path / "ours")
    snapshot = IndexDir(tmp_path / "ours").current()
    assert snapshot is not None
    # Whoosh's own formats and writer, fed as the build fed them before it had its own.
    monkeypatch.setattr(index_schema, "TextPositions", formats.Positions)
    monkeypatch.setattr(index_schema, "KeywordFrequency", formats.Frequency)
    monkeypatch.setattr(index_schema, "IdExistence", formats.Existence)
    (tmp_path / "whoosh").mkdir()
    writer = SegmentWriter(whoosh.index.create_in(str(tmp_path / "whoosh"), build_schema()))
    for fields in documents(repo):
        del fields["spelling"]
        writer.add_document(**fields)
    writer.commit()
    ours, theirs = index_contents(snapshot), index_contents(tmp_path / "whoosh")
    assert ours.keys() == theirs.keys()
    assert ours == theirs
