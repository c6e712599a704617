"""Documents the source cites, UN Security Council resolutions, and stated figures."""

from __future__ import annotations

import strawberry

from data import records
from resolvers.context import Info
from schema.actors import Actor
from schema.common import Node, PartialDate, node_id, per_record
from schema.enums import DocumentKind, FigureQualifier
from schema.passages import Evidence


@strawberry.type(description="The source page itself, or a report, letter or statement it cites.")
class Document(Node):
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
        rec = info.context.repository.actors.get(
            (self._record.crisis, self._record.publisher or "")
        )
        return Actor.from_record(rec) if rec else None

    @strawberry.field(description="Who wrote it, where the source says.")
    def authors(self, info: Info) -> list[Actor]:
        actors = info.context.repository.actors
        return [Actor.from_record(actors[(self._record.crisis, a)]) for a in self._record.authors]


@strawberry.type(description="A resolution of the UN Security Council that the source discusses.")
class Resolution(Node):
    slug: str = strawberry.field(
        description='The resolution\'s number as text, e.g. "2100": the `slug` column of the '
        "resolutions export."
    )
    number: int = strawberry.field(description="The resolution's number, e.g. 2100.")
    year: int = strawberry.field(description="The year it was adopted.")
    adopted: PartialDate | None = strawberry.field(description="The date of adoption.")
    unanimous: bool | None = strawberry.field(
        description="Whether it was adopted unanimously; null where no source says."
    )
    summary: str = strawberry.field(
        description="What it creates, renews or tasks, in the curators' words."
    )
    sources: list[str] = strawberry.field(
        description="Where facts not on the source page (a date, the vote) come from."
    )
    note: str | None = strawberry.field(description="A curator's remark.")
    evidence: list[Evidence] = strawberry.field(description="Quotes about the resolution.")
    _record: strawberry.Private[records.Resolution]

    @classmethod
    @per_record
    def from_record(cls, rec: records.Resolution) -> Resolution:
        return cls(
            id=node_id("resolution", rec.crisis, rec.id),
            slug=rec.id,
            number=rec.number,
            year=rec.year,
            adopted=PartialDate.of(rec.adopted),
            unanimous=rec.unanimous,
            summary=rec.summary,
            sources=list(rec.sources),
            note=rec.note,
            evidence=Evidence.all_of(rec.crisis, rec.evidence),
            _record=rec,
        )

    @strawberry.field(description="Numbers the source states about this resolution.")
    def figures(self, info: Info) -> list[Figure]:
        return figures_about(info, "resolution", self._record.key)

    @strawberry.field(description="The actors it concerns, e.g. the missions it creates or renews.")
    def concerns(self, info: Info) -> list[Actor]:
        actors = info.context.repository.actors
        return [Actor.from_record(actors[(self._record.crisis, a)]) for a in self._record.concerns]


@strawberry.type(description="A number the source states, with what it counts and who said so.")
class Figure(Node):
    slug: str = strawberry.field(
        description='Stable short name within its crisis, e.g. "displaced-2012-ocha": the '
        "`slug` column of the figures export."
    )
    value: float = strawberry.field(description="The number.")
    qualifier: FigureQualifier = strawberry.field(
        description="How exact it is: EXACT, ABOUT, AT_LEAST, MORE_THAN or UP_TO."
    )
    measure: str = strawberry.field(description='What is counted, e.g. "refugees".')
    as_of: PartialDate | None = strawberry.field(description="The date the number refers to.")
    note: str | None = strawberry.field(
        description="A curator's remark, e.g. how a vague amount was recorded."
    )
    evidence: list[Evidence] = strawberry.field(description="Quotes stating the number.")
    _record: strawberry.Private[records.Figure]

    @classmethod
    @per_record
    def from_record(cls, rec: records.Figure) -> Figure:
        return cls(
            id=node_id("figure", rec.crisis, rec.id),
            slug=rec.id,
            value=rec.value,
            qualifier=FigureQualifier(rec.qualifier),
            measure=rec.measure,
            as_of=PartialDate.of(rec.as_of),
            note=rec.note,
            evidence=Evidence.all_of(rec.crisis, rec.evidence),
            _record=rec,
        )

    @strawberry.field(
        description="What the number is about: an event, actor, place or other record."
    )
    def subject(self, info: Info) -> Node | None:
        from schema.nodes import as_node

        if self._record.subject is None:
            return None
        kind, ident = self._record.subject
        return as_node(kind, info.context.repository.get(kind, (self._record.crisis, ident)))

    @strawberry.field(description="Who reported the number, where the source says.")
    def source(self, info: Info) -> Actor | None:
        rec = info.context.repository.actors.get((self._record.crisis, self._record.source or ""))
        return Actor.from_record(rec) if rec else None


def figures_about(info: Info, kind: str, key: tuple[str, str]) -> list[Figure]:
    """The figures whose subject is this record (every type with a `figures` field)."""
    found = info.context.repository.figures_by_subject.get((kind, key), ())
    return [Figure.from_record(f) for f in found]


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


@strawberry.input(description="Narrow the resolutions listed.")
class ResolutionFilter:
    crisis: str | None = strawberry.field(default=None, description="Only this crisis (its slug).")
    from_: str | None = strawberry.field(
        default=None,
        name="from",
        description="Only resolutions adopted on or after this date (by the adoption date, or "
        "its year where the day is not recorded).",
    )
    to: str | None = strawberry.field(
        default=None, description="Only resolutions adopted on or before this date."
    )


@strawberry.input(description="Narrow the figures listed.")
class FigureFilter:
    crisis: str | None = strawberry.field(default=None, description="Only this crisis (its slug).")
    measure: str | None = strawberry.field(
        default=None,
        description='Only figures whose measure contains this text, e.g. "displaced".',
    )
    subject: strawberry.ID | None = strawberry.field(
        default=None, description="Only figures about this record (its ID)."
    )
