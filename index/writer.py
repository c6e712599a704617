"""A writer for a new index that gathers each term's postings as documents arrive.

Whoosh's SegmentWriter puts every posting (field, term, document, weight, value) into
one pool as a tuple, sorts the million tuples at commit, then hands them one at a time
to the postings writer, which checks each one's types and looks its document's field
length up again. Here documents are added in order, so a term's postings arrive sorted
by document already: they are appended to the term's lists, and the commit sorts only
the terms and encodes 128 postings at a time as Whoosh's postings writer does. The
segment's files are the ones SegmentWriter writes, byte for byte
(tests/index/test_writer.py compares them), so readers and searches cannot tell.

It holds every posting in memory until the commit, where Whoosh's pool would spill
sorted runs to disk beyond its `limitmb`; the lists take less memory than the pool's
tuples (a 100-crisis build peaks at 216 MB of RSS, against 370 MB).
"""

from __future__ import annotations

import zlib
from array import array
from typing import Any

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3TermInfo
from whoosh.compat import dumps
from whoosh.fields import FieldType, UnknownFieldError
from whoosh.system import pack_int, pack_ushort
from whoosh.util.numeric import length_to_byte
from whoosh.writing import SegmentWriter


class _Postings:
    """One term's postings in one field, in document order."""

    __slots__ = ("docs", "values", "weights")

    def __init__(self) -> None:
        self.docs: array[int] = array("I")
        self.weights: list[float] = []
        self.values: list[bytes] = []


class _Field:
    """What the writer gathers for one indexed field."""

    __slots__ = ("lengths", "terms")

    def __init__(self) -> None:
        self.terms: dict[Any, _Postings] = {}
        # docnum -> the field's length in the document, for the blocks' statistics.
        self.lengths: dict[int, int] = {}


# A document's fields in name order: (name, field, value, postings), the postings None
# for a field only stored or a column, else (term, frequency, weight, encoded value).
_Analysed = list[tuple[str, Any, Any, list[tuple[Any, int, float, bytes]] | None]]


def _analyse(schema: Any, fields: dict[str, Any]) -> _Analysed:
    """A document's postings, computed before any of it is written: a value that cannot
    be indexed leaves no trace of its document."""
    document: _Analysed = []
    for name in sorted(fields):
        value = fields[name]
        if name.startswith("_"):
            raise ValueError(f"{name}: boosts and separate stored values are not supported")
        if name not in schema:
            raise UnknownFieldError(f"No field named {name!r} in {schema}")
        if value is None:
            continue  # as Whoosh does: neither indexed nor stored
        field = schema[name]
        if not field.indexed:
            document.append((name, field, value, None))
        elif type(field).index is FieldType.index:
            # Terms as strings, encoded once per term at commit rather than per posting.
            if not isinstance(value, (str, list, tuple)):
                raise ValueError(f"{value!r} is not unicode or sequence")
            items = field.format.word_values(value, field.analyzer, mode="index")
            document.append((name, field, value, list(items)))
        else:
            document.append((name, field, value, list(field.index(value))))
    return document


class NewIndexWriter(SegmentWriter):  # type: ignore[misc]
    """Writes the one segment of a new, empty index, with Whoosh's own file format.

    Supports what SegmentWriter.add_document does except the `_boost`, `_<field>_boost`
    and `_stored_<field>` keywords, term vectors and separate spelling fields, which
    this index does not use; asking for them raises at once rather than writing
    something else.
    """

    def __init__(self, ix: Any, **kwargs: Any) -> None:
        super().__init__(ix, **kwargs)
        if self.segments:
            self.cancel()
            raise ValueError("NewIndexWriter writes only an empty index")
        for name, field in self.schema.items():
            if field.vector or field.separate_spelling():
                self.cancel()
                raise ValueError(f"field {name!r}: term vectors and spelling are not supported")
        self._fields: dict[str, _Field] = {}

    def add_document(self, **fields: Any) -> None:
        self._check_state()
        document = _analyse(self.schema, fields)
        docnum = self.docnum
        perdoc = self.perdocwriter
        perdoc.start_doc(docnum)
        for name, field, value, items in document:
            length = 0
            if items is not None:
                gathered = self._fields.get(name)
                if gathered is None:
                    gathered = self._fields[name] = _Field()
                terms = gathered.terms
                for text, frequency, weight, encoded in items:
                    postings = terms.get(text)
                    if postings is None:
                        postings = terms[text] = _Postings()
                    postings.docs.append(docnum)
                    postings.weights.append(weight)
                    postings.values.append(encoded)
                    length += frequency
                if length and field.scorable:
                    gathered.lengths[docnum] = length
                else:
                    length = 0
            perdoc.add_field(name, field, value if field.stored else None, length)
            if field.column_type is not None:
                perdoc.add_column_value(name, field.column_type, field.to_column_value(value))
        perdoc.finish_doc()
        self._added = True
        self.docnum += 1

    def add_reader(self, reader: Any) -> None:
        raise NotImplementedError("NewIndexWriter does not merge other segments")

    def _flush_segment(self) -> None:
        """Write the postings, field by field and term by term, in Whoosh's order."""
        self.perdocwriter.close()
        writer = self.fieldwriter
        for name in sorted(self._fields):
            gathered = self._fields[name]
            terms = [
                (text.encode("utf-8") if isinstance(text, str) else text, postings)
                for text, postings in gathered.terms.items()
            ]
            terms.sort(key=lambda term: term[0])
            field = self.schema[name]
            writer.start_field(name, field)
            blocks = _BlockWriter(writer, field.format.fixed_value_size(), gathered.lengths)
            for text, postings in terms:
                blocks.write_term(text, postings)
            writer.finish_field()
        writer.close()
        self._fields.clear()


