"""Terms of reuse: the licence of a crisis's curated records, and the rights in its source.

The curated records (the JSON files: their structure, descriptions, dates, links, notes
and the choice of evidence) are the curators' work, released under the licence named in
the crisis's crisis.json. The source page is someone else's work: it is copied verbatim
only so that every quote can be checked, for research and with attribution, and its
rights remain with its publisher. GraphQL, the exports and the README say both from
here, so they cannot disagree.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from data.repository import Repository

CURATORS = "the crisisgraph curators"


@dataclass(frozen=True)
class Licence:
    spdx_id: str  # as https://spdx.org/licenses/ and CITATION.cff name it
    name: str
    url: str

    @property
    def short_name(self) -> str:
        """How the licence is usually written in a credit line: "CC BY 4.0"."""
        return self.spdx_id.replace("-", " ")


# The licences a crisis's records may be released under; the loader refuses any other.
LICENCES = {
    "CC-BY-4.0": Licence(
        "CC-BY-4.0",
        "Creative Commons Attribution 4.0 International",
        "https://creativecommons.org/licenses/by/4.0/",
    ),
}


@dataclass(frozen=True)
class Terms:
    """One crisis's terms: what its records are released under, and its source's rights."""

    crisis_name: str
    licence: Licence
    source_title: str
    source_publisher: str | None  # the publisher's name, where the store records one
    source_url: str | None

    @property
    def attribution(self) -> str:
        """The credit line to give when reusing the records."""
        source = ", ".join(
            part
            for part in (f'"{self.source_title}"', self.source_publisher, self.source_url)
            if part
        )
        return (
            f'"{self.crisis_name}" records by {CURATORS}, {self.licence.short_name} '
            f"({self.licence.url}). Source: {source}."
        )

    @property
    def source_rights(self) -> str:
        where = f" ({self.source_url})" if self.source_url else ""
        owner = "its publisher" + (f", {self.source_publisher}" if self.source_publisher else "")
        return (
            f'The source page, "{self.source_title}"{where}, is quoted verbatim for research, '
            f"with attribution; its rights remain with {owner}. "
            f"The {self.licence.short_name} licence of the records does not cover it."
        )


def terms_of(repo: Repository, crisis: str) -> Terms:
    """The terms of one crisis of a loaded (so validated) store."""
    rec = repo.crisis_by_slug[crisis]
    source = repo.documents[(crisis, rec.source)]
    publisher = repo.actors.get((crisis, source.publisher or ""))
    return Terms(
        crisis_name=rec.name,
        licence=LICENCES[rec.licence],
        source_title=source.title,
        source_publisher=publisher.name if publisher else None,
        source_url=source.url,
    )


# Curly quotes and dashes, by code point: their plain ASCII forms.
_TYPOGRAPHY = str.maketrans(
    {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"}
)


def header_text(text: str) -> str:
    """`text` as an HTTP header value (ASCII): accents dropped ("Verite"), curly quotes and
    dashes made plain, anything else "?"."""
    plain = unicodedata.normalize("NFKD", text.translate(_TYPOGRAPHY))
    kept = "".join(c for c in plain if not unicodedata.combining(c))
    return kept.encode("ascii", "replace").decode("ascii")
