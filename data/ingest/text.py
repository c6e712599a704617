"""Where things are in a passage: sentences, and evidence quotes with their offsets."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

# A sentence ends at . ! or ? (and any closing quote) before a space and a capital, digit or
# opening quote; "U.S." or "No. 5" are rare enough on these pages to split now and then.
_SENTENCE_END = re.compile(r"(?<=[.!?])[”\"’)]*\s+(?=[A-Z0-9“\"‘(])")


@dataclass(frozen=True)
class Passage:
    """One paragraph of the page, as the drafts quote it."""

    id: str
    seq: int
    section: str | None
    text: str


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of `text`."""
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text.rstrip())))
    return spans


def sentence_at(text: str, at: int) -> tuple[int, int]:
    for start, end in sentences(text):
        if start <= at < end:
            return start, end
    return 0, len(text)


def clause(text: str, start: int, end: int, limit: int = 220) -> tuple[int, int]:
    """The sentence around text[start:end], trimmed to its final period and, when longer
    than `limit`, to the clause (between commas or semicolons) that holds the span."""
    s, e = sentence_at(text, start)
    while e > s and text[e - 1] in ".!? ":
        e -= 1
    if e - s <= limit:
        return s, max(e, end)
    left = max(text.rfind(",", s, start), text.rfind(";", s, start))
    s = left + 1 if left >= 0 else s
    right = min((i for i in (text.find(",", end, e), text.find(";", end, e)) if i >= 0), default=e)
    s += len(text[s:right]) - len(text[s:right].lstrip())
    return s, max(right, end)


def evidence(passage: Passage, start: int, end: int) -> dict[str, Any]:
    """An evidence entry for passage.text[start:end], with its occurrence when the quote
    is found more than once, and its offsets (dropped when the draft is accepted)."""
    quote = passage.text[start:end]
    found, at = [], passage.text.find(quote)
    while at >= 0:
        found.append(at)
        at = passage.text.find(quote, at + 1)
    item: dict[str, Any] = {"passage": passage.id, "quote": quote}
    if len(found) > 1:
        item["occurrence"] = found.index(start) + 1
    item["start"], item["end"] = start, end
    return item


def slugify(name: str, fallback: str = "record") -> str:
    bare = unicodedata.normalize("NFKD", name)
    ascii_name = bare.encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z0-9]+", ascii_name)
    return "-".join(words[:8]) or fallback
