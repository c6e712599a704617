"""The words of a text as the index analysed them, and where each one is, without Whoosh's
analyzer.

text_analyzer() passes a Token object through five generators per word. The same terms
come from one regex scan and a dict of the words seen before (each word folded, stopped
and stemmed once per process), and the offsets from C loops over the scan's pieces.
tests/index/test_highlight.py compares them with the analyzer on the whole Mali store.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate, compress
from operator import add, itemgetter, sub

from whoosh.lang.porter import stem

from index.analysis import FOLD_MAP, MIN_WORD, STOP, TOKEN_PATTERN

# Raw word -> its term ("": a stop word or too short), as text_analyzer() analyses it;
# cleared when full.
_TERMS: dict[str, str] = {}
_MAX_TERMS = 200_000


def _term(raw: str) -> str:
    folded = raw.lower().translate(FOLD_MAP)
    term = "" if len(folded) < MIN_WORD or folded in STOP else stem(folded)
    if len(_TERMS) >= _MAX_TERMS:
        _TERMS.clear()
    _TERMS[raw] = term
    return term


@dataclass(frozen=True, slots=True)
class Words:
    """The indexed words of a text, in order: each one's term and characters."""

    terms: list[str]
    starts: Sequence[int]  # array("i"): a cached text's words take little room
    ends: Sequence[int]


def words(text: str) -> Words:
    """text_analyzer()'s tokens of `text`: their terms and characters."""
    return _with_characters(_read(text))


def terms(text: str) -> list[str]:
    """text_analyzer()'s terms of `text`, in order."""
    every = _read(text).terms
    return list(compress(every, every)) if "" in every else every


# A word and the characters before it: the words with their offsets from one findall, the
# offsets summed by C loops (map, accumulate), no Python per word.
_GAP_AND_WORD = re.compile(rf"(.*?)({TOKEN_PATTERN})", re.DOTALL)


@dataclass(frozen=True, slots=True)
class _Read:
    pairs: list[tuple[str, str]]  # (characters before, word) for every word
    terms: list[str]  # every word's term, "" for the words the index leaves out


def _read(text: str) -> _Read:
    pairs = _GAP_AND_WORD.findall(text)
    raw = list(map(itemgetter(1), pairs))
    every = list(map(_TERMS.get, raw))
    if None in every:
        every = [_term(w) if t is None else t for w, t in zip(raw, every, strict=True)]
    return _Read(pairs, every)  # type: ignore[arg-type]


def _with_characters(read: _Read) -> Words:
    lengths = list(map(len, map(itemgetter(1), read.pairs)))
    ends = list(accumulate(map(add, map(len, map(itemgetter(0), read.pairs)), lengths)))
    starts = list(map(sub, ends, lengths))
    every = read.terms
    if "" in every:
        starts, ends = list(compress(starts, every)), list(compress(ends, every))
        every = list(compress(every, every))
    return Words(every, array("i", starts), array("i", ends))