class _BlockWriter:
    """Writes one field's terms as Whoosh's W3FieldWriter and W3PostingsWriter would.

    Their code, with the per-posting calls taken out: a term's postings are already
    gathered, so each block of up to 128 is encoded at once (ids delta-encoded, weights
    as 32-bit floats or folded to one value, values by the format's size, pickled and
    compressed, behind a pickled header of its statistics), and the term's statistics
    are summed block by block in the order Whoosh sums them. It reads private attributes
    of whoosh-reloaded 2.7.5, which is pinned exactly; tests/index/test_writer.py compares
    the files with Whoosh's own, byte for byte.
    """

    def __init__(self, writer: Any, fixed_size: int | None, lengths: dict[int, int]) -> None:
        self._file = writer._postfile
        self._terms = writer._tindex
        self._field_id = pack_ushort(writer._fieldid)
        self._limit = writer._postwriter._blocklimit
        self._compression = writer._postwriter._compression
        self._fixed_size = fixed_size
        self._lengths = lengths

    def write_term(self, text: bytes, postings: _Postings) -> None:
        file, limit, compression = self._file, self._limit, self._compression
        start = file.tell()
        file.write(WHOOSH3_HEADER_MAGIC)
        docs, all_weights, all_values = postings.docs, postings.weights, postings.values
        count = len(docs)
        total: float = 0
        min_length: int | None = None
        max_length = 0
        max_weight: float = 0
        for first in range(0, count, limit):
            last = min(first + limit, count)
            ids = docs[first:last]
            weights = all_weights[first:last]
            floats = array("f", weights)
            lengths = [n for n in map(self._lengths.get, ids) if n] if self._lengths else []
            block_min = min(lengths) if lengths else None
            block_max = max(lengths) if lengths else 0
            block_weight = max(0, max(weights))
            total += sum(floats)
            if min_length is None:
                min_length = block_min
            elif block_min is not None:
                min_length = min(min_length, block_min)
            max_length = max(max_length, block_max)
            max_weight = max(max_weight, block_weight)
            data = dumps((_deltas(ids), _folded(floats), self._values(all_values[first:last])), 2)
            if compression:
                data = zlib.compress(data, compression)
            info = dumps(
                (
                    len(ids),
                    ids[-1],
                    block_weight,
                    compression,
                    length_to_byte(block_min),
                    length_to_byte(block_max),
                ),
                2,
            )
            size = len(info) + len(data)
            file.write(pack_int(-size if last == count else size))
            file.write(info)
            file.write(data)
        terminfo = W3TermInfo(total, count, min_length, max_length, max_weight, docs[0], docs[-1])
        terminfo.set_extent(start, file.tell() - start)
        self._terms.add(self._field_id + text, terminfo.to_bytes())

    def _values(self, values: list[bytes]) -> Any:
        if self._fixed_size == 0:
            return None
        kept = [value for value in values if value]
        if self._fixed_size is None or self._fixed_size < 0:
            return tuple(kept)
        return b"".join(kept)


def _deltas(ids: array[int]) -> tuple[int, ...]:
    return tuple(b - a for a, b in zip((0, *ids), ids, strict=False))


def _folded(weights: array[float]) -> Any:
    """None if every weight is 1.0, the one weight if all are equal, else all of them."""
    if weights.count(1.0) == len(weights):
        return None
    if weights.count(weights[0]) == len(weights):
        return weights[0]
    return tuple(weights)
