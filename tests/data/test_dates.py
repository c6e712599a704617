"""ISO partial dates: what parses, what each date covers, and when two ranges overlap."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from data.dates import ACCEPTED_FORMS, DateRange, PartialDate, Precision


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2012", PartialDate(2012)),
        ("2012-03", PartialDate(2012, 3)),
        ("2012-03-22", PartialDate(2012, 3, 22)),
        ("2012-02-29", PartialDate(2012, 2, 29)),  # 2012 is a leap year
        ("2000-02-29", PartialDate(2000, 2, 29)),  # so is 2000 (divisible by 400)
        ("0001-01-01", PartialDate(1, 1, 1)),
        ("9999-12-31", PartialDate(9999, 12, 31)),
    ],
)
def test_parse_accepts_iso_partial_dates(text: str, expected: PartialDate) -> None:
    assert PartialDate.parse(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "2013-02-29",  # 2013 is not a leap year
        "1900-02-29",  # nor is 1900 (divisible by 100, not by 400)
        "2013-13",
        "2013-00",
        "2013-04-31",
        "2013-04-00",
        "March",
        "",
        "2012-3",
        "2012-03-2",
        "12",
        "12 August 2013",
        "2013/08/12",
        "2013-08-12T10:00",
        "0000",
        "-2012",
    ],
)
def test_parse_rejects_anything_else_naming_the_accepted_forms(text: str) -> None:
    with pytest.raises(ValueError, match="use") as raised:
        PartialDate.parse(text)
    assert ACCEPTED_FORMS in str(raised.value)
    assert repr(text) in str(raised.value)


@pytest.mark.parametrize("text", ["\u0662\u0660\u0661\u0662", "\uff12\uff10\uff11\uff12-03"])
def test_parse_rejects_non_ascii_digits(text: str) -> None:
    with pytest.raises(ValueError):
        PartialDate.parse(text)


@pytest.mark.parametrize(
    ("text", "precision", "first_day", "last_day"),
    [
        ("2012", Precision.YEAR, dt.date(2012, 1, 1), dt.date(2012, 12, 31)),
        ("2012-02", Precision.MONTH, dt.date(2012, 2, 1), dt.date(2012, 2, 29)),
        ("2013-02", Precision.MONTH, dt.date(2013, 2, 1), dt.date(2013, 2, 28)),
        ("2013-12", Precision.MONTH, dt.date(2013, 12, 1), dt.date(2013, 12, 31)),
        ("2012-03-22", Precision.DAY, dt.date(2012, 3, 22), dt.date(2012, 3, 22)),
    ],
)
def test_a_date_covers_every_day_of_its_precision(
    text: str, precision: Precision, first_day: dt.date, last_day: dt.date
) -> None:
    date = PartialDate.parse(text)
    assert (date.precision, date.first_day, date.last_day) == (precision, first_day, last_day)
    assert date.iso == str(date) == text


def test_dates_sort_chronologically_coarser_first() -> None:
    dates = ["2012-03-22", "2013", "2012-03", "2012", "2012-04-01", "2011-12-31", "2012-03-01"]
    assert [d.iso for d in sorted(PartialDate.parse(d) for d in dates)] == [
        "2011-12-31",
        "2012",
        "2012-03",
        "2012-03-01",
        "2012-03-22",
        "2012-04-01",
        "2013",
    ]
    assert PartialDate(2012) < PartialDate(2012, 1) < PartialDate(2012, 1, 1)
    assert PartialDate(2012, 12, 31) < PartialDate(2013)


def days(first: str | None, last: str | None) -> DateRange:
    return DateRange(
        dt.date.fromisoformat(first) if first else None,
        dt.date.fromisoformat(last) if last else None,
    )


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (days("2013-03-01", "2013-03-31"), days("2013-03-15", "2013-12-31"), True),
        (days("2013-03-01", "2013-03-31"), days("2013-03-31", "2013-03-31"), True),  # last day
        (days("2013-03-01", "2013-03-31"), days("2013-03-01", "2013-03-01"), True),  # first day
        (days("2013-03-01", "2013-03-31"), days("2013-04-01", "2013-04-30"), False),  # next day
        (days("2013-03-01", "2013-03-31"), days("2013-02-01", "2013-02-28"), False),  # day before
        (days("2013-03-01", "2013-03-31"), days("2013-02-01", "2013-05-01"), True),  # inside
        (days("2013-03-01", "2013-03-31"), days(None, "2013-03-01"), True),
        (days("2013-03-01", "2013-03-31"), days(None, "2013-02-28"), False),
        (days("2013-03-01", "2013-03-31"), days("2013-03-31", None), True),
        (days("2013-03-01", "2013-03-31"), days("2013-04-01", None), False),
        (days(None, None), days("2013-03-01", "2013-03-01"), True),
        (days(None, "2012-06-30"), days("2012-06-30", None), True),
        (days(None, "2012-06-30"), days("2012-07-01", None), False),
    ],
)
def test_overlap_is_inclusive_at_both_ends(a: DateRange, b: DateRange, expected: bool) -> None:
    assert a.overlaps(b) is expected
    assert b.overlaps(a) is expected


def test_a_month_lies_inside_a_window_that_starts_mid_month() -> None:
    """API.md's example: an event dated 2013-03 is inside from: "2013-03-15"."""
    march = PartialDate.parse("2013-03")
    window = DateRange.between(PartialDate.parse("2013-03-15"), PartialDate.parse("2013-12-31"))
    assert DateRange.between(march, march).overlaps(window)
    assert DateRange.between(march, march).overlaps(DateRange.between(march, None))
    assert not DateRange.between(march, march).overlaps(
        DateRange.between(PartialDate.parse("2013-04-01"), None)
    )


