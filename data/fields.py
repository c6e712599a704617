"""Reading one record's fields: each value checked, each problem reported against its file,
record and field, so a curator sees every mistake at once."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from data.dates import PartialDate
from data.records import Evidence, Passage

Ref = tuple[str, str | None, str, str, str]  # (file, record, field, record type, id)


class Reader(Protocol):
    """What the fields of a record are read against: one crisis folder being loaded."""

    problems: list[StoreProblem]
    passages: dict[str, Passage]
    refs: list[Ref]  # resolved once every file is read


@dataclass(frozen=True)
class StoreProblem:
    file: str
    record: str | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.record is not None:
            where += f", record {self.record!r}"
        if self.field is not None:
            where += f", field {self.field!r}"
        return f"{where}: {self.message}"


class StoreError(Exception):
    """The store does not validate; `problems` says where and why."""

    def __init__(self, problems: list[StoreProblem]) -> None:
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"the data store has {len(problems)} problem(s):\n{lines}")


class RecordFields:
    """Reads one record's fields; each problem is reported against its field."""

    def __init__(
        self,
        reader: Reader,
        file: str,
        record: str | None,
        raw: Mapping[str, Any],
        prefix: str = "",
    ) -> None:
        self.reader, self.file, self.record, self.raw = reader, file, record, raw
        self.prefix = prefix  # for nested objects: "roles[0]."

    def nested(self, name: str, index: int, raw: Any) -> RecordFields:
        if not isinstance(raw, dict):
            self.problem(f"{name}[{index}]", "must be a JSON object")
            raw = {}
        return RecordFields(
            self.reader, self.file, self.record, raw, f"{self.prefix}{name}[{index}]."
        )

    def problem(self, name: str | None, message: str) -> None:
        field_name = f"{self.prefix}{name}" if name is not None else self.prefix.rstrip(".") or None
        self.reader.problems.append(StoreProblem(self.file, self.record, field_name, message))

    def text(self, name: str, *, required: bool = True) -> str | None:
        value = self.raw.get(name)
        if value is None:
            if required:
                self.problem(name, "is missing: give a non-empty string")
            return None
        if not isinstance(value, str) or not value.strip():
            self.problem(name, f"must be a non-empty string, not {value!r}")
            return None
        return value

    def choice(self, name: str, allowed: Mapping[str, str]) -> str:
        value = self.raw.get(name)
        if not isinstance(value, str) or value not in allowed:
            self.problem(name, f"{value!r} is not one of {', '.join(allowed)}")
            return next(iter(allowed))
        return str(value)

    def date(self, name: str, *, required: bool = False) -> PartialDate | None:
        value = self.raw.get(name)
        if value is None:
            if required:
                self.problem(name, 'is missing: give an ISO partial date such as "2012-03"')
            return None
        try:
            return PartialDate.parse(value)
        except ValueError as error:
            self.problem(name, str(error))
            return None

    def strings(self, name: str) -> tuple[str, ...]:
        value = self.raw.get(name, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            self.problem(name, "must be a list of non-empty strings")
            return ()
        return tuple(value)

    def number(self, name: str, *, required: bool = False) -> float | None:
        value = self.raw.get(name)
        if value is None:
            if required:
                self.problem(name, "is missing: give a number")
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.problem(name, f"must be a number, not {value!r}")
            return None
        return float(value)

    def boolean(self, name: str) -> bool | None:
        value = self.raw.get(name)
        if value is not None and not isinstance(value, bool):
            self.problem(name, f"must be true, false or null, not {value!r}")
            return None
        return value

    def ref(self, name: str, kind: str, value: Any = None, *, required: bool = False) -> str | None:
        value = self.raw.get(name) if value is None else value
        if value is None:
            if required:
                self.problem(name, f"is missing: give the id of a {kind}")
            return None
        if not isinstance(value, str):
            self.problem(name, f"must be the id of a {kind}, not {value!r}")
            return None
        self.reader.refs.append((self.file, self.record, self.prefix + name, kind, value))
        return value

    def refs(self, name: str, kind: str) -> tuple[str, ...]:
        return tuple(v for v in (self.ref(name, kind, v) for v in self.strings(name)) if v)

    def evidence(self, name: str = "evidence", raw: Any = None) -> tuple[Evidence, ...]:
        items = self.raw.get(name) if raw is None else raw
        if not isinstance(items, list) or not items:
            self.problem(name, 'needs at least one {"passage": ..., "quote": ...}')
            return ()
        found = []
        for i, item in enumerate(items):
            where = f"{name}[{i}]"
            if not isinstance(item, dict):
                self.problem(where, "must be an object with passage and quote")
                continue
            passage_id = item.get("passage")
            passage = self.reader.passages.get(passage_id) if isinstance(passage_id, str) else None
            quote = item.get("quote")
            if passage is None:
                self.problem(where, f"passage {item.get('passage')!r} does not exist")
                continue
            if not isinstance(quote, str) or not quote:
                self.problem(where, "quote must be a non-empty string copied from the passage")
                continue
            starts = _occurrences(quote, passage.text)
            occurrence = item.get("occurrence")
            if not starts:
                self.problem(
                    where,
                    f"quote {quote!r} is not in passage {passage.id} verbatim: "
                    "copy it exactly from passages.json (curly quotes and spaces included)",
                )
            elif occurrence is None and len(starts) > 1:
                self.problem(
                    where,
                    f"quote {quote!r} occurs {len(starts)} times in {passage.id}: "
                    'add "occurrence": N (1-based) or lengthen the quote',
                )
            elif occurrence is not None and (
                not isinstance(occurrence, int)
                or isinstance(occurrence, bool)
                or not 1 <= occurrence <= len(starts)
            ):
                self.problem(where, f"occurrence must be 1 to {len(starts)}, not {occurrence!r}")
            else:
                start = starts[(occurrence or 1) - 1]
                found.append(Evidence(passage.id, quote, start, start + len(quote)))
        return tuple(found)


def _occurrences(quote: str, text: str) -> list[int]:
    """Where `quote` starts in `text`, overlapping matches included (a regex per quote
    would be compiled anew for every piece of evidence: most of a large store's load)."""
    found, at = [], text.find(quote)
    while at >= 0:
        found.append(at)
        at = text.find(quote, at + 1)
    return found
