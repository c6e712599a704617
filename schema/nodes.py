"""Turn any record into its GraphQL node type."""

from __future__ import annotations

from typing import Any

from schema.common import Node


def as_node(kind: str, record: Any) -> Node:
    from schema.actors import Actor, Relation
    from schema.documents import Document, Figure, Resolution
    from schema.events import Event
    from schema.passages import Crisis, Passage
    from schema.places import Place

    types: dict[str, Any] = {
        "crisis": Crisis,
        "actor": Actor,
        "place": Place,
        "event": Event,
        "relation": Relation,
        "resolution": Resolution,
        "document": Document,
        "figure": Figure,
        "passage": Passage,
    }
    node: Node = types[kind].from_record(record)
    return node
