"""Dates in a passage, at the precision its words allow.

Full dates ("22 March 2012", "March 22, 2012"), months ("in March 2013", "by June 2012"),
years ("the 2012 coup") and ranges ("2-3 August 2012", "30 March - 1 April 2012",
"between 27 May 2014 and 15 September 2014", "from 1996 to 2011", "1960-2013") become ISO
partial dates. A month without its year takes the year last stated and is flagged; a
relative date ("the next day", "two weeks later") is flagged and never computed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MONTHS = {
    m: i + 1
    for i, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ]
    )
}
_M = (
    r"(?P<{0}>January|February|March|April|May|June|July|August|September|October|November"
    r"|December)"
)
_D = r"(?P<{0}>[0-3]?\d)(?:st|nd|rd|th)?"
_Y = r"(?P<{0}>(?:1[89]|20)\d\d)"
_DASH = r"\s*(?:-|–|—|to|until|and|through)\s*"


def _p(template: str) -> str:
    return template.format(
        d1=_D.format("d1"), d2=_D.format("d2"), m1=_M.format("m1"), m2=_M.format("m2"),
        y1=_Y.format("y1"), y2=_Y.format("y2"), dash=_DASH,
    )  # fmt: skip


# Most specific first: a span taken by one pattern is not read again by a later one.
_PATTERNS = [
    re.compile(_p(r"\b{d1}\s+{m1}\s+{y1}{dash}{d2}\s+{m2}\s+{y2}\b")),
    re.compile(_p(r"\b{d1}\s+{m1}{dash}{d2}\s+{m2}\s+{y1}\b")),
    re.compile(_p(r"\b{d1}{dash}{d2}\s+{m1}\s+{y1}\b")),
    re.compile(_p(r"\b{d1}\s+{m1},?\s+{y1}\b")),
    re.compile(_p(r"\b{m1}\s+{d1}(?:{dash}{d2})?,\s+{y1}\b")),
    re.compile(_p(r"\b{m1}{dash}{m2}\s+{y1}\b")),
    re.compile(_p(r"\b{m1}(?:\s+of)?,?\s+{y1}\b")),
    re.compile(_p(r"\b(?:from\s+|between\s+)?{y1}{dash}{y2}\b")),
    re.compile(_p(r"(?<![\d,.])(?<![Rr]esolution )(?<!No\. )\b{y1}\b(?!\d|,\d)")),
]
_BARE_MONTH = re.compile(
    _p(
        r"\b(?:in|on|early\s+in|late\s+in|by|since|until|of)\s+(?:early\s+|late\s+|mid-?)?{m1}\b(?!\s+(?:[0-3]?\d|(?:1[89]|20)\d\d))"
    )
)
_RELATIVE = re.compile(
    r"\b(?:the\s+(?:very\s+)?(?:next|following|previous|same)\s+(?:day|week|month|year|morning|night)"
    r"|(?:a|one|two|three|four|five|six|several|a\s+few)\s+(?:days?|weeks?|months?|years?)\s+(?:later|earlier|after|before)"
    r"|the\s+day\s+(?:before|after)|days?\s+later|weeks?\s+later)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    date: str
    end_date: str | None = None
    flags: tuple[str, ...] = field(default=())


def _iso(year: str, month: str | None = None, day: str | None = None) -> str:
    if month is None:
        return year
    iso = f"{year}-{MONTHS[month.lower()]:02d}"
    return f"{iso}-{int(day):02d}" if day is not None else iso


def _valid_day(day: str | None) -> bool:
    return day is None or 1 <= int(day) <= 31


def find_dates(text: str, context_year: str | None = None) -> list[DateMention]:
    """Every date the text states, in order; `context_year` is the last year stated before
    the text (for a month given without one)."""
    taken = [False] * len(text)
    found: list[DateMention] = []
    for pattern in _PATTERNS:
        for m in pattern.finditer(text):
            if any(taken[m.start() : m.end()]):
                continue
            g = {k: v for k, v in m.groupdict().items() if v}
            if not (_valid_day(g.get("d1")) and _valid_day(g.get("d2"))):
                continue
            y1, y2 = g["y1"], g.get("y2")
            m1, m2 = g.get("m1"), g.get("m2")
            d1, d2 = g.get("d1"), g.get("d2")
            if y2 and m1 is None:  # a span of years
                if int(y2) <= int(y1):
                    continue
                mention = DateMention(m.start(), m.end(), y1, y2)
            elif y2:
                mention = DateMention(m.start(), m.end(), _iso(y1, m1, d1), _iso(y2, m2, d2))
            elif d2 or m2:
                mention = DateMention(m.start(), m.end(), _iso(y1, m1, d1), _iso(y1, m2 or m1, d2))
            else:
                mention = DateMention(m.start(), m.end(), _iso(y1, m1, d1))
            before = text[max(0, m.start() - 12) : m.start()].lower()
            if before.endswith(("by ", "before ")):
                mention = DateMention(
                    mention.start, mention.end, mention.date, mention.end_date,
                    ("by: the page says no later than this, not when",),
                )  # fmt: skip
            for i in range(m.start(), m.end()):
                taken[i] = True
            found.append(mention)
    last_year = context_year
    for m in _BARE_MONTH.finditer(text):
        start = m.start("m1")
        if any(taken[start : m.end()]):
            continue
        years = [d.date[:4] for d in found if d.start < start] or ([last_year] if last_year else [])
        if not years:
            continue
        found.append(
            DateMention(
                start,
                m.end(),
                _iso(years[-1], m.group("m1")),
                None,
                (f"year not stated: {years[-1]} is the last year the page gave before it",),
            )
        )
    for m in _RELATIVE.finditer(text):
        anchors = [d for d in found if d.start < m.start()]
        anchor = anchors[-1].date if anchors else last_year
        if anchor is None:
            continue
        found.append(
            DateMention(
                m.start(),
                m.end(),
                anchor[:4],
                None,
                (
                    f"relative date {m.group(0)!r}: counted from {anchor}, left at its year; "
                    "set the date by hand",
                ),
            )
        )
    return sorted(found, key=lambda d: d.start)
