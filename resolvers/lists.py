"""Root fields that list records: each returns the filtered records in their stable order
(data/order.py), and the schema pages through them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from data import order, records
from data.dates import DateRange, PartialDate
from data.kinds import BY_NAME
from data.names import normalize_name
from data.repository import Repository
from resolvers.context import Info
from resolvers.dates import parse_date_argument
from resolvers.errors import BadUserInput, NotFound
from resolvers.ids import decode_id
from resolvers.relations import in_force

R = TypeVar("R", bound=Any)


def check_crisis(repo: Repository, crisis: str | None) -> None:
    """A crisis argument names a crisis of the store; the error lists the ones there are."""
    if crisis is not None and crisis not in repo.crisis_by_slug:
        known = ", ".join(repo.crisis_by_slug) or "none"
        raise BadUserInput(f"crisis: no crisis {crisis!r}; known crises: {known}")


def _in_crisis(repo: Repository, items: Sequence[R], crisis: str | None) -> Sequence[R]:
    if crisis is None:
        return items
    check_crisis(repo, crisis)
    return [item for item in items if item.crisis == crisis]


def _record_id(repo: Repository, value: str, argument: str, *kinds: str) -> tuple[str, Any]:
    """The record a global ID argument names; errors say what was expected."""
    kind, key = decode_id(value, argument=argument)
    if kinds and kind not in kinds:
        wanted = " or ".join(_a(BY_NAME[k].type_name) for k in kinds)
        raise BadUserInput(
            f"{argument}: expected {wanted} ID, got {_a(BY_NAME[kind].type_name)} ID"
        )
    record = repo.get(kind, key)
    if record is None:
        raise NotFound(f"{argument}: no {kind} with ID {value!r}", argument=argument)
    return kind, record


def _a(noun: str) -> str:
    return f"{'an' if noun[0] in 'AEIOU' else 'a'} {noun}"


def _date_range(date_from: str | None, date_to: str | None) -> DateRange | None:
    start = parse_date_argument(date_from, "from")
    end = parse_date_argument(date_to, "to")
    if start is None and end is None:
        return None
    window = DateRange.between(start, end)
    if window.is_empty:
        raise BadUserInput(f"from ({date_from}) is after to ({date_to})")
    return window


def _named(
    info: Info,
    kind: str,
    found: Sequence[R],
    kinds: list[str] | None,
    name: str | None,
) -> list[R]:
    """The actors or places of `found` of these kinds whose name or an alias contains
    `name`, ignoring case and accents. The argument is folded once; the records' names
    were folded when the store was loaded."""
    folded = info.context.repository.folded_names
    wanted = normalize_name(name) if name is not None else None
    return [
        rec
        for rec in info.context.deadline.checked(found)
        if (not kinds or rec.kind in kinds)
        and (wanted is None or any(wanted in n for n in folded[(kind, rec.key)]))
    ]


def actors(
    info: Info,
    crisis: str | None = None,
    kinds: list[str] | None = None,
    name: str | None = None,
) -> Sequence[records.Actor]:
    repo = info.context.repository
    return _named(info, "actor", _in_crisis(repo, repo.actor_list, crisis), kinds, name)


def places(
    info: Info,
    crisis: str | None = None,
    kinds: list[str] | None = None,
    name: str | None = None,
) -> Sequence[records.Place]:
    repo = info.context.repository
    return _named(info, "place", _in_crisis(repo, repo.place_list, crisis), kinds, name)


def events(
    info: Info,
    crisis: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    actor: str | None = None,
    place: str | None = None,
    kinds: list[str] | None = None,
    by: order.Order[records.Event] = order.EVENTS_BY_DATE,
    descending: bool = False,
) -> Sequence[records.Event]:
    repo = info.context.repository
    window = _date_range(date_from, date_to)
    found: Sequence[records.Event] = repo.event_list
    # Start from the narrowest index the filter allows.
    if actor is not None:
        _, rec = _record_id(repo, actor, "actor", "actor")
        found = repo.events_by_actor.get(rec.key, ())
    if place is not None:
        _, rec = _record_id(repo, place, "place", "place")
        at_place = repo.events_by_place.get(rec.key, ())
        if actor is None:
            found = at_place
        else:
            here = set(at_place)
            found = [e for e in found if e in here]
    found = _in_crisis(repo, found, crisis)
    found = [
        e
        for e in info.context.deadline.checked(found)
        if (not kinds or e.kind in kinds) and (window is None or e.span.overlaps(window))
    ]
    if by is order.EVENTS_BY_TITLE:  # the repository ranked every title once
        found = sorted(found, key=lambda e: repo.event_title_rank[e.key])
    return found[::-1] if descending else found


def resolutions(
    info: Info,
    crisis: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
) -> Sequence[records.Resolution]:
    """Resolutions adopted within the dates (by the adoption date, or its year where the
    date is not recorded)."""
    repo = info.context.repository
    window = _date_range(date_from, date_to)
    return [
        r
        for r in info.context.deadline.checked(_in_crisis(repo, repo.resolution_list, crisis))
        if window is None or _day_span(r.adopted or PartialDate(r.year)).overlaps(window)
    ]


def relations(
    info: Info,
    crisis: str | None = None,
    actor: str | None = None,
    kinds: list[str] | None = None,
    at: str | None = None,
    include_undated: bool = True,
) -> Sequence[records.Relation]:
    repo = info.context.repository
    found: Sequence[records.Relation] = repo.relation_list
    if actor is not None:
        _, rec = _record_id(repo, actor, "actor", "actor")
        found = repo.relations_by_actor.get(rec.key, ())
    deadline = info.context.deadline
    found = [
        r for r in deadline.checked(_in_crisis(repo, found, crisis)) if not kinds or r.kind in kinds
    ]
    return in_force(deadline.checked(found), at, include_undated)


def documents(
    info: Info,
    crisis: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    publisher: str | None = None,
) -> Sequence[records.Document]:
    repo = info.context.repository
    window = _date_range(date_from, date_to)
    publisher_key = _record_id(repo, publisher, "publisher", "actor")[1].key if publisher else None
    return [
        d
        for d in info.context.deadline.checked(_in_crisis(repo, repo.document_list, crisis))
        if (publisher_key is None or (d.crisis, d.publisher) == publisher_key)
        and (window is None or (d.date is not None and _day_span(d.date).overlaps(window)))
    ]


def _day_span(date: PartialDate) -> DateRange:
    return DateRange.between(date, date)


def figures(
    info: Info,
    crisis: str | None = None,
    measure: str | None = None,
    subject: str | None = None,
) -> Sequence[records.Figure]:
    repo = info.context.repository
    if subject is not None:
        kind, rec = _record_id(repo, subject, "subject")
        found: Sequence[records.Figure] = repo.figures_by_subject.get((kind, rec.key), ())
    else:
        found = repo.figure_list
    wanted = normalize_name(measure) if measure else None
    return [
        f
        for f in info.context.deadline.checked(_in_crisis(repo, found, crisis))
        if wanted is None or wanted in repo.folded_measures[f.key]
    ]


def passages(
    info: Info, crisis: str | None = None, section: str | None = None
) -> Sequence[records.Passage]:
    repo = info.context.repository
    found = _in_crisis(repo, repo.passage_list, crisis)
    if section is None:
        return found
    wanted = normalize_name(section)
    return [
        p for p in info.context.deadline.checked(found) if repo.folded_sections.get(p.key) == wanted
    ]
