"""Everything a search can read from an index, decoded, for comparing two builds."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import whoosh.index

SCORED = ("title", "aliases", "body", "entities")  # the fields with lengths


def index_contents(directory: Path) -> dict[str, Any]:
    """Per term: its statistics and every posting with its block's length bounds; then the
    stored fields, the meta column, and the field lengths per document and in all."""
    index = whoosh.index.open_dir(str(directory))
    out: dict[str, Any] = {}
    with index.reader() as reader:
        for field, term in reader.all_terms():
            info = reader.term_info(field, term)
            found: list[Any] = [
                (info.weight(), info.doc_frequency(), info.min_length(), info.max_length()),
                (info.max_weight(), info.min_id(), info.max_id()),
            ]
            matcher = reader.postings(field, term)
            while matcher.is_active():
                block = (matcher.block_min_length(), matcher.block_max_length())
                found.append((matcher.id(), matcher.weight(), matcher.value(), block))
                matcher.next()
            out[f"{field}:{term!r}"] = found
        out["stored"] = list(reader.all_stored_fields())
        out["meta"] = list(reader.column_reader("meta"))
        out["lengths"] = [
            [reader.doc_field_length(d, f) for f in SCORED] for d in range(reader.doc_count_all())
        ]
        out["field lengths"] = [reader.field_length(f) for f in SCORED]
    return out
