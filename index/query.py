"""The query language: what a researcher typed, as a tree, or a sentence saying
what is wrong with it.

Hand-written rather than Whoosh's QueryParser, which never raises: it turns
`title:(cholera` into `title:cholera` and `AND` into an empty query
(index/README.md, "The query language"), so a malformed query would silently find the wrong
thing. Here every malformed query raises QuerySyntaxError naming the problem
and its position, and the size of a query is bounded before any search runs.

    word            a word, stemmed and accent-folded (displacing finds displaced)
    a b             both (implicit AND); falls back to either when both find nothing
    a OR b, a AND b explicit operators, upper case; (brackets) group
    "a phrase"      the words in this order (straight or curly quotes)
    -word, NOT word excludes; -"a phrase" and -(a OR b) too
    pref*           words starting with pref (at least 3 letters)
    section:icc     passages of one section; type:actor only that type of hit
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TypeAlias

from index.analysis import fold
from settings import SEARCH_MAX_CHARS as MAX_QUERY_CHARS
from settings import SEARCH_MAX_CLAUSES as MAX_CLAUSES
from settings import SEARCH_MAX_DEPTH as MAX_DEPTH
from settings import SEARCH_MIN_PREFIX as MIN_PREFIX

QUOTES = '"“”„'
FIELDS = ("section", "type")

_FIELD = re.compile(rf"({'|'.join(FIELDS)}):(.*)", re.IGNORECASE | re.DOTALL)
_OPERATORS = ("AND", "OR", "NOT")


class QuerySyntaxError(ValueError):
    """A query that cannot be run; the message says what is wrong, for a person."""


@dataclass(frozen=True)
class Word:
    text: str
    start: int  # offsets in the query string, for suggestions
    end: int
    prefix: bool = False  # typed as text* (text holds no *)


@dataclass(frozen=True)
class Phrase:
    text: str  # between the quotes
    start: int
    end: int


@dataclass(frozen=True)
class FieldTerm:
    field: str  # one of FIELDS, lowercase
    value: str
    start: int
    end: int


@dataclass(frozen=True)
class Exclude:
    child: Node


@dataclass(frozen=True)
class AllOf:
    children: tuple[Node, ...]
    explicit: bool  # the user wrote AND: no fallback to "any word"


@dataclass(frozen=True)
class AnyOf:
    children: tuple[Node, ...]


Node: TypeAlias = Word | Phrase | FieldTerm | Exclude | AllOf | AnyOf


@dataclass(frozen=True)
class _Token:
    kind: str  # "word", "phrase", "field", "(", ")", "AND", "OR", "NOT", "-"
    start: int
    end: int
    node: Word | Phrase | FieldTerm | None = None


def parse(query: str) -> Node:
    """The tree of `query`; raise QuerySyntaxError if it cannot be read."""
    if len(query) > MAX_QUERY_CHARS:
        raise QuerySyntaxError(
            f"the query is {len(query)} characters long; the limit is {MAX_QUERY_CHARS}: "
            "search for the few words that matter, or a short phrase"
        )
    tokens = _tokenize(query)
    if not tokens:
        raise QuerySyntaxError("the query is empty: type a word or phrase to search for")
    leaves = sum(1 for t in tokens if t.node is not None)
    if leaves > MAX_CLAUSES:
        raise QuerySyntaxError(
            f"the query has {leaves} words and phrases; the limit is {MAX_CLAUSES}"
        )
    parser = _Parser(tokens)
    tree = parser.parse_or(depth=0)
    if parser.peek() is not None:
        token = parser.peek()
        assert token is not None
        raise QuerySyntaxError(f"')' at character {token.start + 1} has no matching '('")
    if isinstance(tree, Exclude):
        raise _only_exclusions()
    return tree


def _tokenize(query: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, n = 0, len(query)
    while i < n:
        c = query[i]
        if c.isspace():
            i += 1
        elif c in QUOTES:
            phrase = _read_phrase(query, i)
            tokens.append(_Token("phrase", i, phrase.end + 1, phrase))
            i = phrase.end + 1
        elif c in "()":
            tokens.append(_Token(c, i, i + 1))
            i += 1
        elif c == "-" and i + 1 < n and not query[i + 1].isspace() and query[i + 1] != ")":
            tokens.append(_Token("-", i, i + 1))
            i += 1
        else:
            j = i
            while j < n and not query[j].isspace() and query[j] not in "()" + QUOTES:
                j += 1
            tokens.append(_word_token(query, i, j))
            if tokens[-1].kind == "field" and tokens[-1].end > j:
                j = tokens[-1].end  # the value was a quoted phrase
            i = j
    return tokens


def _read_phrase(query: str, start: int) -> Phrase:
    end = next((k for k in range(start + 1, len(query)) if query[k] in QUOTES), -1)
    if end < 0:
        raise QuerySyntaxError(
            f"the quote at character {start + 1} is never closed: "
            'end the phrase with another " or remove the quote'
        )
    return Phrase(query[start + 1 : end], start + 1, end)


def _word_token(query: str, start: int, end: int) -> _Token:
    text = query[start:end]
    if text in _OPERATORS:
        return _Token(text, start, end)
    field = _FIELD.fullmatch(text)
    if field:
        name, value = field.group(1).lower(), field.group(2)
        if not value and end < len(query) and query[end] in QUOTES:
            phrase = _read_phrase(query, end)
            return _Token("field", start, phrase.end + 1, FieldTerm(name, phrase.text, start, end))
        if not value or "*" in value:
            raise QuerySyntaxError(
                f"'{name}:' at character {start + 1} needs one value after it, "
                f"as in {'section:icc' if name == 'section' else 'type:actor'}"
            )
        return _Token("field", start, end, FieldTerm(name, value, start, end))
    if "*" not in text:
        return _Token("word", start, end, Word(text, start, end))
    stem = text.rstrip("*")
    if "*" in stem:
        raise QuerySyntaxError(
            f"'*' can only end a word (at character {start + 1}): write a prefix such as peace*"
        )
    letters = re.sub(r"\W", "", fold(stem))
    if len(letters) < MIN_PREFIX:
        if not letters:
            raise QuerySyntaxError(
                f"a '*' on its own (at character {start + 1}) would match everything: "
                f"put at least {MIN_PREFIX} letters before it, as in peace*"
            )
        raise QuerySyntaxError(
            f"the prefix '{text}' is too short: put at least {MIN_PREFIX} letters "
            "before '*', as in peace*"
        )
    if not re.fullmatch(r"\w+", fold(stem)):
        raise QuerySyntaxError(
            f"the prefix '{text}' spans several words: '*' ends a single word, as in peace*"
        )
    return _Token("word", start, end, Word(stem, start, start + len(stem), prefix=True))


class _Parser:
    """Recursive descent; precedence from loosest: OR, AND (or adjacency), NOT/-."""

    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.i = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def parse_or(self, depth: int) -> Node:
        items = [self.parse_and(depth)]
        while (token := self.peek()) is not None and token.kind == "OR":
            self.take()
            self._expect_operand(token)
            items.append(self.parse_and(depth))
        if len(items) == 1:
            return items[0]
        if any(isinstance(item, Exclude) for item in items):
            raise QuerySyntaxError(
                "OR cannot join an exclusion: write (a OR b) -c to exclude c from both"
            )
        return AnyOf(tuple(items))

    def parse_and(self, depth: int) -> Node:
        items = [self.parse_unary(depth)]
        explicit = False
        while (token := self.peek()) is not None and token.kind not in (")", "OR"):
            if token.kind == "AND":
                self.take()
                self._expect_operand(token)
                explicit = True
            items.append(self.parse_unary(depth))
        if len(items) == 1:
            return items[0]
        if all(isinstance(item, Exclude) for item in items):
            raise _only_exclusions()
        return AllOf(tuple(items), explicit)

    def parse_unary(self, depth: int) -> Node:
        token = self.peek()
        if token is not None and token.kind in ("-", "NOT"):
            self.take()
            self._expect_operand(token)
            child = self.parse_unary(depth)
            if isinstance(child, Exclude):
                raise QuerySyntaxError(
                    f"a double exclusion at character {token.start + 1}: remove both or keep one"
                )
            return Exclude(child)
        return self.parse_primary(depth)

    def parse_primary(self, depth: int) -> Node:
        token = self.peek()
        if token is None:  # only reachable through _expect_operand's callers
            raise QuerySyntaxError("the query ends where a word or phrase was expected")
        self.take()
        if token.node is not None:
            return token.node
        if token.kind == "(":
            if depth + 1 > MAX_DEPTH:
                raise QuerySyntaxError(f"brackets are nested more than {MAX_DEPTH} deep")
            after = self.peek()
            if after is not None and after.kind == ")":
                raise QuerySyntaxError(f"empty brackets at character {token.start + 1}")
            inner = self.parse_or(depth + 1)
            closing = self.peek()
            if closing is None or closing.kind != ")":
                raise QuerySyntaxError(
                    f"the '(' at character {token.start + 1} is never closed: add a ')'"
                )
            self.take()
            return inner
        if token.kind == ")":
            raise QuerySyntaxError(f"')' at character {token.start + 1} has no matching '('")
        raise _misplaced(token)

    def _expect_operand(self, operator: _Token) -> None:
        following = self.peek()
        if following is None or following.kind in (")", "AND", "OR"):
            raise _misplaced(operator)


def _misplaced(token: _Token) -> QuerySyntaxError:
    what = {"-": "'-'", "NOT": "NOT"}.get(token.kind)
    if what:
        return QuerySyntaxError(
            f"{what} at character {token.start + 1} must be followed by the word or phrase "
            "to exclude, as in MNLA -Gao"
        )
    return QuerySyntaxError(
        f"{token.kind} at character {token.start + 1} needs a word or phrase on each side, "
        f"as in Gao {token.kind} Kidal (write it in lower case to search for the word)"
    )


def _only_exclusions() -> QuerySyntaxError:
    return QuerySyntaxError("the query only excludes: add a word to search for, as in MNLA -Gao")
