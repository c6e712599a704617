"""Crises: the unit the knowledge base is curated by, and the terms its records are under."""

from __future__ import annotations

import strawberry

from data import records
from data.terms import LICENCES
from resolvers import crisis as resolve
from resolvers import releases as resolve_releases
from resolvers.context import Info
from schema.common import Node, PartialDate, node_id, per_record
from schema.documents import Document
from schema.passages import Evidence
from schema.places import Place
from schema.releases import Release


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
    def country(self, info: Info) -> Place | None:
        place = resolve.country(info, self._record)
        return Place.from_record(place) if place else None

    @strawberry.field(description="The source page the passages are taken from.")
    def source(self, info: Info) -> Document:
        return Document.from_record(resolve.source(info, self._record))

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
        return resolve.terms(info, self._record).attribution

    @strawberry.field(
        description="On what terms the source page is included: quoted verbatim for research, "
        "with attribution; its rights remain with its publisher."
    )
    def source_rights(self, info: Info) -> str:
        return resolve.terms(info, self._record).source_rights

    @strawberry.field(
        description='The version of its records served, e.g. "1.1": the latest release, with '
        '"+unreleased" after it where the records were edited since; null before the first '
        "release. Citations and exports name it."
    )
    def version(self, info: Info) -> str | None:
        return resolve_releases.history(info, self._record.id).version

    @strawberry.field(description="The day of the latest release; null before the first.")
    def released_at(self, info: Info) -> PartialDate | None:
        latest = resolve_releases.history(info, self._record.id).latest
        return Release.from_record(latest).date if latest else None

    @strawberry.field(
        description="Every release of its records, newest first, with its notes. Pass a "
        "version to `changes(since:)` to see what changed after it."
    )
    def releases(self, info: Info) -> list[Release]:
        found = resolve_releases.history(info, self._record.id).releases
        return [Release.from_record(r) for r in reversed(found)]
