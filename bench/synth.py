"""Synthetic stores at N times the Mali page, for measuring how costs grow.

A store at scale N holds the Mali folder and N-1 perturbed copies of it, each a crisis
folder of its own that the loader validates like any other. A copy (fixed seed per copy):

- renames the actors' and places' proper names (Timbuktu, Keita, Azawad ...) and
  acronyms (MNLA, MINUSMA ...) to made-up ones, everywhere they occur;
- shifts every date, and every year written in the text, by the same number of years;
- shuffles the sentences of each passage (sentences a quote spans stay together);

and keeps every quote verbatim in its passage, so the evidence offsets still hold.

    python -m bench.synth OUT_DIR 100
"""

from __future__ import annotations

import functools
import json
import random
import re
import shutil
import sys
from pathlib import Path
from typing import Any

from settings import DEFAULT_DATA_DIR

SOURCE = DEFAULT_DATA_DIR / "mali"
SEED = 20141128
TEXT_FIELDS = {"text", "quote", "name", "aliases", "title", "description", "summary", "note"}
DATE_FIELDS = {"date", "end_date", "start", "end", "adopted", "as_of", "covers_until"}
_YEAR = re.compile(r"\b(19[5-9]\d|20(?:0\d|1[0-5]))\b")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\u201c\"])")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_SYLLABLES = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"] + ["ar", "el", "on", "ud"]
# Capitalised words of names that are ordinary English, kept as they are.
_COMMON = {
    "The", "Of", "For", "And", "In", "On", "To", "National", "Movement", "Liberation",
    "United", "Nations", "Security", "Council", "Union", "African", "Group", "Front",
    "Republic", "Government", "Mission", "International", "Commission", "Office", "Forces",
    "Army", "Islamic", "Islamist", "Groups", "Court", "Criminal", "High", "Commissioner",
    "Refugees", "Human", "Rights", "Watch", "Amnesty", "Multidimensional", "Integrated",
    "Stabilization", "Support", "Operation", "Council's", "Secretary", "General", "Special",
    "President", "Prime", "Minister", "Northern", "Southern", "West", "Africa", "Economic",
    "Community", "States", "Coalition", "Responsibility", "Protect", "Crisis", "Children",
    "Armed", "Conflict", "Unity", "Jihad", "Tuareg", "Tuaregs", "Arab", "French",
}  # fmt: skip


def generate(out_dir: Path, scale: int, *, seed: int = SEED) -> Path:
    """Write a store of `scale` crisis folders (Mali and scale-1 copies) under out_dir."""
    out_dir.mkdir(parents=True, exist_ok=True)
    shutil.copytree(SOURCE, out_dir / SOURCE.name, dirs_exist_ok=True)
    original = _read(SOURCE)
    for copy in range(1, scale):
        _Copy(original, random.Random(seed * 100_003 + copy)).write(out_dir / f"synth-{copy:04d}")
    return out_dir


def _read(folder: Path) -> dict[str, Any]:
    files = {p.name: json.loads(p.read_text(encoding="utf-8")) for p in folder.glob("*.json")}
    sources = {p.name: p.read_text(encoding="utf-8") for p in (folder / "sources").iterdir()}
    return {"files": files, "sources": sources}


