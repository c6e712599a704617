"""A saved page as text: the main content of an HTML page (trafilatura), or a plain-text
file as it is; then its passages (paragraphs of prose) and sections (the headings
between them). Navigation, menus and footers are left out: trafilatura drops them from
HTML, and in text they are the short lines that do not read as sentences."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from data.ingest.text import Passage, slugify

# A paragraph of prose: enough words, and it ends as a sentence does.
_MIN_WORDS = 8
_PROSE_END = re.compile(r"[.!?…][”\"’)]*$")
_HEADING_MAX_WORDS = 12
# A saved article is some kilobytes, a long report a few megabytes; past this it is not a page.
MAX_PAGE_BYTES = 10_000_000


@dataclass(frozen=True)
class Page:
    text: str  # what the passages quote, kept verbatim in sources/
    title: str | None
    publisher: str | None
    date: str | None  # ISO, only where the page's own metadata states it
    url: str | None
    html: str | None = None  # the page as saved, kept beside the text
    passages: list[Passage] = field(default_factory=list)


def read_page(path: Path, slug: str) -> Page:
    if path.stat().st_size > MAX_PAGE_BYTES:
        raise ValueError(f"{path} is over {MAX_PAGE_BYTES:,} bytes: save the page itself")
    raw = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix.lower() in {".html", ".htm", ".xhtml"} or re.match(
        r"\s*(?:<!doctype html|<html)", raw[:1000], re.IGNORECASE
    ):
        page = _from_html(raw)
    else:
        page = Page(raw, None, None, None, None)
    passages, title = split(page.text, slug)
    return Page(
        page.text, page.title or title, page.publisher, page.date, page.url, page.html, passages
    )


def _from_html(html: str) -> Page:
    import trafilatura  # the curation extra: pip install -e '.[curation]'

    # Offline by construction: extract() only parses the string it is given.
    # Its date comes from the page's own metadata and markup, never guessed from the text.
    result = trafilatura.bare_extraction(
        html,
        include_comments=False,
        include_tables=False,
        favor_precision=True,
        with_metadata=True,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if result is None or isinstance(result, dict):  # as_dict=False: a Document, or None
        return Page("", None, None, None, None, html)
    text = (result.text or "").replace("\r\n", "\n")
    # trafilatura writes one paragraph a line; a blank line between them keeps them apart
    # for readers of the saved text.
    text = "\n\n".join(line.strip() for line in text.split("\n") if line.strip()) + "\n"
    return Page(text, result.title, result.sitename, result.date, result.url, html)


def split(text: str, slug: str) -> tuple[list[Passage], str | None]:
    """Passages (prose paragraphs, in order) with the heading each falls under, and the
    page's title: the last short line before the first passage."""
    passages: list[Passage] = []
    section: str | None = None
    title: str | None = None
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            continue
        words = line.split()
        if (len(words) >= _MIN_WORDS and _PROSE_END.search(line)) or (len(words) >= 3 * _MIN_WORDS):
            seq = len(passages) + 1
            passages.append(Passage(f"{slug}-p{seq:02d}", seq, section, line))
        elif len(words) <= _HEADING_MAX_WORDS and not _PROSE_END.search(line):
            if passages:
                section = slugify(line, "section")
            else:
                title = line
    return passages, title
