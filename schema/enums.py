"""The GraphQL enums, built from the store's vocabularies (data/vocab.py) so the two
cannot drift: each value keeps the meaning written there as its description."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

import strawberry

from data import vocab


def _enum(name: str, values: dict[str, str], description: str) -> type[enum.Enum]:
    members = {key: strawberry.enum_value(key, description=text) for key, text in values.items()}
    built = enum.Enum(name, members)  # type: ignore[misc]
    return strawberry.enum(built, description=description)


if TYPE_CHECKING:  # mypy sees plain enums; the real ones are built below
    ActorKind = enum.Enum
    PlaceKind = enum.Enum
    EventKind = enum.Enum
    ParticipantRole = enum.Enum
    RelationKind = enum.Enum
    DocumentKind = enum.Enum
    FigureQualifier = enum.Enum
else:
    ActorKind = _enum("ActorKind", vocab.ACTOR_KINDS, "What sort of actor this is.")
    PlaceKind = _enum("PlaceKind", vocab.PLACE_KINDS, "What sort of place this is.")
    EventKind = _enum("EventKind", vocab.EVENT_KINDS, "What sort of event this is.")
    ParticipantRole = _enum(
        "ParticipantRole", vocab.PARTICIPANT_ROLES, "The part an actor played in an event."
    )
    RelationKind = _enum(
        "RelationKind",
        vocab.RELATION_KINDS,
        "How two actors are tied. Read a relation as `subject KIND object`.",
    )
    DocumentKind = _enum("DocumentKind", vocab.DOCUMENT_KINDS, "What sort of document this is.")
    FigureQualifier = _enum(
        "FigureQualifier", vocab.FIGURE_QUALIFIERS, "How exactly the source states a number."
    )


@strawberry.enum(description="Sort direction.")
class OrderDirection(enum.Enum):
    ASC = strawberry.enum_value("ASC", description="Oldest or smallest first.")
    DESC = strawberry.enum_value("DESC", description="Newest or largest first.")


@strawberry.enum(description="What to sort events by.")
class EventOrderField(enum.Enum):
    DATE = strawberry.enum_value(
        "DATE",
        description="By date (a coarser date sorts before finer dates inside it), then by ID.",
    )
    TITLE = strawberry.enum_value("TITLE", description="By title, alphabetically.")
