"""`python -m data ingest PAGE --crisis SLUG`: a saved page becomes a crisis folder of
drafts, each with its evidence (quote, occurrence and offsets) filled in.

The page's text is kept verbatim in `sources/` (and an HTML page as saved beside it),
split into `passages.json`, and described by a draft `Document`; everything else is a
draft for a curator to review (`python -m data review SLUG`, data/review.py). Rules and
gazetteers only: no model, nothing downloaded.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from data.drafts import DRAFT
from data.ingest import drafting
from data.ingest.gazetteer import build
from data.ingest.page import Page, read_page
from data.loader import CrisisData, load_store
from data.terms import LICENCES


@dataclass(frozen=True)
class IngestReport:
    folder: Path
    passages: int
    drafts: dict[str, int]  # file name -> drafts written
    flagged: int


def ingest(
    page_path: Path, slug: str, data_dir: Path, *, store: Iterable[CrisisData] | None = None
) -> IngestReport:
    """Write `data_dir/slug/` from the page; refuse to overwrite a crisis folder.

    `store` is what the gazetteer learns names from (by default every crisis in
    `data_dir`); the folder is built aside, checked by the loader, then moved in place."""
    target = data_dir / slug
    if target.exists():
        raise FileExistsError(f"{target} exists: ingest makes a new crisis folder")
    data_dir.mkdir(parents=True, exist_ok=True)
    if store is None:
        store = load_store(data_dir) if any(p.is_dir() for p in data_dir.iterdir()) else []
    page = read_page(page_path, slug)
    if not page.passages:
        raise ValueError(f"{page_path} has no paragraph of prose to quote")
    records = drafting.propose(page, slug, build(store))
    with tempfile.TemporaryDirectory(dir=data_dir, prefix=f".ingest-{slug}-") as tmp:
        folder = Path(tmp) / slug
        _write(folder, page_path, page, records, slug)
        load_store(Path(tmp))  # a draft that does not validate is a bug here, not a chore
        shutil.move(str(folder), target)
    counts = {name: len(items) for name, items in records.items() if name != "crisis.json"}
    flagged = sum(1 for items in records.values() for r in items if r.get("flags"))
    return IngestReport(target, len(page.passages), counts, flagged)


def _write(
    folder: Path, page_path: Path, page: Page, records: dict[str, list[dict[str, Any]]], slug: str
) -> None:
    sources = folder / "sources"
    sources.mkdir(parents=True)
    source_file = records["documents.json"][0]["file"]
    (sources / source_file).write_text(page.text, encoding="utf-8")
    if page.html is not None:
        shutil.copyfile(page_path, sources / (Path(source_file).stem + ".html"))
    passages = [
        {"id": p.id, "seq": p.seq, "section": p.section, "text": p.text} for p in page.passages
    ]
    for p in passages:
        if p["section"] is None:
            del p["section"]
    _dump(folder / "passages.json", passages)
    crisis = records["crisis.json"][0] | {"licence": next(iter(LICENCES)), "status": DRAFT}
    _dump(folder / "crisis.json", crisis)
    for name, items in records.items():
        if name != "crisis.json":
            _dump(folder / name, items)


def _dump(path: Path, value: Any) -> None:
    path.write_text(json.dumps(value, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
