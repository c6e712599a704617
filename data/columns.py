"""How an export table is described: a record type is a list of fields, and a field gives
both the record's NDJSON keys (nested, JSON-ready) and the flat CSV cells they become, so
the two views cannot drift apart. The tables themselves are data/tables.py's; writing
them, data/export.py's."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from data.dates import PartialDate
from data.records import Evidence
from data.repository import Repository

LIST_SEPARATOR = ";"
QUOTE_SEPARATOR = " | "  # quotes are prose, full of ";": a rarer separator keeps them legible

Cell = str | int | float | bool | None
R = TypeVar("R", contravariant=True)  # a field of any record with the attributes it reads
T = TypeVar("T")


class Curated(Protocol):
    """What every curated record has (all but passages)."""

    @property
    def note(self) -> str | None: ...
    @property
    def sources(self) -> tuple[str, ...]: ...
    @property
    def evidence(self) -> tuple[Evidence, ...]: ...


class InCrisis(Protocol):
    @property
    def crisis(self) -> str: ...


C = TypeVar("C", bound=InCrisis)


@dataclass(frozen=True)
class Column:
    name: str
    doc: str
    type: str = "string"  # its Frictionless Table Schema type: string, integer, number, boolean


@dataclass(frozen=True)
class Field(Generic[R]):
    """Part of a record: its NDJSON keys and the CSV cells they flatten to, in column order."""

    columns: tuple[Column, ...]
    value: Callable[[R], dict[str, Any]]
    flatten: Callable[[dict[str, Any]], tuple[Cell, ...]] = lambda v: tuple(v.values())


@dataclass(frozen=True)
class RecordType(Generic[T]):
    name: str  # plural, as in the URL: "events"
    records: Callable[[Repository, str], tuple[T, ...]]  # one crisis's, in a stable order
    fields: tuple[Field[T], ...]
    key: str = "id"  # the column that identifies a record within its crisis

    @property
    def columns(self) -> tuple[Column, ...]:
        return tuple(c for f in self.fields for c in f.columns)

    def nested(self, record: T) -> dict[str, Any]:
        return {k: v for f in self.fields for k, v in f.value(record).items()}

    def flat(self, record: T) -> dict[str, Cell]:
        cells = [cell for f in self.fields for cell in f.flatten(f.value(record))]
        return dict(zip((c.name for c in self.columns), cells, strict=True))


# -- flattening rules ----------------------------------------------------------


def join_list(items: Iterable[str], separator: str = LIST_SEPARATOR) -> str:
    """Join items; a backslash escapes itself and the separator's mark inside an item."""
    mark = separator.strip()
    return separator.join(item.replace("\\", "\\\\").replace(mark, "\\" + mark) for item in items)


def split_list(cell: str, separator: str = LIST_SEPARATOR) -> list[str]:
    """The inverse of join_list: a reference implementation for readers of the CSV."""
    if not cell:
        return []
    items: list[str] = []
    current: list[str] = []
    i = 0
    while i < len(cell):
        if cell[i] == "\\" and i + 1 < len(cell):
            current.append(cell[i + 1])
            i += 2
        elif cell.startswith(separator, i):
            items.append("".join(current))
            current, i = [], i + len(separator)
        else:
            current.append(cell[i])
            i += 1
    items.append("".join(current))
    return items


def scalar(name: str, doc: str, get: Callable[[R], Cell], type: str = "string") -> Field[R]:
    return Field((Column(name, doc, type),), lambda r: {name: get(r)})


def listing(name: str, doc: str, get: Callable[[R], Iterable[str]]) -> Field[R]:
    return Field(
        (Column(name, f"{doc}, `;`-separated"),),
        lambda r: {name: list(get(r))},
        lambda v: (join_list(v[name]),),
    )


def nested(
    name: str, doc: str, get: Callable[[R], list[dict[str, Any]]], item: Callable[[Any], str]
) -> Field[R]:
    """A list of objects: whole in NDJSON, one `item(...)` string each in CSV."""
    return Field(
        (Column(name, f"{doc}, `;`-separated"),),
        lambda r: {name: get(r)},
        lambda v: (join_list(item(x) for x in v[name]),),
    )


def date_fields(name: str, date: PartialDate | None) -> dict[str, str | None]:
    return {
        name: date.iso if date else None,
        f"{name}_precision": date.precision.value if date else None,
    }


def day_fields(name: str, date: PartialDate | None) -> dict[str, str | None]:
    return {
        f"{name}_start": date.first_day.isoformat() if date else None,
        f"{name}_end": date.last_day.isoformat() if date else None,
    }


def days(name: str, get: Callable[[R], PartialDate | None]) -> Field[R]:
    """The first and last day a partial date covers, as full ISO dates that pandas, R and
    spreadsheets read: "2013-03" covers 2013-03-01 to 2013-03-31. Separate from `dated`
    because they were added after its columns, and columns are only ever added at the end."""
    return Field(
        (
            Column(f"{name}_start", f"first day `{name}` covers, YYYY-MM-DD; empty with `{name}`"),
            Column(f"{name}_end", f"last day `{name}` covers, YYYY-MM-DD; empty with `{name}`"),
        ),
        lambda r: day_fields(name, get(r)),
    )


def dated(name: str, doc: str, get: Callable[[R], PartialDate | None]) -> Field[R]:
    """A partial date and its precision, so "2013-03" is never mistaken for 1 March."""
    return Field(
        (
            Column(name, f"{doc} (ISO partial date: YYYY, YYYY-MM or YYYY-MM-DD)"),
            Column(f"{name}_precision", f"precision of `{name}`: YEAR, MONTH or DAY"),
        ),
        lambda r: date_fields(name, get(r)),
    )


def evidence_items(items: tuple[Evidence, ...]) -> list[dict[str, Any]]:
    return [
        {"passage": e.passage_id, "quote": e.quote, "start": e.start, "end": e.end} for e in items
    ]


def plain_number(value: float) -> int | float:
    # 107000, not 107000.0: the source's counts are whole numbers.
    return int(value) if value.is_integer() else value


CRISIS: Field[InCrisis] = scalar("crisis", "slug of the crisis", lambda r: r.crisis)
# The key every table shares with the API's `slug` field (actors and places had it first).
SLUG: Field[Any] = scalar(
    "slug", "the record's stable key within its crisis, as `slug` in the API", lambda r: r.id
)
NOTE: Field[Curated] = scalar("note", "curator's remark for researchers", lambda r: r.note)
SOURCES: Field[Curated] = listing(
    "sources", "citations for facts not taken from the page", lambda r: r.sources
)
EVIDENCE: Field[Curated] = Field(
    (
        Column("evidence_passages", "ids of the passages the record rests on, `;`-separated"),
        Column(
            "evidence_quotes",
            "the verbatim quote from each of those passages, same order, ` | `-separated",
        ),
    ),
    lambda r: {"evidence": evidence_items(r.evidence)},
    lambda v: (
        join_list(e["passage"] for e in v["evidence"]),
        join_list((e["quote"] for e in v["evidence"]), QUOTE_SEPARATOR),
    ),
)


def in_crisis(crisis: str, records: Iterable[C]) -> tuple[C, ...]:
    """One crisis's records, in the repository's order (the API's)."""
    return tuple(r for r in records if r.crisis == crisis)
