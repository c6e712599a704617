"""How text becomes index terms, for documents and queries alike.

The chain is tokenizer -> lowercase -> accent folding -> stop words -> stemmer,
in that order: folding after stemming would index `refugie` but query `refugi`
(index/README.md, "Analysis"). Every step is a stock Whoosh component, so analysis
costs no Python per token beyond what Whoosh itself spends.

Apostrophes are settled by the tokenizer's pattern, not by a filter:

- a possessive `'s` ends the word (`Mali's`, typed straight or curly -> `mali`);
- a one-letter elision starts a new word (`N'Djamena` -> `djamena`,
  `l'Azawad` -> `azawad`), as a French reader splits it;
- any other apostrophe is dropped by the folding map (`qu'il` -> `quil`).

Straight, curly and modifier apostrophes are treated alike, so a query typed
on any keyboard finds text copied from any page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from whoosh.analysis import (
    STOP_WORDS,
    Analyzer,
    CharsetFilter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)
from whoosh.support.charset import accent_map

# straight, right and left single quotes, modifier letter apostrophe, backtick
APOSTROPHES = "'\u2019\u02bc\u2018`"

# A word: letters/digits, possibly joined by apostrophes, but never starting
# with a one-letter elision ("N'") and never swallowing a possessive "'s".
TOKEN_PATTERN = rf"(?!\w[{APOSTROPHES}]\w)\w+(?:[{APOSTROPHES}](?!s\b)\w+)*"
TOKEN_RE = re.compile(TOKEN_PATTERN)

# Accent folding (Keïta -> keita, Vérité -> verite) plus deletion of the
# apostrophes left inside words, in one str.translate table.
FOLD_MAP: dict[int, str | None] = {**accent_map, **{ord(c): None for c in APOSTROPHES}}

# Whoosh's English list without the words that carry meaning here: "may" is
# a month (23 May 2014), "us" a country, "not" matters in quotes.
STOP = frozenset(STOP_WORDS - {"may", "us", "not", "tbd"})

MIN_WORD = 2  # shorter tokens (a stray "s" or initial) are noise
MIN_SPELLING = 3  # no one misspells a two-letter word in a way worth correcting


def text_analyzer() -> Analyzer:
    """The analyzer of every scored text field: stemmed, folded, stopped."""
    return (
        RegexTokenizer(TOKEN_PATTERN)
        | LowercaseFilter()
        | CharsetFilter(FOLD_MAP)
        | StopFilter(STOP, minsize=MIN_WORD)
        | StemFilter()
    )


def fold(text: str) -> str:
    """Lowercase and fold accents and apostrophes, as the analyzer does per token."""
    return text.lower().translate(FOLD_MAP)


def words(text: str) -> list[str]:
    """The folded, unstemmed words of `text`, stop words included."""
    return [fold(w) for w in TOKEN_RE.findall(text)]


# Function words left out when names are compared, so a researcher need not
# type them: English ones and the French ones of the page's organisations.
NAME_STOP = STOP | {"de", "des", "du", "et", "la", "le", "les", "pour"}


def name_key(text: str) -> str:
    """How a name is compared with a run of query words, ignoring case, accents,
    punctuation and function words: `Commission Vérité, Justice et Réconciliation`
    == `commission verite justice reconciliation`."""
    return " ".join(w for w in words(text) if w not in NAME_STOP)


def spelling_words(texts: Iterable[str]) -> list[str]:
    """The distinct unstemmed words of a document, for the spelling vocabulary.

    Done with one regex and one translate over the whole text (C speed) rather
    than a second Whoosh analysis pass: the vocabulary only needs the words.
    """
    found = set(TOKEN_RE.findall(" ".join(texts).lower()))
    # Folding the distinct words joined by spaces folds each (no word holds a space,
    # and the map turns nothing into one).
    folded = set(" ".join(found).translate(FOLD_MAP).split(" "))
    return [w for w in folded - STOP if len(w) >= MIN_SPELLING]
