"""Property-based tests for the search query reader (index.query.parse): any text is a
query tree or a QuerySyntaxError with a sentence, read in time proportional to its length,
and every position the tree reports lies inside the text."""

from __future__ import annotations

import time
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

query = pytest.importorskip("index.query", reason="the search layer is not installed")
if not hasattr(query, "parse"):
    pytest.skip("index.query has no parse function yet", allow_module_level=True)

# Text a client can send, and text made of the query language's own pieces, so that
# operators, quotes, brackets, prefixes and fields meet in every order.
client_text = st.text(st.characters(codec="utf-8"), max_size=600)
pieces = st.sampled_from(
    [
        "mali",
        "Gao",
        "MNLA",
        "AND",
        "OR",
        "NOT",
        "-",
        "(",
        ")",
        '"',
        "“",
        "”",
        "*",
        "pea*",
        "section:",
        "type:",
        "type:actor",
        "section:icc",
        " ",
        "  ",
        ":",
        "é",
        "\x00",
        "\t",
    ]
)
query_like = st.lists(pieces, max_size=60).map("".join)


def positions(node: Any) -> list[tuple[int, int]]:
    found = []
    if hasattr(node, "start") and hasattr(node, "end"):
        found.append((node.start, node.end))
    for child in getattr(node, "children", ()):
        found.extend(positions(child))
    if hasattr(node, "child"):
        found.extend(positions(node.child))
    return found


@given(st.one_of(client_text, query_like))
@example("*")
@example("((((((((((((((((((a")
@example('"unclosed')
@example("a AND")
@example("-a")
@example("section:")
@example("x" * 501)
@example(" ".join(["w"] * 40))
def test_any_text_is_a_query_or_a_syntax_error(text: str) -> None:
    started = time.monotonic()
    try:
        tree = query.parse(text)
    except query.QuerySyntaxError as error:
        assert str(error)  # a sentence for the person who typed it
    else:
        for start, end in positions(tree):
            assert 0 <= start <= end <= len(text)
    assert time.monotonic() - started < 1.0  # no backtracking blow-up


@given(st.lists(st.sampled_from(["mali", "gao", "kidal", "refugees"]), min_size=1, max_size=8))
def test_plain_words_always_parse(words: list[str]) -> None:
    query.parse(" ".join(words))
