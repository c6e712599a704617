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

from data import vocab
from data.dates import PartialDate
from data.fields import RecordFields, StoreError, StoreProblem
from data.names import normalize_name
from data.records import (
    Actor,
    Crisis,
    Document,
    Event,
    Figure,
    Participant,
    Passage,
    Place,
    Relation,
    Resolution,
    Role,
)
from data.terms import LICENCES
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
        data = CrisisData(crisis, passages=list(self.passages.values()))
        self.read_records(data)
        self.check(data)
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
        readers: dict[str, Callable[[RecordFields], Any]] = {
            "actors.json": self.actor,
            "places.json": self.place,
            "events.json": self.event,
            "relations.json": self.relation,
            "documents.json": self.document,
            "figures.json": self.figure,
        }
        targets: dict[str, list[Any]] = {
            "actors.json": data.actors,
            "places.json": data.places,
            "events.json": data.events,
            "relations.json": data.relations,
            "documents.json": data.documents,
            "figures.json": data.figures,
        }
        for name, read in readers.items():
            targets[name].extend(
                read(f)
                for f in self.records(
                    name, "slug" if name in {"actors.json", "places.json"} else "id"
                )
            )
        for f in self.records("resolutions.json", "number"):
            data.resolutions.append(self.resolution(f))

    def actor(self, f: RecordFields) -> Actor:
        roles = []
        raw_roles = f.raw.get("roles", [])
        if not isinstance(raw_roles, list):
            f.problem("roles", 'must be a list of {"title": ..., "evidence": [...]}')
            raw_roles = []
        for i, raw in enumerate(raw_roles):
            rf = f.nested("roles", i, raw)
            roles.append(
                Role(
                    title=rf.text("title") or "",
                    of=rf.ref("of", "actor"),
                    start=rf.date("start"),
                    end=rf.date("end"),
                    evidence=rf.evidence(),
                )
            )
        return Actor(
            crisis=self.slug,
            id=str(f.record),
            kind=f.choice("kind", vocab.ACTOR_KINDS),
            name=f.text("name") or "",
            aliases=f.strings("aliases"),
            description=f.text("description") or "",
            roles=tuple(roles),
            evidence=f.evidence(),
            note=f.text("note", required=False),
            sources=f.strings("sources"),
        )

    def place(self, f: RecordFields) -> Place:
        lat, lon = f.number("latitude"), f.number("longitude")
        if (lat is None) != (lon is None):
            f.problem("latitude", "give both latitude and longitude, or neither")
        if lat is not None and not -90 <= lat <= 90:
            f.problem("latitude", f"{lat} is outside -90..90")
        if lon is not None and not -180 <= lon <= 180:
            f.problem("longitude", f"{lon} is outside -180..180")
        if lat is not None and not f.raw.get("sources"):
            f.problem("sources", "name the gazetteer the coordinates come from")
        return Place(
            crisis=self.slug,
            id=str(f.record),
            kind=f.choice("kind", vocab.PLACE_KINDS),
            name=f.text("name") or "",
            aliases=f.strings("aliases"),
            country=f.ref("country", "place"),
            latitude=lat,
            longitude=lon,
            evidence=f.evidence(),
            note=f.text("note", required=False),
            sources=f.strings("sources"),
        )

    def event(self, f: RecordFields) -> Event:
        participants = []
        raw_parts = f.raw.get("participants", [])
        if not isinstance(raw_parts, list):
            f.problem("participants", 'must be a list of {"actor": ..., "role": ...}')
            raw_parts = []
        for i, raw in enumerate(raw_parts):
            pf = f.nested("participants", i, raw)
            actor = pf.ref("actor", "actor", required=True)
            role = pf.choice("role", vocab.PARTICIPANT_ROLES)
            if actor:
                participants.append(Participant(actor, role))
        date = f.date("date", required=True)
        end_date = f.date("end_date")
        if date and end_date and end_date.last_day < date.first_day:
            f.problem("end_date", f"{end_date} is before the date {date}")
        return Event(
            crisis=self.slug,
            id=str(f.record),
            kind=f.choice("kind", vocab.EVENT_KINDS),
            title=f.text("title") or "",
            description=f.text("description") or "",
            date=date or PartialDate(1),
            end_date=end_date,
            participants=tuple(participants),
            places=f.refs("places", "place"),
            evidence=f.evidence(),
            note=f.text("note", required=False),
            sources=f.strings("sources"),
        )

    def relation(self, f: RecordFields) -> Relation:
        start, end = f.date("start"), f.date("end")
        if start and end and end.last_day < start.first_day:
            f.problem("end", f"{end} is before the start {start}")
        return Relation(
            crisis=self.slug,
            id=str(f.record),
            kind=f.choice("kind", vocab.RELATION_KINDS),
            subject=f.ref("subject", "actor", required=True) or "",
            object=f.ref("object", "actor", required=True) or "",
            start=start,
            end=end,
            description=f.text("description", required=False),
            evidence=f.evidence(),
            note=f.text("note", required=False),
            sources=f.strings("sources"),
        )

    def resolution(self, f: RecordFields) -> Resolution:
        number = f.raw.get("number")
        year = f.raw.get("year")
        if not isinstance(number, int) or isinstance(number, bool) or number < 1:
            f.problem("number", "must be the resolution's number, a positive whole number")
            number = 0
        if not isinstance(year, int) or isinstance(year, bool) or not 1946 <= year <= 2100:
            f.problem("year", "must be the year of adoption, e.g. 2013")
            year = 0
        adopted = f.date("adopted")
        if adopted and year and adopted.year != year:
            f.problem("adopted", f"{adopted} is not in the resolution's year {year}")
        return Resolution(
            crisis=self.slug,
            id=str(number),
            number=number,
            year=year,
            adopted=adopted,
            unanimous=f.boolean("unanimous"),
            summary=f.text("summary") or "",
            concerns=f.refs("concerns", "actor"),
            evidence=f.evidence(),
            note=f.text("note", required=False),
            sources=f.strings("sources"),
        )

    def document(self, f: RecordFields) -> Document:
        return Document(
            crisis=self.slug,
            id=str(f.record),
            kind=f.choice("kind", vocab.DOCUMENT_KINDS),
            title=f.text("title") or "",
            publisher=f.ref("publisher", "actor"),
            authors=f.refs("authors", "actor"),
            date=f.date("date"),
            url=f.text("url", required=False),
            evidence=f.evidence(),
            file=f.text("file", required=False),
            covers_until=f.date("covers_until"),
            note=f.text("note", required=False),
            sources=f.strings("sources"),
        )

    def figure(self, f: RecordFields) -> Figure:
        subject = None
        raw_subject = f.raw.get("subject")
        if raw_subject is not None:
            kind, _, ident = str(raw_subject).partition(":")
            if kind not in vocab.SUBJECT_TYPES or not ident:
                f.problem(
                    "subject",
                    f"{raw_subject!r} must be TYPE:ID with TYPE one of "
                    f"{', '.join(vocab.SUBJECT_TYPES)}",
                )
            else:
                f.ref("subject", kind, ident)
                subject = (kind, ident)
        return Figure(
            crisis=self.slug,
            id=str(f.record),
            value=f.number("value", required=True) or 0.0,
            qualifier=f.choice("qualifier", vocab.FIGURE_QUALIFIERS),
            measure=f.text("measure") or "",
            as_of=f.date("as_of"),
            subject=subject,
            source=f.ref("source", "actor"),
            evidence=f.evidence(),
            note=f.text("note", required=False),
            sources=f.strings("sources"),
        )

    def check(self, data: CrisisData) -> None:
        """Cross-record rules: references resolve, aliases are unique, passages are cited."""
        ids = {
            "actor": {a.id for a in data.actors},
            "place": {p.id for p in data.places},
            "event": {e.id for e in data.events},
            "document": {d.id for d in data.documents},
            "resolution": {r.id for r in data.resolutions},
        }
        for file, record, name, kind, ident in self.refs:
            if ident not in ids[kind]:
                self.problems.append(
                    StoreProblem(
                        file,
                        record,
                        name,
                        f"{kind} {ident!r} does not exist in {self.slug}/{kind}s.json",
                    )
                )
        for file, records in (("actors.json", data.actors), ("places.json", data.places)):
            owner: dict[str, str] = {}
            for rec in records:
                for name in {normalize_name(n) for n in (rec.name, *rec.aliases)}:
                    if name in owner and owner[name] != rec.id:
                        self.problems.append(
                            StoreProblem(
                                self.rel(file),
                                rec.id,
                                "aliases",
                                f"{name!r} also names {owner[name]!r}: a name or alias may "
                                "belong to one record only",
                            )
                        )
                    owner.setdefault(name, rec.id)
        cited: set[str] = set()
        groups: tuple[list[Any], ...] = (
            data.actors,
            data.places,
            data.events,
            data.relations,
            data.resolutions,
            data.documents,
            data.figures,
        )
        for group in groups:
            for rec in group:
                cited.update(e.passage_id for e in rec.evidence)
                for role in getattr(rec, "roles", ()):
                    cited.update(e.passage_id for e in role.evidence)
        for passage in data.passages:
            if passage.id not in cited:
                self.problems.append(
                    StoreProblem(
                        self.rel("passages.json"),
                        passage.id,
                        None,
                        "is cited by no record: curate what it says (every passage is covered)",
                    )
                )
