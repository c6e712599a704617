"""Crises, the passages of their source pages, evidence and mentions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from data import records
from data.terms import LICENCES, terms_of
from resolvers.context import Info
from schema.common import Node, PartialDate, node_id, per_record

if TYPE_CHECKING:
    from schema.documents import Document
    from schema.places import Place


@strawberry.type(
    description="A paragraph of a source page, verbatim: what every fact in crisisgraph cites."
)
class Passage(Node):
    slug: str = strawberry.field(
        description='Stable short name within its crisis, e.g. "mali-p10", as evidence cites '
        "it: the `slug` column of the passages export."
    )
    seq: int = strawberry.field(description="Position of the paragraph in its page, from 1.")
    section: str | None = strawberry.field(
        description="The part of the page it belongs to (e.g. `background`, `peace-process`); "
        "the page had no headings, so these names are the curators'."
    )
    text: str = strawberry.field(description="The paragraph exactly as the page has it.")
    _record: strawberry.Private[records.Passage]

    @classmethod
    @per_record
    def from_record(cls, rec: records.Passage) -> Passage:
        return cls(
            id=node_id("passage", rec.crisis, rec.id),
            slug=rec.id,
            seq=rec.seq,
            section=rec.section,
            text=rec.text,
            _record=rec,
        )

    @strawberry.field(description="The crisis whose source page this paragraph is from.")
    def crisis(self, info: Info) -> Crisis:
        return Crisis.from_record(info.context.repository.crisis_by_slug[self._record.crisis])

    @strawberry.field(
        description="The records this paragraph names (actors and places, by name or alias) or "
        "is evidence for, with character offsets into `text`, in reading order."
    )
    def mentions(self, info: Info) -> list[Mention]:
        repo = info.context.repository
        from schema.nodes import as_node

        return [
            Mention(entity=as_node(m.kind, repo.get(m.kind, m.key)), start=m.start, end=m.end)
            for m in repo.mentions_by_passage.get(self._record.key, ())
        ]


@strawberry.type(description="Where a passage names a record or serves as its evidence.")
class Mention:
    entity: Node = strawberry.field(description="The record named or evidenced.")
    start: int = strawberry.field(description="Offset of the first character in `Passage.text`.")
    end: int = strawberry.field(
        description="Offset just past the last character: `text[start:end]` is the mention."
    )


@strawberry.type(description="Why we believe a fact: a verbatim quote from a source passage.")
class Evidence:
    quote: str = strawberry.field(
        description="The quoted words, exactly as in the passage: `passage.text[start:end]`."
    )
    start: int = strawberry.field(description="Offset of the quote's first character.")
    end: int = strawberry.field(description="Offset just past the quote's last character.")
    _crisis: strawberry.Private[str]
    _passage_id: strawberry.Private[str]

    @strawberry.field(description="The passage quoted.")
    def passage(self, info: Info) -> Passage:
        repo = info.context.repository
        return Passage.from_record(repo.passage_of(self._crisis, self._passage_id))

    @classmethod
    def all_of(cls, crisis: str, evidence: tuple[records.Evidence, ...]) -> list[Evidence]:
        return [
            cls(quote=e.quote, start=e.start, end=e.end, _crisis=crisis, _passage_id=e.passage_id)
            for e in evidence
        ]


@strawberry.type(description="A licence under which curated records may be reused.")
class Licence:
    spdx_id: str = strawberry.field(description='Its SPDX identifier, e.g. "CC-BY-4.0".')
    name: str = strawberry.field(
        description='Its full name, e.g. "Creative Commons Attribution 4.0 International".'
    )
    url: str = strawberry.field(description="Where its terms are published.")


@strawberry.type(description="An atrocity crisis: the unit the knowledge base is curated by.")
class Crisis(Node):
    slug: str = strawberry.field(
        description='Stable short name, e.g. "mali": use it in filters; the `crisis` column of '
        "every export."
    )
    name: str = strawberry.field(description="The crisis's name.")
    summary: str = strawberry.field(description="A short summary, in the curators' words.")
    start: PartialDate | None = strawberry.field(description="When the crisis began.")
    end: PartialDate | None = strawberry.field(
        description="When it ended; null while ongoing as of the source."
    )
    _record: strawberry.Private[records.Crisis]

    @classmethod
    @per_record
    def from_record(cls, rec: records.Crisis) -> Crisis:
        return cls(
            id=node_id("crisis", rec.id, rec.id),
            slug=rec.id,
            name=rec.name,
            summary=rec.summary,
            start=PartialDate.of(rec.start),
            end=PartialDate.of(rec.end),
            _record=rec,
        )

    @strawberry.field(description="The country the crisis takes place in.")
    def country(self, info: Info) -> Annotated[Place, strawberry.lazy("schema.places")] | None:
        from schema.places import Place

        rec = self._record
        place = info.context.repository.places.get((rec.id, rec.country or ""))
        return Place.from_record(place) if place else None

    @strawberry.field(description="The source page the passages are taken from.")
    def source(self, info: Info) -> Annotated[Document, strawberry.lazy("schema.documents")]:
        from schema.documents import Document

        rec = self._record
        return Document.from_record(info.context.repository.documents[(rec.id, rec.source)])

    @strawberry.field(description="Quotes from the source that support the summary.")
    def evidence(self) -> list[Evidence]:
        return Evidence.all_of(self._record.id, self._record.evidence)

    @strawberry.field(
        description="The licence of this crisis's curated records (their descriptions, dates, "
        "links, notes and choice of evidence). The source page's text is not under it: see "
        "`sourceRights`."
    )
    def licence(self) -> Licence:
        found = LICENCES[self._record.licence]
        return Licence(spdx_id=found.spdx_id, name=found.name, url=found.url)

    @strawberry.field(
        description="The credit line to give when reusing these records: the curators, the "
        "licence and the source page."
    )
    def attribution(self, info: Info) -> str:
        return terms_of(info.context.repository, self._record.id).attribution

    @strawberry.field(
        description="On what terms the source page is included: quoted verbatim for research, "
        "with attribution; its rights remain with its publisher."
    )
    def source_rights(self, info: Info) -> str:
        return terms_of(info.context.repository, self._record.id).source_rights


@strawberry.input(description="Narrow the passages listed.")
class PassageFilter:
    crisis: str | None = strawberry.field(default=None, description="Only this crisis (its slug).")
    section: str | None = strawberry.field(
        default=None, description="Only this section, e.g. `peace-process` (case-insensitive)."
    )
