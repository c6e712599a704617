"""Property-based tests for what reads client input: the date parser, global IDs and
cursors, and page bounds. Any string a client sends is either read or refused with a
sentence (ValueError or BadUserInput); nothing else may escape."""

from __future__ import annotations

import base64
import datetime as dt

from hypothesis import example, given
from hypothesis import strategies as st

from data.dates import PartialDate
from resolvers.errors import BadUserInput
from resolvers.ids import (
    MAX_PAGE,
    NODE_KINDS,
    decode_cursor,
    decode_id,
    encode_cursor,
    encode_id,
    page_bounds,
)

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


@given(partial_dates())
def test_every_date_round_trips_through_its_iso_form(date: PartialDate) -> None:
    assert PartialDate.parse(date.iso) == date
    assert date.first_day <= date.last_day


id_parts = st.text(st.characters(codec="utf-8"))


@given(
    st.sampled_from(sorted(NODE_KINDS.values())), id_parts.filter(lambda s: ":" not in s), id_parts
)
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
    assert kind in NODE_KINDS.values()
    assert all(isinstance(part, str) for part in key)


@given(st.integers(min_value=0, max_value=10**9 - 1))
def test_every_cursor_round_trips(position: int) -> None:
    assert decode_cursor(encode_cursor(position), "after") == position


@given(st.one_of(client_text, base64_of(client_text), base64_of(st.from_regex(r"\Acursor:.*"))))
@example(base64.urlsafe_b64encode("cursor:١٢".encode()).decode())  # not ASCII digits
@example(base64.urlsafe_b64encode(b"cursor:-1").decode())
@example(base64.urlsafe_b64encode(b"cursor:9999999999").decode())
def test_any_text_is_a_cursor_or_bad_user_input(value: str) -> None:
    try:
        position = decode_cursor(value, "after")
    except BadUserInput as error:
        assert error.extensions == {"code": "BAD_USER_INPUT", "argument": "after"}
        return
    assert 0 <= position < 10**9
    # Only what encode_cursor could have written is read (leading zeros aside).
    text = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode()
    assert text == f"cursor:{text[7:]}" and text[7:].isascii() and int(text[7:]) == position


sizes = st.one_of(st.none(), st.integers(min_value=-(2**31), max_value=2**31 - 1))
cursors = st.one_of(
    st.none(), st.integers(min_value=0, max_value=10**9 - 1).map(encode_cursor), client_text
)


@given(st.integers(min_value=0, max_value=10**6), sizes, cursors, sizes, cursors)
def test_page_bounds_are_a_slice_of_at_most_one_page(
    total: int, first: int | None, after: str | None, last: int | None, before: str | None
) -> None:
    try:
        start, stop = page_bounds(total, first, after, last, before)
    except BadUserInput:
        return
    assert 0 <= start <= stop <= total
    assert stop - start <= min(x for x in (first, last, MAX_PAGE) if x is not None)
    if after is not None:
        assert start >= min(decode_cursor(after, "after") + 1, total)
    if before is not None:
        assert stop <= max(decode_cursor(before, "before"), start)
