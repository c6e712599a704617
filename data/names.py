"""Names as people type them: one folded form for lookups and uniqueness checks."""

from __future__ import annotations

import unicodedata

# Typographic quotes and apostrophes fold to their ASCII forms.
_FOLD = str.maketrans(
    {"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u201c": '"', "\u201d": '"'}
)


def normalize_name(name: str) -> str:
    """Fold case, accents, curly quotes and spacing, for name lookups."""
    decomposed = unicodedata.normalize("NFKD", name.translate(_FOLD))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())
