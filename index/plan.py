"""From a parsed query to Whoosh queries.

Here words are analysed exactly as documents were, aliases widen into the
entity's other names, prefixes expand over the vocabulary, and words the index
does not know are collected with a suggested correction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from whoosh import query as wq

from index import words
from index.analysis import TOKEN_RE, fold, name_key
from index.query import (
    FIELDS,
    AllOf,
    AnyOf,
    Exclude,
    FieldTerm,
    Node,
    Phrase,
    QuerySyntaxError,
    Word,
)
from index.schema import KINDS, TEXT_FIELDS
from index.snapshot import Entity, Snapshot

# The entity an alias names outranks every document that merely mentions it.
ENTITY_BOOST = 25.0
MAX_ALIAS_WORDS = 6  # longest run of query words compared with names
MAX_NAMES = 8  # other names of one entity ORed into a query
MAX_NAMES_IN_ALL = 32  # ... and of all the entities a name is shared by
MAX_CORRECTIONS = 5  # unknown words looked up per query
# section: and type: terms filter; they add the same token score to every hit.
FILTER_SCORE = 1.0


class _Or(wq.Or):  # type: ignore[misc]
    """Whoosh's Or as a tree of union matchers, always: on indexes under 5,000
    documents Whoosh otherwise preloads each Or into a 2,048-slot array cleared in
    Python, which took most of a query's time (median 35 ms -> 21 ms on Mali)."""

    matcher_type = wq.Or.DEFAULT_MATCHER


@dataclass(frozen=True)
class Plan:
    all: Any  # whoosh Query: every clause required
    any: Any | None  # the "any word" reading, when `all` is an implicit AND of 2+ clauses
    terms: frozenset[str]  # analysed words to mark in highlights
    phrases: frozenset[tuple[str, ...]]  # analysed phrases to mark, only where whole
    corrections: tuple[tuple[int, int, str], ...]  # (start, end, word) for unknown words


