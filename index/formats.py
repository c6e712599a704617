"""Posting formats that index text in one pass instead of through Whoosh's filter chain.

Whoosh analyses a field by passing a Token object through five generators (tokenizer,
lowercase, folding, stop words, stemmer) for every word: a third of a build. For the two
analyzers this index uses, these formats compute the same terms, positions and weights
with one regex scan, `str.lower`/`str.translate`, a set test and a memoised stemmer. They
fall back to Whoosh's own code for any other analyzer or option, and the postings they
write are the ones Whoosh writes (tests/perf/test_index_formats.py compares them).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from whoosh import formats
from whoosh.analysis import KeywordAnalyzer
from whoosh.lang.porter import stem

from index.analysis import FOLD_MAP, MIN_WORD, STOP, TOKEN_RE, text_analyzer

_STEMS: dict[str, str] = {}  # the stemmer is pure: remember every word it has seen
_KEYWORD_RE = re.compile(r"[^ \t\r\n]+")  # KeywordAnalyzer's SpaceSeparatedTokenizer
_RECOGNISED: dict[int, tuple[Any, bool]] = {}  # id(analyzer) -> (analyzer, is the known one)


def _is(analyzer: Any, expected: Callable[[], Any]) -> bool:
    """Whether `analyzer` is built exactly like `expected()` (Whoosh compares their parts)."""
    known = _RECOGNISED.get(id(analyzer))
    if known is None or known[0] is not analyzer:
        known = (analyzer, bool(analyzer == expected()))
        _RECOGNISED[id(analyzer)] = known
    return known[1]


def text_positions(text: str) -> dict[str, list[int]]:
    """term -> positions, as text_analyzer() yields them in index mode."""
    positions: dict[str, list[int]] = {}
    pos: int | None = None
    stems = _STEMS
    for index, match in enumerate(TOKEN_RE.finditer(text)):
        word = match.group().lower().translate(FOLD_MAP)
        if len(word) < MIN_WORD or word in STOP:
            continue
        # StopFilter's renumbering: the first word kept keeps its place, the rest follow it.
        pos = index if pos is None else pos + 1
        term = stems.get(word)
        if term is None:
            term = stems[word] = stem(word)
        found = positions.get(term)
        if found is None:
            positions[term] = [pos]
        else:
            found.append(pos)
    return positions


class TextPositions(formats.Positions):  # type: ignore[misc]
    """Positions for fields analysed by index.analysis.text_analyzer()."""

    def word_values(self, value: Any, analyzer: Any, **kwargs: Any) -> Iterator[Any]:
        if (
            not isinstance(value, str)
            or kwargs.keys() - {"mode"}
            or kwargs.get("mode") != "index"
            or not _is(analyzer, text_analyzer)
        ):
            yield from super().word_values(value, analyzer, **kwargs)
            return
        boost = self.field_boost
        for term, found in text_positions(value).items():
            yield term, len(found), float(len(found)) * boost, self.encode(found)


class KeywordFrequency(formats.Frequency):  # type: ignore[misc]
    """Frequency for KEYWORD fields (space-separated, case kept, no commas)."""

    def word_values(self, value: Any, analyzer: Any, **kwargs: Any) -> Iterator[Any]:
        if (
            not isinstance(value, str)
            or kwargs.keys() - {"mode"}
            or kwargs.get("mode") != "index"
            or not _is(analyzer, KeywordAnalyzer)
        ):
            yield from super().word_values(value, analyzer, **kwargs)
            return
        counts: dict[str, int] = {}
        for word in _KEYWORD_RE.findall(value):
            counts[word] = counts.get(word, 0) + 1
        boost = self.field_boost
        for word, count in counts.items():
            yield word, count, float(count) * boost, formats.pack_uint(count)
