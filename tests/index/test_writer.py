"""The build's writer (index/writer.py) writes the files Whoosh's own writer writes, byte
for byte, and refuses what it does not support rather than writing something else."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import whoosh.index
from whoosh.fields import ID, TEXT, Schema, UnknownFieldError
from whoosh.writing import SegmentWriter

from data.repository import Repository
from index.documents import documents
from index.schema import build_schema
from index.writer import NewIndexWriter


def _segment_files(
    directory: Path, writer_class: Any, docs: list[dict[str, Any]]
) -> dict[str, bytes]:
    """Every file of a one-segment index built by `writer_class`, the segment's random
    name taken out of the file names and the table of contents."""
    directory.mkdir()
    index = whoosh.index.create_in(str(directory), build_schema())
    # One file per part of the segment (no compound file), so a difference names its part.
    writer = writer_class(index, compound=False)
    for fields in docs:
        writer.add_document(**fields)
    writer.commit()
    segment_id = whoosh.index.open_dir(str(directory))._read_toc().segments[0].segid
    return {
        path.name.replace(segment_id, "SEGMENT"): path.read_bytes().replace(
            segment_id.encode(), b"SEGMENT"
        )
        for path in directory.iterdir()
    }


def _mali_documents(repo: Repository) -> list[dict[str, Any]]:
    docs = list(documents(repo))
    for fields in docs:
        del fields["spelling"]  # the build counts these words, it does not index them
    return docs


def test_the_mali_index_is_whooshs_byte_for_byte(mali_repo: Repository, tmp_path: Path) -> None:
    docs = _mali_documents(mali_repo)
    ours = _segment_files(tmp_path / "ours", NewIndexWriter, docs)
    whooshs = _segment_files(tmp_path / "whoosh", SegmentWriter, docs)
    parts = {
        "MAIN_SEGMENT.pst",
        "MAIN_SEGMENT.trm",
        "MAIN_SEGMENT._stored.col",
        "MAIN_SEGMENT.meta.col",
    }
    assert parts | {"MAIN_SEGMENT._body_len.col", "MAIN_SEGMENT._entities_len.col"} <= ours.keys()
    assert ours.keys() == whooshs.keys()
    for name in ours:
        assert ours[name] == whooshs[name], name


def test_long_posting_lists_fill_several_blocks(tmp_path: Path) -> None:
    # 300 documents share "common" (three blocks of up to 128 postings, the last one
    # short), every tenth one "rare", and the lengths vary by document.
    docs = [
        {
            "uid": f"passage:c:{n}",
            "kind": "passage",
            "crisis": "c",
            "body": "common " * (1 + n % 7) + ("rare" if n % 10 == 0 else "other"),
            "entities": "actor:c:a " * (n % 3),
        }
        for n in range(300)
    ]
    ours = _segment_files(tmp_path / "ours", NewIndexWriter, docs)
    assert ours == _segment_files(tmp_path / "whoosh", SegmentWriter, docs)


def _writer(directory: Path) -> NewIndexWriter:
    directory.mkdir(exist_ok=True)
    return NewIndexWriter(whoosh.index.create_in(str(directory), Schema(id=ID(stored=True))))


def test_a_document_that_cannot_be_indexed_leaves_no_trace(tmp_path: Path) -> None:
    writer = _writer(tmp_path)
    writer.add_document(id="a")
    with pytest.raises(UnknownFieldError):
        writer.add_document(id="b", nosuch="x")
    with pytest.raises(ValueError, match="is not unicode"):
        writer.add_document(id=42)
    writer.add_document(id="c")
    writer.commit()
    with whoosh.index.open_dir(str(tmp_path)).searcher() as searcher:
        assert [fields["id"] for fields in searcher.all_stored_fields()] == ["a", "c"]
        assert list(searcher.lexicon("id")) == [b"a", b"c"]


def test_what_it_does_not_support_is_refused(tmp_path: Path) -> None:
    writer = _writer(tmp_path / "plain")
    with pytest.raises(ValueError, match="not supported"):
        writer.add_document(id="a", _boost=2.0)
    with pytest.raises(NotImplementedError):
        writer.add_reader(None)
    writer.add_document(id="a")
    writer.commit()
    # Adding to an index that has a segment already would need a merge.
    with pytest.raises(ValueError, match="only an empty index"):
        NewIndexWriter(whoosh.index.open_dir(str(tmp_path / "plain")))
    vectors = Schema(body=TEXT(vector=True))
    with pytest.raises(ValueError, match="term vectors"):
        NewIndexWriter(whoosh.index.create_in(str(tmp_path), vectors))
    # Refusing released the lock: a writer can still be opened.
    whoosh.index.open_dir(str(tmp_path)).writer().cancel()
