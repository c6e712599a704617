"""Each query word's postings as two arrays, read and scored once per process.

Whoosh builds a matcher per field and word for every query: a term-dictionary lookup, a
scorer with its idf, then a Python step per posting to score it. Here the first query
that needs (field, word) reads its postings once and keeps the document numbers and each
document's score for that word, computed as Whoosh's scorer computes it: BM25F with the
same idf, average field length and quantised document length, in the same float
operations in the same order (so the very same doubles). Later queries only combine
arrays (index/matching.py).

The arrays never change once read, so every thread of a process shares them. They are
bounded in bytes: past the bound they are all dropped and read again as queries need them.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from whoosh import scoring
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher
from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length

# About 12 bytes a posting: at 100 crises every posting of every word is ~20 MB.
MAX_BYTES = 32 << 20
MAX_FREQUENCIES = 100_000  # document frequencies looked up without reading the postings

Docs = npt.NDArray[np.int32]
Scores = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Postings:
    """The documents a (field, word) occurs in, ascending, and its score in each."""

    docs: Docs
    scores: Scores


class PostingCache:
    """The postings read so far from one snapshot, for every thread."""

    def __init__(self, reader: Any, weighting: Any) -> None:
        if type(weighting) is not scoring.BM25F:
            raise TypeError(f"scores are computed as BM25F's, not {type(weighting).__name__}'s")
        self.schema = reader.schema
        self.doc_count: int = reader.doc_count_all()
        self._weighting = weighting
        self._lengths: dict[str, tuple[npt.NDArray[np.float64], float]] = {}
        self._found: dict[Hashable, Postings | None] = {}
        self._frequencies: dict[tuple[str, str], int] = {}
        self._bytes = 0
        self._lock = threading.Lock()

    def terms(self, reader: Any) -> Terms:
        """A view for one thread, which reads missing postings with its own `reader`."""
        return Terms(self, reader)

    def get(self, reader: Any, field: str, text: str) -> Postings | None:
        key = (field, text)
        try:
            return self._found[key]
        except KeyError:
            pass
        found = self._read(reader, field, text)
        self.remember(key, found)
        return found

    def doc_frequency(self, reader: Any, field: str, text: str) -> int:
        held = self._found.get((field, text))
        if held is not None:
            return len(held.docs)
        key = (field, text)
        found = self._frequencies.get(key)
        if found is None:
            found = reader.doc_frequency(field, text) if field in self.schema else 0
            if len(self._frequencies) >= MAX_FREQUENCIES:
                self._frequencies.clear()
            self._frequencies[key] = found
        return found

    def recall(self, key: Hashable) -> Postings | None:
        """What was remembered under `key` (index/matching.py's phrases), or None."""
        return self._found.get(key)

    def remember(self, key: Hashable, found: Postings | None) -> None:
        # The arrays, and about as much again for the key, the entry and the objects.
        size = 200 + (0 if found is None else found.docs.nbytes + found.scores.nbytes)
        with self._lock:
            if self._bytes + size > MAX_BYTES:
                self._found.clear()
                self._bytes = 0
            if size <= MAX_BYTES:
                self._found[key] = found
                self._bytes += size

    @property
    def bytes(self) -> int:
        """What the postings held now take, roughly."""
        return self._bytes

    def _read(self, reader: Any, field: str, text: str) -> Postings | None:
        if field not in self.schema:
            return None
        try:
            btext = self.schema[field].to_bytes(text)
        except ValueError:
            return None
        parts: list[tuple[Docs, Scores]] = []
        frequency = 0
        for leaf, base in reader.leaf_readers():  # one segment, unless a build left several
            try:
                info = leaf.term_info(field, btext)
            except TermNotFound:
                continue
            # What reader.postings() does, without looking the word up a second time.
            terms = leaf._terms
            matcher = terms._codec.postings_reader(
                terms._postfile, info, self.schema[field].format, term=(field, btext)
            )
            docs, weights = _arrays(matcher)
            parts.append((docs + np.int32(base) if base else docs, weights))
            frequency += info.doc_frequency()
        if not parts:
            return None
        docs, weights = (np.concatenate(a) for a in zip(*parts, strict=True))
        if not self.schema[field].scorable:  # Whoosh's WeightScorer: the posting's weight
            return Postings(docs, weights)
        lengths, average = self._field_lengths(reader, field)
        # bm25() of whoosh.scoring, term for term, over every posting at once; the idf and
        # average length over the whole index, as the scorer asks the top searcher.
        w = self._weighting
        b = w._field_B.get(field, w.B)
        k1 = w.K1
        idf = math.log(self.doc_count / (frequency + 1)) + 1
        length = lengths[docs]
        scores = idf * ((weights * (k1 + 1)) / (weights + k1 * ((1 - b) + b * length / average)))
        return Postings(docs, scores)

    def _field_lengths(self, reader: Any, field: str) -> tuple[npt.NDArray[np.float64], float]:
        """Each document's length in `field` as the scorer reads it (quantised to a byte,
        1 where there is none), and the field's average length (exact)."""
        found = self._lengths.get(field)
        if found is None:
            parts = []
            for leaf, _ in reader.leaf_readers():
                column = leaf._perdoc._cached_reader(f"_{field}_len", LENGTHS_COLUMN)
                if column is None:
                    parts.append(np.ones(leaf.doc_count_all(), dtype=np.float64))
                else:
                    parts.append(_LENGTH_OF_BYTE[np.frombuffer(column.load(), dtype=np.uint8)])
            average = reader.field_length(field) / (self.doc_count or 1) or 1
            found = self._lengths[field] = (np.concatenate(parts), average)
        return found


class Terms:
    """One thread's access to the shared postings."""

    def __init__(self, cache: PostingCache, reader: Any) -> None:
        self.cache = cache
        self.reader = reader

    def get(self, field: str, text: str) -> Postings | None:
        return self.cache.get(self.reader, field, text)

    def doc_frequency(self, field: str, text: str) -> int:
        """How many documents `text` occurs in, in `field`, from its postings (the planner
        asks about the words the query will search for: they are read once, here)."""
        found = self.cache.get(self.reader, field, text)
        return 0 if found is None else len(found.docs)

    def count(self, field: str, text: str) -> int:
        """doc_frequency() without reading the postings when they are not held: a phrase's
        words are read by Whoosh's own phrase matcher."""
        return self.cache.doc_frequency(self.reader, field, text)


def _arrays(matcher: Any) -> tuple[Docs, Scores]:
    """A matcher's document numbers and weights, decoded a block at a time with numpy where
    it has blocks (Whoosh sums a block's id gaps in a Python generator). whoosh-reloaded is
    pinned exactly; tests/index/test_postings.py compares these with what the matcher
    yields one posting at a time."""
    if type(matcher) is not W3LeafMatcher:  # postings inlined in the term dictionary
        docs: list[int] = []
        weights: list[float] = []
        while matcher.is_active():
            docs.append(matcher.id())
            weights.append(matcher.weight())
            matcher.next()
        return np.array(docs, dtype=np.int32), np.array(weights, dtype=np.float64)
    blocks: list[Docs] = []
    block_weights: list[npt.NDArray[np.float32]] = []
    while matcher.is_active():
        if matcher._data is None:
            matcher._read_data()
        ids, weights_read = matcher._data[0], matcher._data[1]
        if isinstance(ids, bytes | bytearray):
            ids = np.frombuffer(ids, dtype=np.uint8)
        ids = np.asarray(ids, dtype=np.int64)
        if not matcher._byteids:  # each id is the gap from the one before
            ids = np.cumsum(ids)
        count = len(ids)
        if weights_read is None:
            found = np.ones(count, dtype=np.float32)
        elif isinstance(weights_read, float):
            found = np.full(count, weights_read, dtype=np.float32)
        else:
            found = np.asarray(weights_read, dtype=np.float32)
        start = matcher._i
        blocks.append(ids[start:].astype(np.int32))
        block_weights.append(found[start:])
        matcher._next_block()
    if not blocks:
        return np.empty(0, np.int32), np.empty(0, np.float64)
    return np.concatenate(blocks), np.concatenate(block_weights).astype(np.float64)


_LENGTH_OF_BYTE = np.array([byte_to_length(b) if b else 1 for b in range(256)], np.float64)
