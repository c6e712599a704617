"""The GraphQL schema: assembles Query from the type families and builds it."""

from __future__ import annotations

import strawberry

from schema.actors import Actor
from schema.documents import Document, Figure, Resolution
from schema.events import Event
from schema.passages import Crisis, Passage
from schema.places import Place
from schema.query import Query

NODE_TYPES = [Crisis, Actor, Place, Event, Resolution, Document, Figure, Passage]


def build_schema() -> strawberry.Schema:
    return strawberry.Schema(query=Query, types=NODE_TYPES)


schema = build_schema()
