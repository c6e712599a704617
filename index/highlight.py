"""Highlights: fragments of a hit's stored text, HTML-escaped, terms in <mark>.

Whoosh's ContextFragmenter picks the fragments (its Pinpoint fragmenter marks
the wrong words in 2.7.5: index/README.md, "Highlights"). The formatter is ours: Whoosh's
HtmlFormatter does escape, but wraps terms in `<strong class="match term0">`,
and the contract promises bare `<mark>`.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from typing import Any

from whoosh import highlight
from whoosh.lang.porter import stem

from index.analysis import APOSTROPHES, FOLD_MAP, MIN_WORD, STOP, TOKEN_RE
from index.schema import TEXT_FIELDS

FRAGMENTS_PER_FIELD = 3
ELLIPSIS = "…"


class _MarkFormatter(highlight.Formatter):  # type: ignore[misc]
    between = f" {ELLIPSIS} "

    # Element content only: escaping quotes too would just clutter the fragments.
    def _text(self, text: str) -> str:
        return html.escape(text, quote=False)

    def format_token(self, text: str, token: Any, replace: bool = False) -> str:
        return f"<mark>{self._text(highlight.get_text(text, token, replace))}</mark>"


_FORMATTER = _MarkFormatter()
_SCORER = highlight.BasicFragmentScorer()


def highlights(
    stored: Mapping[str, Any],
    terms: frozenset[str],
    phrases: frozenset[tuple[str, ...]],
) -> tuple[tuple[str, str], ...]:
    """(field, fragment) for every text field where a query word or phrase occurs."""
    out: list[tuple[str, str]] = []
    for field in TEXT_FIELDS:
        text = stored.get(field)
        if text:
            tokens = _with_elisions(text, _marked(_words(text), terms, phrases))
            # Names and titles are short: show them whole.
            out.extend((field, f) for f in _fragments(text, tokens, whole=field != "body"))
    return tuple(out)


def _marked(
    tokens: Iterable[Any], terms: frozenset[str], phrases: frozenset[tuple[str, ...]]
) -> list[Any]:
    """Mark words, and phrase words only where the whole phrase occurs.

    Whoosh's own strict-phrase marking compares stems with the raw text's
    words, so it misses stemmed or folded phrases; ours compares stems with
    stems, in the index's word order (stop words removed, as in phrase queries).
    """
    marked = list(tokens)
    words = [t.text for t in marked]
    for token in marked:
        token.matched = token.text in terms
    for phrase in phrases:
        size = len(phrase)
        for i in range(len(words) - size + 1):
            if words[i] == phrase[0] and tuple(words[i : i + size]) == phrase:
                for token in marked[i : i + size]:
                    token.matched = True
    return marked


class _Word:
    """A word of the text as the fragmenter and formatter read it: its term, where it is,
    whether the query matched it (what they read of Whoosh's Token, without its cost)."""

    __slots__ = ("boost", "endchar", "matched", "startchar", "text")

    def __init__(self, text: str, startchar: int, endchar: int) -> None:
        self.text = text
        self.startchar = startchar
        self.endchar = endchar
        self.matched = False
        self.boost = 1.0

    def copy(self) -> _Word:
        other = _Word(self.text, self.startchar, self.endchar)
        other.matched = self.matched
        return other


# Raw word -> its term (None: a stop word or too short), as text_analyzer() analyses it;
# cleared when full. Highlighting analysed every hit's text again with Whoosh's filter
# chain, a generator and a Token copy per word: half of a search's time.
_TERMS: dict[str, str | None] = {}
_MAX_TERMS = 200_000


def _term(raw: str) -> str | None:
    term = _TERMS.get(raw, "")
    if term == "":
        folded = raw.lower().translate(FOLD_MAP)
        term = None if len(folded) < MIN_WORD or folded in STOP else stem(folded)
        if len(_TERMS) >= _MAX_TERMS:
            _TERMS.clear()
        _TERMS[raw] = term
    return term


def _words(text: str) -> list[_Word]:
    """text_analyzer()'s tokens of `text`, with their characters (tests/index/test_highlight.py
    compares the two on the whole Mali store)."""
    out = []
    for match in TOKEN_RE.finditer(text):
        term = _term(match.group())
        if term is not None:
            out.append(_Word(term, match.start(), match.end()))
    return out


def _with_elisions(text: str, tokens: list[Any]) -> list[Any]:
    """Mark N'Djamena whole, not just the Djamena the analyzer indexed."""
    for token in tokens:
        start = token.startchar
        if (
            token.matched
            and start >= 2
            and text[start - 1] in APOSTROPHES
            and text[start - 2].isalnum()
            and (start == 2 or not text[start - 3].isalnum())
        ):
            token.startchar = start - 2
    return tokens


def _fragments(text: str, tokens: list[Any], *, whole: bool) -> list[str]:
    fragmenter = (
        highlight.WholeFragmenter()
        if whole
        else highlight.ContextFragmenter(maxchars=240, surround=60)
    )
    best = highlight.top_fragments(
        fragmenter.fragment_tokens(text, tokens), FRAGMENTS_PER_FIELD, _SCORER, highlight.FIRST
    )
    out = []
    for fragment in best:
        marked = _FORMATTER.format_fragment(fragment)
        before = ELLIPSIS if fragment.startchar > 0 else ""
        after = ELLIPSIS if fragment.endchar < len(text) else ""
        out.append(f"{before}{marked}{after}")
    return out
