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
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from whoosh import formats
from whoosh.analysis import IDAnalyzer, KeywordAnalyzer
from whoosh.lang.porter import stem

from index.analysis import FOLD_MAP, MIN_WORD, STOP, TOKEN_RE, text_analyzer

# Folded word -> its term, "" for a word the analyzer drops (too short, a stop word).
# The stemmer is pure, so every word seen is remembered: a corpus has few distinct words.
_TERMS: dict[str, str] = {}
_ONE_POSITION: dict[int, bytes] = {}  # position -> Positions.encode([position])
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
    tokens = TOKEN_RE.findall(text)
    if not tokens:
        return {}
    # Lowercasing and folding the tokens joined by a space is lowercasing and folding
    # each: no token holds a space, none is folded into one, and a space ends a word
    # for str.lower()'s one context rule (a final sigma), as the token's end does.
    folded = " ".join(tokens).lower().translate(FOLD_MAP).split(" ")
    terms = _TERMS
    try:
        found = [terms[word] for word in folded]
    except KeyError:
        for word in folded:
            if word not in terms:
                terms[word] = "" if len(word) < MIN_WORD or word in STOP else stem(word)
        found = [terms[word] for word in folded]
    positions: dict[str, list[int]] = {}
    # StopFilter's renumbering: the first word kept keeps its place, the rest follow it.
    pos = next((index for index, term in enumerate(found) if term), 0)
    for term in found:
        if term:
            at = positions.get(term)
            if at is None:
                positions[term] = [pos]
            else:
                at.append(pos)
            pos += 1
    return positions


class TextPositions(formats.Positions):  # type: ignore[misc]
    """Positions for fields analysed by index.analysis.text_analyzer()."""

    def word_values(self, value: Any, analyzer: Any, **kwargs: Any) -> Iterable[Any]:
        if (
            not isinstance(value, str)
            or kwargs.keys() - {"mode"}
            or kwargs.get("mode") != "index"
            or not _is(analyzer, text_analyzer)
        ):
            return super().word_values(value, analyzer, **kwargs)  # type: ignore[no-any-return]
        boost = self.field_boost
        encode, once, single = self.encode, _ONE_POSITION, 1.0 * boost
        values = []
        for term, found in text_positions(value).items():
            if len(found) == 1:
                # Most words occur once in a field: their encoding is remembered.
                encoded = once.get(found[0])
                if encoded is None:
                    encoded = once[found[0]] = encode(found)
                values.append((term, 1, single, encoded))
            else:
                values.append((term, len(found), float(len(found)) * boost, encode(found)))
        return values


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


class IdExistence(formats.Existence):  # type: ignore[misc]
    """Existence for ID fields: the whole value is the one term."""

    def word_values(self, value: Any, analyzer: Any, **kwargs: Any) -> Iterable[Any]:
        if (
            not isinstance(value, str)
            or kwargs.keys() - {"mode"}
            or kwargs.get("mode") != "index"
            or not _is(analyzer, IDAnalyzer)
        ):
            return super().word_values(value, analyzer, **kwargs)  # type: ignore[no-any-return]
        return [(value, 1, self.field_boost, b"")]
