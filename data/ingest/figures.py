"""Figures: numbers with what they count and their qualifier.

Digits ("470,761"), number words ("thirty one", "one thousand") and vague amounts, which
are recorded at their floor with AT_LEAST, as the curators' guide says ("tens of
thousands" 10,000, "hundreds of" 100, "several" 3). Numbers that are part of a date or
name a resolution are not figures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_UNITS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}
_VAGUE = {
    "tens of thousands": 10_000, "hundreds of thousands": 100_000, "thousands": 1000,
    "hundreds": 100, "dozens": 24, "scores": 40, "several": 3, "millions": 1_000_000,
}  # fmt: skip
_QUALIFIERS = [
    (re.compile(r"\b(?:more than|over|in excess of|upwards of)\s+$", re.I), "MORE_THAN"),
    (re.compile(r"\b(?:at least|a minimum of|no fewer than|no less than)\s+$", re.I), "AT_LEAST"),
    (re.compile(r"\b(?:up to|as many as|at most|no more than)\s+$", re.I), "UP_TO"),
    (
        re.compile(
            r"\b(?:about|around|approximately|roughly|some|nearly|almost|an estimated|"
            r"estimated|close to|an approximate)\s+$",
            re.I,
        ),
        "ABOUT",
    ),
]
_WORD = "|".join(sorted([*_UNITS, *_TENS], key=len, reverse=True))
_NUMBER = re.compile(
    rf"(?<![\w.,])(?:\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?)(?:\s+(?:million|billion))?(?![\w,]|\.\d)"
    rf"|\b(?:{_WORD})(?:[\s-]+(?:{_WORD}|hundred|thousand|million|billion|and))*\b"
    rf"|\b(?:tens of thousands|hundreds of thousands|thousands|hundreds|dozens|scores|millions)"
    rf"\s+of\b|\bseveral\b",
    re.IGNORECASE,
)
# What a number counts: the words after it, up to a preposition, a verb or another number.
_MEASURE = re.compile(
    r"[\w’'-]+(?:\s+(?!(?:of|in|to|from|by|on|at|and|or|who|which|that|were|was|have|had|has"
    r"|are|is|will|would|between|since|during|after|before|across|into|with|for)\b"
    r"|\w+ed\b|\d)[\w’'-]+){0,3}"
)
_NOT_FIGURES = re.compile(r"(?:[Rr]esolutions?|No\.|S/RES/|[Aa]rticle|[Cc]hapter)\s+$")


@dataclass(frozen=True)
class FigureMention:
    start: int
    end: int
    value: float
    qualifier: str
    measure: str
    vague: bool


def _words_value(words: str) -> float | None:
    total, current = 0, 0
    for word in re.split(r"[\s-]+", words.lower()):
        if word == "and":
            continue
        if word in _UNITS:
            current += _UNITS[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word in _SCALES:
            scale = _SCALES[word]
            if scale == 100:
                current = max(current, 1) * 100
            else:
                total += max(current, 1) * scale
                current = 0
        else:
            return None
    return float(total + current)


def find_figures(text: str, taken: list[tuple[int, int]]) -> list[FigureMention]:
    """Every number in `text` outside the spans in `taken` (its dates)."""
    found = []
    for m in _NUMBER.finditer(text):
        start, end = m.start(), m.end()
        if any(s < end and start < e for s, e in taken):
            continue
        raw = m.group(0).lower().strip()
        if _NOT_FIGURES.search(text[max(0, start - 12) : start]):
            continue
        vague = raw.endswith(" of") or raw == "several"
        if vague:
            value: float | None = float(
                _VAGUE[" ".join(raw.split()[:-1]) if raw != "several" else raw]
            )
            qualifier = "AT_LEAST"
        elif raw[0].isdigit():
            number, _, scale = raw.partition(" ")
            value = float(number.replace(",", "")) * _SCALES.get(scale, 1)
            qualifier = "EXACT"
        else:
            value = _words_value(re.sub(r"[\s-]+and$", "", raw))
            # "one" alone is mostly a pronoun ("one of the groups"), not a count
            if raw in {"one", "and"} or value is None:
                continue
            qualifier = "EXACT"
        if (
            raw[0].isdigit()
            and "," not in raw
            and "." not in raw
            and len(raw) == 4
            and raw[:2] in {"19", "20"}
        ):
            continue  # a year the date patterns did not take ("the 2012-13 season")
        before = text[max(0, start - 25) : start]
        if not vague:
            qualifier = next((q for p, q in _QUALIFIERS if p.search(before)), qualifier)
        measure_match = _MEASURE.match(text, end + 1) if end < len(text) else None
        measure = measure_match.group(0) if measure_match else ""
        if re.match(r"(?:of|have|has|had|were|was|are|is|in|to|and|or|which|who)\b", measure):
            measure = ""  # "107,000 of which ...": the page says what it counts elsewhere
        found.append(FigureMention(start, end, value or 0.0, qualifier, measure.strip(), vague))
    return found