class _Copy:
    def __init__(self, original: dict[str, Any], rng: random.Random) -> None:
        self.original = original
        self.rng = rng
        self.years = rng.randint(-40, 8)
        files = original["files"]
        self.renames = self._renames(files.get("actors.json", []) + files.get("places.json", []))
        self.names = _names_pattern(tuple(sorted(self.renames, key=len, reverse=True)))

    def _renames(self, records: list[dict[str, Any]]) -> dict[str, str]:
        """Proper-name words and acronyms of actors and places -> made-up ones."""
        taken: set[str] = set()
        renames: dict[str, str] = {}
        for rec in records:
            for name in [rec.get("name", ""), *rec.get("aliases", [])]:
                for word in _WORD.findall(name):
                    if word in renames or word in _COMMON or not word[0].isupper():
                        continue
                    renames[word] = self._word(word, taken)
        return renames

    def _word(self, like: str, taken: set[str]) -> str:
        while True:
            if like.isupper() and len(like) > 1:  # an acronym
                word = "".join(self.rng.choice("BCDFGHKLMNPRSTVZ") for _ in like)
            else:
                syllables = max(2, min(4, len(like) // 3))
                word = "".join(self.rng.choice(_SYLLABLES) for _ in range(syllables)).capitalize()
            if word not in taken:
                taken.add(word)
                return word

    # -- text and dates ----------------------------------------------------------------

    def text(self, value: str) -> str:
        if self.names is not None:
            value = self.names.sub(lambda m: self.renames[m.group()], value)
        return _YEAR.sub(lambda m: str(int(m.group()) + self.years), value)

    def date(self, value: str) -> str:
        parts = value.split("-")
        year = int(parts[0]) + self.years
        if parts[1:] == ["02", "29"] and not (year % 4 == 0 and (year % 100 or year % 400 == 0)):
            parts[2] = "28"
        return "-".join([f"{year:04d}", *parts[1:]])

    def record(self, value: Any, key: str = "") -> Any:
        if isinstance(value, dict):
            return {k: self.record(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [self.record(v, key) for v in value]
        if isinstance(value, str):
            if key in TEXT_FIELDS:
                return self.text(value)
            if key in DATE_FIELDS:
                return self.date(value)
        if key == "year" and isinstance(value, int):
            return value + self.years
        return value

    # -- passages ----------------------------------------------------------------------

    def shuffle(self, text: str, quotes: list[str]) -> str:
        """The sentences in another order; those a quote spans stay together."""
        sentences = _SENTENCE_END.split(text)
        if len(sentences) < 2:
            return text
        bounds, position = [], 0
        for sentence in sentences:
            start = text.index(sentence, position)
            bounds.append((start, start + len(sentence)))
            position = start + len(sentence)
        group = list(range(len(sentences)))  # sentence -> unit
        for quote in quotes:
            for start in _occurrences(text, quote):
                end = start + len(quote)
                covered = [i for i, (s, e) in enumerate(bounds) if s < end and e > start]
                for i in covered[1:]:
                    old = group[i]
                    group = [group[covered[0]] if g == old else g for g in group]
        units: dict[int, list[str]] = {}
        for i, sentence in enumerate(sentences):
            units.setdefault(group[i], []).append(sentence)
        order = list(units.values())
        self.rng.shuffle(order)
        return " ".join(" ".join(unit) for unit in order)

    def write(self, folder: Path) -> None:
        files = {name: self.record(data) for name, data in self.original["files"].items()}
        evidence = list(_evidence(files))
        quotes: dict[str, list[str]] = {}
        for item in evidence:
            quotes.setdefault(item["passage"], []).append(item["quote"])
        passages = {p["id"]: p for p in files["passages.json"]}
        for pid, passage in passages.items():
            passage["text"] = self.shuffle(passage["text"], quotes.get(pid, []))
        for item in evidence:  # keep each quote's occurrence valid in the new text
            text = passages[item["passage"]]["text"]
            count = text.count(item["quote"])
            if count == 0:
                item["quote"] = text
                item.pop("occurrence", None)
            elif count == 1:
                item.pop("occurrence", None)
            else:
                item["occurrence"] = min(int(item.get("occurrence", 1)), count)
        (folder / "sources").mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            (folder / name).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        page = "\n\n".join(p["text"] for p in files["passages.json"])
        for name in self.original["sources"]:
            (folder / "sources" / name).write_text(page + "\n", encoding="utf-8")


@functools.cache
def _names_pattern(words: tuple[str, ...]) -> re.Pattern[str] | None:
    """One alternation of the words to rename: the same words in every copy."""
    if not words:
        return None
    return re.compile(rf"(?<!\w)(?:{'|'.join(re.escape(w) for w in words)})(?!\w)")


def _occurrences(text: str, part: str) -> list[int]:
    found, start = [], text.find(part)
    while start >= 0:
        found.append(start)
        start = text.find(part, start + 1)
    return found


def _evidence(value: Any) -> Any:
    """Every {"passage": ..., "quote": ...} object anywhere in the records."""
    if isinstance(value, dict):
        if "passage" in value and "quote" in value:
            yield value
        for v in value.values():
            yield from _evidence(v)
    elif isinstance(value, list):
        for v in value:
            yield from _evidence(v)


if __name__ == "__main__":
    generate(Path(sys.argv[1]), int(sys.argv[2]))
