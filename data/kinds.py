"""The kinds of record, in one registry: global IDs, the repository, `node(id:)` and the
search index all read it, so a new kind is added here and nowhere else."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    # The record type as typed references, global IDs and the index's `type` field spell it.
    name: str
    # The GraphQL type of its records: what a global ID carries, and what `node(id:)` returns.
    type_name: str
    # The Repository's dict of these records by key, and its tuple of them in stable order;
    # None for crises, which the repository keeps by slug alone.
    table: str | None
    listing: str | None
    # Where its documents come in the search index's listing of kinds (the `type:` error
    # message, document counts); None for the kinds search does not return.
    search_rank: int | None = None


# In the order the GraphQL schema lists its node types.
KINDS: tuple[Kind, ...] = (
    Kind("crisis", "Crisis", None, None),
    Kind("actor", "Actor", "actors", "actor_list", search_rank=1),
    Kind("place", "Place", "places", "place_list", search_rank=3),
    Kind("event", "Event", "events", "event_list", search_rank=2),
    Kind("relation", "Relation", "relations", "relation_list"),
    Kind("resolution", "Resolution", "resolutions", "resolution_list", search_rank=5),
    Kind("document", "Document", "documents", "document_list", search_rank=4),
    Kind("figure", "Figure", "figures", "figure_list", search_rank=6),
    Kind("passage", "Passage", "passages", "passage_list", search_rank=0),
)

BY_NAME = {kind.name: kind for kind in KINDS}
BY_TYPE_NAME = {kind.type_name: kind for kind in KINDS}
# The kinds a search hit can have, as the contract's SearchType names them (lowercase).
SEARCHABLE: tuple[str, ...] = tuple(
    kind.name
    for kind in sorted(KINDS, key=lambda k: k.search_rank if k.search_rank is not None else -1)
    if kind.search_rank is not None
)
