"""The one Whoosh schema: a document per passage and per searchable record.

Field names are internal; users reach only `section:` and `type:` (the query
language maps `type` to `kind`). Bump FORMAT whenever a field or the analysis
changes: an index of another format is rebuilt, never served.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from whoosh import columns
from whoosh.fields import COLUMN, ID, KEYWORD, STORED, TEXT, Schema

from data.kinds import SEARCHABLE
from index.analysis import text_analyzer
from index.formats import IdExistence, KeywordFrequency, TextPositions

# 2: the unstemmed vocabulary is a file of the snapshot (index/spelling.py), no longer a
# field posting every word a second time.
FORMAT = 2

# The types a hit can have, as the contract's SearchType names them (lowercase).
KINDS = SEARCHABLE

# Scored text fields and their BM25F boosts: a word in a name or title says
# more about what a record is than the same word in a paragraph.
TEXT_FIELDS: dict[str, float] = {"title": 3.0, "aliases": 2.5, "body": 1.0}


def build_schema() -> Schema:
    analyzer = text_analyzer()
    return Schema(
        # "kind:crisis:id", unique across the index; the alias expansion boosts
        # the entity's own document through it.
        uid=_id(unique=True),
        # Record type (one of KINDS): the `type:` query term and the type facet.
        kind=_id(),
        # Crisis slug, for the crisis filter.
        crisis=_id(),
        # Passage section slug (`section:icc`); entities have none.
        section=_id(),
        # Name or title: an actor's or place's name, an event's or document's
        # title, "Resolution 2100 (2013)", a figure's measure.
        title=_text(analyzer, TEXT_FIELDS["title"]),
        # Other names of an actor or place ("IBK; Keita"), so acronyms and
        # spellings the page uses find the entity.
        aliases=_text(analyzer, TEXT_FIELDS["aliases"]),
        # Running text: a passage's paragraph, a description, a summary, a note.
        # Stored for highlighting, which re-analyses it.
        body=_text(analyzer, TEXT_FIELDS["body"]),
        # uids of the actors and places a passage names or that cite it, and the
        # participants/places/subjects of an entity: an alias query ORs in the
        # entity's uid here, so "IBK" finds passages that say "Keita".
        # Scorable, so a rarely mentioned entity counts like a rare word.
        entities=_keyword(),
        # An actor's or place's name and aliases, to rebuild the alias table.
        names=STORED(),
        # Filters and facets, read for every hit: a compact per-document column
        # loaded once per process instead of a stored-fields read per hit.
        meta=COLUMN(columns.VarBytesColumn()),
    )


# The formats write what Whoosh's own write, in one pass per value (index/formats.py).


def _text(analyzer: object, boost: float) -> TEXT:
    field = TEXT(analyzer=analyzer, stored=True, field_boost=boost)
    field.format = TextPositions(field_boost=boost)
    return field


def _id(*, unique: bool = False) -> ID:
    field = ID(stored=True, unique=unique)
    field.format = IdExistence(field_boost=1.0)
    return field


def _keyword() -> KEYWORD:
    field = KEYWORD(scorable=True)
    field.format = KeywordFrequency(field_boost=1.0)
    return field


# json.dumps(..., separators=...) would build this encoder again for every document.
_COMPACT_JSON = json.JSONEncoder(separators=(",", ":"))


@dataclass(frozen=True, slots=True)
class DocMeta:
    """What filters and facets need to know about one document."""

    kind: str
    crisis: str
    id: str
    section: str | None
    # Inclusive day ranges (date.toordinal()) of the dated records the
    # document is tied to; the date filter keeps a hit when one overlaps.
    ranges: tuple[tuple[int, int], ...]
    years: tuple[int, ...]
    actors: tuple[str, ...]  # "crisis/slug"

    @property
    def key(self) -> tuple[str, str]:
        return (self.crisis, self.id)

    def encode(self) -> bytes:
        return _COMPACT_JSON.encode(
            [self.kind, self.crisis, self.id, self.section, self.ranges, self.years, self.actors]
        ).encode()

    @classmethod
    def decode(cls, raw: bytes) -> DocMeta:
        kind, crisis, ident, section, ranges, years, actors = json.loads(raw)
        return cls(
            kind,
            crisis,
            ident,
            section,
            tuple((int(a), int(b)) for a, b in ranges),
            tuple(years),
            tuple(actors),
        )


def uid(kind: str, key: tuple[str, str]) -> str:
    return f"{kind}:{key[0]}:{key[1]}"


def actor_ref(key: tuple[str, str]) -> str:
    """How an actor is named in the actor facet: "crisis/slug"."""
    return f"{key[0]}/{key[1]}"
