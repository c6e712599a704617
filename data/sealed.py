"""Files that say whether they are whole: a header naming what the file holds, and the
length and CRC-32 of the bytes that follow, so a file cut short by a crash or damaged on
disk is told from a good one before anything is decoded from it.

Used for what the server saves to start faster (data/snapshot.py, index/opened.py): such
a file is written without fsync, and a bad one is only ever ignored and made again.
"""

from __future__ import annotations

import struct
import zlib

_HEADER = struct.Struct("<QI")  # length and CRC-32 of the payload


def seal(kind: bytes, payload: bytes) -> bytes:
    """`payload` behind a header: `kind` (what the file holds), its length and checksum."""
    return kind + _HEADER.pack(len(payload), zlib.crc32(payload)) + payload


def unseal(kind: bytes, blob: bytes) -> memoryview:
    """The payload of a sealed file; ValueError saying what is wrong if it is not whole."""
    start = len(kind) + _HEADER.size
    if not blob.startswith(kind) or len(blob) < start:
        raise ValueError("it is not a file of this kind")
    length, checksum = _HEADER.unpack_from(blob, len(kind))
    payload = memoryview(blob)[start:]
    if len(payload) != length:
        raise ValueError(f"{len(payload)} bytes where {length} were written: it is cut short")
    if zlib.crc32(payload) != checksum:
        raise ValueError("its checksum does not match: it is damaged")
    return payload
