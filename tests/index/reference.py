"""The search done Whoosh's own way, to hold the arrays of index/matching.py, index/facets.py
and index/highlight.py to: Whoosh's matchers for the matches, its collector for the full
ranking, the metadata hit by hit for the facets, its fragmenters and scorer on the
analyzer's tokens for the highlights."""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Mapping
from typing import Any

from whoosh import highlight
from whoosh.query import AndNot

from index.analysis import APOSTROPHES, text_analyzer
from index.facets import FACETS
from index.plan import Plan, Planner, apply_corrections
from index.query import QuerySyntaxError, parse
from index.schema import TEXT_FIELDS
from index.search import Hit, SearchIndex, SearchPage, _Keep
from index.snapshot import Snapshot


def whooshs_matches(searcher: Any, q: Any) -> set[int]:
    """The documents Whoosh's matchers find. Its AndNot matcher lets through documents
    the exclusion matches when the exclusion holds a phrase (an alias's other name):
    `refugees -Mauritania` found a passage that says Mauritania. Sets do not."""
    if isinstance(q, AndNot):
        return whooshs_matches(searcher, q.a) - set(q.b.docs(searcher))
    return set(q.docs(searcher))


def full_ranking(searcher: Any, q: Any) -> list[tuple[float, int]]:
    """Every (score, docnum) Whoosh's collector gives `q`, best first, ties in index order."""
    collector = searcher.collector(limit=None)
    searcher.search_with_collector(q, collector)
    ranked = list(collector.results().top_n)
    ranked.sort(key=lambda hit: (-hit[0], hit[1]))
    return ranked


def counted_one_by_one(snapshot: Snapshot, docs: set[int]) -> dict[str, Any]:
    """The facets counted from the metadata, hit by hit."""
    counts: dict[str, Counter[str]] = {name: Counter() for name in FACETS}
    for docnum in docs:
        meta = snapshot.metas[docnum]
        counts["type"][meta.kind] += 1
        counts["year"].update(str(y) for y in meta.years)
        counts["actor"].update(meta.actors)
        if meta.section:
            counts["section"][meta.section] += 1
    return {
        name: tuple(sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))) for name, c in counts.items()
    }


class _Mark(highlight.Formatter):  # type: ignore[misc]
    def _text(self, text: str) -> str:
        return html.escape(text, quote=False)

    def format_token(self, text: str, token: Any, replace: bool = False) -> str:
        return f"<mark>{self._text(highlight.get_text(text, token, replace))}</mark>"


def whooshs_highlights(
    stored: Mapping[str, Any], terms: frozenset[str], phrases: frozenset[tuple[str, ...]]
) -> tuple[tuple[str, str], ...]:
    """Highlights cut by Whoosh's fragmenters from the analyzer's tokens."""
    analyzer = text_analyzer()
    out: list[tuple[str, str]] = []
    for field in TEXT_FIELDS:
        text = stored.get(field)
        if not text:
            continue
        tokens = [t.copy() for t in analyzer(text, chars=True)]
        words = [t.text for t in tokens]
        for token in tokens:
            token.matched = token.text in terms
        for phrase in phrases:
            for i in range(len(words) - len(phrase) + 1):
                if tuple(words[i : i + len(phrase)]) == phrase:
                    for token in tokens[i : i + len(phrase)]:
                        token.matched = True
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
        fragmenter = (
            highlight.ContextFragmenter(maxchars=240, surround=60)
            if field == "body"
            else highlight.WholeFragmenter()
        )
        best = highlight.top_fragments(
            fragmenter.fragment_tokens(text, tokens),
            3,
            highlight.BasicFragmentScorer(),
            highlight.FIRST,
        )
        for fragment in best:
            before = "…" if fragment.startchar > 0 else ""
            after = "…" if fragment.endchar < len(text) else ""
            out.append((field, f"{before}{_Mark().format_fragment(fragment)}{after}"))
    return tuple(out)


def whooshs_page(index: SearchIndex, query: str, **filters: Any) -> SearchPage:
    """SearchIndex.search(query, **filters) (first ten, highlighted), done Whoosh's way."""
    snapshot = index._current()
    with snapshot.searcher() as searcher:
        reader = searcher.reader()
        plan = Planner(snapshot, reader).plan(parse(query))
        suggestion = apply_corrections(query, plan.corrections) if plan.corrections else None
        fixed: Plan | None = None
        if suggestion is not None:
            try:
                fixed = Planner(snapshot, reader).plan(parse(suggestion))
            except QuerySyntaxError:
                suggestion = None
        attempts: list[tuple[Any, str, Plan]] = [(plan.all, "ALL", plan)]
        if fixed is not None:
            attempts.append((fixed.all, "ALL", fixed))
        fallback = fixed if fixed is not None and fixed.any is not None else plan
        if fallback.any is not None:
            attempts.append((fallback.any, "ANY", fallback))
        keep = _Keep.of(filters.get("types"), filters.get("crisis"), filters.get("date_from"), None)
        found = None
        for q, mode, used in attempts:
            matched = whooshs_matches(searcher, q)
            if keep is not None:
                matched = {d for d in matched if keep(snapshot.metas[d])}
            if matched:
                found = q, mode, used, matched
                break
        if found is None:
            empty: dict[str, tuple[tuple[str, int], ...]] = dict.fromkeys(FACETS, ())
            return SearchPage(0, (), empty, suggestion, False, "ALL", dict.fromkeys(FACETS, 0))
        q, mode, used, matched = found
        ranked = [hit for hit in full_ranking(searcher, q) if hit[1] in matched][:10]
        hits = tuple(
            Hit(
                snapshot.metas[d].kind,
                snapshot.metas[d].key,
                score,
                whooshs_highlights(searcher.stored_fields(d), used.terms, used.phrases),
            )
            for score, d in ranked
        )
        facets = counted_one_by_one(snapshot, matched)
        sizes = {name: len(values) for name, values in facets.items()}
        limit = filters.get("facet_limit")
        facets = {name: values[:limit] for name, values in facets.items()}
        return SearchPage(len(matched), hits, facets, suggestion, used is fixed, mode, sizes)
