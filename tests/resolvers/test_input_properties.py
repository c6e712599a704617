"""Property-based tests for what reads client input: the date parser, global IDs,
keyset and position cursors, and pages. Any string a client sends is either read or refused with a
sentence (ValueError or BadUserInput); nothing else may escape."""

from __future__ import annotations

import base64
import datetime as dt
import json
from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st

from data import order
from data.dates import PartialDate
from data.kinds import BY_NAME
from data.order import ORDERS
from data.repository import Repository
from resolvers.errors import BadUserInput
from resolvers.ids import decode_id, encode_id
from resolvers.pages import (
    PageArgs,
    page,
    position_cursor,
    read_cursor,
    read_position,
    write_cursor,
)
from settings import MAX_CURSOR, MAX_INPUT_CHARS, MAX_PAGE

# Text a client can send in a JSON string: any code point but lone surrogates.
client_text = st.text(st.characters(codec="utf-8"))
# Strings that look like dates, so the numeric edge cases are reached often.
date_like = st.from_regex(r"\A\s?[0-9]{1,5}(-[0-9]{1,3}(-[0-9]{1,3})?)?\s?\Z")


def base64_of(strings: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """What our IDs and cursors look like, around any text."""
    return strings.map(lambda s: base64.urlsafe_b64encode(s.encode()).decode().rstrip("="))


@st.composite
def partial_dates(draw: st.DrawFn) -> PartialDate:
    day = draw(st.dates(min_value=dt.date(1, 1, 1)))
    precision = draw(st.sampled_from(["year", "month", "day"]))
    if precision == "year":
        return PartialDate(day.year)
    if precision == "month":
        return PartialDate(day.year, day.month)
    return PartialDate(day.year, day.month, day.day)


@given(st.one_of(client_text, date_like))
@example("2013-02-29")
@example("0000")
@example("٢٠١٢")  # Arabic-Indic digits: not an ISO date
@example("2012-1-1")
def test_any_text_is_a_date_or_a_value_error(text: str) -> None:
    try:
        date = PartialDate.parse(text)
    except ValueError as error:
        assert "use" in str(error)  # the message names the accepted forms
        return
    assert date.first_day <= date.last_day
    assert PartialDate.parse(date.iso) == date  # what was read has one spelling
    assert date.iso == text.strip()


id_parts = st.text(st.characters(codec="utf-8"))


@given(st.sampled_from(sorted(BY_NAME)), id_parts.filter(lambda s: ":" not in s), id_parts)
def test_every_global_id_round_trips(kind: str, crisis: str, ident: str) -> None:
    assert decode_id(encode_id(kind, crisis, ident)) == (kind, (crisis, ident))


@given(st.one_of(client_text, base64_of(client_text), base64_of(st.just("Actor:mali:mnla"))))
@example("")
@example("====")
@example(base64.urlsafe_b64encode(b"\xff\xfe:x:y").decode())
@example(base64.urlsafe_b64encode(b"Nope:mali:x").decode())
def test_any_text_is_a_global_id_or_bad_user_input(value: str) -> None:
    try:
        kind, key = decode_id(value)
    except BadUserInput as error:
        assert error.extensions == {"code": "BAD_USER_INPUT", "argument": "id"}
        return
    assert kind in BY_NAME
    assert all(isinstance(part, str) for part in key)


@given(st.integers(min_value=0, max_value=10**9 - 1))
def test_every_position_cursor_round_trips(position: int) -> None:
    assert read_position(position_cursor(position), "after") == position


@given(st.one_of(client_text, base64_of(client_text), base64_of(st.from_regex(r"\Acursor:.*"))))
@example(base64.urlsafe_b64encode("cursor:١٢".encode()).decode())  # not ASCII digits
@example(base64.urlsafe_b64encode(b"cursor:-1").decode())
@example(base64.urlsafe_b64encode(b"cursor:9999999999").decode())
def test_any_text_is_a_position_cursor_or_bad_user_input(value: str) -> None:
    try:
        position = read_position(value, "after")
    except BadUserInput as error:
        assert error.extensions == {"code": "BAD_USER_INPUT", "argument": "after"}
        return
    assert 0 <= position < 10**9
    # Only what position_cursor could have written is read (leading zeros aside).
    text = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode()
    assert text == f"cursor:{text[7:]}" and text[7:].isascii() and int(text[7:]) == position


def test_a_cursor_is_never_longer_than_a_client_may_send_back() -> None:
    assert MAX_CURSOR <= MAX_INPUT_CHARS


def test_every_keyset_cursor_round_trips(repo: Repository) -> None:
    for by, listed in every_list(repo):
        for record in listed:
            cursor = write_cursor(by, record)
            assert len(cursor) <= MAX_CURSOR // 2  # room for longer names and titles
            assert read_cursor(repo, cursor, "after", by) == by.key(record)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | client_text,
    lambda inner: st.lists(inner, max_size=4),
    max_leaves=12,
)
# Cursor-shaped JSON: [name, values, [crisis, id]] with any names and values.
cursor_like = st.tuples(
    st.sampled_from([o.name for o in ORDERS]) | client_text,
    st.lists(st.integers() | client_text | json_values, max_size=7),
    st.lists(client_text | json_values, min_size=2, max_size=3),
).map(lambda t: json.dumps(list(t)))


