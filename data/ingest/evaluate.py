"""`python -m data ingest-eval`: ingest a curated crisis's page afresh and measure the drafts
against the curators' records.

The gazetteer learns from every *other* crisis in the store, never from the one measured:
matching a page against its own curated names would measure nothing. Matches:
events by (date, passage) (a draft matches a curated event of the same date that cites
the passage), figures by (value, passage), resolutions by number, places and actors by
any name or alias (folded as the API folds them).
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from data.ingest import ingest
from data.loader import CrisisData, load_store
from data.names import normalize_name

TYPES = ("events", "figures", "resolutions", "places", "actors")
TARGETS = {"events": 0.8, "figures": 0.9, "resolutions": 1.0, "places": 0.9, "actors": 0.7}
PRECISION_TARGET = 0.5


@dataclass(frozen=True)
class Score:
    type: str
    curated: int
    drafts: int
    found: int  # curated records some draft matches
    correct: int  # drafts that match some curated record

    @property
    def recall(self) -> float:
        return self.found / self.curated if self.curated else 1.0

    @property
    def precision(self) -> float:
        return self.correct / self.drafts if self.drafts else 1.0

    @property
    def meets_targets(self) -> bool:
        return self.recall >= TARGETS[self.type] and self.precision >= PRECISION_TARGET


def score(
    name: str, curated: list[Any], drafts: list[Any], match: Callable[[Any, Any], bool]
) -> Score:
    found = sum(1 for c in curated if any(match(c, d) for d in drafts))
    correct = sum(1 for d in drafts if any(match(c, d) for c in curated))
    return Score(name, len(curated), len(drafts), found, correct)


def _names(record: dict[str, Any]) -> set[str]:
    return {normalize_name(n) for n in (record["name"], *record.get("aliases", ()))}


def _passages(record: dict[str, Any]) -> set[str]:
    return {e["passage"] for e in record["evidence"]}


def compare(curated: CrisisData, drafts: dict[str, list[dict[str, Any]]]) -> list[Score]:
    """Score draft records (as JSON) against a curated crisis."""

    def curated_json(records: Iterable[Any]) -> list[dict[str, Any]]:
        return [
            {
                "name": getattr(r, "name", ""),
                "aliases": list(getattr(r, "aliases", ())),
                "evidence": [{"passage": e.passage_id} for e in r.evidence],
                "date": str(getattr(r, "date", "")),
                "value": getattr(r, "value", None),
                "number": getattr(r, "number", None),
            }
            for r in records
        ]

    def dated(c: dict[str, Any], d: dict[str, Any]) -> bool:
        return c["date"] == d["date"] and bool(_passages(c) & _passages(d))

    def valued(c: dict[str, Any], d: dict[str, Any]) -> bool:
        return c["value"] == d["value"] and bool(_passages(c) & _passages(d))

    def numbered(c: dict[str, Any], d: dict[str, Any]) -> bool:
        return bool(c["number"] == d["number"])

    def named(c: dict[str, Any], d: dict[str, Any]) -> bool:
        return bool(_names(c) & _names(d))

    return [
        score("events", curated_json(curated.events), drafts["events"], dated),
        score("figures", curated_json(curated.figures), drafts["figures"], valued),
        score("resolutions", curated_json(curated.resolutions), drafts["resolutions"], numbered),
        score("places", curated_json(curated.places), drafts["places"], named),
        score("actors", curated_json(curated.actors), drafts["actors"], named),
    ]


def evaluate(data_dir: Path, slug: str) -> list[Score]:
    store = load_store(data_dir)
    curated = next((c for c in store if c.crisis.id == slug), None)
    if curated is None:
        raise LookupError(f"no crisis {slug!r} in {data_dir}")
    page = next(d for d in curated.documents if d.id == curated.crisis.source)
    source = data_dir / slug / "sources" / str(page.file)
    others = [c for c in store if c.crisis.id != slug]
    with tempfile.TemporaryDirectory(prefix="crisisgraph-ingest-eval-") as tmp:
        folder = ingest(source, slug, Path(tmp), store=others).folder
        drafts = {
            name: json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))
            for name in TYPES
        }
    return compare(curated, drafts)


def table(scores: list[Score]) -> str:
    lines = [
        "| type | curated | drafts | recall | precision | target (recall / precision) |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for s in scores:
        verdict = "met" if s.meets_targets else "MISSED"
        lines.append(
            f"| {s.type} | {s.curated} | {s.drafts} | {s.recall:.0%} ({s.found}) "
            f"| {s.precision:.0%} ({s.correct}) "
            f"| ≥ {TARGETS[s.type]:.0%} / ≥ {PRECISION_TARGET:.0%}: {verdict} |"
        )
    return "\n".join(lines)
