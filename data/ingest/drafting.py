"""From the page's passages to draft records (JSON objects, as the curators write them)."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from data.drafts import DRAFT
from data.ingest.dates import DateMention, find_dates
from data.ingest.figures import find_figures
from data.ingest.gazetteer import Gazetteer
from data.ingest.names import Entities, Entity, find_actors, find_places, find_resolutions
from data.ingest.page import Page
from data.ingest.text import Passage, clause, evidence, slugify

_MAX_EVIDENCE = 3  # mentions quoted per place or actor: enough to judge, not a concordance
_EVENT_KINDS = [
    (r"\bcoup\b", "COUP"),
    (r"\b[Rr]esolution \d", "UN_RESOLUTION"),
    (r"\bceasefire|cessation of hostilities\b", "CEASEFIRE"),
    (r"\b(?:agreement|accord|roadmap|road map)\b", "AGREEMENT"),
    (r"\belect(?:ed|ion|ions)\b", "ELECTION"),
    (r"\b(?:talks|negotiations?)\b", "NEGOTIATION"),
    (r"\b(?:captured|seized|took control)\b", "CAPTURE"),
    (r"\b(?:attack(?:ed|s)?|killed|murdered|bomb(?:ed|ing))\b", "ATTACK"),
    (r"\b(?:abduct|kidnap)", "ABDUCTION"),
    (r"\b(?:fled|displaced|refugees)\b", "DISPLACEMENT"),
    (r"\b(?:executions?|tortur|rape|disappearances?|abuses?)\b", "ABUSE"),
    (r"\b(?:offensive)\b", "OFFENSIVE"),
    (r"\b(?:operation|intervention|troops)\b", "MILITARY_OPERATION"),
    (r"\b(?:report|released|published|letter|manifesto)\b", "PUBLICATION"),
    (r"\b(?:stated|declared|announced|statement|said|condemned)\b", "STATEMENT"),
    (r"\b(?:sanctions?|travel bans?|asset freezes?)\b", "SANCTION"),
    (r"\b(?:meeting|workshop|summit|conference)\b", "MEETING"),
]


def propose(page: Page, slug: str, gazetteer: Gazetteer) -> dict[str, list[dict[str, Any]]]:
    passages = page.passages
    places = find_places(passages, gazetteer)
    actors = find_actors(passages, gazetteer, places)
    place_records = _entities(places, "place", slug)
    slugs = {id(e): r["slug"] for e, r in zip(places.all, place_records, strict=True)}
    for entity, record in zip(places.all, place_records, strict=True):
        _locate(record, entity, places, slugs)
    actor_records = _entities(actors, "actor", slug)
    document = _document(page, slug, actors, actor_records)
    events: list[dict[str, Any]] = []
    figures: list[dict[str, Any]] = []
    resolutions: list[dict[str, Any]] = []
    used_events: set[str] = set()
    context_year: str | None = None
    for passage in passages:
        mentions = find_dates(passage.text, context_year)
        seen: set[tuple[str, str | None, tuple[str, ...]]] = set()
        for mention in mentions:  # one draft per date a passage states (a relative one apart)
            if (mention.date, mention.end_date, mention.flags) in seen:
                continue
            seen.add((mention.date, mention.end_date, mention.flags))
            events.append(
                _event(passage, mention, places, place_records, actors, actor_records, used_events)
            )
        years = [m.date[:4] for m in mentions if not m.flags or m.flags[0].startswith("by:")]
        context_year = years[-1] if years else context_year
        taken = [(m.start, m.end) for m in mentions]
        for r in find_resolutions(passage.text):
            taken.append((r.start, r.end))
            if any(res["number"] == r.number for res in resolutions):
                continue
            resolutions.append(_resolution(passage, r, mentions, context_year))
        for f in find_figures(passage.text, taken):
            start, end = clause(passage.text, f.start, f.end)
            figure: dict[str, Any] = {
                "id": _unique(
                    f"{slugify(f.measure, 'figure')}-{passage.seq}", {x["id"] for x in figures}
                ),
                "status": DRAFT,
                "value": int(f.value) if f.value.is_integer() else f.value,
                "qualifier": f.qualifier,
                "measure": f.measure or "(what the number counts)",
                "evidence": [evidence(passage, start, end)],
            }
            if f.vague:
                figure["note"] = (
                    f"The page gives a vague amount ({passage.text[f.start : f.end]!r}), "
                    "recorded at its floor."
                )
            if not f.measure:
                figure["flags"] = ["say what the number counts (measure)"]
            figures.append(figure)
    crisis = {
        "slug": slug,
        "name": page.title or slug,
        "country": _main_country(places, place_records),
        "summary": passages[0].text[: clause(passages[0].text, 0, 1)[1]],
        "source": document["id"],
        "start": None,
        "end": None,
    }
    return {
        "crisis.json": [crisis],
        "documents.json": [document],
        "places.json": place_records,
        "actors.json": actor_records,
        "resolutions.json": resolutions,
        "events.json": events,
        "figures.json": figures,
    }


def _locate(
    record: dict[str, Any], entity: Entity, places: Entities, slugs: dict[int, str]
) -> None:
    """A place's country (a slug in this crisis, never another crisis's), and a site's
    rough position: its town's."""
    record.pop("country", None)
    record.pop("country_name", None)
    town = places.get(str(record.pop("located_in", "")))
    country_name = (town or entity).fields.get("country_name")
    country = places.get(str(country_name)) if country_name else None
    if country is not None and country is not entity:
        record["country"] = slugs[id(country)]
    if town is not None:
        for key in ("latitude", "longitude"):
            if key in town.fields:
                record[key] = town.fields[key]
        sources = town.fields.get("sources")
        if isinstance(sources, list):
            record["sources"] = [f"{s}, used as an approximation" for s in sources]


