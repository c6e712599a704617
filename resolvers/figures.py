"""Fields of figures, and every type's `figures` field (the figures about a record)."""

from __future__ import annotations

from typing import Any

from data import records
from resolvers.context import Info


def about(info: Info, kind: str, key: records.Key) -> tuple[records.Figure, ...]:
    """The figures whose subject is this record (every type with a `figures` field)."""
    return info.context.repository.figures_by_subject.get((kind, key), ())


def subject(info: Info, figure: records.Figure) -> tuple[str, Any] | None:
    """(record type, record) of what the number is about, if the figure says."""
    if figure.subject is None:
        return None
    kind, ident = figure.subject
    return kind, info.context.repository.get(kind, (figure.crisis, ident))
