"""The query language: trees for good queries, a useful sentence for bad ones."""

from __future__ import annotations

import pytest

from index.query import (
    AllOf,
    AnyOf,
    Exclude,
    FieldTerm,
    Phrase,
    QuerySyntaxError,
    Word,
    parse,
)
from settings import SEARCH_MAX_CHARS


def test_words_are_an_implicit_and() -> None:
    tree = parse("child soldiers")
    assert tree == AllOf((Word("child", 0, 5), Word("soldiers", 6, 14)), explicit=False)


def test_operators_phrases_exclusions_prefixes_and_fields() -> None:
    tree = parse('(Gao OR Kidal) AND "peace talks" -MNLA NOT section:icc peace* type:passage')
    assert tree == AllOf(
        (
            AnyOf((Word("Gao", 1, 4), Word("Kidal", 8, 13))),
            Phrase("peace talks", 20, 31),
            Exclude(Word("MNLA", 34, 38)),
            Exclude(FieldTerm("section", "icc", 43, 54)),
            Word("peace", 55, 60, prefix=True),
            FieldTerm("type", "passage", 62, 74),
        ),
        explicit=True,
    )


def test_curly_quotes_make_phrases_and_fields_take_phrases() -> None:
    assert parse("“peace enforcement”") == Phrase("peace enforcement", 1, 18)
    assert parse('section:"french intervention"') == FieldTerm(
        "section", "french intervention", 0, 8
    )


def test_a_dash_inside_or_between_words_is_not_an_exclusion() -> None:
    tree = parse("al-Qaeda 30 March - 1 April")
    assert isinstance(tree, AllOf)
    assert not any(isinstance(child, Exclude) for child in tree.children)


def test_lower_case_operators_are_words() -> None:
    assert parse("peace and security") == AllOf(
        (Word("peace", 0, 5), Word("and", 6, 9), Word("security", 10, 18)), explicit=False
    )


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ('"peace enforcement', "never closed"),
        ("(Gao OR Kidal", "never closed"),
        ("Gao OR Kidal)", "no matching '('"),
        ("()", "empty brackets"),
        ("AND", "on each side"),
        ("Gao AND", "on each side"),
        ("OR Kidal", "on each side"),
        ("Gao OR OR Kidal", "on each side"),
        ("NOT", "followed by the word"),
        ("Gao NOT", "followed by the word"),
        ("-Gao", "only excludes"),
        ("-Gao -Kidal", "only excludes"),
        ("Gao OR -Kidal", "OR cannot join an exclusion"),
        ("Gao NOT -Kidal", "double exclusion"),
        ("*", "would match everything"),
        ("Gao *", "would match everything"),
        ("ab*", "too short"),
        ("pe*ce", "can only end a word"),
        ("al-Qa*", "spans several words"),
        ("section:", "needs one value"),
        ("type:(actor OR place)", "needs one value"),
        ("x" * 2000, f"limit is {SEARCH_MAX_CHARS}"),
        (" ".join(["word"] * 40), "the limit is 32"),
        ("(" * 9 + "Gao" + ")" * 9, "nested more than"),
    ],
)
def test_bad_queries_say_what_is_wrong(query: str, says: str) -> None:
    with pytest.raises(QuerySyntaxError, match=says.replace("(", r"\(").replace("*", r"\*")):
        parse(query)
