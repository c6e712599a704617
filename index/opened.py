"""What opening a snapshot reads out of its Whoosh files, saved beside them for the next
process to open it: the per-document metadata (30,000 rows of JSON at 100 crises) and the
names of the actors and places (a stored-fields read and a name analysis each). Read back
in one msgspec decode, it saves most of the time an open takes.

    <snapshot>/opened.msgpack

A snapshot's Whoosh files never change once published, so the file depends on nothing
but the code that made it: a digest of this package's modules (what a document's metadata
and a name's key are) is stored in it. A file made by other code, or one damaged or cut
short (it is sealed: data/sealed.py), is ignored and made again. It is written whole, to a
temporary file renamed into place, by whichever process opens the snapshot first; no
Whoosh writer is involved, so the snapshot's readers are never disturbed. A snapshot that
cannot be written to (a read-only mount) is read from its Whoosh files at every start.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import secrets
from pathlib import Path

import msgspec

from data.sealed import seal, unseal
from index.schema import FORMAT, DocMeta

OPENED_FILE = "opened.msgpack"
KIND = b"crisisgraph opened snapshot\n"

log = logging.getLogger("crisisgraph.index")


class Opened(msgspec.Struct, array_like=True):
    code: str  # code_version() of the process that wrote it
    metas: list[DocMeta]  # by document number
    entities: list[tuple[str, tuple[str, ...]]]  # (uid, names: the name first, then aliases)
    names: list[tuple[str, list[int]]]  # a name's key -> the positions of its entities
    sections: list[str]


_DECODER = msgspec.msgpack.Decoder(Opened)


def code_version() -> str:
    """A digest of what decides the file's content: the index format, msgspec's version and
    the source of every module of this package."""
    digest = hashlib.sha256(f"{FORMAT}:{msgspec.__version__}".encode())
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def read_opened(snapshot: Path, documents: int, code: str) -> Opened | None:
    """What an earlier open of `snapshot` saved, or None if nothing usable was."""
    path = snapshot / OPENED_FILE
    try:
        opened = _DECODER.decode(unseal(KIND, path.read_bytes()))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as error:  # msgspec's errors are ValueErrors too
        log.warning("ignoring %s (%s): reading the index's own files", path, error)
        return None
    if opened.code != code:
        return None  # made by other code: made again below
    if len(opened.metas) != documents:
        log.warning("ignoring %s: it describes another number of documents", path)
        return None
    return opened


def write_opened(snapshot: Path, opened: Opened) -> None:
    """Save `opened` for the next process; never fail the open for it."""
    path = snapshot / OPENED_FILE
    temporary = snapshot / f".tmp-opened-{os.getpid()}-{secrets.token_hex(4)}"
    try:
        temporary.write_bytes(seal(KIND, msgspec.msgpack.encode(opened)))
        temporary.replace(path)
    except OSError as error:
        log.info("cannot save %s (%s): the next start reads the index's files again", path, error)
        with contextlib.suppress(OSError):
            temporary.unlink()