class Planner:
    """One per query: it collects highlight terms and corrections as it goes."""

    def __init__(self, snapshot: Snapshot, reader: Any) -> None:
        self.snapshot = snapshot
        self.reader = reader  # only its doc_frequency(field, text) is asked for
        self._terms: set[str] = set()
        self._phrases: set[tuple[str, ...]] = set()
        self._corrections: dict[tuple[int, int], str] = {}
        self._known: dict[str, bool] = {}
        self._positive = True  # False while compiling an exclusion

    def plan(self, tree: Node) -> Plan:
        if isinstance(tree, AllOf):
            everything, anything = self._all_of(tree, top=True)
        else:
            everything, anything = self._node(tree), None
        if everything is None:
            raise QuerySyntaxError(
                "the query has no words to search for: very common words "
                "(the, of, and, ...) and punctuation are not indexed"
            )
        corrections = tuple((s, e, w) for (s, e), w in sorted(self._corrections.items()))
        return Plan(
            everything, anything, frozenset(self._terms), frozenset(self._phrases), corrections
        )

    # -- the tree --------------------------------------------------------------

    def _node(self, node: Node) -> Any | None:
        if isinstance(node, Word) and node.prefix:
            return self._prefix(node)
        if isinstance(node, Word | Phrase):
            found = self._clauses([node])
            return found[0] if found else None
        if isinstance(node, FieldTerm):
            return self._field(node)
        if isinstance(node, AllOf):
            return self._all_of(node)[0]
        if isinstance(node, AnyOf):
            return _combine(_Or, [self._node(child) for child in node.children])
        raise AssertionError(f"the parser let through a bare exclusion: {node!r}")

    def _all_of(self, node: AllOf, *, top: bool = False) -> tuple[Any | None, Any | None]:
        wanted = [c for c in node.children if not isinstance(c, Exclude)]
        filters = [self._field(c) for c in wanted if isinstance(c, FieldTerm)]
        clauses = self._clauses([c for c in wanted if not isinstance(c, FieldTerm)])
        self._positive = False
        try:
            excluded = [self._node(c.child) for c in node.children if isinstance(c, Exclude)]
        finally:
            self._positive = True
        everything = _combine(wq.And, clauses + filters)
        anything = None
        if top and not node.explicit and len(clauses) >= 2:
            anything = _combine(wq.And, [_Or(clauses), *filters])
        unwanted = _combine(_Or, excluded)
        if unwanted is not None:
            everything = wq.AndNot(everything, unwanted) if everything is not None else None
            anything = wq.AndNot(anything, unwanted) if anything is not None else None
        return everything, anything

    def _clauses(self, nodes: list[Node]) -> list[Any]:
        """Compile a sequence of AND-ed nodes, widening runs of words that name an entity."""
        out: list[Any | None] = []
        i = 0
        while i < len(nodes):
            node = nodes[i]
            if isinstance(node, Phrase):
                out.append(self._leaves([node]))
                i += 1
            elif isinstance(node, Word) and not node.prefix:
                run: list[Word] = []
                for n in nodes[i : i + MAX_ALIAS_WORDS]:
                    if not isinstance(n, Word) or n.prefix:
                        break
                    run.append(n)
                size = self._longest_name(run)
                out.append(self._leaves(run[:size]))
                i += size
            else:
                out.append(self._node(node))
                i += 1
        return [q for q in out if q is not None]

    def _longest_name(self, run: list[Word]) -> int:
        """How many of the words, from the first, make up a name (1 if none do)."""
        for size in range(len(run), 1, -1):
            if name_key(" ".join(w.text for w in run[:size])) in self.snapshot.entities_by_name:
                return size
        return 1

    def _leaves(self, nodes: list[Word] | list[Phrase]) -> Any | None:
        original = _combine(wq.And, [self._text(n) for n in nodes])
        key = name_key(" ".join(n.text for n in nodes))
        entities = self.snapshot.entities_by_name.get(key)
        return self._widen(original, entities, key) if entities else original

    def _widen(self, original: Any | None, entities: tuple[Entity, ...], key: str) -> Any:
        """An alias also finds the entity itself (first) and the entity's other names."""
        parts = [original] if original is not None else []
        # Entities of many crises share names (an actor in each, all called "Amnesty
        # International"): each other name is searched once, not once per entity, and at
        # most MAX_NAMES_IN_ALL of them (at 100 crises "amnesty" was 300 phrases and
        # "tuareg" 300 different ones, past the search's time limit). Every entity's own
        # document and its mentions are still found by uid.
        named: set[tuple[str, ...]] = set()
        for entity in entities:
            parts.append(wq.Term("entities", entity.uid))
            parts.append(wq.Term("uid", entity.uid, boost=ENTITY_BOOST))
            other_names = {
                tuple(self._analyze(name)) for name in entity.names if name_key(name) != key
            }
            for terms in sorted(other_names)[:MAX_NAMES]:
                if terms not in named and len(named) < MAX_NAMES_IN_ALL:
                    named.add(terms)
                    parts.append(self._terms_query(list(terms)))
        return _Or([p for p in parts if p is not None])

    # -- leaves ----------------------------------------------------------------

    def _text(self, node: Word | Phrase) -> Any | None:
        if self._positive:
            self._check_spelling(node)
        return self._terms_query(self._analyze(node.text))

    def _terms_query(self, terms: list[str]) -> Any | None:
        """One word: a term in any text field; several: a phrase in any text field."""
        if not terms:
            return None
        if len(terms) == 1:
            if self._positive:
                self._terms.add(terms[0])
            return _Or([wq.Term(field, terms[0]) for field in TEXT_FIELDS])
        if self._positive:
            self._phrases.add(tuple(terms))
        return _Or([wq.Phrase(field, terms) for field in TEXT_FIELDS])

    def _prefix(self, node: Word) -> Any:
        words = self.snapshot.vocabulary.expand_prefix(fold(node.text))
        stems = list(dict.fromkeys(t for w in words for t in self._analyze(w)))
        if self._positive:
            self._terms.update(stems)
        if not stems:
            return wq.NullQuery
        return _Or([wq.Term(field, stem) for stem in stems for field in TEXT_FIELDS])

    def _field(self, node: FieldTerm) -> Any:
        assert node.field in FIELDS
        if node.field == "type":
            kind = fold(node.value).strip()
            kind = kind[:-1] if kind.endswith("s") and kind[:-1] in KINDS else kind
            if kind not in KINDS:
                raise QuerySyntaxError(
                    f"'type:{node.value}' is not a type of result: use one of {', '.join(KINDS)}"
                )
            return wq.ConstantScoreQuery(wq.Term("kind", kind), FILTER_SCORE)
        section = re.sub(r"[^a-z0-9]+", "-", fold(node.value)).strip("-")
        if section not in self.snapshot.sections:
            raise QuerySyntaxError(
                f"there is no section '{node.value}': use one of "
                f"{', '.join(sorted(self.snapshot.sections))}"
            )
        return wq.ConstantScoreQuery(wq.Term("section", section), FILTER_SCORE)

    def _analyze(self, text: str) -> list[str]:
        return words.terms(text)

    def _check_spelling(self, node: Word | Phrase) -> None:
        for match in TOKEN_RE.finditer(node.text):
            if len(self._corrections) >= MAX_CORRECTIONS:
                return
            terms = self._analyze(match.group())
            if not terms or any(self._is_known(t) for t in terms):
                continue
            word = fold(match.group())
            if word in self.snapshot.entities_by_name:
                continue
            suggestion = self.snapshot.vocabulary.suggest(word)
            if suggestion is not None:
                span = (node.start + match.start(), node.start + match.end())
                self._corrections[span] = suggestion

    def _is_known(self, term: str) -> bool:
        if term not in self._known:
            self._known[term] = any(self.reader.doc_frequency(field, term) for field in TEXT_FIELDS)
        return self._known[term]


def _combine(kind: type[Any], queries: list[Any | None]) -> Any | None:
    present = [q for q in queries if q is not None]
    if not present:
        return None
    return present[0] if len(present) == 1 else kind(present)


def apply_corrections(query: str, corrections: tuple[tuple[int, int, str], ...]) -> str:
    """The query with each unknown word replaced, in the case the user typed it."""
    out = query
    for start, end, word in sorted(corrections, reverse=True):
        typed = query[start:end]
        if typed.isupper() and len(typed) > 1:
            word = word.upper()
        elif typed[:1].isupper():
            word = word.capitalize()
        out = out[:start] + word + out[end:]
    return out
