"""Draft records: proposed by `python -m data ingest`, not yet reviewed.

A record (or a whole `crisis.json`) with `"status": "draft"` is read and checked like any
other, so a draft that validates can be accepted as it stands, but it is kept apart from
the served records: the repository, and so the API and the search index, never see it.
`python -m data review` turns drafts into records (data/review.py).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

DRAFT = "draft"
# Draft-only keys: what the curator must look at (`flags`), and where each quote lies in
# its passage (`start`, `end` in evidence), shown by the review and dropped on acceptance.
FLAGS = "flags"
OFFSETS = ("start", "end")

# The record files, with the record type their references use, in the order a review walks
# them: what others refer to comes first, so each reference is settled before it is used.
FILES: dict[str, str] = {
    "documents.json": "document",
    "places.json": "place",
    "actors.json": "actor",
    "resolutions.json": "resolution",
    "events.json": "event",
    "figures.json": "figure",
    "relations.json": "relation",
}


def is_draft(raw: Mapping[str, Any]) -> bool:
    return raw.get("status") == DRAFT


def status_problem(raw: Mapping[str, Any]) -> str | None:
    """What is wrong with a record's `status`, if anything."""
    if "status" in raw and raw["status"] != DRAFT:
        return f'{raw["status"]!r} is not a status: "draft", or leave it out once reviewed'
    if not is_draft(raw) and FLAGS in raw:
        return "flags are for drafts only: settle them and remove the field"
    return None


@dataclass
class Drafts:
    """The drafts of one crisis folder, kept apart from its served records."""

    # (record type, id) of every draft, so references to them can be told apart.
    ids: set[tuple[str, str]] = field(default_factory=set)
    records: list[Any] = field(default_factory=list)
    by_file: Counter[str] = field(default_factory=Counter)

    def add(self, file: str, kind: str, record: Any) -> None:
        self.ids.add((kind, record.id))
        self.records.append(record)
        self.by_file[file] += 1

    @property
    def count(self) -> int:
        return len(self.records)
