"""The validator's cross-record checks, run on a crisis folder once all its files are read:
references resolve, a name or alias belongs to one record, every passage is cited.
The checks of single fields are data/fields.py's; reading the files is data/loader.py's."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from data.drafts import FILES
from data.fields import StoreProblem
from data.names import normalize_name
from data.records import Actor, Place

if TYPE_CHECKING:
    from data.loader import CrisisData

# A reference to check once every file is read: (file, record, field, kind, id).
Reference = tuple[str, str | None, str, str, str]


def check_crisis(
    slug: str, data: CrisisData, refs: Iterable[Reference], problems: list[StoreProblem]
) -> None:
    """Cross-record rules: references resolve, aliases are unique, passages are cited.

    Drafts count as records here, except that a served record may not refer to one (it
    would point at something the API does not serve), and only served records cover
    passages: a draft crisis is not checked for coverage until it is accepted."""
    drafts = data.drafts.ids
    ids = {
        "actor": {a.id for a in data.actors},
        "place": {p.id for p in data.places},
        "event": {e.id for e in data.events},
        "document": {d.id for d in data.documents},
        "resolution": {r.id for r in data.resolutions},
    }
    for kind, ident in drafts:
        ids.setdefault(kind, set()).add(ident)
    for file, record, name, kind, ident in refs:
        if ident not in ids[kind]:
            problems.append(
                StoreProblem(
                    file,
                    record,
                    name,
                    f"{kind} {ident!r} does not exist in {slug}/{kind}s.json",
                )
            )
        elif (kind, ident) in drafts and not _from_draft(file, record, data):
            problems.append(
                StoreProblem(
                    file,
                    record,
                    name,
                    f"{kind} {ident!r} is a draft: review it before a served record "
                    "refers to it (python -m data review)",
                )
            )
    actor_drafts = [r for r in data.drafts.records if isinstance(r, Actor)]
    place_drafts = [r for r in data.drafts.records if isinstance(r, Place)]
    for file, records in (
        ("actors.json", [*data.actors, *actor_drafts]),
        ("places.json", [*data.places, *place_drafts]),
    ):
        owner: dict[str, str] = {}
        for rec in records:
            for name in {normalize_name(n) for n in (rec.name, *rec.aliases)}:
                if name in owner and owner[name] != rec.id:
                    problems.append(
                        StoreProblem(
                            f"{slug}/{file}",
                            rec.id,
                            "aliases",
                            f"{name!r} also names {owner[name]!r}: a name or alias may "
                            "belong to one record only",
                        )
                    )
                owner.setdefault(name, rec.id)
    if data.draft:
        return
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
            problems.append(
                StoreProblem(
                    f"{slug}/passages.json",
                    passage.id,
                    None,
                    "is cited by no record: curate what it says (every passage is covered)",
                )
            )


def _from_draft(file: str, record: str | None, data: CrisisData) -> bool:
    name = file.rpartition("/")[2]
    if name == "crisis.json":
        return data.draft
    return record is not None and (FILES.get(name, ""), record) in data.drafts.ids
