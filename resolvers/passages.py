"""Fields of passages and evidence (Passage, Mention, Evidence)."""

from __future__ import annotations

from typing import Any

from data import records
from resolvers.context import Info


def crisis(info: Info, passage: records.Passage) -> records.Crisis:
    return info.context.repository.crisis_by_slug[passage.crisis]


def mentions(info: Info, passage: records.Passage) -> list[tuple[str, Any, records.Mention]]:
    """(record type, record, mention) for what the passage names or is evidence for."""
    repo = info.context.repository
    return [
        (m.kind, repo.get(m.kind, m.key), m) for m in repo.mentions_by_passage.get(passage.key, ())
    ]


def quoted(info: Info, crisis: str, passage_id: str) -> records.Passage:
    """The passage a piece of evidence quotes."""
    return info.context.repository.passage_of(crisis, passage_id)
