"""`python -m data review SLUG`: walk a crisis's drafts one by one, and make each a record.

For every draft it shows the passage with the quote marked and the proposed record, then
reads one answer a line from standard input (so a session can be scripted):

- `a` accept: the record loses `status` and is served;
- `e` edit: `$VISUAL` or `$EDITOR` opens the record's JSON; saved, it is checked and
  accepted (remove `flags` once you have settled them);
- `r` reject: the draft goes, and so do the other drafts' references to it;
- `m ID` merge into the record ID of the same file: its names become aliases (places and
  actors) and its evidence more evidence; references to the draft move to ID;
- `s` skip (it stays a draft), `q` quit. Run the command again to resume.

Every decision is written at once and checked first: the crisis folder is copied aside,
changed there and loaded by the validator; only if it is valid are the files replaced,
each atomically (written beside, then renamed), referring files before referred ones.
The store is never left invalid, whatever the answers or the moment a session stops.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from data.drafts import FILES, FLAGS, OFFSETS, is_draft
from data.loader import StoreError, load_store
from data.names import normalize_name

CRISIS = "crisis.json"
_ID_FIELDS = {"actors.json": "slug", "places.json": "slug", "resolutions.json": "number"}
_CONTEXT = 240  # characters of the passage shown on each side of the quote
_PROBLEMS_SHOWN = 10


@dataclass(frozen=True)
class Draft:
    file: str
    ident: str

    @property
    def kind(self) -> str:
        return FILES.get(self.file, "crisis")


class Folder:
    """A crisis folder's JSON files, read once and changed by whole decisions."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.files: dict[str, Any] = {}
        for name in (*FILES, CRISIS):
            path = folder / name
            if path.exists():
                self.files[name] = json.loads(path.read_text(encoding="utf-8"))
        self.passages = {
            p["id"]: p["text"]
            for p in json.loads((folder / "passages.json").read_text(encoding="utf-8"))
        }

    def drafts(self) -> list[Draft]:
        found: list[Draft] = []
        for name in FILES:
            key = _ID_FIELDS.get(name, "id")
            raws = self.files.get(name, [])
            # Within a file, what others refer to first: a country before its cities.
            referred = {r.get("country") for r in raws} | {
                role.get("of") for r in raws for role in r.get("roles", [])
            }
            drafts = [r for r in raws if is_draft(r)]
            drafts.sort(key=lambda r: r[key] not in referred)
            found.extend(Draft(name, str(r[key])) for r in drafts)
        if is_draft(self.files.get(CRISIS, {})):
            found.append(Draft(CRISIS, self.folder.name))  # last: it needs all the others
        return found

    def get(self, draft: Draft) -> dict[str, Any] | None:
        if draft.file == CRISIS:
            crisis: dict[str, Any] = self.files[CRISIS]
            return crisis if is_draft(crisis) else None
        key = _ID_FIELDS.get(draft.file, "id")
        return next(
            (r for r in self.files.get(draft.file, []) if str(r.get(key)) == draft.ident), None
        )

    def commit(self, changed: dict[str, Any], order: list[str]) -> list[str]:
        """Check the folder with `changed` files; if valid, write them in `order` and
        return no problems, else write nothing and return the validator's problems."""
        with tempfile.TemporaryDirectory(prefix="crisisgraph-review-") as tmp:
            copy = Path(tmp) / self.folder.name
            shutil.copytree(self.folder, copy)
            for name, value in changed.items():
                _write_json(copy / name, value)
            try:
                load_store(Path(tmp))
            except StoreError as error:
                return [str(p) for p in error.problems]
        for name in order:
            _write_json(self.folder / name, changed[name])
            self.files[name] = changed[name]
        return []


def _write_json(path: Path, value: Any) -> None:
    text = json.dumps(value, ensure_ascii=False, indent=2) + "\n"
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        Path(tmp).replace(path)
    finally:
        Path(tmp).unlink(missing_ok=True)


def accepted(raw: dict[str, Any]) -> dict[str, Any]:
    """The record as served: no status, no offsets (the loader computes them)."""
    record = {k: v for k, v in raw.items() if k != "status"}
    if "evidence" in record:
        record["evidence"] = [
            {k: v for k, v in item.items() if k not in OFFSETS} for item in record["evidence"]
        ]
    return record


# -- references between records ---------------------------------------------------------