@given(
    st.one_of(client_text, base64_of(client_text), base64_of(cursor_like)),
    st.sampled_from(ORDERS),
)
@example(base64.urlsafe_b64encode(b"[" * 180 + b"]" * 180).decode(), order.ACTORS)
@example(base64.urlsafe_b64encode(b'["actors",[1,2],["mali","mnla"]]').decode(), order.ACTORS)
@example(
    base64.urlsafe_b64encode(b'["actors",["mali","x"],["mali","gone"]]').decode(), order.ACTORS
)
def test_any_text_is_a_keyset_cursor_or_bad_user_input(
    repo: Repository, value: str, by: order.Order[Any]
) -> None:
    try:
        key = read_cursor(repo, value, "before", by)
    except BadUserInput as error:
        assert error.extensions == {"code": "BAD_USER_INPUT", "argument": "before"}
        return
    # Only a key of this list's shape, naming a record the store holds, is read.
    *values, crisis, ident = key
    assert [type(v) for v in values] == list(by.shape)
    assert isinstance(crisis, str) and isinstance(ident, str)
    assert repo.get(by.kind, (crisis, ident)) is not None


sizes = st.one_of(st.none(), st.integers(min_value=-(2**31), max_value=2**31 - 1))


@st.composite
def pages_asked(draw: st.DrawFn, repo: Repository) -> tuple[Any, Any, PageArgs, bool]:
    by, listed = draw(st.sampled_from(every_list(repo)))
    descending = draw(st.booleans())
    items = listed[::-1] if descending else listed
    cursor = st.none() | client_text | st.sampled_from(listed).map(lambda r: write_cursor(by, r))
    args = PageArgs(draw(sizes), draw(cursor), draw(sizes), draw(cursor))
    return by, items, args, descending


@given(st.data())
def test_a_page_is_a_slice_of_at_most_one_page_on_the_right_side_of_its_cursors(
    repo: Repository, data: st.DataObject
) -> None:
    by, items, args, descending = data.draw(pages_asked(repo))
    try:
        found = page(repo, items, by, args, descending=descending)
    except BadUserInput:
        return
    keys = [by.key(r) for r in items]
    start = keys.index(by.key(found.records[0])) if found.records else None
    if start is not None:
        assert list(found.records) == list(items[start : start + len(found.records)])
    assert len(found.records) <= min(x for x in (args.first, args.last, MAX_PAGE) if x)
    assert found.total == len(items)
    for name, cursor in (("after", args.after), ("before", args.before)):
        if cursor is None:
            continue
        mark = read_cursor(repo, cursor, name, by)
        for record in found.records:
            later = by.key(record) < mark if descending else by.key(record) > mark
            assert later == (name == "after"), (name, record.id)


def every_list(repo: Repository) -> list[tuple[order.Order[Any], tuple[Any, ...]]]:
    return [
        (order.ACTORS, repo.actor_list),
        (order.PLACES, repo.place_list),
        (order.EVENTS_BY_DATE, repo.event_list),
        (order.EVENTS_BY_TITLE, tuple(sorted(repo.event_list, key=order.EVENTS_BY_TITLE.key))),
        (order.RELATIONS, repo.relation_list),
        (order.RESOLUTIONS, repo.resolution_list),
        (order.DOCUMENTS, repo.document_list),
        (order.FIGURES, repo.figure_list),
        (order.PASSAGES, repo.passage_list),
    ]
