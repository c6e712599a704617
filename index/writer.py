"""A writer for a new index that gathers each term's postings as documents arrive.

Whoosh's SegmentWriter puts every posting (field, term, document, weight, value) into
one pool as a tuple, sorts the million tuples at commit, then hands them one at a time
to the postings writer, which checks each one's types and looks its document's field
length up again. Here documents are added in order, so a term's postings arrive sorted
by document already: they are appended to the term's lists, and the commit sorts only
the terms and gives Whoosh's block encoder 128 postings at a time. The segment's files
are the ones SegmentWriter writes, byte for byte (tests/index/test_writer.py compares
them), so readers and searches cannot tell the two apart.

It holds every posting in memory until the commit (about 150 MB at 100 Mali-sized
crises) where Whoosh's pool would spill sorted runs to disk beyond `limitmb`.
"""

from __future__ import annotations

from array import array
from typing import Any

from whoosh.fields import FieldType, UnknownFieldError
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


# A document's fields in name order: (name, value, postings), the postings None for a
# field that is only stored or a column, else (term, frequency, weight, encoded value).
Analysed = list[tuple[str, Any, list[tuple[Any, int, float, bytes]] | None]]


def analyse(schema: Any, fields: dict[str, Any]) -> Analysed:
    """A document's postings, computed before any of it is written: a value that cannot
    be indexed leaves no trace of its document."""
    document: Analysed = []
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
            document.append((name, value, None))
        elif type(field).index is FieldType.index:
            # Terms as strings, encoded once per term at commit rather than per posting.
            if not isinstance(value, (str, list, tuple)):
                raise ValueError(f"{value!r} is not unicode or sequence")
            items = field.format.word_values(value, field.analyzer, mode="index")
            document.append((name, value, list(items)))
        else:
            document.append((name, value, list(field.index(value))))
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
        self.add_analysed(analyse(self.schema, fields))

    def add_analysed(self, document: Analysed) -> None:
        """Add a document that analyse() has turned into postings."""
        self._check_state()
        docnum = self.docnum
        perdoc = self.perdocwriter
        perdoc.start_doc(docnum)
        for name, value, items in document:
            field = self.schema[name]
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
            writer.start_field(name, self.schema[name])
            for text, postings in terms:
                writer.start_term(text)
                _write_blocks(writer._postwriter, postings, gathered.lengths)
                writer.finish_term()
            writer.finish_field()
        writer.close()
        self._fields.clear()


def _write_blocks(postwriter: Any, postings: _Postings, field_lengths: dict[int, int]) -> None:
    """Give Whoosh's W3PostingsWriter a term's postings a block at a time.

    Sets the buffers its add_posting() would have filled, posting by posting, and
    lets its own _write_block() encode them: the same bytes without the per-posting
    calls. These are private attributes of whoosh-reloaded 2.7.5 (pinned exactly);
    tests/index/test_writer.py fails if they change meaning.
    """
    limit = postwriter._blocklimit
    count = len(postings.docs)
    for start in range(0, count, limit):
        end = min(start + limit, count)
        weights = postings.weights[start:end]
        docs = postings.docs[start:end]
        lengths = [n for n in map(field_lengths.get, docs) if n] if field_lengths else []
        postwriter._ids = docs
        postwriter._weights = array("f", weights)
        postwriter._values = [value for value in postings.values[start:end] if value]
        postwriter._maxweight = max(0, max(weights))
        postwriter._minlength = min(lengths) if lengths else None
        postwriter._maxlength = max(lengths) if lengths else 0
        postwriter._write_block(last=end == count)
