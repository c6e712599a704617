"""Highlights: fragments of a hit's stored text, HTML-escaped, terms in <mark>.

The fragments are the ones Whoosh's ContextFragmenter (body) and WholeFragmenter (names and
titles) would cut, the best three by Whoosh's BasicFragmentScorer, in text order (its
Pinpoint fragmenter marks the wrong words in 2.7.5: index/README.md, "Highlights"). They are
computed here from lists of word offsets rather than by Whoosh, which builds a Token object
per word and a fragment per run of words: that was half of a search's time. Only the words
around the matched ones are looked at one by one. tests/index/test_highlight.py compares the
two on the whole Mali store.

The contract promises bare `<mark>`, not Whoosh's `<strong class="match term0">`.
"""

from __future__ import annotations

import bisect
import html
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from heapq import nlargest
from itertools import compress
from typing import Any

from index.analysis import APOSTROPHES
from index.schema import TEXT_FIELDS
from index.words import Words, words

FRAGMENTS_PER_FIELD = 3
ELLIPSIS = "…"
# ContextFragmenter(maxchars=240, surround=60) and Whoosh's DEFAULT_CHARLIMIT.
MAX_CHARS = 240
SURROUND = 60
CHAR_LIMIT = 2**15


def highlights(
    stored: Mapping[str, Any],
    terms: frozenset[str],
    phrases: frozenset[tuple[str, ...]],
) -> tuple[tuple[str, str], ...]:
    """(field, fragment) for every text field where a query word or phrase occurs."""
    return _highlights(_texts(stored), terms, phrases)


class Highlighter:
    """Highlights of one snapshot's documents, keeping the words of those highlighted last.

    Reading a hit's stored text and finding its words (a regex over the whole text) was
    most of a highlight; the same documents come back query after query (an actor's
    passages, the entity an alias names). Bounded in bytes, emptied when full.
    """

    def __init__(self) -> None:
        self._texts: dict[int, list[_Text]] = {}
        self._bytes = 0
        self._lock = threading.Lock()

    def highlights(
        self,
        docnum: int,
        stored_fields: Callable[[int], Mapping[str, Any]],
        terms: frozenset[str],
        phrases: frozenset[tuple[str, ...]],
    ) -> tuple[tuple[str, str], ...]:
        """Like highlights(); `stored_fields` reads the document if its words are not held
        (the calling thread's searcher: one is never shared between threads)."""
        texts = self._texts.get(docnum)
        if texts is None:
            texts = _texts(stored_fields(docnum))
            size = sum(t.size for t in texts)
            with self._lock:
                if self._bytes + size > MAX_TEXT_BYTES:
                    self._texts.clear()
                    self._bytes = 0
                self._texts[docnum] = texts
                self._bytes += size
        return _highlights(texts, terms, phrases)


MAX_TEXT_BYTES = 8 << 20  # the words and texts of about 1,500 passages


@dataclass(frozen=True, slots=True)
class _Text:
    field: str
    text: str
    words: Words

    @property
    def size(self) -> int:
        """Bytes, roughly: the text, and a pointer and two numbers per word."""
        return 100 + len(self.text) + 24 * len(self.words.terms)


def _texts(stored: Mapping[str, Any]) -> list[_Text]:
    return [_Text(field, text, words(text)) for field in TEXT_FIELDS if (text := stored.get(field))]


def _highlights(
    texts: list[_Text], terms: frozenset[str], phrases: frozenset[tuple[str, ...]]
) -> tuple[tuple[str, str], ...]:
    out: list[tuple[str, str]] = []
    for text in texts:
        # Names and titles are short: show them whole.
        fragments = _fragments(text.text, text.words, terms, phrases, whole=text.field != "body")
        out.extend((text.field, f) for f in fragments)
    return tuple(out)


def _marked(
    stems: list[str], terms: frozenset[str], phrases: frozenset[tuple[str, ...]]
) -> list[int]:
    """Which words to mark, in order: query words, and phrase words only where the whole
    phrase occurs (stems compared with stems, in the index's word order, stop words
    removed as in phrase queries)."""
    marked = set(compress(range(len(stems)), map(terms.__contains__, stems)))
    if phrases:
        starting: dict[str, list[tuple[str, ...]]] = {}
        for phrase in phrases:
            starting.setdefault(phrase[0], []).append(phrase)
        # Only where a phrase's first word is (C loops find those), the rest compared.
        for i in compress(range(len(stems)), map(starting.__contains__, stems)):
            for phrase in starting[stems[i]]:
                size = len(phrase)
                if tuple(stems[i : i + size]) == phrase:
                    marked.update(range(i, i + size))
    return sorted(marked)


