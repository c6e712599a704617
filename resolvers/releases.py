"""Releases and the change feed (`Crisis.releases`, `changes`, `since`, `revision`), and the
citation of a record (`cite`): all from the manifests the repository loaded."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from data import records
from data.kinds import BY_NAME
from data.releases import Change, History, Release
from data.terms import terms_of
from resolvers.context import Info
from resolvers.errors import BadUserInput
from resolvers.ids import encode_id

# The fields a record's permalink asks for: enough to recognise it and check its quote.
_PERMALINK_FIELDS = {
    "actor": "name",
    "place": "name",
    "event": "title date{iso}",
    "relation": "kind subject{name} object{name}",
    "resolution": "number",
    "document": "title",
    "figure": "value measure",
    "passage": "seq text",
}
MAX_CITED_PASSAGE = 200  # a passage cited whole is cut here, with " […]"


def history(info: Info, crisis: str) -> History:
    return info.context.repository.histories[crisis]


def since(info: Info, kind: str, record: Any) -> Release | None:
    return history(info, record.crisis).since.get((kind, record.id))


def revision(info: Info, kind: str, record: Any) -> Release | None:
    return history(info, record.crisis).revision.get((kind, record.id))


def changes(info: Info, crisis: str, since: str) -> list[Change]:
    """What changed from release `since` to the crisis's latest release."""
    found = info.context.repository.histories.get(crisis)
    if found is None:
        known = ", ".join(sorted(info.context.repository.histories))
        raise BadUserInput(
            f"there is no crisis {crisis[:60]!r}: use one of {known}", argument="crisis"
        )
    base = found.find(since)
    if base is None:
        versions = ", ".join(r.version for r in found.releases) or "none yet"
        raise BadUserInput(
            f"{crisis} has no release {since[:20]!r}: its releases are {versions} "
            "(`Crisis.releases`)",
            argument="since",
        )
    return found.changes(base)


def changed_record(info: Info, change: Change) -> tuple[str, Any] | None:
    """The record as it stands now; None once removed."""
    record = info.context.repository.get(change.type, (change.crisis, change.slug))
    return (change.type, record) if record is not None else None


def cite(info: Info, kind: str, record: Any) -> str:
    """The citation README.md ("How to cite") describes: the quote, where it stands on the
    source page, the crisis and its version, and the record's permalink."""
    repo = info.context.repository
    terms = terms_of(repo, record.crisis)
    crisis = repo.crisis_by_slug[record.crisis]
    source = repo.documents[(record.crisis, crisis.source)]
    authors = [repo.actors[(record.crisis, a)].name for a in source.authors]
    if isinstance(record, records.Passage):
        passage, text = record, record.text
        if len(text) > MAX_CITED_PASSAGE:
            text = text[:MAX_CITED_PASSAGE].rstrip() + " […]"
    else:
        evidence = record.evidence[0]
        passage, text = repo.passage_of(record.crisis, evidence.passage_id), evidence.quote
    where = ", ".join(
        part
        for part in (
            *authors,
            f'"{terms.source_title}"',
            terms.source_publisher,
            terms.source_url,
            f"paragraph {passage.seq}",
            f"passage {passage.id}",
        )
        if part
    )
    version = history(info, record.crisis).version or "unreleased"
    ident = encode_id(kind, record.crisis, record.id)
    return (
        f'"{text}" ({where}). Recorded in crisisgraph, crisis "{crisis.name}" version '
        f"{version}, as the {kind} {_label(repo, kind, record)}, id {ident}: "
        f"{permalink(info, kind, ident)}"
    )


def permalink(info: Info, kind: str, ident: str) -> str:
    """A GET of `node(id:)` any reader can run, against the deployment that answered."""
    query = (
        f'{{node(id:"{ident}"){{...on {BY_NAME[kind].type_name}{{{_PERMALINK_FIELDS[kind]}'
        f"{'' if kind == 'passage' else ' evidence{quote passage{seq}}'}}}}}}}"
    )
    request = info.context.request
    base = str(request.base_url).rstrip("/") if request is not None else ""
    return f"{base}/graphql?query={quote(query, safe='')}"


def _label(repo: Any, kind: str, record: Any) -> str:
    if kind in ("actor", "place"):
        return f'"{record.name}"'
    if kind in ("event", "document"):
        return f'"{record.title}"'
    if kind == "resolution":
        return f"S/RES/{record.number} ({record.year})"
    if kind == "figure":
        return f'"{record.measure}"'
    if kind == "relation":
        subject = repo.actors[(record.crisis, record.subject)].name
        target = repo.actors[(record.crisis, record.object)].name
        return f'"{subject} {record.kind} {target}"'
    return f"paragraph {record.seq}"
