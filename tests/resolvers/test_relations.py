"""The rule for "in force on a date", which Actor.relations and the root `relations` share."""

from __future__ import annotations

from typing import Any

import pytest

from data.dates import PartialDate
from data.records import Relation
from resolvers.errors import BadUserInput
from resolvers.relations import in_force


def make_relation(ident: str, start: str | None, end: str | None, **overrides: Any) -> Relation:
    values: dict[str, Any] = {
        "crisis": "testland",
        "id": ident,
        "kind": "ALLIANCE",
        "subject": "a",
        "object": "b",
        "start": PartialDate.parse(start) if start else None,
        "end": PartialDate.parse(end) if end else None,
        "description": None,
        "evidence": (),
    }
    values.update(overrides)
    return Relation(**values)


RELATIONS = [
    make_relation("bounded", "2012-03", "2012-06-15"),
    make_relation("from", "2013", None),  # no end given: from its start on
    make_relation("until", None, "2012-02-10"),  # no start given: up to its end
    make_relation("undated", None, None),  # neither: the source does not say
]


def ids(found: list[Relation]) -> list[str]:
    return [r.id for r in found]


@pytest.mark.parametrize(
    ("at", "everything", "dated_only"),
    [
        (None, ["bounded", "from", "until", "undated"], ["bounded", "from", "until"]),
        ("2012-03-01", ["bounded", "undated"], ["bounded"]),
        ("2012-06-15", ["bounded", "undated"], ["bounded"]),  # the last day counts
        ("2012-06-16", ["undated"], []),
        ("2012-02", ["until", "undated"], ["until"]),  # any day of it: up to the 10th
        ("2012", ["bounded", "until", "undated"], ["bounded", "until"]),
        ("2013-01-01", ["from", "undated"], ["from"]),
        ("1990", ["until", "undated"], ["until"]),
        ("2030", ["from", "undated"], ["from"]),
    ],
)
def test_in_force_on_a_date_with_and_without_undated(
    at: str | None, everything: list[str], dated_only: list[str]
) -> None:
    assert ids(in_force(RELATIONS, at)) == everything
    assert ids(in_force(RELATIONS, at, include_undated=True)) == everything
    assert ids(in_force(RELATIONS, at, include_undated=False)) == dated_only


def test_a_bad_date_names_the_argument_and_the_forms() -> None:
    with pytest.raises(BadUserInput) as raised:
        in_force(RELATIONS, "May 2012")
    assert raised.value.message.startswith("at: 'May 2012' is not a date: use ")
    assert raised.value.extensions == {"code": "BAD_USER_INPUT", "argument": "at"}
