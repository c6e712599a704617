"""Figures: the numbers a source states, with what they count and who said so."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from data import records
from resolvers import actors as resolve_actors
from resolvers import figures as resolve
from resolvers.context import Info
from schema.common import Node, PartialDate, node_id, per_record
from schema.enums import FigureQualifier
from schema.passages import Evidence
from schema.releases import Released

if TYPE_CHECKING:
    from schema.actors import Actor


@strawberry.type(description="A number the source states, with what it counts and who said so.")
class Figure(Node, Released):
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

        found = resolve.subject(info, self._record)
        return as_node(*found) if found else None

    @strawberry.field(description="Who reported the number, where the source says.")
    def source(self, info: Info) -> Annotated[Actor, strawberry.lazy("schema.actors")] | None:
        from schema.actors import Actor

        rec = resolve_actors.optional_actor(info, self._record.crisis, self._record.source)
        return Actor.from_record(rec) if rec else None


def figures_about(info: Info, kind: str, key: tuple[str, str]) -> list[Figure]:
    """The figures whose subject is this record (every type with a `figures` field)."""
    return [Figure.from_record(f) for f in resolve.about(info, kind, key)]


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
