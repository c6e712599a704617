"""The index's own unstemmed vocabulary: typo suggestions and prefix* expansion.

Held in memory (one dict and one sorted list per process) because both uses
are per query and the vocabulary is small next to the postings: about 5,000
words for Mali, and it grows far slower than the passages.

Suggestions combine edit distance (Ouagadugu -> ouagadougou, two edits) with
a coarse sound-alike key for transliterated names, where distance alone fails
(Timbuctoo -> timbuktu is three edits but the same key).
"""

from __future__ import annotations

import bisect
import json
import re
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from whoosh.support.levenshtein import distance

MAX_PREFIX_EXPANSION = 50  # prefix* ORs at most this many words, the most frequent
MAX_SCAN = 20_000  # words looked at for one prefix, whatever the vocabulary's size

# Spelling variants of transliterated names: c/k/q, ph/f, ou/oo/u/w, y/i, z/s,
# silent h. Applied in order to a folded word.
_SOUND_RULES = [
    (re.compile(r"ph"), "f"),
    (re.compile(r"ck|c|q"), "k"),
    (re.compile(r"ou|oo|w"), "u"),
    (re.compile(r"y"), "i"),
    (re.compile(r"z"), "s"),
    (re.compile(r"(?<=.)h"), ""),
    (re.compile(r"(.)\1+"), r"\1"),
]


def sound_key(word: str) -> str:
    for pattern, replacement in _SOUND_RULES:
        word = pattern.sub(replacement, word)
    return word


class Vocabulary:
    def __init__(self, frequencies: Iterable[tuple[str, int]]) -> None:
        self.frequency: dict[str, int] = dict(frequencies)
        self.sorted_words = sorted(self.frequency)
        self._by_initial: dict[str, list[str]] = defaultdict(list)
        self._by_sound: dict[str, str] = {}
        for word in self.sorted_words:
            if word.isalpha():
                self._by_initial[word[0]].append(word)
                key = sound_key(word)
                best = self._by_sound.get(key)
                if best is None or self.frequency[word] > self.frequency[best]:
                    self._by_sound[key] = word

    def __contains__(self, word: object) -> bool:
        return word in self.frequency

    def suggest(self, word: str) -> str | None:
        """The likeliest intended word for an unknown folded word, or None.

        Same first letter (typos rarely hit it, and it bounds the scan), at most
        one edit for words of up to 4 letters, two beyond; a sound-alike match
        counts as one edit. Ties go to the more frequent word.
        """
        if len(word) < 3 or not word.isalpha():
            return None
        limit = 1 if len(word) <= 4 else 2
        candidates: dict[str, int] = {}
        same_sound = self._by_sound.get(sound_key(word))
        if same_sound is not None and same_sound[0] == word[0]:
            candidates[same_sound] = 1
        for other in self._by_initial.get(word[0], ()):
            if abs(len(other) - len(word)) <= limit and other not in candidates:
                found = distance(word, other, limit)
                if found <= limit:
                    candidates[other] = found
        if not candidates:
            return None
        return min(candidates, key=lambda w: (candidates[w], -self.frequency[w], w))

    def expand_prefix(self, prefix: str) -> list[str]:
        """The most frequent words starting with `prefix`, most frequent first."""
        start = bisect.bisect_left(self.sorted_words, prefix)
        found: list[str] = []
        for word in self.sorted_words[start : start + MAX_SCAN]:
            if not word.startswith(prefix):
                break
            found.append(word)
        found.sort(key=lambda w: (-self.frequency[w], w))
        return found[:MAX_PREFIX_EXPANSION]


VOCABULARY_FILE = "vocabulary.json"


def write_vocabulary(directory: Path, frequencies: dict[str, int]) -> None:
    """Save word -> document frequency beside the index (the build counts them as it
    goes: a field of its own posted every word of every document a second time)."""
    text = json.dumps(sorted(frequencies.items()), ensure_ascii=False, separators=(",", ":"))
    (directory / VOCABULARY_FILE).write_text(text, encoding="utf-8")


def read_vocabulary(directory: Path) -> list[tuple[str, int]]:
    """Raise OSError or ValueError if the file is missing or malformed."""
    raw = json.loads((directory / VOCABULARY_FILE).read_text(encoding="utf-8"))
    if not isinstance(raw, list):
        raise ValueError(f"{VOCABULARY_FILE} does not hold a list")
    return [(str(word), int(count)) for word, count in raw]
