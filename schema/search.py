"""Full-text search results: ranked hits of any type, with highlights and facets."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Annotated

import strawberry

from resolvers import search as resolve
from resolvers.context import Info
from resolvers.pages import check_facet_size, position_cursor
from schema.actors import Actor
from schema.common import PageInfo
from schema.documents import Document
from schema.events import Event
from schema.figures import Figure
from schema.nodes import as_node
from schema.passages import Passage
from schema.places import Place
from schema.resolutions import Resolution
from settings import DEFAULT_PAGE

if TYPE_CHECKING:
    from index.search import SearchPage

SYNTAX = """Search passages and records. Plain words must all match, ranked by relevance \
(BM25F); when no hit has them all, any word will do (`mode` says which was used). Words are \
stemmed and folded (`displacing` finds `displaced`, `Verite` finds `Vérité`) and an acronym or \
alias also finds the other names of what it names (`IBK` finds Keita). Syntax: "a phrase" \
(in quotes), -word or NOT word to exclude, a OR b, (brackets) to group, prefix* (3 letters or \
more), section:peace-process and type:actor to narrow. A misspelt word gets a `suggestion`; \
if the query as typed finds nothing, the hits are for the suggestion (`corrected` is true)."""

SearchResult = Annotated[
    Passage | Actor | Event | Place | Document | Resolution | Figure,
    strawberry.union("SearchResult", description="Anything search can find."),
]


@strawberry.enum(description="The kinds of object search can find.")
class SearchType(enum.Enum):
    PASSAGE = strawberry.enum_value("PASSAGE", description="Paragraphs of source pages.")
    ACTOR = strawberry.enum_value("ACTOR", description="Actors, by name, alias or description.")
    EVENT = strawberry.enum_value("EVENT", description="Events, by title or description.")
    PLACE = strawberry.enum_value("PLACE", description="Places, by name or alias.")
    DOCUMENT = strawberry.enum_value("DOCUMENT", description="Documents, by title.")
    RESOLUTION = strawberry.enum_value("RESOLUTION", description="UN resolutions, by summary.")
    FIGURE = strawberry.enum_value("FIGURE", description="Figures, by what they count.")


@strawberry.enum(description="How the query's words were combined.")
class SearchMode(enum.Enum):
    ALL = strawberry.enum_value("ALL", description="Every word was required.")
    ANY = strawberry.enum_value(
        "ANY", description="No hit had every word, so hits with any of them are returned."
    )


@strawberry.input(description="Narrow a search.")
class SearchFilter:
    crisis: str | None = strawberry.field(default=None, description="Only this crisis (its slug).")
    types: list[SearchType] | None = strawberry.field(
        default=None, description="Only hits of these kinds."
    )
    from_: str | None = strawberry.field(
        default=None,
        name="from",
        description="Only hits tied to a date on or after this one (a passage is tied to the "
        "dates of the records it is evidence for).",
    )
    to: str | None = strawberry.field(
        default=None, description="Only hits tied to a date on or before this one."
    )


@strawberry.type(description="Where the query matched, as a fragment of the field's text.")
class Highlight:
    field: str = strawberry.field(description='The field matched: "title", "aliases" or "body".')
    fragment: str = strawberry.field(
        description="HTML-escaped text around the match, each matched word in <mark>…</mark>."
    )


@strawberry.type(description="One search hit.")
class SearchEdge:
    cursor: str = strawberry.field(
        description="The hit's position among all hits, to pass as `after` or `before` with the "
        "same query. Unlike other connections, search cursors are positions, not keyset "
        "cursors: the ranking can change when the index is rebuilt, so a cursor is only good "
        "for paging through one set of results."
    )
    score: float = strawberry.field(description="Relevance (BM25F): higher is better.")
    node: SearchResult = strawberry.field(description="The passage or record found.")
    highlights: list[Highlight] = strawberry.field(description="Where the query matched.")


@strawberry.type(description="How many hits have a given value.")
class FacetCount:
    value: str = strawberry.field(description="The value: a year, a section.")
    count: int = strawberry.field(description="How many hits have it.")


@strawberry.type(description="How many hits are of a given kind.")
class TypeFacet:
    type: SearchType = strawberry.field(description="The kind.")
    count: int = strawberry.field(description="How many hits are of it.")


@strawberry.type(description="How many hits are tied to an actor.")
class ActorFacet:
    count: int = strawberry.field(description="How many hits are tied to the actor.")
    actor: Actor = strawberry.field(description="The actor.")


FACET_FIRST = "How many values to list, most frequent first: 0 to 100 (20, a page, by default)."


@strawberry.type(description="Counts over all hits (not just this page), most frequent first.")
class SearchFacets:
    types: list[TypeFacet] = strawberry.field(description="Hits by kind.")
    years: list[FacetCount] = strawberry.field(
        description="Hits by year of the dates they are tied to (a hit counts in each year)."
    )
    actor_count: int = strawberry.field(
        description="How many distinct actors the hits are tied to: `actors` lists the most "
        "frequent of them."
    )
    section_count: int = strawberry.field(
        description="How many distinct sections the passage hits are in: `sections` lists "
        "the most frequent of them."
    )
    _actors: strawberry.Private[tuple[tuple[str, int], ...]]
    _sections: strawberry.Private[tuple[tuple[str, int], ...]]

    @strawberry.field(
        description="Hits by the actors they are tied to, the most frequent first (ties in "
        "order of crisis and slug). A broad search over many crises can tie its hits to "
        "thousands of actors, so the list is bounded: `actorCount` says how many there are."
    )
    def actors(
        self,
        info: Info,
        first: Annotated[int, strawberry.argument(description=FACET_FIRST)] = DEFAULT_PAGE,
    ) -> list[ActorFacet]:
        check_facet_size(first)
        found = resolve.facet_actors(info, self._actors, first)
        return [ActorFacet(count=count, actor=Actor.from_record(r)) for r, count in found]

    @strawberry.field(
        description="Passage hits by section, the most frequent first (ties by name); "
        "`sectionCount` says how many there are in all."
    )
    def sections(
        self,
        first: Annotated[int, strawberry.argument(description=FACET_FIRST)] = DEFAULT_PAGE,
    ) -> list[FacetCount]:
        check_facet_size(first)
        return [FacetCount(value=v, count=c) for v, c in self._sections[:first]]


@strawberry.type(
    description="A page of ranked search hits. Page with `first`/`after` or `last`/`before`; "
    "cursors are positions in the ranking (see `SearchEdge.cursor`)."
)
class SearchConnection:
    edges: list[SearchEdge] = strawberry.field(description="The hits of this page, best first.")
    nodes: list[SearchResult] = strawberry.field(
        description="The passages and records of this page, best first: `edges { node }`."
    )
    page_info: PageInfo = strawberry.field(description="Where this page sits among all hits.")
    total_count: int = strawberry.field(description="How many hits there are in all.")
    suggestion: str | None = strawberry.field(
        description="The query with misspelt words corrected from the index's vocabulary "
        "(Ouagadugu -> Ouagadougou); null when every word is known."
    )
    corrected: bool = strawberry.field(
        description="The hits are for `suggestion`, because the query as typed found nothing."
    )
    mode: SearchMode = strawberry.field(description="Whether every word, or any, was required.")
    facets: SearchFacets = strawberry.field(description="Counts by kind, year, actor, section.")

    @classmethod
    def of(cls, offset: int, page: SearchPage, info: Info) -> SearchConnection:
        found = resolve.hit_records(info, page)
        edges = [
            SearchEdge(
                cursor=position_cursor(offset + i),
                score=hit.score,
                node=as_node(hit.kind, record),  # type: ignore[arg-type]
                highlights=[Highlight(field=f, fragment=text) for f, text in hit.highlights],
            )
            for i, (hit, record) in enumerate(zip(page.hits, found, strict=True))
        ]
        return cls(
            edges=edges,
            nodes=[edge.node for edge in edges],
            page_info=PageInfo(
                has_next_page=offset + len(edges) < page.total,
                has_previous_page=offset > 0,
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=edges[-1].cursor if edges else None,
            ),
            total_count=page.total,
            suggestion=page.suggestion,
            corrected=page.corrected,
            mode=SearchMode(page.mode),
            facets=_facets(page),
        )


def _facets(page: SearchPage) -> SearchFacets:
    facets = page.facets
    return SearchFacets(
        types=[TypeFacet(type=SearchType(v.upper()), count=c) for v, c in facets.get("type", ())],
        years=[FacetCount(value=v, count=c) for v, c in facets.get("year", ())],
        actor_count=page.facet_sizes.get("actor", 0),
        section_count=page.facet_sizes.get("section", 0),
        _actors=facets.get("actor", ()),
        _sections=facets.get("section", ()),
    )