def _retarget(name: str, raw: dict[str, Any], kind: str, old: str, new: str | None) -> bool:
    """Point `raw`'s references to (kind, old) at `new`, or drop them when `new` is None.
    Returns whether anything changed; a required reference is left for the validator."""
    changed = False

    def one(obj: dict[str, Any], key: str, required: bool = False) -> None:
        nonlocal changed
        if obj.get(key) == old:
            changed = True
            if new is not None:
                obj[key] = new
            elif not required:
                obj.pop(key)

    def many(obj: dict[str, Any], key: str) -> None:
        nonlocal changed
        values = obj.get(key)
        if isinstance(values, list) and old in values:
            changed = True
            replaced = [new if v == old else v for v in values]
            obj[key] = [v for v in dict.fromkeys(replaced) if v is not None]

    if kind == "actor":
        if name == "events.json":
            parts = raw.get("participants", [])
            for part in parts:
                one(part, "actor", required=True)
            kept = [p for p in parts if p.get("actor") not in (None, old)]
            if len(kept) != len(parts):
                raw["participants"], changed = kept, True
        elif name == "figures.json":
            one(raw, "source")
        elif name == "resolutions.json":
            many(raw, "concerns")
        elif name == "documents.json":
            one(raw, "publisher")
            many(raw, "authors")
        elif name == "relations.json":
            one(raw, "subject", required=True)
            one(raw, "object", required=True)
        elif name == "actors.json":
            for role in raw.get("roles", []):
                one(role, "of")
    elif kind == "place":
        if name == "events.json":
            many(raw, "places")
        elif name in {"places.json", CRISIS}:
            one(raw, "country")
    elif kind == "document" and name == CRISIS:
        one(raw, "source", required=True)
    subject = raw.get("subject") if name == "figures.json" else None
    if subject == f"{kind}:{old}":
        changed = True
        if new is None:
            raw.pop("subject")
        else:
            raw["subject"] = f"{kind}:{new}"
    return changed


# -- the session -------------------------------------------------------------------------


