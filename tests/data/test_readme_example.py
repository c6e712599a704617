"""data/README.md's worked example adds a record that is not in the store yet, and the
store validates with it: applied to a copy, as a curator would apply it."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

from data.loader import load_store
from settings import DEFAULT_DATA_DIR

GUIDE = (DEFAULT_DATA_DIR.parent / "README.md").read_text(encoding="utf-8")
EXAMPLE = GUIDE[GUIDE.index("## A worked example") :]


def example_record() -> dict[str, Any]:
    [block] = re.findall(r"Append to `events.json`:\n\s*```json\n(.*?)```", EXAMPLE, re.DOTALL)
    record: dict[str, Any] = json.loads(block)
    return record


def test_the_example_is_a_record_the_store_does_not_have_yet() -> None:
    record = example_record()
    [mali] = load_store(DEFAULT_DATA_DIR)
    assert record["id"] not in {e.id for e in mali.events}
    quote = record["evidence"][0]["quote"]
    assert not any(e.quote == quote for event in mali.events for e in event.evidence)


def test_the_example_validates_when_applied_to_a_copy_of_the_store(tmp_path: Path) -> None:
    store = tmp_path / "crises"
    shutil.copytree(DEFAULT_DATA_DIR, store)
    events = store / "mali" / "events.json"
    records = json.loads(events.read_text(encoding="utf-8"))
    records.append(example_record())
    events.write_text(json.dumps(records, ensure_ascii=False, indent=2), encoding="utf-8")

    [mali] = load_store(store)  # raises StoreError, naming the problem, if it does not validate
    [added] = [e for e in mali.events if e.id == example_record()["id"]]
    assert added.date.iso == "2012"
    assert [p.actor for p in added.participants] == ["mnla", "ansar-dine", "al-jazeera"]
    [evidence] = added.evidence
    passage = next(p for p in mali.passages if p.id == evidence.passage_id)
    assert passage.text[evidence.start : evidence.end] == evidence.quote


def test_the_guide_quotes_the_page_as_the_example_does() -> None:
    """Step 2 argues the date from the page's words: they must be the page's."""
    [mali] = load_store(DEFAULT_DATA_DIR)
    page = " ".join(p.text for p in mali.passages)
    prose = EXAMPLE.split("```")[0]
    quoted = re.findall(r'(?:^|[\s(])"([^"]{8,}?)"(?=[\s.,:;)])', prose, re.MULTILINE)
    assert len(quoted) >= 2
    for words in quoted:
        assert " ".join(words.split()) in page, words