def _fragments(
    text: str,
    found: Words,
    terms: frozenset[str],
    phrases: frozenset[tuple[str, ...]],
    *,
    whole: bool,
) -> list[str]:
    stems = found.terms
    marks = _marked(stems, terms, phrases)
    if not marks:
        return []
    starts = list(found.starts)
    for i in marks:  # N'Djamena marked whole, not just the Djamena the analyzer indexed
        start = starts[i]
        if (
            start >= 2
            and text[start - 1] in APOSTROPHES
            and text[start - 2].isalnum()
            and (start == 2 or not text[start - 3].isalnum())
        ):
            starts[i] = start - 2
    ends = found.ends
    limit = bisect.bisect_right(ends, CHAR_LIMIT)  # words past Whoosh's limit are not read
    if whole:
        inside = [i for i in marks if i < limit]
        fragments = [(0, len(text), inside)] if inside else []
    else:
        fragments = _context(starts, ends, marks, limit)
    # Most texts have nothing to escape: then the pieces are joined as they are.
    escape = _escape if "&" in text or "<" in text or ">" in text else str
    best = nlargest(
        FRAGMENTS_PER_FIELD,
        ((_score(stems, inside), first, end, inside) for first, end, inside in fragments),
    )
    out = []
    for _, first, end, inside in sorted(best, key=lambda f: f[1]):
        before = ELLIPSIS if first > 0 else ""
        after = ELLIPSIS if end < len(text) else ""
        out.append(f"{before}{_format(text, first, end, inside, starts, ends, escape)}{after}")
    return out


def _score(stems: list[str], inside: list[int]) -> float:
    """BasicFragmentScorer: the matches, times a hundred per distinct term."""
    return float(len(inside)) * (len({stems[i] for i in inside}) * 100 or 1)


def _context(
    starts: Sequence[int], ends: Sequence[int], marks: list[int], limit: int
) -> list[tuple[int, int, list[int]]]:
    """ContextFragmenter's fragments with matches, as (first char, end char, matched words).

    Whoosh steps through every word; outside a fragment a word only moves the window of
    context kept before the next match, so here that window is found by bisection at the
    match, and only the words inside fragments are stepped through.
    """
    out: list[tuple[int, int, list[int]]] = []
    matched = set(marks)
    fresh = 0  # the first word after the last fragment: context starts there
    swallow = False  # the last fragment ended with its countdown at exactly 0
    for m in marks:
        if m < fresh:
            continue  # inside the last fragment
        if m >= limit:
            break
        if swallow and m > fresh:
            # Whoosh's countdown stayed at 0: the next word closes an empty fragment and
            # context starts after it.
            fresh += 1
        swallow = False
        length = ends[m] - starts[m]
        if length > MAX_CHARS:  # a word longer than a fragment closes an empty one
            fresh = m + 1
            continue
        if m > fresh:  # context: the words since `fresh` ending within SURROUND of m
            j = m - 1
            first_word = bisect.bisect_left(starts, ends[j] - SURROUND, fresh, m)
        else:
            first_word = m
        if first_word < m:
            first, countdown = starts[first_word], SURROUND
        else:
            first, countdown = starts[m], 2 * SURROUND
        kept = [m]
        size = length
        countdown -= length
        k = m
        while countdown > 0:
            k += 1
            if k >= limit:  # the text (or Whoosh's limit) ends the fragment
                end = ends[limit] if limit < len(ends) else ends[-1]
                out.append((first, end, kept))
                return out
            length = ends[k] - starts[k]
            if size + length > MAX_CHARS:
                countdown = 0
            elif k in matched:
                countdown = SURROUND
                kept.append(k)
            size += length
            countdown -= length
        out.append((first, ends[k], kept))
        fresh = k + 1
        swallow = countdown == 0
    return out


def _format(
    text: str,
    first: int,
    end: int,
    kept: list[int],
    starts: Sequence[int],
    ends: Sequence[int],
    escape: Callable[[str], str],
) -> str:
    """Whoosh's Formatter.format_fragment with <mark>, escaping the text."""
    out = []
    at = first
    for i in sorted(kept, key=lambda i: (starts[i], starts[i] - ends[i])):
        start = starts[i]
        if start < at:
            continue
        if start > at:
            out.append(escape(text[at:start]))
        out.append(f"<mark>{escape(text[start : ends[i]])}</mark>")
        at = ends[i]
    out.append(escape(text[at:end]))
    return "".join(out)


def _escape(text: str) -> str:
    # Element content only: escaping quotes too would just clutter the fragments.
    return html.escape(text, quote=False)
