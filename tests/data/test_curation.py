"""Curation rules the real store keeps, beyond what the loader can check."""

from __future__ import annotations

import re

from data.repository import Repository


def test_every_relation_with_an_unknown_bound_says_why_in_a_note(repo: Repository) -> None:
    """Null means "the page does not say": a researcher reading `at:` needs to know that."""
    open_ended = [r for r in repo.relation_list if r.start is None or r.end is None]
    assert len(open_ended) > 10  # the rule is exercised
    assert [r.id for r in open_ended if not r.note] == []


def test_quotes_in_relation_notes_are_the_pages_words(repo: Repository) -> None:
    """A note that argues for a date quotes the page ('...'); those words must be on it."""
    page = " ".join(p.text for p in repo.passage_list).casefold()
    quoted = [
        (r.id, q)
        for r in repo.relation_list
        for q in re.findall(r"'([^']{12,}?)'(?=[\s,.;)])", r.note or "")
    ]
    assert len(quoted) >= 10
    assert [(i, q) for i, q in quoted if q.casefold() not in page] == []


def test_the_coalitions_are_not_dated_before_the_page_dates_them(repo: Repository) -> None:
    members = [
        r
        for r in repo.relation_list
        if r.kind == "MEMBER_OF" and r.object in ("coordination", "platform")
    ]
    assert len(members) == 6
    assert {(r.start.iso if r.start else None) for r in members} == {"2014"}
