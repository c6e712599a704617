"""Opaque global IDs: what `id` fields hold and `node(id:)` and ID filters read back, with
an error a person can act on when a client sends something else."""

from __future__ import annotations

import base64
import binascii

from data.kinds import BY_NAME, BY_TYPE_NAME
from resolvers.errors import BadUserInput


def encode_id(kind: str, crisis: str, ident: str) -> str:
    raw = f"{BY_NAME[kind].type_name}:{crisis}:{ident}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_id(value: str, *, argument: str = "id") -> tuple[str, tuple[str, str]]:
    """(record type, key) of a global ID; BadUserInput if it is not one of ours."""
    try:
        padded = value + "=" * (-len(value) % 4)
        type_name, crisis, ident = (
            base64.urlsafe_b64decode(padded.encode("ascii")).decode().split(":", 2)
        )
        kind = BY_TYPE_NAME[type_name].name
    except (ValueError, UnicodeError, binascii.Error, KeyError):
        raise BadUserInput(
            f"{argument}: {value[:60]!r} is not a crisisgraph ID; use the `id` field "
            "of an object returned by this API",
            argument=argument,
        ) from None
    return kind, (crisis, ident)
