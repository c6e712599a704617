"""Resolutions of the UN Security Council that a source discusses."""

from __future__ import annotations

import strawberry

from data import records
from resolvers import actors as resolve_actors
from resolvers.context import Info
from schema.actors import Actor
from schema.common import Node, PartialDate, node_id, per_record
from schema.figures import Figure, figures_about
from schema.passages import Evidence
from schema.releases import Released


@strawberry.type(description="A resolution of the UN Security Council that the source discusses.")
class Resolution(Node, Released):
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
        found = resolve_actors.actors(info, self._record.crisis, self._record.concerns)
        return [Actor.from_record(a) for a in found]


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