class Session:
    def __init__(self, folder: Folder, answers: TextIO, out: TextIO) -> None:
        self.folder, self.answers, self.out = folder, answers, out
        self.decided = 0

    def say(self, *lines: str) -> None:
        for line in lines:
            print(line, file=self.out)

    def run(self) -> int:
        queue = self.folder.drafts()
        total = len(queue)
        if not total:
            self.say(f"{self.folder.folder.name}: no drafts to review")
            return 0
        self.say(f"{self.folder.folder.name}: {total} draft(s) to review")
        for n, draft in enumerate(queue, 1):
            if self.folder.get(draft) is None:
                continue  # merged or rejected along with another
            if not self.review(draft, n, total):
                break
        left = len(self.folder.drafts())
        self.say(
            f"{self.decided} decided this session; {left} draft(s) left"
            + (f": run `python -m data review {self.folder.folder.name}` to resume" if left else "")
        )
        return 0

    def review(self, draft: Draft, n: int, total: int) -> bool:
        """One draft, until it is decided or skipped; False to stop the session."""
        self.show(draft, n, total)
        while True:
            raw = self.folder.get(draft)
            assert raw is not None
            line = self.answers.readline()
            if not line:
                self.say("(end of answers: stopping)")
                return False
            word, _, arg = line.strip().partition(" ")
            key = word[:1].lower()
            if key == "q":
                return False
            if key == "s":
                self.say("skipped: it stays a draft")
                return True
            if key == "a":
                problems = self.accept(draft, raw)
            elif key == "e":
                problems = self.edit(draft, raw)
            elif key == "r":
                problems = self.reject(draft)
            elif key == "m":
                problems = self.merge(draft, raw, arg.strip())
            else:
                self.say("answer a, e, r, m ID, s or q")
                continue
            if problems is None:
                continue
            if problems:
                self.say(
                    "not saved; the store would not validate:", *(f"  - {p}" for p in problems)
                )
                continue
            self.decided += 1
            return True

    def show(self, draft: Draft, n: int, total: int) -> None:
        raw = self.folder.get(draft)
        assert raw is not None
        self.say("", f"[{n}/{total}] {draft.file} {draft.ident}")
        for item in raw.get("evidence", [])[:3]:
            text = self.folder.passages.get(item.get("passage"), "")
            start, end = _locate(text, item)
            if start < 0:
                continue
            before = text[max(0, start - _CONTEXT) : start]
            after = text[end : end + _CONTEXT]
            self.say(f"  {item['passage']}: …{before}[[{text[start:end]}]]{after}…")
        for flag in raw.get(FLAGS, []):
            self.say(f"  FLAG: {flag}")
        shown = {k: v for k, v in raw.items() if k not in {"evidence", "status"}}
        self.say("  " + json.dumps(shown, ensure_ascii=False))
        self.say("  a accept, e edit, r reject, m ID merge into ID, s skip, q quit")

    # -- decisions: each returns the validator's problems ([] when saved), or None -------

    def accept(self, draft: Draft, raw: dict[str, Any]) -> list[str] | None:
        if raw.get(FLAGS):
            self.say("it has flags: settle them with e (edit) and delete the flags field")
            return None
        if draft.file == CRISIS and len(self.folder.drafts()) > 1:
            self.say("the crisis is accepted last, once none of its records is a draft")
            return None
        return self.replace(draft, accepted(raw))

    def edit(self, draft: Draft, raw: dict[str, Any]) -> list[str] | None:
        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
        if not editor:
            self.say("set $EDITOR (or $VISUAL) to the command of your editor")
            return None
        with tempfile.TemporaryDirectory(prefix="crisisgraph-edit-") as tmp:
            path = Path(tmp) / f"{draft.ident}.json"
            path.write_text(json.dumps(raw, ensure_ascii=False, indent=2) + "\n", "utf-8")
            subprocess.run([*shlex.split(editor), str(path)], check=False)
            try:
                edited = json.loads(path.read_text(encoding="utf-8"))
            except (json.JSONDecodeError, UnicodeDecodeError) as error:
                return [f"the edited record is not JSON: {error}"]
        if not isinstance(edited, dict):
            return ["the edited record must be one JSON object"]
        key = _ID_FIELDS.get(draft.file, "id") if draft.file != CRISIS else "slug"
        if str(edited.get(key)) != draft.ident:
            return [f"keep its {key} {draft.ident!r}: merge (m) to fold it into another record"]
        if edited.get(FLAGS):
            return ["it still has flags: delete the flags field once they are settled"]
        return self.replace(draft, accepted(edited))

    def replace(self, draft: Draft, record: dict[str, Any]) -> list[str]:
        if draft.file == CRISIS:
            return self.folder.commit({CRISIS: record}, [CRISIS])
        key = _ID_FIELDS.get(draft.file, "id")
        records = [
            record if str(r.get(key)) == draft.ident else r for r in self.folder.files[draft.file]
        ]
        return self.folder.commit({draft.file: records}, [draft.file])

    def reject(self, draft: Draft) -> list[str]:
        if draft.file == CRISIS:
            self.say("a crisis is not rejected here: delete its folder to drop the whole page")
            return ["the crisis draft stays"]
        return self.move_references(draft, None)

    def merge(self, draft: Draft, raw: dict[str, Any], target_id: str) -> list[str] | None:
        key = _ID_FIELDS.get(draft.file, "id")
        target = next(
            (r for r in self.folder.files.get(draft.file, []) if str(r.get(key)) == target_id),
            None,
        )
        if draft.file == CRISIS or target is None or target_id == draft.ident:
            self.say(f"merge into what? give the id of another record in {draft.file}")
            return None
        merged = dict(target)
        if "aliases" in target:
            names = {normalize_name(n) for n in (target["name"], *target["aliases"])}
            extra = [
                n for n in (raw["name"], *raw.get("aliases", [])) if normalize_name(n) not in names
            ]
            merged["aliases"] = [*target["aliases"], *dict.fromkeys(extra)]
        quotes = {(e["passage"], e["quote"], e.get("occurrence")) for e in target["evidence"]}
        more = [
            {k: v for k, v in e.items() if k not in OFFSETS or is_draft(target)}
            for e in raw["evidence"]
            if (e["passage"], e["quote"], e.get("occurrence")) not in quotes
        ]
        merged["evidence"] = [*target["evidence"], *more]
        return self.move_references(draft, (target_id, merged))

    def move_references(self, draft: Draft, into: tuple[str, dict[str, Any]] | None) -> list[str]:
        """Drop the draft, and point every other draft's references to it at `into` (or
        drop them); the files that refer are written before the file that is referred to."""
        key = _ID_FIELDS.get(draft.file, "id")
        new_id = into[0] if into else None
        changed: dict[str, Any] = {}
        for name in (*FILES, CRISIS):
            if name == draft.file or name not in self.folder.files:
                continue
            value = json.loads(json.dumps(self.folder.files[name]))  # a deep copy
            items = value if isinstance(value, list) else [value]
            if [_retarget(name, raw, draft.kind, draft.ident, new_id) for raw in items].count(True):
                changed[name] = value
        own: list[Any] = []
        for raw in self.folder.files[draft.file]:
            if str(raw.get(key)) == draft.ident:
                continue
            if into is not None and str(raw.get(key)) == into[0]:
                raw = into[1]
            _retarget(draft.file, raw, draft.kind, draft.ident, new_id)
            own.append(raw)
        changed[draft.file] = own
        return self.folder.commit(changed, [*(n for n in changed if n != draft.file), draft.file])


def _locate(text: str, item: dict[str, Any]) -> tuple[int, int]:
    quote = item.get("quote", "")
    start = item.get("start")
    if isinstance(start, int) and text[start : start + len(quote)] == quote:
        return start, start + len(quote)
    at = -1
    for _ in range(int(item.get("occurrence") or 1)):
        at = text.find(quote, at + 1)
    return at, at + len(quote)


def review(data_dir: Path, slug: str, answers: TextIO, out: TextIO) -> int:
    """Review `slug`'s drafts with the answers read from `answers`; 0 when it ran."""
    load_store(data_dir)  # start only from a valid store: StoreError says what is wrong
    folder = data_dir / slug
    if not (folder / "passages.json").is_file():
        print(f"python -m data review: no crisis folder {folder}", file=out)
        return 2
    return Session(Folder(folder), answers, out).run()
