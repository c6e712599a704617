"""The passages of source pages, the evidence that quotes them, and the mentions in them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from data import records
from resolvers import passages as resolve
from resolvers.context import Info
from schema.common import Node, node_id, per_record
from schema.releases import Released

if TYPE_CHECKING:
    from schema.crisis import Crisis


@strawberry.type(
    description="A paragraph of a source page, verbatim: what every fact in crisisgraph cites."
)
class Passage(Node, Released):
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
    def crisis(self, info: Info) -> Annotated[Crisis, strawberry.lazy("schema.crisis")]:
        from schema.crisis import Crisis

        return Crisis.from_record(resolve.crisis(info, self._record))

    @strawberry.field(
        description="The records this paragraph names (actors and places, by name or alias) or "
        "is evidence for, with character offsets into `text`, in reading order."
    )
    def mentions(self, info: Info) -> list[Mention]:
        from schema.nodes import as_node

        return [
            Mention(entity=as_node(kind, record), start=m.start, end=m.end)
            for kind, record, m in resolve.mentions(info, self._record)
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
        return Passage.from_record(resolve.quoted(info, self._crisis, self._passage_id))

    @classmethod
    def all_of(cls, crisis: str, evidence: tuple[records.Evidence, ...]) -> list[Evidence]:
        return [
            cls(quote=e.quote, start=e.start, end=e.end, _crisis=crisis, _passage_id=e.passage_id)
            for e in evidence
        ]


@strawberry.input(description="Narrow the passages listed.")
class PassageFilter:
    crisis: str | None = strawberry.field(default=None, description="Only this crisis (its slug).")
    section: str | None = strawberry.field(
        default=None, description="Only this section, e.g. `peace-process` (case-insensitive)."
    )
