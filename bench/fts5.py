"""The search baseline: SQLite FTS5 over the same documents, in-process and over HTTP.

What an obvious alternative to our Whoosh search would do on the same machine: the
documents index/documents.py builds (passages and records, title/aliases/body), in an
FTS5 table (porter stemming, accents folded), ranked by bm25() with the same field
weights, `snippet()` for the highlight, and the four facets counted by GROUP BY over the
matches (actors and sections: the 20 most frequent, as our facet lists). All words required;
when none match them all, any word (as our search does).

    python -m bench.fts5 DATA_DIR DB     # build the database for a store

`app` serves it through the same stack as ours (Starlette under uvicorn): POST /search
with {"q": ..., "first": 10}; BENCH_FTS5_DB names the database.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import sys
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

WEIGHTS = "3.0, 2.5, 1.0"  # index/schema.py TEXT_FIELDS: title, aliases, body
_WORD = re.compile(r"\w+")

SCHEMA = """
CREATE VIRTUAL TABLE fts USING fts5(
    title, aliases, body, tokenize = 'porter unicode61 remove_diacritics 2'
);
CREATE TABLE doc (id INTEGER PRIMARY KEY, kind TEXT, crisis TEXT, key TEXT, section TEXT);
CREATE TABLE doc_year (doc INTEGER, year TEXT);
CREATE TABLE doc_actor (doc INTEGER, actor TEXT);
"""


def build(data_dir: Path, db: Path) -> int:
    """Write the database for the store in `data_dir`; return the number of documents."""
    from data.repository import Repository
    from index.documents import documents
    from index.schema import DocMeta

    repo = Repository.load(data_dir)
    db.unlink(missing_ok=True)
    con = sqlite3.connect(db)
    con.executescript(SCHEMA)
    count = 0
    for docnum, fields in enumerate(documents(repo)):
        meta = DocMeta.decode(fields["meta"])
        con.execute(
            "INSERT INTO fts (rowid, title, aliases, body) VALUES (?, ?, ?, ?)",
            (docnum, fields.get("title", ""), fields.get("aliases", ""), fields.get("body", "")),
        )
        con.execute(
            "INSERT INTO doc VALUES (?, ?, ?, ?, ?)",
            (docnum, meta.kind, meta.crisis, meta.id, meta.section),
        )
        con.executemany(
            "INSERT INTO doc_year VALUES (?, ?)", ((docnum, str(y)) for y in meta.years)
        )
        con.executemany("INSERT INTO doc_actor VALUES (?, ?)", ((docnum, a) for a in meta.actors))
        count += 1
    con.executescript(
        "CREATE INDEX doc_year_doc ON doc_year (doc);"
        "CREATE INDEX doc_actor_doc ON doc_actor (doc);"
        "INSERT INTO fts (fts) VALUES ('optimize');"
    )
    con.commit()
    con.close()
    return count


class Fts5Search:
    def __init__(self, db: Path) -> None:
        self.con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, check_same_thread=False)

    def search(self, query: str, first: int = 10) -> dict[str, Any]:
        words = _WORD.findall(query)
        if not words:
            return {"totalCount": 0, "hits": [], "facets": {}}
        match = " ".join(f'"{w}"' for w in words)
        total = self._count(match)
        if total == 0 and len(words) > 1:
            match = " OR ".join(f'"{w}"' for w in words)
            total = self._count(match)
        rows = self.con.execute(
            f"SELECT d.kind, d.crisis, d.key, bm25(fts, {WEIGHTS}) AS score, fts.body, "
            "snippet(fts, -1, '<mark>', '</mark>', '…', 40) "
            "FROM fts JOIN doc d ON d.id = fts.rowid WHERE fts MATCH ? ORDER BY score LIMIT ?",
            (match, first),
        ).fetchall()
        group = "SELECT {col}, count(*) AS n FROM fts JOIN {table} ON {on} WHERE fts MATCH ? "
        facets = {}
        for name, col, table, on in (
            ("types", "doc.kind", "doc", "doc.id = fts.rowid"),
            ("sections", "doc.section", "doc", "doc.id = fts.rowid AND doc.section IS NOT NULL"),
            ("years", "doc_year.year", "doc_year", "doc_year.doc = fts.rowid"),
            ("actors", "doc_actor.actor", "doc_actor", "doc_actor.doc = fts.rowid"),
        ):
            sql = group.format(col=col, table=table, on=on)
            sql += f"GROUP BY {col} ORDER BY n DESC, {col}"
            if name in ("sections", "actors"):  # bounded lists: `first` defaults to 20
                sql += " LIMIT 20"
            facets[name] = self.con.execute(sql, (match,)).fetchall()
        hits = [
            {"kind": k, "key": [c, i], "score": -s, "text": body, "highlight": snip}
            for k, c, i, s, body, snip in rows
        ]
        return {"totalCount": total, "hits": hits, "facets": facets}

    def _count(self, match: str) -> int:
        return int(
            self.con.execute("SELECT count(*) FROM fts WHERE fts MATCH ?", (match,)).fetchone()[0]
        )


async def _search(request: Request) -> Response:
    body = await request.json()
    found = _searcher().search(str(body.get("q", "")), int(body.get("first", 10)))
    return Response(json.dumps({"data": found}, ensure_ascii=False), media_type="application/json")


async def _health(request: Request) -> Response:
    return Response("ok")


_opened: list[Fts5Search] = []


def _searcher() -> Fts5Search:
    if not _opened:
        _opened.append(Fts5Search(Path(os.environ["BENCH_FTS5_DB"])))
    return _opened[0]


app = Starlette(
    routes=[Route("/search", _search, methods=["POST"]), Route("/healthz", _health)],
)


if __name__ == "__main__":
    print(build(Path(sys.argv[1]), Path(sys.argv[2])))
