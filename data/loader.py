"""Read and validate the JSON store into immutable records.

Validation is all-or-nothing: every problem in every file is collected, then
`StoreError` lists them all (file, record, field, what to do), and nothing is
returned half-loaded. The server refuses to start on such a store.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from data import readers
from data.drafts import FILES, Drafts, is_draft, status_problem
from data.fields import RecordFields, StoreError, StoreProblem
from data.records import (
    Actor,
    Crisis,
    Document,
    Event,
    Figure,
    Passage,
    Place,
    Relation,
    Resolution,
)
from data.terms import LICENCES
from data.validate import check_crisis
from settings import DEFAULT_DATA_DIR

__all__ = [
    "CrisisData",
    "StoreError",
    "StoreProblem",
    "load_store",
    "store_digest",
]

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
LICENCE_NAMES = {spdx_id: licence.name for spdx_id, licence in LICENCES.items()}


@dataclass
class CrisisData:
    """Everything read from one crisis folder."""

    crisis: Crisis
    passages: list[Passage] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    resolutions: list[Resolution] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    # Read and checked, never served (data/drafts.py); a draft crisis is not served at all.
    drafts: Drafts = field(default_factory=Drafts)
    draft: bool = False


def store_digest(data_dir: Path) -> str:
    """A digest of every file in the store: changes when any byte does."""
    digest = hashlib.sha256()
    for path in sorted(p for p in data_dir.rglob("*") if p.is_file()):
        if path.name.startswith(".") or path.suffix in {".pyc"}:
            continue
        digest.update(path.relative_to(data_dir).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def load_store(data_dir: Path = DEFAULT_DATA_DIR) -> list[CrisisData]:
    """Load every crisis folder under `data_dir`; raise StoreError on any problem."""
    problems: list[StoreProblem] = []
    if not data_dir.is_dir():
        raise StoreError(
            [StoreProblem(str(data_dir), None, None, "no such folder: set CRISISGRAPH_DATA_DIR")]
        )
    folders = sorted(p for p in data_dir.iterdir() if p.is_dir() and not p.name.startswith("."))
    if not folders:
        problems.append(
            StoreProblem(str(data_dir), None, None, "holds no crisis folder (e.g. mali/)")
        )
    crises = []
    for folder in folders:
        crisis = _CrisisReader(folder, problems).read()
        if crisis is not None:
            crises.append(crisis)
    if problems:
        raise StoreError(problems)
    return crises


class _CrisisReader:
    def __init__(self, folder: Path, problems: list[StoreProblem]) -> None:
        self.folder = folder
        self.slug = folder.name
        self.problems = problems
        self.passages: dict[str, Passage] = {}
        # (file, record, field, kind, id) to resolve once every file is read
        self.refs: list[tuple[str, str | None, str, str, str]] = []

    def rel(self, name: str) -> str:
        return f"{self.slug}/{name}"

    def load_json(self, name: str, *, required: bool = False) -> Any:
        path = self.folder / name
        if not path.exists():
            if required:
                self.problems.append(StoreProblem(self.rel(name), None, None, "file is missing"))
            return None
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except UnicodeDecodeError as error:
            message = f"is not UTF-8 text ({error.reason} at byte {error.start})"
        except json.JSONDecodeError as error:
            message = f"is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}"
        self.problems.append(StoreProblem(self.rel(name), None, None, message))
        return None

    def records(self, name: str, id_field: str = "id") -> Iterator[RecordFields]:
        raw = self.load_json(name, required=name == "passages.json")
        if raw is None:
            return
        if not isinstance(raw, list):
            self.problems.append(StoreProblem(self.rel(name), None, None, "must hold a JSON list"))
            return
        seen: set[str] = set()
        for i, item in enumerate(raw):
            if not isinstance(item, dict):
                self.problems.append(
                    StoreProblem(self.rel(name), f"#{i + 1}", None, "must be a JSON object")
                )
                continue
            ident = item.get(id_field)
            label = str(ident) if ident is not None else f"#{i + 1}"
            fields = RecordFields(self, self.rel(name), label, item)
            if id_field != "number" and (not isinstance(ident, str) or not _SLUG.fullmatch(ident)):
                fields.problem(id_field, "must be a slug: lowercase words joined by '-'")
                continue
            if label in seen:
                fields.problem(id_field, f"{label!r} is used twice in this file: ids are unique")
                continue
            seen.add(label)
            if (problem := status_problem(item)) is not None:
                fields.problem("status", problem)
            yield fields

    def read(self) -> CrisisData | None:
        if not _SLUG.fullmatch(self.slug):
            self.problems.append(
                StoreProblem(self.slug, None, None, "folder name must be a slug such as 'mali'")
            )
            return None
        raw = self.load_json("crisis.json", required=True)
        if not isinstance(raw, dict):
            if raw is not None:
                self.problems.append(
                    StoreProblem(self.rel("crisis.json"), None, None, "must hold one JSON object")
                )
            return None
        head = RecordFields(self, self.rel("crisis.json"), self.slug, raw)
        documents_raw = self.load_json("documents.json")
        source_text = self.source_text(head, documents_raw)
        self.read_passages(source_text)
        crisis = Crisis(
            id=self.slug,
            name=head.text("name") or self.slug,
            country=head.ref("country", "place"),
            summary=head.text("summary") or "",
            source=head.ref("source", "document", required=True) or "",
            start=head.date("start"),
            end=head.date("end"),
            licence=head.choice("licence", LICENCE_NAMES),
            evidence=head.evidence() if "evidence" in raw else (),
        )
        if (problem := status_problem(raw)) is not None:
            head.problem("status", problem)
        data = CrisisData(crisis, passages=list(self.passages.values()), draft=is_draft(raw))
        self.read_records(data)
        check_crisis(self.slug, data, self.refs, self.problems)
        return data

    def source_text(self, head: RecordFields, documents_raw: Any) -> str | None:
        source_id = head.raw.get("source")
        docs = documents_raw if isinstance(documents_raw, list) else []
        doc = next((d for d in docs if isinstance(d, dict) and d.get("id") == source_id), None)
        if doc is None or not isinstance(doc.get("file"), str):
            head.problem("source", f'document {source_id!r} with a "file" is not in documents.json')
            return None
        path = self.folder / "sources" / Path(doc["file"]).name
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            head.problem("source", f"cannot read {self.rel('sources/' + path.name)}: {error}")
            return None

    def read_passages(self, source_text: str | None) -> None:
        position = 0
        for f in self.records("passages.json"):
            text = f.text("text")
            seq = f.raw.get("seq")
            if not isinstance(seq, int) or seq < 1:
                f.problem("seq", "must be a positive whole number")
                continue
            section = f.text("section", required=False)
            if text is None:
                continue
            start = source_text.find(text, position) if source_text is not None else -1
            if source_text is not None and start < 0:
                f.problem(
                    "text",
                    "is not found verbatim in the source file, after the passage "
                    "before it: passages must copy the page exactly and in order",
                )
            position = max(position, start + len(text)) if start >= 0 else position
            self.passages[str(f.record)] = Passage(
                self.slug, str(f.record), seq, section, text, str(f.raw.get("source", "")), start
            )
        seqs = [p.seq for p in self.passages.values()]
        if seqs != sorted(set(seqs)):
            self.problems.append(
                StoreProblem(
                    self.rel("passages.json"),
                    None,
                    "seq",
                    "must increase through the file with no repeats",
                )
            )

    def read_records(self, data: CrisisData) -> None:
        by_file: dict[str, Callable[[str, RecordFields], Any]] = {
            "actors.json": readers.actor,
            "places.json": readers.place,
            "events.json": readers.event,
            "relations.json": readers.relation,
            "documents.json": readers.document,
            "figures.json": readers.figure,
        }
        targets: dict[str, list[Any]] = {
            "actors.json": data.actors,
            "places.json": data.places,
            "events.json": data.events,
            "relations.json": data.relations,
            "documents.json": data.documents,
            "figures.json": data.figures,
        }
        by_file["resolutions.json"] = readers.resolution
        targets["resolutions.json"] = data.resolutions
        id_fields = {"actors.json": "slug", "places.json": "slug", "resolutions.json": "number"}
        for name, read in by_file.items():
            for f in self.records(name, id_fields.get(name, "id")):
                record = read(self.slug, f)
                if is_draft(f.raw):
                    data.drafts.add(name, FILES[name], record)
                else:
                    targets[name].append(record)
