"""Every node type, and turning any record into its node: the GraphQL side of data.kinds.

It imports every type family, so the type families import it only inside the fields that
return a node of any kind (`Figure.subject`, `Passage.mentions`): never at module level.
"""

from __future__ import annotations

from typing import Any

from data.kinds import KINDS
from schema.actors import Actor, Relation
from schema.common import Node
from schema.crisis import Crisis
from schema.documents import Document
from schema.events import Event
from schema.figures import Figure
from schema.passages import Passage
from schema.places import Place
from schema.resolutions import Resolution

_TYPES: dict[str, Any] = {
    cls.__name__: cls
    for cls in (Crisis, Actor, Place, Event, Relation, Resolution, Document, Figure, Passage)
}
# Kind -> GraphQL type, in the registry's order; a kind without a type fails here, at import.
NODE_TYPES: dict[str, Any] = {kind.name: _TYPES[kind.type_name] for kind in KINDS}


def as_node(kind: str, record: Any) -> Node:
    node: Node = NODE_TYPES[kind].from_record(record)
    return node
