"""Documents: the source page itself, and the reports, letters and statements it cites."""

from __future__ import annotations

import strawberry

from data import records
from resolvers import actors as resolve_actors
from resolvers.context import Info
from schema.actors import Actor
from schema.common import Node, PartialDate, node_id, per_record
from schema.enums import DocumentKind
from schema.figures import Figure, figures_about
from schema.passages import Evidence
from schema.releases import Released


@strawberry.type(description="The source page itself, or a report, letter or statement it cites.")
class Document(Node, Released):
    slug: str = strawberry.field(
        description='Stable short name within its crisis, e.g. "icrtop-crisis-in-mali": the '
        "`slug` column of the documents export."
    )
    title: str = strawberry.field(
        description="The title as the source gives it; a descriptive title in [brackets] "
        "where it gives none."
    )
    kind: DocumentKind = strawberry.field(description="What sort of document this is.")
    date: PartialDate | None = strawberry.field(description="When it was issued, if given.")
    covers_until: PartialDate | None = strawberry.field(
        description="For a source page: the last date it reports on."
    )
    url: str | None = strawberry.field(description="Where to read it, when known.")
    note: str | None = strawberry.field(description="A curator's remark.")
    evidence: list[Evidence] = strawberry.field(description="Quotes that cite the document.")
    _record: strawberry.Private[records.Document]

    @classmethod
    @per_record
    def from_record(cls, rec: records.Document) -> Document:
        return cls(
            id=node_id("document", rec.crisis, rec.id),
            slug=rec.id,
            title=rec.title,
            kind=DocumentKind(rec.kind),
            date=PartialDate.of(rec.date),
            covers_until=PartialDate.of(rec.covers_until),
            url=rec.url,
            note=rec.note,
            evidence=Evidence.all_of(rec.crisis, rec.evidence),
            _record=rec,
        )

    @strawberry.field(description="Numbers the source states about this document.")
    def figures(self, info: Info) -> list[Figure]:
        return figures_about(info, "document", self._record.key)

    @strawberry.field(description="Who published it.")
    def publisher(self, info: Info) -> Actor | None:
        rec = resolve_actors.optional_actor(info, self._record.crisis, self._record.publisher)
        return Actor.from_record(rec) if rec else None

    @strawberry.field(description="Who wrote it, where the source says.")
    def authors(self, info: Info) -> list[Actor]:
        found = resolve_actors.actors(info, self._record.crisis, self._record.authors)
        return [Actor.from_record(a) for a in found]


@strawberry.input(description="Narrow the documents listed.")
class DocumentFilter:
    crisis: str | None = strawberry.field(default=None, description="Only this crisis (its slug).")
    from_: str | None = strawberry.field(
        default=None, name="from", description="Only documents dated on or after this date."
    )
    to: str | None = strawberry.field(
        default=None, description="Only documents dated on or before this date."
    )
    publisher: strawberry.ID | None = strawberry.field(
        default=None, description="Only documents published by this actor (its ID)."
    )
