"""Highlights: fragments of a hit's stored text, HTML-escaped, terms in <mark>.

Whoosh's ContextFragmenter picks the fragments (its Pinpoint fragmenter marks
the wrong words in 2.7.5: ../shared/SEARCH.md). The formatter is ours: Whoosh's
HtmlFormatter does escape, but wraps terms in `<strong class="match term0">`,
and the contract promises bare `<mark>`.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

from whoosh import highlight

from index.schema import TEXT_FIELDS

FRAGMENTS_PER_FIELD = 3
ELLIPSIS = "…"


class _MarkFormatter(highlight.Formatter):  # type: ignore[misc]
    between = f" {ELLIPSIS} "

    def _text(self, text: str) -> str:
        return html.escape(text)

    def format_token(self, text: str, token: Any, replace: bool = False) -> str:
        return f"<mark>{html.escape(highlight.get_text(text, token, replace))}</mark>"


_FORMATTER = _MarkFormatter()
_SCORER = highlight.BasicFragmentScorer()


def highlights(
    stored: Mapping[str, Any], terms: frozenset[str], analyzer: Any
) -> tuple[tuple[str, str], ...]:
    """(field, fragment) for every text field where a query term occurs."""
    out: list[tuple[str, str]] = []
    for field in TEXT_FIELDS:
        text = stored.get(field)
        if text:
            # Names and titles are short: show them whole.
            out.extend((field, f) for f in _fragments(text, terms, analyzer, whole=field != "body"))
    return tuple(out)


def _fragments(text: str, terms: frozenset[str], analyzer: Any, *, whole: bool) -> list[str]:
    tokens = analyzer(text, positions=True, chars=True, mode="index", removestops=False)
    tokens = highlight.set_matched_filter(tokens, terms)
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
