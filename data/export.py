"""Bulk exports: one crisis's records of one type as CSV, NDJSON or GeoJSON.

Research tools (pandas, R, QGIS) want whole tables, not pages of a GraphQL
connection. The tables are described in data/tables.py (with the machinery in
data/columns.py); this module writes them and says which exist. Bump
EXPORT_VERSION whenever the output changes for the same store.

Writers are generators of text chunks, so a caller can stream them.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from data.columns import Cell, RecordType
from data.repository import Repository
from data.tables import GEOMETRY, RECORD_TYPES

# Part of every ETag: changed columns must not be served from a cache.
EXPORT_VERSION = "2"  # 2: `slug` in every table, first and last days of every date

MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "ndjson": "application/x-ndjson",
    "geojson": "application/geo+json",
}
TABLE_FORMATS = ("csv", "ndjson")
GEO_TYPES = ("events", "places")


class ExportNotFound(LookupError):
    """An export that does not exist; the message says which ones do."""


# -- writers -------------------------------------------------------------------


def _text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "true" if cell else "false"
    return str(cell)


def write_csv(kind: RecordType[Any], records: Iterable[Any]) -> Iterator[str]:
    """A header row, then one row per record; the csv module's default dialect is RFC 4180."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(c.name for c in kind.columns)
    for record in records:
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(_text(cell) for cell in kind.flat(record).values())
    yield buffer.getvalue()


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


def write_ndjson(kind: RecordType[Any], records: Iterable[Any]) -> Iterator[str]:
    for record in records:
        yield _json(kind.nested(record)) + "\n"


def write_geojson(
    kind: RecordType[Any],
    records: Iterable[Any],
    geometry: Callable[[Any], dict[str, Any] | None],
) -> Iterator[str]:
    """An RFC 7946 FeatureCollection; properties are the CSV's columns, typed."""
    yield '{"type": "FeatureCollection", "features": [\n'
    for i, record in enumerate(records):
        feature = {
            "type": "Feature",
            "id": record.id,
            "geometry": geometry(record),
            "properties": kind.flat(record),
        }
        yield ("," if i else "") + _json(feature) + "\n"
    yield "]}\n"


# -- what exists ---------------------------------------------------------------


def formats_for(type_name: str) -> tuple[str, ...]:
    return TABLE_FORMATS + (("geojson",) if type_name in GEO_TYPES else ())


@dataclass(frozen=True)
class Export:
    repo: Repository
    crisis: str
    kind: RecordType[Any]
    format: str

    @property
    def version(self) -> str | None:
        """The release of the crisis's records served (data/releases.py); None before one."""
        return self.repo.histories[self.crisis].version

    @property
    def filename(self) -> str:
        """`mali-events-1.1.csv`: a saved download says which release it holds."""
        version = f"-{self.version}" if self.version else ""
        return f"{self.crisis}-{self.kind.name}{version}.{self.format}"

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.format]

    def chunks(self) -> Iterator[str]:
        records = self.kind.records(self.repo, self.crisis)
        if self.format == "csv":
            return write_csv(self.kind, records)
        if self.format == "ndjson":
            return write_ndjson(self.kind, records)
        locate = GEOMETRY[self.kind.name]
        return write_geojson(self.kind, records, lambda r: locate(self.repo, r))


def check_crisis(repo: Repository, crisis: str) -> None:
    """ExportNotFound, naming the crises that exist, if `crisis` is not one of them."""
    if crisis not in repo.crisis_by_slug:
        raise ExportNotFound(
            f"There is no crisis {crisis!r}: exports exist for {', '.join(repo.crisis_by_slug)}."
        )


def find_export(repo: Repository, crisis: str, type_name: str, fmt: str) -> Export:
    """The export asked for; ExportNotFound, naming what exists, if there is none."""
    check_crisis(repo, crisis)
    if type_name not in RECORD_TYPES:
        raise ExportNotFound(
            f"There is no record type {type_name!r}: choose one of {', '.join(RECORD_TYPES)}."
        )
    formats = formats_for(type_name)
    if fmt not in formats:
        raise ExportNotFound(
            f"There is no {type_name} export in format {fmt!r}: "
            f"choose {' or '.join(f'{type_name}.{f}' for f in formats)}."
        )
    return Export(repo, crisis, RECORD_TYPES[type_name], fmt)