def test_between_spans_from_the_first_day_of_the_start_to_the_last_day_of_the_end() -> None:
    span = DateRange.between(PartialDate.parse("2012"), PartialDate.parse("2012-06"))
    assert span == days("2012-01-01", "2012-06-30")
    assert DateRange.between(None, None) == days(None, None)
    assert span.contains_day(dt.date(2012, 6, 30))
    assert not span.contains_day(dt.date(2012, 7, 1))
    assert not span.is_empty
    assert days("2014-01-01", "2013-12-31").is_empty


precisions = st.sampled_from(list(Precision))


@st.composite
def partial_dates(draw: st.DrawFn) -> PartialDate:
    day = draw(st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)))
    precision = draw(precisions)
    if precision is Precision.YEAR:
        return PartialDate(day.year)
    if precision is Precision.MONTH:
        return PartialDate(day.year, day.month)
    return PartialDate(day.year, day.month, day.day)


@given(partial_dates())
def test_every_valid_date_round_trips_through_its_iso_form(date: PartialDate) -> None:
    assert PartialDate.parse(date.iso) == date
    assert date.first_day <= date.last_day
    assert PartialDate.parse(date.iso).precision == date.precision


@given(partial_dates(), st.dates(min_value=dt.date(1, 1, 1)))
def test_a_date_contains_a_day_exactly_when_the_day_matches_its_parts(
    date: PartialDate, day: dt.date
) -> None:
    matches = (
        day.year == date.year and date.month in (None, day.month) and date.day in (None, day.day)
    )
    assert DateRange.between(date, date).contains_day(day) is matches


optional_days = st.none() | st.dates(min_value=dt.date(2010, 1, 1), max_value=dt.date(2016, 1, 1))


@given(optional_days, optional_days, optional_days, optional_days)
def test_overlap_is_symmetric_and_means_a_shared_day(
    a1: dt.date | None, a2: dt.date | None, b1: dt.date | None, b2: dt.date | None
) -> None:
    a, b = DateRange(a1, a2), DateRange(b1, b2)
    if a.is_empty or b.is_empty:
        return
    lows = [d for d in (a1, b1) if d is not None]
    highs = [d for d in (a2, b2) if d is not None]
    shared = not lows or not highs or max(lows) <= min(highs)
    assert a.overlaps(b) is b.overlaps(a) is shared
