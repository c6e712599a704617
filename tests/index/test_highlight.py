"""Highlighting reads words the way the index analysed them, without the analyzer."""

from __future__ import annotations

from data.repository import Repository
from index.analysis import text_analyzer
from index.documents import documents
from index.highlight import _words


def test_words_are_the_analyzers_tokens_on_the_whole_store(mali_repo: Repository) -> None:
    analyzer = text_analyzer()
    compared = 0
    extra = "N'Djamena l'Azawad qu'il Mali's Keïta Vérité MAY us a I 2014 x1 ÉCOWAS\u2019s"
    texts = [extra] + [
        str(fields.get(field, ""))
        for fields in documents(mali_repo)
        for field in ("title", "aliases", "body")
    ]
    for text in texts:
        expected = [(t.text, t.startchar, t.endchar) for t in analyzer(text, chars=True)]
        assert [(w.text, w.startchar, w.endchar) for w in _words(text)] == expected, text
        compared += len(expected)
    assert compared > 5_000