def _entities(entities: Entities, kind: str, crisis: str) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    used: set[str] = set()
    for entity in entities.all:
        quotes: list[dict[str, Any]] = []
        seen_passages: set[str] = set()
        for passage, start, end in entity.mentions:
            if passage.id in seen_passages or len(quotes) == _MAX_EVIDENCE:
                continue
            seen_passages.add(passage.id)
            quotes.append(evidence(passage, start, end))
        slug = _unique(slugify(entity.name, kind), used)
        used.add(slug)
        fields = {k: v for k, v in entity.fields.items() if v not in (None, [], "")}
        record: dict[str, Any] = {"slug": slug, "status": DRAFT, **fields, "name": entity.name}
        record["aliases"] = entity.aliases
        if kind == "actor":
            record["description"] = f"Named on the page as {entity.name}."
            record["roles"] = []
        if not entity.known:
            record["note"] = f"Found by the page's wording only: check the name and {kind} kind."
        record["evidence"] = quotes  # every entity is made at a mention, so never empty
        records.append(record)
    return records


def _event(
    passage: Passage,
    mention: DateMention,
    places: Entities,
    place_records: list[dict[str, Any]],
    actors: Entities,
    actor_records: list[dict[str, Any]],
    used: set[str],
) -> dict[str, Any]:
    start, end = clause(passage.text, mention.start, mention.end)
    quote = passage.text[start:end]
    kind = next((k for pattern, k in _EVENT_KINDS if re.search(pattern, quote)), "OTHER")
    words = re.sub(r"\s+", " ", quote).split()
    title = " ".join(words[:12]) + ("…" if len(words) > 12 else "")
    ident = _unique(f"{slugify(' '.join(words[:6]), 'event')}-{mention.date}", used)
    used.add(ident)
    record: dict[str, Any] = {
        "id": ident,
        "status": DRAFT,
        "kind": kind,
        "title": title,
        "description": quote,
        "date": mention.date,
    }
    if mention.end_date:
        record["end_date"] = mention.end_date
    record["participants"] = [
        {"actor": slug, "role": "PARTICIPANT"}
        for slug in _within(actors, actor_records, passage, start, end)
    ]
    record["places"] = _within(places, place_records, passage, start, end)
    blocking = [f for f in mention.flags if not f.startswith("by:")]
    if blocking:
        record["flags"] = blocking
    elif mention.flags:
        record["note"] = "The page says by this date: it happened no later, not then."
    record["evidence"] = [evidence(passage, start, end)]
    return record


def _within(
    entities: Entities, records: list[dict[str, Any]], passage: Passage, start: int, end: int
) -> list[str]:
    slug_of = {id(e): r["slug"] for e, r in zip(entities.all, records, strict=False)}
    found: list[str] = []
    for entity in entities.all:
        if any(p.id == passage.id and start <= s and e <= end for p, s, e in entity.mentions):
            slug = slug_of.get(id(entity))
            if slug and slug not in found:
                found.append(slug)
    return found


def _resolution(
    passage: Passage, r: Any, mentions: list[DateMention], context_year: str | None
) -> dict[str, Any]:
    start, end = clause(passage.text, r.start, r.end)
    flags = []
    year = r.year
    if year is None:
        dated = [m for m in mentions if m.start >= start and m.end <= end and not m.flags]
        year = int(dated[0].date[:4]) if dated else int(context_year or 0) or None
        flags.append("the year of adoption is not stated with the number: check it")
    record: dict[str, Any] = {
        "number": r.number,
        "status": DRAFT,
        "year": year or 1946,
        "adopted": None,
        "unanimous": None,
        "summary": passage.text[start:end],
        "concerns": [],
    }
    if flags:
        record["flags"] = flags
    record["evidence"] = [evidence(passage, r.start, r.end)]
    return record


def _document(
    page: Page, slug: str, actors: Entities, actor_records: list[dict[str, Any]]
) -> dict[str, Any]:
    passages = page.passages
    title = page.title or passages[0].text[:80]
    ident = slugify(title, slug)
    quote_in = next((p for p in passages if title in p.text), None)
    if quote_in is not None:
        at = quote_in.text.index(title)
        quotes = [evidence(quote_in, at, at + len(title))]
    else:
        quotes = [evidence(passages[0], 0, clause(passages[0].text, 0, 1)[1])]
    record: dict[str, Any] = {
        "id": ident,
        "status": DRAFT,
        "kind": "WEB_PAGE",
        "title": title,
        "authors": [],
        "date": page.date,
        "url": page.url,
        "file": f"{ident}.txt",
    }
    publisher = actors.get(page.publisher) if page.publisher else None
    if publisher is not None:
        record["publisher"] = actor_records[actors.all.index(publisher)]["slug"]
    notes = ["Ingested from a saved copy; record when it was retrieved."]
    if page.publisher and publisher is None:
        notes.append(f"The page's metadata names its publisher {page.publisher!r}.")
    record["note"] = " ".join(notes)
    record["evidence"] = quotes
    return record


def _main_country(places: Entities, records: list[dict[str, Any]]) -> str | None:
    counts = Counter(
        {
            r["slug"]: len(e.mentions)
            for e, r in zip(places.all, records, strict=False)
            if r.get("kind") == "COUNTRY"
        }
    )
    return counts.most_common(1)[0][0] if counts else None


def _unique(base: str, used: set[str]) -> str:
    candidate, n = base, 2
    while candidate in used:
        candidate, n = f"{base}-{n}", n + 1
    return candidate
